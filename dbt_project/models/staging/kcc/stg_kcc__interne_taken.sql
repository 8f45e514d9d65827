-- Window snapshot: a task missing from the latest delivery was deleted only while it would still be
-- in that delivery's window (assigned from 1 January of the previous year, or open); one that left
-- the window keeps its last version. Labels become codes as for the contacts.
with bron as (
    {{ laatste_venster(source('raw_kcc', 'interne_taken'), 'kcc', 'interne_taken', ['nummer'], 'gewijzigd_op', 'nummer',
        "case when status = 'te verwerken' then date '9999-12-31' else cast(toegewezen_op as date) end") }}
)
select
    bron.nummer,
    '{{ var("kcc_organisatie") }}' as organisatie,
    coalesce({{ kcc_code('kcc_handeling', 'bron.handeling') }}, 'OVERIG') as handeling,
    bron.klantcontact,
    bron.team,
    bron.toegewezen_op,
    {{ kcc_code('kcc_status', 'bron.status') }} as status,
    bron.afgehandeld_op,
    bron.gewijzigd_op,
    bron._levering
from bron
