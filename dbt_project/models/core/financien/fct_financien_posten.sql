-- Income-statement amounts every finance mart adds up, each rule once. Realisation: postings that
-- count (fct_grootboek.telt_in_realisatie: no reversal pair, no second posting of a document);
-- budget: every budget line, the primary budget and its changes as deltas. Baten or lasten and
-- benefit account or not per account (dim_grootboekrekening); bedrag = -amount; no programma or
-- product: 'ONBEKEND'.
select
    g.organisatie,
    g.jaar,
    'realisatie' as soort,
    g.boekdatum as datum,
    cast(null as varchar) as versie,
    g.programma,
    coalesce(g.product_code, 'ONBEKEND') as product,
    r.is_baten,
    r.is_uitkeringsrekening,
    g.bedrag
from {{ ref('fct_grootboek') }} as g
join {{ ref('dim_grootboekrekening') }} as r
    on r.organisatie = g.organisatie and r.gl_account_no = g.gl_account_no
where g.telt_in_realisatie
union all
select
    b.organisatie,
    b.jaar,
    'begroting' as soort,
    b.begrotingsdatum as datum,
    b.budget_name as versie,
    b.programma,
    coalesce(b.product_code, 'ONBEKEND') as product,
    r.is_baten,
    r.is_uitkeringsrekening,
    b.bedrag
from {{ ref('fct_begroting') }} as b
join {{ ref('dim_grootboekrekening') }} as r
    on r.organisatie = b.organisatie and r.gl_account_no = b.gl_account_no
