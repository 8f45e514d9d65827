-- Delta-upsert (SOURCES.md): per Nummer its latest version over all deliveries; a deletion record
-- (Verwijderd = Ja) removes the contact. The tool's labels become codes (lists kcc_*); an unknown
-- label counts as OVERIG (kanaal, richting) or as no result (afhandeling). The export names no
-- organisation: the registration is that of var kcc_organisatie.
with laatste as (
    select *
    from {{ source('raw_kcc', 'klantcontacten') }}
    qualify row_number() over (partition by nummer order by _levering desc, gewijzigd_op desc, _rij desc) = 1
)
select
    laatste.nummer,
    '{{ var("kcc_organisatie") }}' as organisatie,
    laatste.plaatsgevonden_op,
    coalesce({{ kcc_code('kcc_kanaal', 'laatste.kanaal') }}, 'OVERIG') as kanaal,
    coalesce({{ kcc_code('kcc_richting', 'laatste.richting') }}, 'OVERIG') as richting,
    {{ kcc_code('kcc_afhandeling', 'laatste.afhandeling') }} as afhandeling,
    laatste.afhandeling is not null and {{ kcc_code('kcc_afhandeling', 'laatste.afhandeling') }} is null as label_onbekend,
    laatste.contact_gelukt,
    laatste.team,
    laatste.interne_taak,
    laatste.aanleiding_taak,
    laatste.gewijzigd_op,
    laatste._levering
from laatste
where not coalesce(laatste.verwijderd, false)
