-- Benefit spells: the dossiers of one person (as applicant or partner) that follow each other
-- with at most 1 day between them form one spell (gaps-and-islands): ends 31-12, next starts
-- 01-01 or 02-01 -> one spell; starts 03-01 -> a new spell.
-- One row per (persoonsnummer, dossiernummer).
with persoon_dossier as (
    select persoonsnummer, dossiernummer, ingangsdatum, coalesce(einddatum, date '9999-12-31') as eind
    from {{ ref('stg_civision__uitkeringen') }}
    where einddatum is null or einddatum >= ingangsdatum
    union  -- distinct: a dossier whose partner is registered as the applicant counts once
    select partner_persoonsnummer, dossiernummer, ingangsdatum, coalesce(einddatum, date '9999-12-31')
    from {{ ref('stg_civision__uitkeringen') }}
    where partner_persoonsnummer is not null and (einddatum is null or einddatum >= ingangsdatum)
),
geordend as (
    select
        *,
        max(eind) over (
            partition by persoonsnummer order by ingangsdatum, dossiernummer
            rows between unbounded preceding and 1 preceding
        ) as vorige_eind
    from persoon_dossier
),
genummerd as (
    select
        *,
        sum(case when vorige_eind is null or ingangsdatum > vorige_eind + 2 then 1 else 0 end) over (
            partition by persoonsnummer order by ingangsdatum, dossiernummer rows unbounded preceding
        ) as periode_nr
    from geordend
)
select
    persoonsnummer,
    dossiernummer,
    periode_nr,
    min(ingangsdatum) over (partition by persoonsnummer, periode_nr) as periode_start,
    nullif(max(eind) over (partition by persoonsnummer, periode_nr), date '9999-12-31') as periode_eind
from genummerd
