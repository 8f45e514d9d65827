-- Municipality delivered by name (case and spaces vary): matched on seeds/gemeenten.csv.
with bron as (
    {{ laatste_snapshot(source('raw_schuldhulp', 'aanmeldingen'), ['aanmelding_id']) }}
)
select
    bron.aanmelding_id,
    pseudoniem(bron.bsn) as pseudoniem,
    g.cbs_code as gemeente,
    g.organisatie,
    trim(bron.gemeente) as gemeente_naam_geleverd,
    bron.datum_aanmelding,
    bron.datum_eerste_gesprek,
    bron.crisis,
    bron.verwijzer,
    bron.uitstroomreden,
    bron.datum_uitstroom,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on lower(g.naam) = lower(trim(bron.gemeente))
