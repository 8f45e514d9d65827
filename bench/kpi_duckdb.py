"""The core KPIs (bench/kern_kpi.py) by hand in DuckDB SQL, straight from the delivered files.

What an analyst who knows DuckDB writes: the latest snapshot of each object read as text, typed
with try_strptime/try_cast (a row whose key or dates do not parse is skipped), one row per key,
and a month count per municipality. The benefit stock on a month end is the dossiers started on
or before it minus those ended on or before it (a valid dossier ends on or after its start).
`python -m bench.kpi_duckdb INBOX OUT.parquet` runs it alone (the bench times it that way).
"""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd

from bench.kern_kpi import COLUMNS, GEMEENTEN, latest_delivery

UITKERINGEN = """
create table uitkeringen as
with bestand as (
    select row_number() over () as rij, *
    from read_csv($bestand, delim = ';', header = true, all_varchar = true, encoding = 'latin-1')
),
getypt as (
    select
        try_cast(dossiernummer as bigint) as dossiernummer,
        'GM' || lpad(trim(gemeentecode), 4, '0') as gemeente,
        try_strptime(ingangsdatum, '%d-%m-%Y')::date as ingangsdatum,
        try_strptime(einddatum, '%d-%m-%Y')::date as einddatum,
        nullif(trim(einddatum), '') is not null as heeft_einddatum,
        try_strptime(laatst_gewijzigd, ['%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M']) as laatst_gewijzigd,
        rij
    from bestand
)
select * from getypt
where dossiernummer is not null and ingangsdatum is not null and (einddatum is not null or not heeft_einddatum)
qualify row_number() over (partition by dossiernummer order by laatst_gewijzigd desc nulls last, rij desc) = 1
"""

AANMELDINGEN = """
create table aanmeldingen as
select aanmelding_id, g.cbs_code as gemeente, try_cast(datum_eerste_gesprek as date) as datum_eerste_gesprek
from (select row_number() over () as rij, * from read_csv($aanmeldingen, header = true, all_varchar = true)) as a
left join read_csv($gemeenten) as g on lower(g.naam) = lower(trim(a.gemeente))
where try_cast(datum_aanmelding as date) is not null
qualify row_number() over (partition by aanmelding_id order by rij desc) = 1
"""

SCHULDTRAJECTEN = """
create table schuldtrajecten as
select traject_id, aanmelding_id, soort, try_cast(startdatum as date) as startdatum
from (select row_number() over () as rij, * from read_csv($trajecten, header = true, all_varchar = true))
where try_cast(startdatum as date) is not null
qualify row_number() over (partition by traject_id order by rij desc) = 1
"""

REINTEGRATIE = """
create table trajecten as
select traject_id, upper(trim(client.gemeente)) as gemeente, soort, try_cast("start" as date) as startdatum
from (
    select row_number() over () as rij, *
    from read_json($trajecten, format = 'newline_delimited', columns = {
        traject_id: 'VARCHAR', client: 'STRUCT(bsn VARCHAR, gemeente VARCHAR)', soort: 'VARCHAR',
        aangemeld_op: 'VARCHAR', "start": 'VARCHAR', gewijzigd_op: 'VARCHAR'})
)
where (aangemeld_op is null or try_cast(aangemeld_op as date) is not null)
    and ("start" is null or try_cast("start" as date) is not null)
qualify row_number() over (
    partition by traject_id order by try_cast(gewijzigd_op as timestamptz) desc nulls last, rij desc
) = 1
"""

KPIS = """
with maanden as (
    select cast(m as date) as maand, cast(m + interval 1 month - interval 1 day as date) as maand_einde
    from range(
        (select date_trunc('month', min(ingangsdatum)) from uitkeringen),
        cast($laatste as date) + interval 1 month, interval 1 month
    ) as t(m)
),
geldig as (
    select * from uitkeringen where einddatum is null or einddatum >= ingangsdatum
),
instroom as (
    select gemeente, cast(date_trunc('month', ingangsdatum) as date) as maand, count(*) as n from geldig group by all
),
uitstroom as (
    select gemeente, cast(date_trunc('month', einddatum) as date) as maand, count(*) as n
    from geldig where einddatum is not null group by all
),
stand as (
    select g.gemeente, m.maand,
        sum(coalesce(i.n, 0) - coalesce(u.n, 0)) over (partition by g.gemeente order by m.maand) as n
    from maanden as m
    cross join (select distinct gemeente from geldig) as g
    left join instroom as i on i.gemeente = g.gemeente and i.maand = m.maand
    left join uitstroom as u on u.gemeente = g.gemeente and u.maand = m.maand
)
select gemeente, 'uitkeringen_eindstand' as kpi, maand, cast(n as bigint) as waarde from stand
union all select gemeente, 'instroom', maand, n from instroom
union all select gemeente, 'uitstroom', maand, n from uitstroom
union all
select gemeente, 'schuldhulp_intakes', date_trunc('month', datum_eerste_gesprek), count(*)
from aanmeldingen where datum_eerste_gesprek is not null group by all
union all
select a.gemeente, 'schuldregelingen_gestart', date_trunc('month', t.startdatum), count(*)
from schuldtrajecten as t join aanmeldingen as a using (aanmelding_id)
where t.soort in ('SCHULDBEMIDDELING', 'SANERINGSKREDIET') group by all
union all
select gemeente, 'assessment_gestart', date_trunc('month', startdatum), count(*)
from trajecten where soort = 'ASSESSMENT' and startdatum is not null group by all
"""


def kpis(inbox: Path) -> pd.DataFrame:
    uitkeringen, laatste = latest_delivery(inbox, "civision", "uitkeringen.csv")
    with duckdb.connect() as con:
        con.execute(UITKERINGEN, {"bestand": str(uitkeringen)})
        con.execute(AANMELDINGEN, {"aanmeldingen": str(latest_delivery(inbox, "schuldhulp", "aanmeldingen.csv")[0]),
                                   "gemeenten": str(GEMEENTEN)})
        con.execute(SCHULDTRAJECTEN, {"trajecten": str(latest_delivery(inbox, "schuldhulp", "trajecten.csv")[0])})
        con.execute(REINTEGRATIE, {"trajecten": str(latest_delivery(inbox, "reintegratie", "trajecten.jsonl")[0])})
        return con.execute(KPIS, {"laatste": laatste}).df()[COLUMNS]


if __name__ == "__main__":
    kpis(Path(sys.argv[1])).to_parquet(sys.argv[2])
