-- Contact moments; a KCC call (KPIS.md, Contact centre) is an incoming telephone contact registered
-- by team KCC: the answering team's second registration of a put-through call is no KCC call.
select
    nummer,
    organisatie,
    plaatsgevonden_op,
    kanaal,
    richting,
    afhandeling,
    team,
    interne_taak,
    aanleiding_taak,
    kanaal = 'TELEFOON' and richting = 'INKOMEND' and team = 'KCC' as kcc_gesprek
from {{ ref('stg_kcc__klantcontacten') }}
