-- description (free text, may name a client) does not leave the raw zone.
with bron as (
    {{ laatste_erp_versie(source('raw_erp', 'gl_entry'), ['entry_no']) }}
)
select
    bron.organisatie,
    cast(bron.entry_no as bigint) as entry_no,
    cast(bron.posting_date as date) as posting_date,
    bron.document_no,
    cast(bron.gl_account_no as varchar) as gl_account_no,
    cast(bron.amount as decimal(18, 2)) as amount,
    nullif(trim(bron.programma_code), '') as programma_code,
    nullif(trim(bron.product_code), '') as product_code,
    nullif(trim(bron.gemeente_code), '') as gemeente_code,
    g.cbs_code as gemeente,
    bron.source_code,
    bron.user_id,
    coalesce(cast(bron.reversed as boolean), false) as reversed,
    nullif(cast(bron.reversed_entry_no as bigint), 0) as reversed_entry_no,
    cast(bron.last_modified as timestamp) as last_modified,
    upper(nullif(trim(bron.project_code), '')) as project_code,
    bron._geladen_op
from bron
left join {{ ref('gemeenten') }} as g on g.erp_code = nullif(trim(bron.gemeente_code), '')
