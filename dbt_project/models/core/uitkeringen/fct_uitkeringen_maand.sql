-- Month-end stands of benefits. Grain: (dossier, month) for every month of the data period
-- whose last day the dossier is in the eindstand. A view: int_uitkeringen_maandeinde holds the
-- rows once (incremental per month).
select dossiernummer, maand, gemeente, organisatie, leeftijdsklasse, is_jongere, is_langer_dan_2_jaar, heeft_deeltijdarbeid
from {{ ref('int_uitkeringen_maandeinde') }}
