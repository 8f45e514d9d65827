select
    o.code as organisatie,
    o.naam,
    o.opgericht,
    p.eerste_maand,
    p.laatste_maand
from {{ ref('organisaties') }} as o
left join {{ ref('int_organisatie_periode') }} as p on p.organisatie = o.code
