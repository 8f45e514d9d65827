-- The finance KPIs (KPIS.md, Finance) per month in the shape of int_kpi_maand, from the postings that count
-- (fct_grootboek.telt_in_realisatie), in Navision sign (debit positive), rounded to euros per month:
-- bewindvoering_kosten per municipality (gemeente_code) and for the organisation (all its postings, also those
-- without municipality); wlb_dekkingsgraad for the organisation only, opbrengsten (minus the amounts of
-- OMZET_WLB and OPBRENGST_DETACHERING) over loonkosten (LOONKOSTEN_WSW and LOONKOSTEN_BESCHUT);
-- maatregel_kosten_X per measure and reeks X of the ERP's PROJECT dimension. Missing (no row), never 0: an
-- organisation without ERP, a year in which a rubriek the KPI needs maps no key (int_erp_rubriek_dekking),
-- an ERP whose gl_entry has no project_code column (raw_meta.erp_watermerk.kolommen).
with gedekt as (
    select organisatie, jaar, kpi
    from {{ ref('int_erp_rubriek_dekking') }}
    group by all
    having min(sleutels) > 0
),
posten as (
    select
        organisatie, gemeente, rubriek, project_code, amount,
        cast(date_trunc('month', boekdatum) as date) as maand
    from {{ ref('fct_grootboek') }}
    where telt_in_realisatie
),
maanden as (
    select organisatie, gemeente, maand, jaar from {{ ref('int_maanden') }}
    union all
    select distinct organisatie, null, maand, jaar from {{ ref('int_maanden') }}
),
met_projecten as (
    select organisatie
    from {{ source('raw_meta', 'erp_watermerk') }}
    where tabel = 'gl_entry' and list_contains(kolommen, 'project_code')
),
projecten as (
    select distinct
        d.organisatie,
        d.code as project_code,
        'maatregel_kosten_' || replace(lower(x.code), '-', '_') as kpi
    from {{ ref('stg_erp__dimension_value') }} as d
    join met_projecten as w on w.organisatie = d.organisatie
    cross join unnest([d.code, d.parent_code]) as x (code)
    where d.dimension_code = 'PROJECT' and x.code is not null
),
projectposten as (
    select p.*, x.kpi
    from posten as p
    join projecten as x on x.organisatie = p.organisatie and x.project_code = p.project_code
),
maatregel_kpis as (
    select distinct organisatie, kpi from projecten
),
bewindvoering as (
    select
        m.organisatie, m.gemeente, m.maand, 'bewindvoering_kosten' as kpi, 'telling' as berekening,
        cast(round(coalesce(sum(p.amount), 0)) as bigint) as teller,
        cast(null as bigint) as noemer
    from maanden as m
    join gedekt as g on g.organisatie = m.organisatie and g.jaar = m.jaar and g.kpi = 'bewindvoering_kosten'
    left join posten as p
        on
            p.organisatie = m.organisatie and p.maand = m.maand and p.rubriek = 'BEWINDVOERING'
            and (m.gemeente is null or p.gemeente = m.gemeente)
    group by all
),
werkleerbedrijf as (
    select
        m.organisatie, m.gemeente, m.maand, 'wlb_dekkingsgraad' as kpi, 'aandeel' as berekening,
        cast(round(-coalesce(sum(p.amount) filter (where p.rubriek in ('OMZET_WLB', 'OPBRENGST_DETACHERING')), 0))
            as bigint) as teller,
        cast(round(coalesce(sum(p.amount) filter (where p.rubriek in ('LOONKOSTEN_WSW', 'LOONKOSTEN_BESCHUT')), 0))
            as bigint) as noemer
    from maanden as m
    join gedekt as g on g.organisatie = m.organisatie and g.jaar = m.jaar and g.kpi = 'wlb_dekkingsgraad'
    left join posten as p on p.organisatie = m.organisatie and p.maand = m.maand
    where m.gemeente is null
    group by all
),
maatregelen as (
    select
        m.organisatie, m.gemeente, m.maand, x.kpi, 'telling' as berekening,
        cast(round(coalesce(sum(p.amount), 0)) as bigint) as teller,
        cast(null as bigint) as noemer
    from maanden as m
    join maatregel_kpis as x on x.organisatie = m.organisatie
    left join projectposten as p
        on
            p.organisatie = m.organisatie and p.maand = m.maand and p.kpi = x.kpi
            and (m.gemeente is null or p.gemeente = m.gemeente)
    group by all
)
select * from bewindvoering
union all
select * from werkleerbedrijf
union all
select * from maatregelen
