-- Allocation of the organisation's own costs (realised and budgeted lasten of fct_financien_posten,
-- excluding the benefit accounts that are charged per municipality) over its municipalities by the
-- verdeelsleutel of the year (int_verdeelsleutel: the year's own key or the most recent earlier one).
with kosten as (
    select
        organisatie,
        jaar,
        coalesce(sum(bedrag) filter (where soort = 'realisatie'), 0) as realisatie_lasten,
        coalesce(sum(bedrag) filter (where soort = 'begroting'), 0) as begroting_lasten
    from {{ ref('fct_financien_posten') }}
    where not is_baten and not is_uitkeringsrekening
    group by all
)
select
    k.organisatie,
    cast(k.jaar as integer) as jaar,
    v.gemeente,
    cast(v.sleuteljaar as integer) as sleuteljaar,
    cast(v.aandeel_pct as decimal(7, 2)) as aandeel_pct,
    cast(k.realisatie_lasten as decimal(18, 2)) as realisatie_lasten_organisatie,
    cast(k.realisatie_lasten * v.aandeel_pct / 100 as decimal(18, 2)) as realisatie_lasten_gemeente,
    cast(k.begroting_lasten as decimal(18, 2)) as begroting_lasten_organisatie,
    cast(k.begroting_lasten * v.aandeel_pct / 100 as decimal(18, 2)) as begroting_lasten_gemeente
from kosten as k
join {{ ref('int_verdeelsleutel') }} as v on v.organisatie = k.organisatie and v.jaar = k.jaar
