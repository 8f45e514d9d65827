-- All debt-assistance trajectories with their aanmelding; the municipality is the aanmelding's.
-- regelingsoort: MSNP (SCHULDBEMIDDELING, SANERINGSKREDIET), WSNP, OVERIG for other assistance.
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
        else 'OVERIG'
    end as regelingsoort,
    t.soort in ('SCHULDBEMIDDELING', 'SANERINGSKREDIET', 'WSNP') as is_schuldregeling,
    t.soort in ('SCHULDBEMIDDELING', 'SANERINGSKREDIET') as is_msnp,
    t.soort = 'WSNP' as is_wsnp,
    t.startdatum,
    t.einddatum,
    coalesce(t.uitkomst, case when t.einddatum is null then 'LOPEND' else 'ONBEKEND' end) as uitkomst,
    coalesce(t.uitkomst = 'SCHONE_LEI', false) as is_geslaagd,
    {{ in_dataperiode('a.gemeente', 't.startdatum') }} as telt_start,
    {{ in_dataperiode('a.gemeente', 't.einddatum') }} as telt_eind,
    t.totale_schuld,
    t.aantal_schuldeisers,
    a.datum_aanmelding,
    a.datum_eerste_gesprek,
    a.crisis,
    a.verwijzer
from {{ ref('stg_schuldhulp__trajecten') }} as t
left join {{ ref('stg_schuldhulp__aanmeldingen') }} as a on a.aanmelding_id = t.aanmelding_id
