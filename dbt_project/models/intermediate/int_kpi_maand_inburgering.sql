-- The inburgering KPIs (KPIS.md, Inburgering) per month in the shape of int_kpi_maand, per
-- municipality and organisation. Month-end stocks and shares are taken on the last day of the month;
-- a share's year value pools the month ends (berekening aandeel sums teller and noemer). Cohort
-- shares count in the month of their cohort date. The grid runs from 2022 (the Wet inburgering 2021)
-- over the complete months before the latest inburgering delivery, at most to the end of the
-- organisation's data period; an organisation without inburgeringsplichtigen has no row (missing, never 0).
with inburgering as (
    select * from {{ ref('fct_inburgering') }}
),
maanden as (
    -- the Wet inburgering 2021 applies from 2022; month-end stocks: complete months before the delivery
    {{ bronmaanden('inburgering', "date '2022-01-01'", 'reintegratie', 'inburgeringsplichtigen', levermaand_telt=false) }}
),
rooster as (
    select m.organisatie, g.cbs_code as gemeente, m.maand, cast(last_day(m.maand) as date) as maand_einde
    from maanden as m
    join {{ ref('gemeenten') }} as g on g.organisatie = m.organisatie
    union all
    select organisatie, null, maand, cast(last_day(maand) as date)
    from maanden
),
inburgeringstrajecten as (
    select pseudoniem, startdatum, einddatum
    from {{ ref('fct_trajecten') }}
    where soort in ('INBURGERING_B1', 'INBURGERING_Z', 'INBURGERING_ONDERWIJS') and startdatum is not null
),
in_begeleiding as (
    -- per month end: the obligations in begeleiding, whether their PIP is decided and their client is on route
    select
        r.organisatie,
        r.gemeente,
        r.maand,
        i.migrant_soort,
        i.leerroute,
        i.pip_vastgesteld_op <= r.maand_einde as pip_vastgesteld,
        exists(
            select 1 from inburgeringstrajecten as t
            where t.pseudoniem = i.pseudoniem and t.startdatum <= r.maand_einde
                and (t.einddatum is null or t.einddatum > r.maand_einde)
        ) as op_route
    from rooster as r
    join inburgering as i
        on i.organisatie = r.organisatie and (r.gemeente is null or i.gemeente = r.gemeente)
        and i.begeleiding_vanaf <= r.maand_einde and (i.plicht_einde is null or i.plicht_einde > r.maand_einde)
),
standen as (
    select
        organisatie, gemeente, maand,
        count(*) filter (where migrant_soort = 'STATUSHOUDER') as statushouder,
        count(*) filter (where migrant_soort = 'GEZINSMIGRANT') as gezinsmigrant,
        count(*) filter (where migrant_soort = 'OVERIG') as overig,
        count(*) filter (where pip_vastgesteld) as met_pip,
        count(*) filter (where pip_vastgesteld and op_route) as op_route,
        count(*) filter (where pip_vastgesteld and leerroute = 'B1') as b1,
        count(*) filter (where pip_vastgesteld and leerroute = 'Z') as z,
        count(*) filter (where pip_vastgesteld and leerroute = 'ONDERWIJS') as onderwijs
    from in_begeleiding
    group by all
),
cohorten as (
    -- (kpi, cohort month, in the teller) per cohort member
    select organisatie, gemeente, 'pip_binnen_10_weken_aandeel' as kpi, pip_uiterlijk as datum,
           pip_binnen_10_weken as teller
    from inburgering
    where telt_pip_cohort
    union all
    select organisatie, gemeente, 'inburgering_binnen_termijn_aandeel', termijn_einde, voldaan_binnen_termijn
    from inburgering
    where telt_termijn_cohort
    union all
    select organisatie, gemeente, 'b1_behaald_aandeel', plicht_einde, b1_behaald_bij_einde
    from inburgering
    where telt_b1_cohort
),
cohort_tellingen as (
    select
        r.organisatie, r.gemeente, r.maand, c.kpi,
        count(*) filter (where c.teller) as teller,
        count(*) as noemer
    from rooster as r
    join cohorten as c
        on c.organisatie = r.organisatie and (r.gemeente is null or c.gemeente = r.gemeente)
        and c.datum between r.maand and r.maand_einde
    group by all
),
kpis as (
    select
        unnest([
            'inburgeraars_in_begeleiding_statushouder', 'inburgeraars_in_begeleiding_gezinsmigrant',
            'inburgeraars_in_begeleiding_overig', 'inburgeraars_op_route_aandeel', 'leerroute_aandeel_b1',
            'leerroute_aandeel_z', 'leerroute_aandeel_onderwijs', 'pip_binnen_10_weken_aandeel',
            'inburgering_binnen_termijn_aandeel', 'b1_behaald_aandeel'
        ]) as kpi
),
waarden as (
    select
        organisatie, gemeente, maand,
        unnest([
            struct_pack(kpi := 'inburgeraars_in_begeleiding_statushouder', teller := statushouder, noemer := null),
            struct_pack(kpi := 'inburgeraars_in_begeleiding_gezinsmigrant', teller := gezinsmigrant, noemer := null),
            struct_pack(kpi := 'inburgeraars_in_begeleiding_overig', teller := overig, noemer := null),
            struct_pack(kpi := 'inburgeraars_op_route_aandeel', teller := op_route, noemer := met_pip),
            struct_pack(kpi := 'leerroute_aandeel_b1', teller := b1, noemer := met_pip),
            struct_pack(kpi := 'leerroute_aandeel_z', teller := z, noemer := met_pip),
            struct_pack(kpi := 'leerroute_aandeel_onderwijs', teller := onderwijs, noemer := met_pip)
        ], recursive := true)
    from standen
    union all
    select organisatie, gemeente, maand, kpi, teller, noemer
    from cohort_tellingen
)
select
    r.organisatie,
    r.gemeente,
    r.maand,
    k.kpi,
    case when k.kpi like 'inburgeraars_in_begeleiding_%' then 'stand' else 'aandeel' end as berekening,
    coalesce(w.teller, 0) as teller,
    case when k.kpi not like 'inburgeraars_in_begeleiding_%' then coalesce(w.noemer, 0) end as noemer
from rooster as r
cross join kpis as k
left join waarden as w
    on w.organisatie = r.organisatie and w.gemeente is not distinct from r.gemeente and w.maand = r.maand
    and w.kpi = k.kpi
