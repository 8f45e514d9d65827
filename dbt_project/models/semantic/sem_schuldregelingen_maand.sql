{{ config(materialized='table', schema='semantic') }}
-- Month-end stands of schuldregelingen (MSNP, WSNP). Grain: (traject, month) for every month
-- of the data period whose last day it runs: startdatum <= end and (einddatum empty or > end).
select f.traject_id, m.maand, m.gemeente, m.organisatie, f.soort, f.regelingsoort
from {{ ref('fct_schuldregelingen') }} as f
join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente
    and f.startdatum <= m.maand_einde and (f.einddatum is null or f.einddatum > m.maand_einde)
where f.is_schuldregeling
