-- Re-integration trajectories (municipality: client.gemeente of the record) with the flags of
-- the assessment, werkleertraject and activering KPIs.
select
    traject_id,
    pseudoniem,
    organisatie,
    gemeente,
    soort,
    aangemeld_op,
    startdatum,
    einddatum,
    coalesce(resultaat, 'LOPEND') as resultaat,
    bron,
    gewijzigd_op,
    maatregel_code,
    {{ in_dataperiode('gemeente', 'aangemeld_op') }} as telt_aangemeld,
    {{ in_dataperiode('gemeente', 'startdatum') }} as telt_start,
    {{ in_dataperiode('gemeente', 'einddatum') }} as telt_eind,
    soort = 'ASSESSMENT' as is_assessment,
    soort = 'WERKLEERTRAJECT' as is_werkleertraject,
    soort in ('ACTIVERING', 'VRIJWILLIGERSWERK') as is_activering,
    coalesce(resultaat = 'VERVOLG', false) as is_resultaat_vervolg,
    coalesce(resultaat = 'WERK', false) as is_resultaat_werk,
    coalesce(resultaat in ('JOB_READY', 'WERK'), false) as is_job_ready
from {{ ref('stg_reintegratie__trajecten') }}
