-- Internal tasks with their originating contact. The call-back time runs from that contact, never
-- from Toegewezen op (a reassignment resets it), in clock hours: both local times as instants. A
-- task whose contact has not arrived yet has no contact columns (a finding of
-- dq_controle_kcc) and stays out of the KPIs until it arrives. telt_terugbelverzoek is the counting rule of
-- kcc_terugbelverzoeken (KPIS.md): a call-back from a KCC call, except one still open whose call was less
-- than 24 hours before 00:00 of the latest extraction date (outcome unknown).
with extractie as (
    select max(levering) as levering
    from {{ source('raw_meta', 'leveringen') }}
    where systeem = 'kcc' and rijen > 0
)
select
    t.nummer,
    t.organisatie,
    t.handeling,
    t.klantcontact,
    t.team,
    t.toegewezen_op,
    t.status,
    t.afgehandeld_op,
    c.nummer is not null as contact_geleverd,
    c.plaatsgevonden_op as contact_op,
    coalesce(c.kcc_gesprek, false) as uit_kcc_gesprek,
    t.status = 'VERWERKT'
    and {{ tijdstip_amsterdam('t.afgehandeld_op') }} - {{ tijdstip_amsterdam('c.plaatsgevonden_op') }}
    <= interval 24 hour as binnen_24u,
    coalesce(
        c.kcc_gesprek and t.handeling = 'TERUGBELLEN'
        and not (t.status = 'TE_VERWERKEN' and c.plaatsgevonden_op > cast(e.levering as timestamp) - interval 24 hour),
        false
    ) as telt_terugbelverzoek
from {{ ref('stg_kcc__interne_taken') }} as t
cross join extractie as e
left join {{ ref('fct_klantcontacten') }} as c on c.nummer = t.klantcontact
