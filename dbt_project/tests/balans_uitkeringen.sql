-- Balance identity of KPIS.md: eindstand(m) = eindstand(m-1) + instroom(m) - uitstroom(m), for
-- every month after the first of the data period, every municipality and every organisation total.
with maand as (
    select organisatie, gemeente, periode, kpi, waarde
    from {{ ref('kpi') }}
    where periode_soort = 'maand' and kpi in ('uitkeringen_eindstand', 'instroom', 'uitstroom')
),
breed as (
    select
        organisatie, gemeente, periode,
        max(waarde) filter (where kpi = 'uitkeringen_eindstand') as eindstand,
        max(waarde) filter (where kpi = 'instroom') as instroom,
        max(waarde) filter (where kpi = 'uitstroom') as uitstroom
    from maand
    group by all
),
met_vorige as (
    select *, lag(eindstand) over (partition by organisatie, gemeente order by periode) as vorige
    from breed
)
select *
from met_vorige
where vorige is not null and eindstand <> vorige + instroom - uitstroom
