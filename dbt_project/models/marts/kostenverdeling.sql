-- Allocation of the organisation's own costs (realised and budgeted lasten, excluding the
-- benefit accounts that are charged per municipality) over its municipalities by the
-- verdeelsleutel of the year (int_verdeelsleutel: the year's own key or the most recent earlier one).
with kosten as (
    select organisatie, jaar,
        sum(realisatie_lasten) as realisatie_lasten,
        sum(begroting_lasten) as begroting_lasten
    from (
        select g.organisatie, g.jaar, g.bedrag as realisatie_lasten, 0 as begroting_lasten
        from {{ ref('fct_grootboek') }} as g
        join {{ ref('dim_grootboekrekening') }} as r on r.organisatie = g.organisatie and r.gl_account_no = g.gl_account_no
        where g.telt_in_realisatie and not r.is_baten and not r.is_uitkeringsrekening
        union all
        select b.organisatie, b.jaar, 0, b.bedrag
        from {{ ref('fct_begroting') }} as b
        join {{ ref('dim_grootboekrekening') }} as r on r.organisatie = b.organisatie and r.gl_account_no = b.gl_account_no
        where not r.is_baten and not r.is_uitkeringsrekening
    )
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
