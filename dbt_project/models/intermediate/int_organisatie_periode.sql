-- Data period per organisation: from its start (organisaties.opgericht, or the month its registration
-- begins where that is later: its first melding or periodic payment) to its last month with a periodic
-- payment. The snapshots' start and end dates answer the months before the first payment delta; only
-- what needs a payment is unknown there (eerste_betaalmaand). A migrated caseload's ingangsdata predate
-- the registration and do not start the period. IGSD records stay frozen in later snapshots, so the
-- period ends at the organisation's last payment month, not at the latest delivery of the shared inbox.
with betaalmaanden as (
    select organisatie, min(periode) as eerste_betaalmaand, max(periode) as laatste_betaalmaand
    from {{ ref('int_betalingen') }}
    where soort = 'P' and organisatie is not null
    group by organisatie
),
meldingmaanden as (
    select organisatie, cast(date_trunc('month', min(meldingsdatum)) as date) as eerste_meldingmaand
    from {{ ref('stg_civision__aanvragen') }}
    where organisatie is not null
    group by organisatie
)
select
    o.code as organisatie,
    cast(greatest(
        date_trunc('month', o.opgericht), least(m.eerste_meldingmaand, b.eerste_betaalmaand)
    ) as date) as eerste_maand,
    cast(b.laatste_betaalmaand as date) as laatste_maand,
    cast(b.eerste_betaalmaand as date) as eerste_betaalmaand
from {{ ref('organisaties') }} as o
join betaalmaanden as b on b.organisatie = o.code
left join meldingmaanden as m on m.organisatie = o.code
