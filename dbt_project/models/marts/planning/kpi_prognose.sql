-- Forecast with an 80% band for every usable target of seeds/doelen.csv and every peilmaand of its
-- year (int_kpi_prognose, docs/planning_en_control.md), with the status rule of the board reports:
-- op_koers when the whole band meets the norm, niet_haalbaar when none of it does, risico otherwise.
select
    * exclude (invoer),
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
from {{ ref('int_kpi_prognose') }}
