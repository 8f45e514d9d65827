-- The satisfaction KPIs (KPIS.md, "Satisfaction") in the shape of int_kpi_maand, in the month that
-- holds the survey's veldwerk_tot: teller is the sum of the valid marks, noemer their number (n), so
-- 'aandeel' is the unweighted mean per month, year and range, and a survey without a valid mark has
-- noemer 0 and no value (never 0). Only kto_score_pw has municipality rows; a respondent without
-- municipality counts only for the organisation.
with respons as (
    select
        f.organisatie,
        f.gemeente,
        cast(date_trunc('month', f.veldwerk_tot) as date) as maand,
        f.rapportcijfer,
        case
            when f.onderzoek_type = 'MTO' then ['mto_score_' || lower(substr(f.soort, 5)), 'mto_score']
            else [lower(replace(f.soort, 'KTO_', 'kto_score_'))]
        end as kpis
    from {{ ref('fct_tevredenheid_respons') }} as f
    join {{ ref('int_organisatie_periode') }} as p
        on
            p.organisatie = f.organisatie
            and date_trunc('month', f.veldwerk_tot) between p.eerste_maand and p.laatste_maand
),
per_kpi as (
    select organisatie, gemeente, maand, rapportcijfer, unnest(kpis) as kpi
    from respons
),
niveaus as (
    select organisatie, gemeente, maand, kpi, rapportcijfer
    from per_kpi
    where kpi = 'kto_score_pw' and gemeente is not null
    union all
    select organisatie, null, maand, kpi, rapportcijfer
    from per_kpi
)
select
    organisatie,
    gemeente,
    maand,
    kpi,
    'aandeel' as berekening,
    cast(coalesce(sum(rapportcijfer), 0) as bigint) as teller,
    count(rapportcijfer) as noemer
from niveaus
group by organisatie, gemeente, maand, kpi
