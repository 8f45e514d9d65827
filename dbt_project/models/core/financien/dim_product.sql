-- Product structure per organisation and year (the parent is the programme), plus 'ONBEKEND'
-- for entries without product, for every year of dim_programma.
with producten as (
    select organisatie, code, naam, parent_code, geldig_vanaf_jaar, geldig_tot_jaar
    from {{ ref('stg_erp__dimension_value') }}
    where dimension_code = 'PRODUCT'
),
jaren as (
    select distinct organisatie, jaar from {{ ref('dim_programma') }}
)
select j.organisatie, j.jaar, p.code as product, p.naam, p.parent_code as programma
from jaren as j
join producten as p
    on p.organisatie = j.organisatie
    and j.jaar >= coalesce(p.geldig_vanaf_jaar, 0)
    and j.jaar <= coalesce(p.geldig_tot_jaar, 9999)
qualify row_number() over (partition by j.organisatie, j.jaar, p.code order by p.geldig_vanaf_jaar desc) = 1
union all
select organisatie, jaar, 'ONBEKEND', 'Onbekend (boeking zonder product)', null
from jaren
