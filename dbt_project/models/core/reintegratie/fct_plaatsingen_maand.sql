-- Month-end stands of placements. Grain: (plaatsing, month) for every month of the data
-- period whose last day the placement runs.
select
    f.plaatsing_id, m.maand, m.gemeente, m.organisatie, f.soort, f.werkgever_sector,
    f.soort = 'LKS_BANENAFSPRAAK' as is_lks_banenafspraak,
    f.soort = 'LKS_BESCHUT' as is_lks_beschut
from {{ ref('fct_plaatsingen') }} as f
join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente and {{ loopt_op('f.startdatum', 'f.einddatum', 'm.maand_einde') }}
