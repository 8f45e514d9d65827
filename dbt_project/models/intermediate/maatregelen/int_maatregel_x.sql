-- What X stands for in the maatregel KPIs (KPIS.md, Policy measures): every measure of
-- reference/maatregelen.csv, and every reeks as the union of its measures; with the KPI code part
-- (`EI19-ABC` gives `ei19_abc`, as in `maatregel_deelnemers_ei19_abc`) and the first day X runs.
with maatregel_en_reeks as (
    select organisatie, maatregel_code, maatregel_code as maatregel, false as is_reeks, startdatum
    from {{ ref('maatregelen') }}
    union all
    select organisatie, maatregel_code, reeks, true, startdatum
    from {{ ref('maatregelen') }}
    where reeks is not null
)
select
    organisatie,
    maatregel_code,
    maatregel,
    is_reeks,
    replace(lower(maatregel), '-', '_') as x,
    min(min(startdatum)) over (partition by organisatie, maatregel) as startdatum
from maatregel_en_reeks
group by organisatie, maatregel_code, maatregel, is_reeks
