-- Forecast with an 80% band for every usable target of seeds/doelen.csv and every peilmaand of its
-- year (int_kpi_prognose, docs/planning_en_control.md), with the status rule of the board reports:
-- op_koers when the whole band meets the norm, niet_haalbaar when none of it does, risico otherwise.
with prognose as (
    -- typed here: a Python model's empty result carries no column types
    select
        cast(organisatie as varchar) as organisatie,
        cast(gemeente as varchar) as gemeente,
        cast(kpi as varchar) as kpi,
        cast(doelperiode as varchar) as doelperiode,
        cast(peilmaand as varchar) as peilmaand,
        cast(berekening as varchar) as berekening,
        cast(prognose as double) as prognose,
        cast(prognose_laag as double) as prognose_laag,
        cast(prognose_hoog as double) as prognose_hoog,
        cast(norm as double) as norm,
        cast(richting as varchar) as richting
    from {{ ref('int_kpi_prognose') }}
)
select
    *,
    case
        when prognose is null then null
        when richting = 'max' then prognose <= norm
        when richting = 'min' then prognose >= norm
    end as doel_gehaald,
    case
        when prognose is null then null
        when richting = 'max' and prognose_hoog <= norm or richting = 'min' and prognose_laag >= norm then 'op_koers'
        when richting = 'max' and prognose_laag > norm or richting = 'min' and prognose_hoog < norm then 'niet_haalbaar'
        else 'risico'
    end as status
from prognose
