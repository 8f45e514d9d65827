-- Intervention monitoring per organisatie, maatregel or reeks X and periode: the run of X (looptijd,
-- 'YYYY-MM/YYYY-MM' as its target in doelen.csv), each calendar year and each quarter ('YYYY-Qn') of it.
-- Cohort: the deelnemers whose deelname start lies in the period. Gross: the maatregel KPIs of marts.kpi
-- summed over the period, and per deelnemer over the window from the start to the end of the run: whether
-- the benefit dossier running on the start ended (uitstroom; with work: werk), whether a deelnemer of
-- klantgroep 4 was activated (geactiveerd) and whether the klantgroep on the end of the run is lower than
-- on the start (klantgroep_verbeterd). Comparison group (docs/maatregelen.md): for each deelnemer with a
-- running benefit on the start, the non-participants whose own benefit dossier ran on that same day in
-- the same municipality, with the same klantgroep and the same benefit-duration band; their share with
-- the same outcome over the same window is the deelnemer's expected outcome. netto = gross of the
-- matched deelnemers minus the sum of their expected outcomes. Costs: budget of maatregelen.csv for the
-- years of the period (a quarter has none), realised maatregel_kosten_X of the ERP (null without ERP
-- projects).
with x as (
    select
        mx.organisatie, mx.maatregel, mx.x, mx.is_reeks,
        min(m.startdatum) as van, max(m.einddatum) as tot
    from {{ ref('int_maatregel_x') }} as mx
    join {{ ref('maatregelen') }} as m on m.organisatie = mx.organisatie and m.maatregel_code = mx.maatregel_code
    group by all
),
perioden as (
    select
        organisatie, maatregel, x, is_reeks, tot as einde_looptijd,
        strftime(van, '%Y-%m') || '/' || strftime(tot, '%Y-%m') as periode, 'looptijd' as periode_soort, van, tot
    from x
    union all
    select
        organisatie, maatregel, x, is_reeks, tot, cast(jaar as varchar), 'jaar',
        greatest(van, make_date(jaar, 1, 1)), least(tot, make_date(jaar, 12, 31))
    from x
    cross join unnest(range(year(van), year(tot) + 1)) as j (jaar)
    union all
    select
        organisatie, maatregel, x, is_reeks, tot, strftime(kwartaal, '%Y') || '-Q' || quarter(kwartaal), 'kwartaal',
        greatest(van, cast(kwartaal as date)), least(tot, cast(kwartaal + interval 3 month - interval 1 day as date))
    from x
    cross join unnest(generate_series(cast(date_trunc('quarter', van) as date), tot, interval 3 month)) as k (kwartaal)
),
uitkeringen as (
    select
        dossiernummer, gemeente, ingangsdatum, einddatum,
        {{ is_uitstroom_naar_werk('uitstroom_categorie') }} as is_werk,
        unnest(list_filter([aanvrager, partner], p -> p is not null)) as pseudoniem
    from {{ ref('fct_uitkeringen') }}
),
duurband as (
    -- the benefit-duration band matched on (months since the dossier's ingangsdatum)
    select
        unnest(['< 1 jaar', '1-2 jaar', '2-5 jaar', '5 jaar of langer']) as band,
        unnest([0, 12, 24, 60]) as van_maanden,
        unnest([12, 24, 60, null]) as tot_maanden
),
deelnemers as (
    select
        d.organisatie, d.maatregel, d.pseudoniem, d.deelname_start, d.klantgroep, u.gemeente, u.dossiernummer,
        b.band, p.periode, p.einde_looptijd,
        u.einddatum between d.deelname_start and p.einde_looptijd as uitstroom,
        u.is_werk and u.einddatum between d.deelname_start and p.einde_looptijd as werk,
        d.geactiveerd_op <= p.einde_looptijd as geactiveerd,
        {{ klantgroep_verbeterd('e.klantgroep', 'd.klantgroep') }} as klantgroep_verbeterd
    from {{ ref('int_maatregel_deelnemers') }} as d
    join perioden as p
        on p.organisatie = d.organisatie and p.maatregel = d.maatregel and d.deelname_start between p.van and p.tot
    left join {{ ref('int_maatregel_dossiers') }} as u
        on
            u.organisatie = d.organisatie and u.maatregel = d.maatregel and u.pseudoniem = d.pseudoniem
            and u.is_dossier_op_start
    left join {{ ref('int_klantprofielen') }} as e
        on e.pseudoniem = d.pseudoniem and p.einde_looptijd between e.geldig_vanaf and coalesce(e.geldig_tot, '9999-12-31')
    left join duurband as b
        on
            date_diff('month', u.ingangsdatum, d.deelname_start) >= b.van_maanden
            and (b.tot_maanden is null or date_diff('month', u.ingangsdatum, d.deelname_start) < b.tot_maanden)
),
activeringen as (
    select pseudoniem, startdatum
    from {{ ref('fct_trajecten') }}
    where not is_assessment
),
kandidaten as (
    -- per deelnemer with a benefit on the start: the matched non-participants and their outcomes over the window
    select
        d.organisatie, d.maatregel, d.periode, d.pseudoniem, d.klantgroep, c.pseudoniem as kandidaat,
        coalesce(c.einddatum between d.deelname_start and d.einde_looptijd, false) as uitstroom,
        coalesce(c.is_werk and c.einddatum between d.deelname_start and d.einde_looptijd, false) as werk,
        exists(
            select 1 from activeringen as a
            where a.pseudoniem = c.pseudoniem and a.startdatum between d.deelname_start and d.einde_looptijd
        ) as geactiveerd,
        coalesce({{ klantgroep_verbeterd('e.klantgroep', 'd.klantgroep') }}, false) as klantgroep_verbeterd
    from deelnemers as d
    join uitkeringen as c
        on
            c.gemeente = d.gemeente and {{ loopt_op_dag('c.ingangsdatum', 'c.einddatum', 'd.deelname_start') }}
    join duurband as b
        on
            b.band = d.band and date_diff('month', c.ingangsdatum, d.deelname_start) >= b.van_maanden
            and (b.tot_maanden is null or date_diff('month', c.ingangsdatum, d.deelname_start) < b.tot_maanden)
    left join {{ ref('int_klantprofielen') }} as k
        on k.pseudoniem = c.pseudoniem and d.deelname_start between k.geldig_vanaf and coalesce(k.geldig_tot, '9999-12-31')
    left join {{ ref('int_klantprofielen') }} as e
        on e.pseudoniem = c.pseudoniem and d.einde_looptijd between e.geldig_vanaf and coalesce(e.geldig_tot, '9999-12-31')
    where
        k.klantgroep is not distinct from d.klantgroep
        and c.pseudoniem not in (
            select n.pseudoniem from {{ ref('int_maatregel_deelnemers') }} as n
            where n.organisatie = d.organisatie and n.maatregel = d.maatregel
        )
),
verwacht as (
    -- per matched deelnemer: the share of their matched non-participants with the outcome; activation only
    -- for klantgroep 4 and a klantgroep shift only with a klantgroep on the start (otherwise undefined)
    select
        organisatie, maatregel, periode, pseudoniem,
        count(distinct kandidaat) as vergelijkbaar,
        avg(case when uitstroom then 1.0 else 0.0 end) as uitstroom,
        avg(case when werk then 1.0 else 0.0 end) as werk,
        case when klantgroep = '4' then avg(case when geactiveerd then 1.0 else 0.0 end) end as geactiveerd,
        case when klantgroep is not null then avg(case when klantgroep_verbeterd then 1.0 else 0.0 end) end
            as klantgroep_verbeterd
    from kandidaten
    group by organisatie, maatregel, periode, pseudoniem, klantgroep
),
cohort as (
    select
        d.organisatie, d.maatregel, d.periode,
        count(*) as deelnemers,
        count(d.dossiernummer) as deelnemers_met_uitkering,
        count(v.pseudoniem) as deelnemers_gematcht,
        count(*) filter (where d.uitstroom) as uitstroom_cohort,
        count(*) filter (where d.uitstroom and v.pseudoniem is not null) as uitstroom_gematcht,
        sum(v.uitstroom) as uitstroom_vergelijkingsgroep,
        count(*) filter (where d.werk) as werk_cohort,
        count(*) filter (where d.werk and v.pseudoniem is not null) as werk_gematcht,
        sum(v.werk) as werk_vergelijkingsgroep,
        count(*) filter (where d.geactiveerd) as geactiveerd_cohort,
        count(*) filter (where d.geactiveerd and v.pseudoniem is not null) as geactiveerd_gematcht,
        sum(v.geactiveerd) as geactiveerd_vergelijkingsgroep,
        count(*) filter (where d.klantgroep_verbeterd) as klantgroep_verbeterd_cohort,
        count(*) filter (where d.klantgroep_verbeterd and v.pseudoniem is not null) as klantgroep_verbeterd_gematcht,
        sum(v.klantgroep_verbeterd) as klantgroep_verbeterd_vergelijkingsgroep,
        cast(sum(v.vergelijkbaar) as bigint) as vergelijkingsgroep_personen
    from deelnemers as d
    left join verwacht as v
        on v.organisatie = d.organisatie and v.maatregel = d.maatregel and v.periode = d.periode and v.pseudoniem = d.pseudoniem
    group by all
),
kpis as (
    select
        p.organisatie, p.maatregel, p.periode,
        sum(k.teller) filter (where k.kpi = 'maatregel_uitstroom_' || p.x) as kpi_uitstroom,
        sum(k.teller) filter (where k.kpi = 'maatregel_werk_' || p.x) as kpi_werk,
        sum(k.teller) filter (where k.kpi = 'maatregel_geactiveerd_' || p.x) as kpi_geactiveerd,
        sum(k.teller) filter (where k.kpi = 'maatregel_minder_instroom_' || p.x) as kpi_minder_instroom
    from perioden as p
    join {{ ref('int_kpi_maand_maatregelen') }} as k
        on k.organisatie = p.organisatie and k.gemeente is null and k.maand between p.van and p.tot
    group by all
),
kosten as (
    select
        p.organisatie, p.maatregel, p.periode,
        sum(m.begrote_kosten) as begrote_kosten
    from perioden as p
    join {{ ref('int_maatregel_x') }} as mx on mx.organisatie = p.organisatie and mx.maatregel = p.maatregel
    join {{ ref('maatregelen') }} as m
        on m.organisatie = mx.organisatie and m.maatregel_code = mx.maatregel_code and m.jaar between year(p.van) and year(p.tot)
    -- maatregelen.csv budgets whole years
    where p.periode_soort <> 'kwartaal'
    group by all
),
gerealiseerd as (
    select p.organisatie, p.maatregel, p.periode, sum(f.teller) as gerealiseerde_kosten
    from perioden as p
    join {{ ref('int_kpi_maand_financien') }} as f
        on
            f.organisatie = p.organisatie and f.gemeente is null and f.kpi = 'maatregel_kosten_' || p.x
            and f.maand between p.van and p.tot
    group by all
),
doelen as (
    select organisatie, kpi, periode, norm
    from {{ ref('doelen') }}
    where kpi like 'maatregel_%' and gemeente is null
)
select
    p.organisatie,
    p.maatregel,
    p.is_reeks,
    p.periode,
    p.periode_soort,
    p.van,
    p.tot,
    coalesce(c.deelnemers, 0) as deelnemers,
    coalesce(c.deelnemers_met_uitkering, 0) as deelnemers_met_uitkering,
    coalesce(c.deelnemers_gematcht, 0) as deelnemers_gematcht,
    cast(coalesce(k.kpi_uitstroom, 0) as bigint) as kpi_uitstroom,
    cast(coalesce(k.kpi_werk, 0) as bigint) as kpi_werk,
    cast(coalesce(k.kpi_geactiveerd, 0) as bigint) as kpi_geactiveerd,
    cast(coalesce(k.kpi_minder_instroom, 0) as bigint) as kpi_minder_instroom,
    coalesce(c.uitstroom_cohort, 0) as uitstroom_cohort,
    coalesce(c.uitstroom_gematcht, 0) as uitstroom_gematcht,
    -- no matched deelnemer, no comparison: missing, never 0
    cast(round(c.uitstroom_vergelijkingsgroep, 2) as double) as uitstroom_vergelijkingsgroep,
    cast(round(c.uitstroom_gematcht - c.uitstroom_vergelijkingsgroep, 2) as double) as uitstroom_netto,
    coalesce(c.werk_cohort, 0) as werk_cohort,
    coalesce(c.werk_gematcht, 0) as werk_gematcht,
    cast(round(c.werk_vergelijkingsgroep, 2) as double) as werk_vergelijkingsgroep,
    cast(round(c.werk_gematcht - c.werk_vergelijkingsgroep, 2) as double) as werk_netto,
    coalesce(c.geactiveerd_cohort, 0) as geactiveerd_cohort,
    coalesce(c.geactiveerd_gematcht, 0) as geactiveerd_gematcht,
    cast(round(c.geactiveerd_vergelijkingsgroep, 2) as double) as geactiveerd_vergelijkingsgroep,
    cast(round(c.geactiveerd_gematcht - c.geactiveerd_vergelijkingsgroep, 2) as double) as geactiveerd_netto,
    coalesce(c.klantgroep_verbeterd_cohort, 0) as klantgroep_verbeterd_cohort,
    coalesce(c.klantgroep_verbeterd_gematcht, 0) as klantgroep_verbeterd_gematcht,
    cast(round(c.klantgroep_verbeterd_vergelijkingsgroep, 2) as double) as klantgroep_verbeterd_vergelijkingsgroep,
    cast(round(c.klantgroep_verbeterd_gematcht - c.klantgroep_verbeterd_vergelijkingsgroep, 2) as double)
        as klantgroep_verbeterd_netto,
    coalesce(c.vergelijkingsgroep_personen, 0) as vergelijkingsgroep_personen,
    d.kpi as doel_kpi,
    cast(d.norm as double) as doel,
    cast(ko.begrote_kosten as decimal(18, 2)) as begrote_kosten,
    cast(g.gerealiseerde_kosten as bigint) as gerealiseerde_kosten,
    cast(round(g.gerealiseerde_kosten / nullif(k.kpi_uitstroom, 0), 2) as double) as kosten_per_uitstroom
from perioden as p
left join cohort as c on c.organisatie = p.organisatie and c.maatregel = p.maatregel and c.periode = p.periode
left join kpis as k on k.organisatie = p.organisatie and k.maatregel = p.maatregel and k.periode = p.periode
left join kosten as ko on ko.organisatie = p.organisatie and ko.maatregel = p.maatregel and ko.periode = p.periode
left join gerealiseerd as g on g.organisatie = p.organisatie and g.maatregel = p.maatregel and g.periode = p.periode
left join doelen as d
    on d.organisatie = p.organisatie and d.periode = p.periode and d.kpi like 'maatregel_%\_' || p.x escape '\'
