-- Per organisation with an ERP, year of its data period and KPI: the rubrieken of seeds/erp_rubriek.csv
-- the KPI needs (KPIS.md, Finance) and how many keys map to each in that year. A rubriek without a key
-- leaves the KPI missing for that year (int_kpi_maand_financien) and is a finding (dq_controle_erp).
with benodigd as (
    select 'bewindvoering_kosten' as kpi, 'BEWINDVOERING' as rubriek
    union all
    select 'wlb_dekkingsgraad', 'OMZET_WLB'
    union all
    select 'wlb_dekkingsgraad', 'OPBRENGST_DETACHERING'
    union all
    select 'wlb_dekkingsgraad', 'LOONKOSTEN_WSW'
    union all
    select 'wlb_dekkingsgraad', 'LOONKOSTEN_BESCHUT'
),
met_erp as (
    select distinct organisatie from {{ ref('fct_grootboek') }}
),
jaren as (
    select distinct m.organisatie, m.jaar
    from {{ ref('int_maanden') }} as m
    join met_erp as e on e.organisatie = m.organisatie
)
select j.organisatie, j.jaar, b.kpi, b.rubriek, count(r.sleutel) as sleutels
from jaren as j
cross join benodigd as b
left join {{ ref('erp_rubriek') }} as r
    on
        r.organisatie = j.organisatie and r.rubriek = b.rubriek
        and j.jaar between r.jaar_van and coalesce(r.jaar_tot, 9999)
group by all
