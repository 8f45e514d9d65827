-- The month grid of each organisation's data period per municipality with the month-end
-- stands that the *_gemiddeld metrics average (from int_kpi_maand, counted once): a month
-- whose stand is zero still counts as a month.
select
    organisatie,
    gemeente,
    maand,
    max(teller) filter (where kpi = 'uitkeringen_eindstand') as uitkeringen_eindstand,
    max(teller) filter (where kpi = 'lks_banenafspraak_eindstand') as lks_banenafspraak_eindstand
from {{ ref('int_kpi_maand') }}
where gemeente is not null and kpi in ('uitkeringen_eindstand', 'lks_banenafspraak_eindstand')
group by organisatie, gemeente, maand
