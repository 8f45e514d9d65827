{{ config(materialized='table', schema='semantic') }}
-- Month-end stands of placements. Grain: (plaatsing, month) for every month of the data
-- period whose last day the placement runs: start <= end and (eind empty or eind > end).
select f.plaatsing_id, m.maand, m.gemeente, m.organisatie, f.soort, f.werkgever_sector
from {{ ref('fct_plaatsingen') }} as f
join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente
    and f.startdatum <= m.maand_einde and (f.einddatum is null or f.einddatum > m.maand_einde)
