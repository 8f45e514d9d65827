-- Findings across Civision objects and deliveries:
--   route_p_zonder_melding: a dossier of route P without a TOEGEKEND melding pointing at it;
--   dossier_heropend: a later delivery clears the einddatum of an earlier one or moves it later
--   (the benefit ran on after the end reported before); einddatum_teruggezet: a later delivery
--   moves it earlier (per delivery the dossier's latest version);
--   balansidentiteit: eindstand(m) <> eindstand(m-1) + instroom(m) - uitstroom(m) in the mart.
with toegekend as (
    select distinct dossiernummer
    from {{ ref('stg_civision__aanvragen') }}
    where besluit = 'TOEGEKEND' and dossiernummer is not null
),
versies as (
    select dossiernummer, einddatum, laatst_gewijzigd, _rij, _levering, _levering_tot
    from {{ source('raw_civision', 'uitkeringen') }}
),
-- the deliveries at which a dossier's versions change (between two, its state stays the same),
-- and until when each state held
punten as (
    select dossiernummer, levering, lead(levering) over (partition by dossiernummer order by levering) as tot
    from (
        select dossiernummer, _levering as levering from versies
        union
        select dossiernummer, _levering_tot from versies where _levering_tot is not null
    ) as grenzen
),
leveringen as (
    select levering from punten
    union
    select levering from {{ source('raw_meta', 'leveringen') }}
    where systeem = 'civision' and object = 'uitkeringen' and rijen > 0
),
-- per state the dossier's latest version, as staging reads one delivery
per_levering as (
    select p.dossiernummer, p.levering as _levering, p.tot, v.einddatum
    from punten as p
    join versies as v
        on v.dossiernummer = p.dossiernummer and v._levering <= p.levering
        and (v._levering_tot is null or v._levering_tot > p.levering)
    qualify row_number() over (
        partition by p.dossiernummer, p.levering order by v.laatst_gewijzigd desc nulls last, v._rij desc) = 1
),
opeenvolgend as (
    select
        dossiernummer, _levering, einddatum,
        lag(einddatum) over (partition by dossiernummer order by _levering) as vorige_einddatum,
        lag(tot) over (partition by dossiernummer order by _levering) as vorige_tot
    from per_levering
),
-- the previous state was last delivered in the last delivery before it ended
wijziging as (
    select o.dossiernummer, o._levering, o.einddatum, o.vorige_einddatum, l.levering as vorige_levering
    from opeenvolgend as o
    asof left join leveringen as l on o.vorige_tot > l.levering
),
stromen as (
    select
        gemeente, maand,
        max(teller) filter (where kpi = 'uitkeringen_eindstand') as eindstand,
        max(teller) filter (where kpi = 'instroom') as instroom,
        max(teller) filter (where kpi = 'uitstroom') as uitstroom
    from {{ ref('int_kpi_maand') }}
    where gemeente is not null and kpi in ('uitkeringen_eindstand', 'instroom', 'uitstroom')
    group by gemeente, maand
),
balans as (
    select *, lag(eindstand) over (partition by gemeente order by maand) as vorige_eindstand
    from stromen
)
select 'civision' as bron, 'uitkeringen' as object, cast(u.dossiernummer as varchar) as sleutel,
       'route_p_zonder_melding' as controle, 'waarschuwing' as ernst,
       'Dossier ' || u.dossiernummer || ' (instroomroute P, ingang ' || u.ingangsdatum
           || ') heeft geen toegekende melding in aanvragen.csv' as omschrijving,
       u._levering as levering
from {{ ref('stg_civision__uitkeringen') }} as u
where u.instroomroute = 'P' and u.dossiernummer not in (select tk.dossiernummer from toegekend as tk)
union all
select 'civision', 'uitkeringen', cast(dossiernummer as varchar), 'dossier_heropend', 'waarschuwing',
       'Dossier ' || dossiernummer || ' had einddatum ' || vorige_einddatum || ' in levering ' || vorige_levering
           || '; in levering ' || _levering || coalesce(' is de einddatum later: ' || einddatum, ' is de einddatum leeg')
           || ' (heropend)',
       _levering
from wijziging
where vorige_einddatum is not null and (einddatum is null or einddatum > vorige_einddatum)
union all
select 'civision', 'uitkeringen', cast(dossiernummer as varchar), 'einddatum_teruggezet', 'waarschuwing',
       'Dossier ' || dossiernummer || ': einddatum ' || vorige_einddatum || ' (levering ' || vorige_levering
           || ') is in levering ' || _levering || ' teruggezet naar ' || einddatum,
       _levering
from wijziging
where einddatum < vorige_einddatum
union all
select 'civision', 'uitkeringen', gemeente || ' ' || strftime(maand, '%Y-%m'), 'balansidentiteit', 'blokkerend',
       'Eindstand ' || strftime(maand, '%Y-%m') || ' van ' || gemeente || ' (' || eindstand
           || ') is niet eindstand vorige maand (' || vorige_eindstand || ') + instroom (' || instroom
           || ') - uitstroom (' || uitstroom || ')',
       cast(null as date)
from balans
where vorige_eindstand is not null and eindstand <> vorige_eindstand + instroom - uitstroom
