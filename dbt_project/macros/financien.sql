{#- Finance rules of the core layer, written once. -#}

{% macro erp_dimensie_per_jaar(jaren, dimension_code) -%}
{#- The values of an ERP dimension (code, naam, parent_code) valid in every year of `jaren`
    (organisatie, jaar): structures change between years; of overlapping validities the latest counts. -#}
select j.organisatie, j.jaar, d.code, d.naam, d.parent_code
from {{ jaren }} as j
join {{ ref('stg_erp__dimension_value') }} as d
    on d.organisatie = j.organisatie
    and d.dimension_code = '{{ dimension_code }}'
    and j.jaar >= coalesce(d.geldig_vanaf_jaar, 0)
    and j.jaar <= coalesce(d.geldig_tot_jaar, 9999)
qualify row_number() over (partition by j.organisatie, j.jaar, d.code order by d.geldig_vanaf_jaar desc) = 1
{%- endmacro %}
