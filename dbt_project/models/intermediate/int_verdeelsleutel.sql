-- The verdeelsleutel of every year (of dim_datum's range) of each organisation: the key of the year
-- itself, else the most recent earlier key (seeds/verdeelsleutel.csv); years before the first key have none.
with jaren as (
    select o.organisatie, cast(j.jaar as integer) as jaar
    from (select distinct organisatie from {{ ref('verdeelsleutel') }}) as o
    cross join generate_series(
        year(date '{{ var("datum_van", "2000-01-01") }}'), year(date '{{ var("datum_tot", "2040-12-31") }}')
    ) as j (jaar)
),
sleutel as (
    select j.organisatie, j.jaar, max(v.jaar) as sleuteljaar
    from jaren as j
    join {{ ref('verdeelsleutel') }} as v on v.organisatie = j.organisatie and v.jaar <= j.jaar
    group by all
)
select s.organisatie, s.jaar, v.gemeente, s.sleuteljaar, v.aandeel_pct
from sleutel as s
join {{ ref('verdeelsleutel') }} as v on v.organisatie = s.organisatie and v.jaar = s.sleuteljaar
