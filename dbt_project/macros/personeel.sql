{% macro zelfde_cel(links, rechts) -%}
{#- Two rows of the same cell of fct_personeel_maand: organisation, municipality, soort, unit,
    werksoort_groep and month; an empty organisation, municipality, unit or werksoort_groep matches its like. -#}
{{ links }}.organisatie is not distinct from {{ rechts }}.organisatie
    and {{ links }}.gemeente is not distinct from {{ rechts }}.gemeente
    and {{ links }}.soort = {{ rechts }}.soort
    and {{ links }}.unit_code is not distinct from {{ rechts }}.unit_code
    and {{ links }}.werksoort_groep is not distinct from {{ rechts }}.werksoort_groep
    and {{ links }}.maand = {{ rechts }}.maand
{%- endmacro %}
