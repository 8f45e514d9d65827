-- Profile history as validity intervals: a profile is valid from geldig_vanaf up to and
-- including the day before the next profile of the same client (geldig_tot NULL = current).
select
    pseudoniem,
    gemeente,
    organisatie,
    klantgroep,
    geldig_vanaf,
    cast(lead(geldig_vanaf) over (partition by pseudoniem order by geldig_vanaf) - 1 as date) as geldig_tot,
    ontheffing,
    taalniveau
from {{ ref('stg_reintegratie__klantprofielen') }}
where pseudoniem is not null
-- an 8-digit and a 9-digit bsn of one person share the pseudonym: one profile per day
qualify row_number() over (partition by pseudoniem, geldig_vanaf order by klantgroep desc) = 1
