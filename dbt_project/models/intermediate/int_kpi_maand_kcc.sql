-- The contact-centre KPIs (KPIS.md, Contact centre) per month in the shape of int_kpi_maand,
-- organisation only. A call-back request belongs to the month of its originating KCC call; a task
-- still open whose call was less than 24 hours before 00:00 of the latest extraction date is left
-- out (outcome unknown). Months without a KCC call have no row (missing, never 0).
with extractie as (
    select max(levering) as levering
    from {{ source('raw_meta', 'leveringen') }}
    where systeem = 'kcc' and rijen > 0
),
gesprekken as (
    select
        organisatie,
        cast(date_trunc('month', plaatsgevonden_op) as date) as maand,
        count(*) filter (where afhandeling = 'DIRECT_AFGEHANDELD') as direct,
        count(*) as gesprekken
    from {{ ref('fct_klantcontacten') }}
    where kcc_gesprek
    group by all
),
terugbellen as (
    select
        t.organisatie,
        cast(date_trunc('month', t.contact_op) as date) as maand,
        count(*) as verzoeken,
        count(*) filter (where t.binnen_24u) as binnen_24u
    from {{ ref('fct_interne_taken') }} as t, extractie as e
    where
        t.uit_kcc_gesprek and t.handeling = 'TERUGBELLEN'
        and not (t.status = 'TE_VERWERKEN' and t.contact_op > cast(e.levering as timestamp) - interval 24 hour)
    group by all
)
select organisatie, null as gemeente, maand, 'kcc_direct_afgehandeld_aandeel' as kpi, 'aandeel' as berekening,
       direct as teller, gesprekken as noemer
from gesprekken
union all
select organisatie, null, maand, 'kcc_terugbelverzoeken', 'telling', verzoeken, null
from terugbellen
union all
select organisatie, null, maand, 'kcc_terugbellen_24u_aandeel', 'aandeel', binnen_24u, verzoeken
from terugbellen
