with bron as (
    {{ laatste_erp_versie(source('raw_erp', 'dimension_value'), ['dimension_code', 'code', 'valid_from_year']) }}
)
select
    bron.organisatie,
    bron.dimension_code,
    bron.code,
    bron.name as naam,
    nullif(trim(bron.parent_code), '') as parent_code,
    cast(bron.valid_from_year as integer) as geldig_vanaf_jaar,
    cast(bron.valid_to_year as integer) as geldig_tot_jaar,
    g.cbs_code as gemeente
from bron
left join {{ ref('gemeenten') }} as g on bron.dimension_code = 'GEMEENTE' and g.erp_code = bron.code
