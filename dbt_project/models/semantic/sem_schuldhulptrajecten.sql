{{ config(materialized='table', schema='semantic') }}
-- One row per debt-assistance trajectory (fct_schuldregelingen, all soorten; municipality of
-- the aanmelding). regelingsoort MSNP / WSNP for schuldregelingen, OVERIG otherwise.
with maanden as (
    select gemeente, maand from {{ ref('int_maanden') }}
)
select
    f.traject_id,
    f.gemeente,
    f.organisatie,
    f.soort,
    coalesce(f.regelingsoort, 'OVERIG') as regelingsoort,
    coalesce(f.uitkomst, case when f.einddatum is null then 'LOPEND' else 'ONBEKEND' end) as uitkomst,
    f.startdatum,
    f.einddatum,
    f.is_geslaagd,
    ms.maand is not null as telt_start,
    me.maand is not null as telt_eind
from {{ ref('fct_schuldregelingen') }} as f
left join maanden as ms on ms.gemeente = f.gemeente and ms.maand = date_trunc('month', f.startdatum)
left join maanden as me on me.gemeente = f.gemeente and me.maand = date_trunc('month', f.einddatum)
