-- raw_cbs is optional: when the loader has not created raw_cbs.bevolking this model is an
-- empty relation with the same columns, and int_bevolking falls back to seeds/bevolking_totaal.csv.
{%- set bron = source('raw_cbs', 'bevolking') %}
{%- set bestaat = execute and adapter.get_relation(database=bron.database, schema=bron.schema, identifier=bron.identifier) is not none %}
{% if bestaat %}
with bron as (
    {{ laatste_snapshot(bron, ['gemeente', 'jaar', 'leeftijd_van']) }}
)
select
    {{ gemeente_uit_gm_code('gemeente') }} as gemeente,
    cast(jaar as integer) as jaar,
    cast(leeftijd_van as integer) as leeftijd_van,
    cast(leeftijd_tot as integer) as leeftijd_tot,
    cast(inwoners as bigint) as inwoners,
    _levering
from bron
{% else %}
select
    cast(null as varchar) as gemeente,
    cast(null as integer) as jaar,
    cast(null as integer) as leeftijd_van,
    cast(null as integer) as leeftijd_tot,
    cast(null as bigint) as inwoners,
    cast(null as date) as _levering
where false
{% endif %}
