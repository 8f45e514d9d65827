-- The contact-centre KPIs (KPIS.md, Contact centre) per month in the shape of int_kpi_maand,
-- organisation only. A call-back request (fct_interne_taken.telt_terugbelverzoek) belongs to the month
-- of its originating KCC call. Months without a KCC call have no row (missing, never 0).
with gesprekken as (
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
    from {{ ref('fct_interne_taken') }} as t
    where t.telt_terugbelverzoek
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
