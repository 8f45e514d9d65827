-- One row per inburgeringsplicht (KPIS.md, Inburgering) with the dates and flags its KPIs count by.
-- The PIP term runs 70 days (10 weeks) from housing; an obligation that ended by moving away,
-- leaving the country or death on or before that day is out of the PIP cohort.
select
    inburgering_id,
    pseudoniem,
    organisatie,
    gemeente,
    migrant_soort,
    plicht_vanaf,
    huisvestingsdatum,
    brede_intake_op,
    pip_vastgesteld_op,
    leerroute,
    termijn_einde,
    b1_behaald_op,
    plicht_einde,
    plicht_einde_reden,
    case when huisvestingsdatum is not null then greatest(plicht_vanaf, huisvestingsdatum) end as begeleiding_vanaf,
    huisvestingsdatum + 70 as pip_uiterlijk,
    migrant_soort = 'STATUSHOUDER'
    and huisvestingsdatum is not null
    and not coalesce(
        plicht_einde_reden in ('VERHUISD', 'VERTROKKEN', 'OVERLEDEN') and plicht_einde <= huisvestingsdatum + 70, false
    ) as telt_pip_cohort,
    coalesce(pip_vastgesteld_op <= huisvestingsdatum + 70, false) as pip_binnen_10_weken,
    termijn_einde is not null
    and not coalesce(
        plicht_einde_reden in ('VRIJSTELLING', 'VERHUISD', 'VERTROKKEN', 'OVERLEDEN') and plicht_einde <= termijn_einde,
        false
    ) as telt_termijn_cohort,
    coalesce(plicht_einde_reden = 'VOLDAAN' and plicht_einde <= termijn_einde, false) as voldaan_binnen_termijn,
    coalesce(plicht_einde_reden in ('VOLDAAN', 'ONTHEFFING'), false) as telt_b1_cohort,
    coalesce(b1_behaald_op <= plicht_einde, false) as b1_behaald_bij_einde
from {{ ref('stg_reintegratie__inburgeringsplichtigen') }}
