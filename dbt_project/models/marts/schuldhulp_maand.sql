-- Debt assistance per organisation, municipality and month (complete grid). Stands at month
-- end: startdatum <= end and (einddatum empty or einddatum > end).
with regelingen as (
    select * from {{ ref('fct_schuldregelingen') }} where is_schuldregeling
),
lopend as (
    select
        r.gemeente, m.maand,
        count(*) filter (where r.regelingsoort = 'MSNP') as schuldregelingen_lopend_msnp,
        count(*) filter (where r.regelingsoort = 'WSNP') as schuldregelingen_lopend_wsnp
    from regelingen as r
    join (select distinct maand, maand_einde from {{ ref('int_maanden') }}) as m
        on r.startdatum <= m.maand_einde and (r.einddatum is null or r.einddatum > m.maand_einde)
    group by all
),
gestart as (
    select
        gemeente, cast(date_trunc('month', startdatum) as date) as maand,
        count(*) filter (where regelingsoort = 'MSNP') as schuldregelingen_gestart,
        count(*) filter (where regelingsoort = 'WSNP') as wsnp_gestart
    from regelingen
    group by all
),
beeindigd as (
    select
        gemeente, cast(date_trunc('month', einddatum) as date) as maand,
        count(*) as schuldregelingen_beeindigd,
        count(*) filter (where is_geslaagd) as schuldregelingen_geslaagd
    from regelingen
    where einddatum is not null
    group by all
),
aanmeldingen as (
    select gemeente, cast(date_trunc('month', datum_aanmelding) as date) as maand, count(*) as schuldhulp_aanmeldingen
    from {{ ref('fct_schuldhulp_aanmeldingen') }}
    group by all
),
intakes as (
    select gemeente, cast(date_trunc('month', datum_eerste_gesprek) as date) as maand, count(*) as schuldhulp_intakes
    from {{ ref('fct_schuldhulp_aanmeldingen') }}
    where datum_eerste_gesprek is not null
    group by all
),
signalen as (
    select
        gemeente, cast(date_trunc('month', datum_signaal) as date) as maand,
        count(*) as vroegsignalen,
        count(*) filter (where heeft_vervolg) as vroegsignalen_vervolg
    from {{ ref('fct_vroegsignalen') }}
    group by all
)
select
    m.organisatie,
    m.gemeente,
    m.maand,
    m.periode,
    m.jaar,
    coalesce(l.schuldregelingen_lopend_msnp, 0) as schuldregelingen_lopend_msnp,
    coalesce(l.schuldregelingen_lopend_wsnp, 0) as schuldregelingen_lopend_wsnp,
    coalesce(l.schuldregelingen_lopend_msnp, 0) + coalesce(l.schuldregelingen_lopend_wsnp, 0) as schuldregelingen_lopend,
    coalesce(g.schuldregelingen_gestart, 0) as schuldregelingen_gestart,
    coalesce(g.wsnp_gestart, 0) as wsnp_gestart,
    coalesce(b.schuldregelingen_beeindigd, 0) as schuldregelingen_beeindigd,
    coalesce(b.schuldregelingen_geslaagd, 0) as schuldregelingen_geslaagd,
    coalesce(a.schuldhulp_aanmeldingen, 0) as schuldhulp_aanmeldingen,
    coalesce(i.schuldhulp_intakes, 0) as schuldhulp_intakes,
    coalesce(s.vroegsignalen, 0) as vroegsignalen,
    coalesce(s.vroegsignalen_vervolg, 0) as vroegsignalen_vervolg
from {{ ref('int_maanden') }} as m
left join lopend as l on l.gemeente = m.gemeente and l.maand = m.maand
left join gestart as g on g.gemeente = m.gemeente and g.maand = m.maand
left join beeindigd as b on b.gemeente = m.gemeente and b.maand = m.maand
left join aanmeldingen as a on a.gemeente = m.gemeente and a.maand = m.maand
left join intakes as i on i.gemeente = m.gemeente and i.maand = m.maand
left join signalen as s on s.gemeente = m.gemeente and s.maand = m.maand
