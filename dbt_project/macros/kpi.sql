{% macro aandeel(teller, noemer) -%}
case when {{ noemer }} > 0 then cast({{ teller }} as double) / {{ noemer }} end
{%- endmacro %}

{% macro jonger_dan_27(geboortedatum, peildatum) -%}
({{ peildatum }} < {{ geboortedatum }} + interval 27 year)
{%- endmacro %}

{#- The age bands of the BI dimension leeftijdsklasse, on a given day. -#}
{% macro leeftijdsklasse(geboortedatum, peildatum) -%}
case
    when {{ geboortedatum }} is null then 'onbekend'
    when {{ peildatum }} < {{ geboortedatum }} + interval 27 year then 'jonger dan 27'
    when {{ peildatum }} < {{ geboortedatum }} + interval 35 year then '27-34'
    when {{ peildatum }} < {{ geboortedatum }} + interval 45 year then '35-44'
    when {{ peildatum }} < {{ geboortedatum }} + interval 55 year then '45-54'
    else '55 en ouder'
end
{%- endmacro %}

{#- An event counts when its month lies in the data period of the organisation of its
    (known) municipality: exactly the months marts.kpi reports. -#}
{% macro in_dataperiode(gemeente, datum) -%}
exists (
    -- the grid's columns are renamed so that the caller's column names cannot resolve to them
    select 1 from (select gemeente as dp_gemeente, maand as dp_maand from {{ ref('int_maanden') }})
    where dp_gemeente = {{ gemeente }} and dp_maand = date_trunc('month', {{ datum }})
)
{%- endmacro %}

{#- Running on month end (the stand convention of KPIS.md): started on or before the month's
    last day and not ended on or before it. -#}
{% macro loopt_op(start, eind, maand_einde) -%}
({{ start }} <= {{ maand_einde }} and ({{ eind }} is null or {{ eind }} > {{ maand_einde }}))
{%- endmacro %}

{#- Running on a day (a benefit dossier on a deelname start, KPIS.md Policy measures): started on or
    before the day and not ended before it; ending on the day itself still runs. -#}
{% macro loopt_op_dag(start, eind, dag) -%}
({{ start }} <= {{ dag }} and ({{ eind }} is null or {{ eind }} >= {{ dag }}))
{%- endmacro %}

{#- Work as an outcome of a measure (KPIS.md, maatregel_werk_X): a benefit that ends with uitstroom
    category WERK or GARANTIEBAAN. -#}
{% macro is_uitstroom_naar_werk(categorie) -%}
coalesce({{ categorie }} in ('WERK', 'GARANTIEBAAN'), false)
{%- endmacro %}

{#- A klantgroep shift towards work: a lower klantgroep is closer to work (SOURCES.md: 1 direct
    bemiddelbaar .. 4 large distance), so 4 to 3 counts and 2 to 3 does not. -#}
{% macro klantgroep_verbeterd(nu, bij_start) -%}
cast({{ nu }} as integer) < cast({{ bij_start }} as integer)
{%- endmacro %}
