-- Municipalities with their organisation and the latest known number of inhabitants.
with laatste_bevolking as (
    select * from {{ ref('int_bevolking') }}
    qualify row_number() over (partition by gemeente order by jaar desc) = 1
)
select
    g.cbs_code as gemeente,
    g.cbs_nummer,
    g.naam,
    g.erp_code,
    g.organisatie,
    b.inwoners,
    b.jaar as inwoners_jaar,
    b.bron as inwoners_bron
from {{ ref('gemeenten') }} as g
left join laatste_bevolking as b on b.gemeente = g.cbs_code
