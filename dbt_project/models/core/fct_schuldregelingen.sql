-- All debt-assistance trajectories with their aanmelding; the municipality is the aanmelding's.
-- regelingsoort: MSNP (SCHULDBEMIDDELING, SANERINGSKREDIET), WSNP, NULL for other assistance.
select
    t.traject_id,
    t.aanmelding_id,
    a.pseudoniem,
    a.organisatie,
    a.gemeente,
    t.soort,
    case
        when t.soort in ('SCHULDBEMIDDELING', 'SANERINGSKREDIET') then 'MSNP'
        when t.soort = 'WSNP' then 'WSNP'
    end as regelingsoort,
    t.soort in ('SCHULDBEMIDDELING', 'SANERINGSKREDIET', 'WSNP') as is_schuldregeling,
    t.startdatum,
    t.einddatum,
    t.uitkomst,
    coalesce(t.uitkomst = 'SCHONE_LEI', false) as is_geslaagd,
    t.totale_schuld,
    t.aantal_schuldeisers,
    a.datum_aanmelding,
    a.datum_eerste_gesprek,
    a.crisis,
    a.verwijzer
from {{ ref('stg_schuldhulp__trajecten') }} as t
left join {{ ref('stg_schuldhulp__aanmeldingen') }} as a on a.aanmelding_id = t.aanmelding_id
