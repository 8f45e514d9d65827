{% macro aandeel(teller, noemer) -%}
case when {{ noemer }} > 0 then cast({{ teller }} as double) / {{ noemer }} end
{%- endmacro %}

{% macro jonger_dan_27(geboortedatum, peildatum) -%}
({{ peildatum }} < {{ geboortedatum }} + interval 27 year)
{%- endmacro %}
