{{ config(materialized='table', schema='semantic') }}
-- One row per re-integration trajectory (client.gemeente of the record); telt_*: the month of
-- aangemeld_op / start / eind lies in the data period.
with maanden as (
    select gemeente, maand from {{ ref('int_maanden') }}
)
select
    f.traject_id,
    f.gemeente,
    f.organisatie,
    f.soort,
    coalesce(f.resultaat, 'LOPEND') as resultaat,
    f.bron,
    f.aangemeld_op,
    f.startdatum,
    f.einddatum,
    ma.maand is not null as telt_aangemeld,
    ms.maand is not null as telt_start,
    me.maand is not null as telt_eind
from {{ ref('fct_trajecten') }} as f
left join maanden as ma on ma.gemeente = f.gemeente and ma.maand = date_trunc('month', f.aangemeld_op)
left join maanden as ms on ms.gemeente = f.gemeente and ms.maand = date_trunc('month', f.startdatum)
left join maanden as me on me.gemeente = f.gemeente and me.maand = date_trunc('month', f.einddatum)
