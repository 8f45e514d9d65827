-- Programme structure per organisation and year (structures change between years), plus
-- 'ONBEKEND' for entries without programma, for every year with entries or budget.
with jaren as (
    select organisatie, jaar from {{ ref('fct_grootboek') }}
    union
    select organisatie, jaar from {{ ref('fct_begroting') }}
),
programmas as (
    select organisatie, code, naam, geldig_vanaf_jaar, geldig_tot_jaar
    from {{ ref('stg_erp__dimension_value') }}
    where dimension_code = 'PROGRAMMA'
)
select j.organisatie, j.jaar, p.code as programma, p.naam
from jaren as j
join programmas as p
    on p.organisatie = j.organisatie
    and j.jaar >= coalesce(p.geldig_vanaf_jaar, 0)
    and j.jaar <= coalesce(p.geldig_tot_jaar, 9999)
qualify row_number() over (partition by j.organisatie, j.jaar, p.code order by p.geldig_vanaf_jaar desc) = 1
union all
select organisatie, jaar, 'ONBEKEND', 'Onbekend (boeking zonder programma)'
from jaren
