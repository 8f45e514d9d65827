-- The month grid of each organisation's data period, with one row per municipality;
-- betalingen_bekend: a payment delta covers the month (KPIs that need a payment are unknown before).
select
    p.organisatie,
    g.cbs_code as gemeente,
    d.maand_start as maand,
    d.maand_einde,
    d.jaar,
    d.periode,
    d.maand_start >= p.eerste_betaalmaand as betalingen_bekend
from {{ ref('int_organisatie_periode') }} as p
join {{ ref('dim_datum') }} as d
    on d.datum = d.maand_start and d.datum between p.eerste_maand and p.laatste_maand
join {{ ref('gemeenten') }} as g on g.organisatie = p.organisatie
