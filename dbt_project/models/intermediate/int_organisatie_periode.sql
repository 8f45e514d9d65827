-- Data period per organisation: from max(opgericht, first month with a periodic payment) to the
-- last month with a periodic payment. IGSD records stay frozen in later snapshots, so the period
-- must end at its last payment month, not at the latest delivery.
with betaalmaanden as (
    select organisatie, min(periode) as eerste_betaalmaand, max(periode) as laatste_betaalmaand
    from {{ ref('int_betalingen') }}
    where soort = 'P' and organisatie is not null
    group by organisatie
)
select
    o.code as organisatie,
    cast(greatest(coalesce(date_trunc('month', o.opgericht), b.eerste_betaalmaand), b.eerste_betaalmaand) as date) as eerste_maand,
    cast(b.laatste_betaalmaand as date) as laatste_maand
from {{ ref('organisaties') }} as o
join betaalmaanden as b on b.organisatie = o.code
