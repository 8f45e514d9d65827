-- Delta-upsert (SOURCES.md): per Nummer its latest version over all deliveries; a deletion record
-- (Verwijderd = Ja) removes the contact. The tool's labels become codes (lists kcc_*); an unknown
-- label counts as OVERIG (kanaal, richting) or as no result (afhandeling). The export names no
-- organisation: the registration is that of var kcc_organisatie.
with laatste as (
    select *
    from {{ source('raw_kcc', 'klantcontacten') }}
    qualify row_number() over (partition by nummer order by _levering desc, gewijzigd_op desc, _rij desc) = 1
),
labels as (
    select lijst, code, omschrijving as label
    from {{ ref('codes') }}
    where starts_with(lijst, 'kcc_')
)
select
    laatste.nummer,
    '{{ var("kcc_organisatie") }}' as organisatie,
    laatste.plaatsgevonden_op,
    coalesce(kanaal.code, 'OVERIG') as kanaal,
    coalesce(richting.code, 'OVERIG') as richting,
    afhandeling.code as afhandeling,
    laatste.afhandeling is not null and afhandeling.code is null as label_onbekend,
    laatste.contact_gelukt,
    laatste.team,
    laatste.interne_taak,
    laatste.aanleiding_taak,
    laatste.gewijzigd_op,
    laatste._levering
from laatste
left join labels as kanaal on kanaal.lijst = 'kcc_kanaal' and kanaal.label = laatste.kanaal
left join labels as richting on richting.lijst = 'kcc_richting' and richting.label = laatste.richting
left join labels as afhandeling on afhandeling.lijst = 'kcc_afhandeling' and afhandeling.label = laatste.afhandeling
where not coalesce(laatste.verwijderd, false)
