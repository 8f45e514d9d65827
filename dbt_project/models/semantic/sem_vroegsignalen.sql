{{ config(materialized='table', schema='semantic') }}
-- One row per vroegsignaal; telt_signaal: datum_signaal in the data period.
select
    f.signaal_id, f.gemeente, f.organisatie, f.datum_signaal, f.bron, f.heeft_vervolg,
    m.maand is not null as telt_signaal
from {{ ref('fct_vroegsignalen') }} as f
left join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente and m.maand = date_trunc('month', f.datum_signaal)
