with bron as (
    {{ laatste_erp_versie(source('raw_erp', 'gl_account'), ['"no"']) }}
)
select
    organisatie,
    cast("no" as varchar) as gl_account_no,
    name as naam,
    account_type,
    income_balance,
    income_balance = 'Income Statement' as is_resultaatrekening,
    account_type = 'Posting' as is_boekingsrekening
from bron
