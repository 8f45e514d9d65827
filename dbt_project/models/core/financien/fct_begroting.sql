-- Budget entries: the primary budget (B2018) and its changes (B2018-W1 ...) as deltas.
-- bedrag = -amount (baten positive, lasten negative); missing programma -> 'ONBEKEND'.
select
    b.organisatie,
    b.entry_no,
    b.budget_name,
    b.primaire_begroting,
    b.is_wijziging,
    b.budget_date as begrotingsdatum,
    coalesce(
        try_cast(regexp_extract(b.primaire_begroting, '(\d{4})', 1) as integer),
        cast(year(b.budget_date) as integer)
    ) as jaar,
    b.gl_account_no,
    r.naam as rekening_naam,
    coalesce(r.is_resultaatrekening, false) as is_resultaatrekening,
    coalesce(r.is_resultaatrekening and contains(lower(r.naam), 'uitkering'), false) as is_uitkeringsrekening,
    coalesce(b.programma_code, 'ONBEKEND') as programma,
    b.product_code,
    b.gemeente_code,
    b.gemeente,
    b.amount,
    -b.amount as bedrag
from {{ ref('stg_erp__budget_entry') }} as b
left join {{ ref('stg_erp__gl_account') }} as r
    on r.organisatie = b.organisatie and r.gl_account_no = b.gl_account_no
