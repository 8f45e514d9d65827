-- Month-end stands of schuldregelingen (MSNP, WSNP). Grain: (traject, month) for every month
-- of the data period whose last day it runs.
select f.traject_id, m.maand, m.gemeente, m.organisatie, f.soort, f.regelingsoort, f.is_msnp, f.is_wsnp
from {{ ref('fct_schuldregelingen') }} as f
join {{ ref('int_maanden') }} as m
    on m.gemeente = f.gemeente and {{ loopt_op('f.startdatum', 'f.einddatum', 'm.maand_einde') }}
where f.is_schuldregeling
