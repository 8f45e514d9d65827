-- Every KPI as (teller, noemer) per municipality and month, plus the organisation rows
-- (gemeente NULL) from the summed counts: shares are never averaged across municipalities.
with gemeente_niveau as (
{%- for k in kpi_definities() %}
    select organisatie, gemeente, maand, '{{ k.code }}' as kpi, '{{ k.berekening }}' as berekening,
        cast({{ k.teller }} as bigint) as teller, cast({{ k.noemer | default('null') }} as bigint) as noemer
    from {{ ref(k.bron) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
)
select * from gemeente_niveau
union all
select organisatie, null as gemeente, maand, kpi, berekening, sum(teller), sum(noemer)
from gemeente_niveau
group by organisatie, maand, kpi, berekening
