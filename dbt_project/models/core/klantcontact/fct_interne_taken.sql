-- Internal tasks with their originating contact. The call-back time runs from that contact, never
-- from Toegewezen op (a reassignment resets it), in clock hours: both local times as instants in
-- Europe/Amsterdam. A task whose contact has not arrived yet has no contact columns (flagged in
-- kwaliteit) and stays out of the KPIs until it arrives.
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
    and epoch(timezone('Europe/Amsterdam', t.afgehandeld_op)) - epoch(timezone('Europe/Amsterdam', c.plaatsgevonden_op))
    <= 24 * 3600 as binnen_24u
from {{ ref('stg_kcc__interne_taken') }} as t
left join {{ ref('fct_klantcontacten') }} as c on c.nummer = t.klantcontact
