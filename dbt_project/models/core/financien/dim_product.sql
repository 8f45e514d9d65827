-- Product structure per organisation and year (the parent is the programme), plus 'ONBEKEND'
-- for entries without product, for every year of dim_programma.
with jaren as (
    select distinct organisatie, jaar from {{ ref('dim_programma') }}
),
producten as (
    {{ erp_dimensie_per_jaar('jaren', 'PRODUCT') }}
)
select organisatie, jaar, code as product, naam, parent_code as programma
from producten
union all
select organisatie, jaar, 'ONBEKEND', 'Onbekend (boeking zonder product)', null
from jaren
