-- Month-end stands of benefits. Grain: (dossier, month) for every month of the data period
-- whose last day the dossier is in the eindstand: a range join of the dossier intervals on the
-- month grid (DuckDB IEJoin), not a loop. A dossier whose einddatum is the month end is not in
-- that month's eindstand. Before the first payment delta part-time work is unknown (NULL), not
-- absent. The one table at this grain, incremental per month (macros/incrementeel.sql).
with maanden as (
    select distinct organisatie, maand, maand_einde, betalingen_bekend from {{ ref('int_maanden') }}
),
deeltijd as (
    select dossiernummer, periode
    from {{ ref('int_betalingen') }}
    where soort = 'P' and verrekende_inkomsten > 0
    group by dossiernummer, periode
)
select
    u.dossiernummer,
    m.maand,
    m.maand_einde,
    u.gemeente,
    u.organisatie,
    u.aanvrager,
    {{ leeftijdsklasse('u.aanvrager_geboortedatum', 'm.maand_einde') }} as leeftijdsklasse,
    coalesce({{ jonger_dan_27('u.aanvrager_geboortedatum', 'm.maand_einde') }}, false) as is_jongere,
    coalesce(u.uitkeringsperiode_start + interval 2 year < m.maand_einde, false) as is_langer_dan_2_jaar,
    case when m.betalingen_bekend then d.dossiernummer is not null end as heeft_deeltijdarbeid
from {{ ref('int_uitkeringen') }} as u
join maanden as m
    on m.organisatie = u.organisatie
    and {{ loopt_op('u.ingangsdatum', 'u.einddatum', 'm.maand_einde') }}
left join deeltijd as d on d.dossiernummer = u.dossiernummer and d.periode = m.maand
where u.is_geldig
