-- Every target of seeds/doelen.csv with its period as months (van, tot) and its KPI's berekening.
-- A target is usable when its organisation is known, marts.kpi computes its KPI and its municipality
-- (if any) belongs to the organisation; kwaliteit.dq_controle_doelen reports the others and the
-- planning marts skip them.
with kpis as (
    -- the one list of what marts.kpi computes, the KPIs counted per whole period only included
    select distinct kpi, berekening from {{ ref('kpi') }}
),
doelen as (
    select
        *,
        case
            when periode like '%/%' then 'bereik'
            when length(periode) = 4 then 'jaar'
            else 'maand'
        end as periode_soort
    from {{ ref('doelen') }}
)
select
    d.organisatie,
    d.gemeente,
    d.kpi,
    d.periode,
    d.periode_soort,
    d.norm,
    d.richting,
    d.bron,
    d.toelichting,
    k.berekening,
    cast(case d.periode_soort
        when 'jaar' then strptime(d.periode || '-01', '%Y-%m')
        else strptime(split_part(d.periode, '/', 1), '%Y-%m')
    end as date) as van,
    cast(case d.periode_soort
        when 'jaar' then strptime(d.periode || '-12', '%Y-%m')
        when 'bereik' then strptime(split_part(d.periode, '/', 2), '%Y-%m')
        else strptime(d.periode, '%Y-%m')
    end as date) as tot,
    o.code is not null as organisatie_bekend,
    k.kpi is not null as kpi_bekend,
    d.gemeente is null or g.cbs_code is not null as gemeente_bekend,
    o.code is not null and k.kpi is not null and (d.gemeente is null or g.cbs_code is not null) as is_bruikbaar
from doelen as d
left join kpis as k on k.kpi = d.kpi
left join {{ ref('organisaties') }} as o on o.code = d.organisatie
left join {{ ref('gemeenten') }} as g on g.cbs_code = d.gemeente and g.organisatie = d.organisatie
