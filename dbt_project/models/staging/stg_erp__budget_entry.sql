with bron as (
    {{ laatste_erp_versie(source('raw_erp', 'budget_entry'), ['entry_no']) }}
)
select
    bron.organisatie,
    cast(bron.entry_no as bigint) as entry_no,
    bron.budget_name,
    split_part(bron.budget_name, '-', 1) as primaire_begroting,
    bron.budget_name like '%-%' as is_wijziging,
    cast(bron.gl_account_no as varchar) as gl_account_no,
    nullif(trim(bron.programma_code), '') as programma_code,
    nullif(trim(bron.product_code), '') as product_code,
    nullif(trim(bron.gemeente_code), '') as gemeente_code,
    g.cbs_code as gemeente,
    cast(bron.budget_date as date) as budget_date,
    cast(bron.amount as decimal(18, 2)) as amount,
    bron._geladen_op
from bron
left join {{ ref('gemeenten') }} as g on g.erp_code = nullif(trim(bron.gemeente_code), '')
