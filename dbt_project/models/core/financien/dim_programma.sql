-- Programme structure per organisation and year (structures change between years), plus
-- 'ONBEKEND' for entries without programma, for every year with entries or budget.
with jaren as (
    select organisatie, jaar from {{ ref('fct_grootboek') }}
    union
    select organisatie, jaar from {{ ref('fct_begroting') }}
),
programmas as (
    {{ erp_dimensie_per_jaar('jaren', 'PROGRAMMA') }}
)
select organisatie, jaar, code as programma, naam
from programmas
union all
select organisatie, jaar, 'ONBEKEND', 'Onbekend (boeking zonder programma)'
from jaren
