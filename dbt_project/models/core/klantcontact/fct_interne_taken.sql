-- Internal tasks with their originating contact. The call-back time runs from that contact, never
-- from Toegewezen op (a reassignment resets it), in clock hours: both local times as instants. A
-- task whose contact has not arrived yet has no contact columns (a finding of
-- dq_controle_kcc) and stays out of the KPIs until it arrives.
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
    <= interval 24 hour as binnen_24u
from {{ ref('stg_kcc__interne_taken') }} as t
left join {{ ref('fct_klantcontacten') }} as c on c.nummer = t.klantcontact
