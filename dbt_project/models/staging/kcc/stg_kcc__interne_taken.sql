-- Window snapshot: a task missing from the latest delivery was deleted only while it would still be
-- in that delivery's window (assigned from 1 January of the previous year, or open); one that left
-- the window keeps its last version. Labels become codes as for the contacts.
with bron as (
    {{ laatste_venster(source('raw_kcc', 'interne_taken'), 'kcc', 'interne_taken', ['nummer'], 'gewijzigd_op', 'nummer',
        "case when status = 'te verwerken' then date '9999-12-31' else cast(toegewezen_op as date) end") }}
),
labels as (
    select lijst, code, omschrijving as label
    from {{ ref('codes') }}
    where starts_with(lijst, 'kcc_')
)
select
    bron.nummer,
    '{{ var("kcc_organisatie") }}' as organisatie,
    coalesce(handeling.code, 'OVERIG') as handeling,
    bron.klantcontact,
    bron.team,
    bron.toegewezen_op,
    status.code as status,
    bron.afgehandeld_op,
    bron.gewijzigd_op,
    bron._levering
from bron
left join labels as handeling on handeling.lijst = 'kcc_handeling' and handeling.label = bron.handeling
left join labels as status on status.lijst = 'kcc_status' and status.label = bron.status
