-- Every KPI of the metrics layer (kpi_metrieken) as (teller, noemer) per municipality and
-- month of the data period, counted with the KPI's own measures on the facts, plus the
-- organisation rows (gemeente NULL) from the summed counts: shares are never averaged
-- across municipalities. A month without events counts 0; a measure that is unknown for the month
-- (NULL, e.g. part-time work before the first payment delta) stays NULL: missing is not zero.
-- depends_on: {{ ref('fct_uitkeringen') }} {{ ref('fct_uitkeringen_maand') }} {{ ref('fct_meldingen') }}
-- depends_on: {{ ref('fct_schuldregelingen') }} {{ ref('fct_schuldregelingen_maand') }}
-- depends_on: {{ ref('fct_schuldhulp_aanmeldingen') }} {{ ref('fct_vroegsignalen') }}
-- depends_on: {{ ref('fct_trajecten') }} {{ ref('fct_plaatsingen_maand') }} {{ ref('fct_klanten_maand') }}
-- depends_on: {{ ref('int_maanden') }}
{%- set kpis = kpi_metrieken() %}
{%- set namen = [] %}
{%- for k in kpis %}{% for n in [k.teller, k.noemer] if n and n not in namen %}{% do namen.append(n) %}{% endfor %}{% endfor %}
with
{%- for naam in namen %}
{%- set m = maatstaf(naam) %}
{{ naam }} as (
    select {{ m.gemeente }} as gemeente, cast(date_trunc('month', {{ m.tijd }}) as date) as maand, {{ m.aggregaat }} as waarde
    from {{ ref(m.model) }}
    group by all
),
{%- endfor %}
gemeente_niveau as (
{%- for k in kpis %}
    select
        g.organisatie, g.gemeente, g.maand, '{{ k.code }}' as kpi, '{{ k.berekening }}' as berekening,
        case when t.maand is null then 0 else cast(t.waarde as bigint) end as teller,
        {% if k.noemer %}case when n.maand is null then 0 else cast(n.waarde as bigint) end{% else %}cast(null as bigint){% endif %} as noemer
    from {{ ref('int_maanden') }} as g
    left join {{ k.teller }} as t on t.gemeente = g.gemeente and t.maand = g.maand
    {%- if k.noemer %}
    left join {{ k.noemer }} as n on n.gemeente = g.gemeente and n.maand = g.maand
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
)
select * from gemeente_niveau
union all
-- a sum with an unknown part is unknown
select
    organisatie, null as gemeente, maand, kpi, berekening,
    case when count(teller) = count(*) then sum(teller) end,
    case when count(noemer) = count(*) then sum(noemer) end
from gemeente_niveau
group by organisatie, maand, kpi, berekening
