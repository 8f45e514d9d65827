{{ config(materialized='table', schema='semantic') }}
-- One row per schuldhulp aanmelding; telt_intake: datum_eerste_gesprek in the data period.
select
    f.aanmelding_id, f.gemeente, f.organisatie, f.datum_aanmelding, f.datum_eerste_gesprek, f.verwijzer,
    m.maand is not null as telt_intake
from {{ ref('fct_schuldhulp_aanmeldingen') }} as f
left join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente and m.maand = date_trunc('month', f.datum_eerste_gesprek)
