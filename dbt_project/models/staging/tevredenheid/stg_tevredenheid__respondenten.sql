-- Respondents of the latest delivery: one the agency dropped after cleaning is no longer there.
-- A valid mark is 1 to 10; 99 (weet niet / geen antwoord) and empty are missing. The municipality
-- (the sample stratum) is delivered by name and matched on seeds/gemeenten.csv; the v_<vraagcode>
-- answers stay raw.
with bron as (
    {{ laatste_snapshot(source('raw_tevredenheid', 'respondenten'), ['onderzoek_id', 'respondent_id']) }}
)
select
    bron.onderzoek_id,
    bron.respondent_id,
    g.cbs_code as gemeente,
    g.organisatie,
    nullif(trim(bron.gemeente), '') as gemeente_naam_geleverd,
    bron.ingevuld_op,
    case when bron.rapportcijfer between 1 and 10 then bron.rapportcijfer end as rapportcijfer,
    bron.volledig,
    bron._levering
from bron
left join {{ ref('gemeenten') }} as g on lower(g.naam) = lower(trim(bron.gemeente))
