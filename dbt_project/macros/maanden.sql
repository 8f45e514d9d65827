{#- The months a source reports per organisation (its KPIs have a row there, 0 when nothing happened):
    from the source's first month to the last month its latest delivery covers, at most to the end of the
    organisation's data period (int_maanden). An organisation without records of the source has no
    month: its KPIs are missing, never 0. Counts of events cover the delivery month up to the delivery;
    month-end stocks stop at the last complete month before it (levermaand_telt=false), as the stand
    on the delivery month's last day is not known yet.
    feiten: the source's facts with an organisatie column (alias f); eerste_maand: the first month, an
    expression that may aggregate over f; systeem/object: the deliveries of raw_meta.leveringen. -#}
{% macro bronmaanden(feiten, eerste_maand, systeem, object=none, levermaand_telt=true) -%}
{%- set laatste_levermaand -%}
date_trunc('month', max(l.levering)){% if not levermaand_telt %} - interval 1 month{% endif %}
{%- endset -%}
select f.organisatie, cast(unnest(generate_series(
    {{ eerste_maand }},
    least(coalesce(min(d.laatste_maand), {{ laatste_levermaand }}), {{ laatste_levermaand }}),
    interval 1 month
)) as date) as maand
from {{ feiten }} as f
cross join (
    select max(levering) as levering
    from {{ source('raw_meta', 'leveringen') }}
    where systeem = '{{ systeem }}'{% if object %} and object = '{{ object }}'{% endif %} and rijen > 0
) as l
left join (
    select organisatie, max(maand) as laatste_maand
    from {{ ref('int_maanden') }}
    group by organisatie
) as d on d.organisatie = f.organisatie
where f.organisatie is not null
group by f.organisatie
{%- endmacro %}
