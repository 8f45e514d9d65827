"""An incremental build equals a full rebuild after a correcting delivery (issue 10).

The real pipeline on a short simulated world (through 2019): `pdw run` loads and builds every delivery but the
last, then the last one arrives with corrections to history on top of what the simulator puts
in it (a dossier that ended in 2015 reopened, another deleted, an applicant's birth date
corrected, a payment line of an old period re-sent with income from work), and `pdw run` builds
again, incrementally. Every incremental model is then compared row for row with a
`--full-refresh` build of the same raw zone.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pdw.settings import MEMORY_VARIABLE, PROJECT_DIR, memory_limit

from .conftest import TEST_KEY, pdw

DBT_DIR = PROJECT_DIR / "dbt_project"
CSV = "cp1252"  # civision: windows-1252, ';', CRLF, dd-mm-yyyy, decimal comma (SOURCES.md)


def dbt(build_db: Path, *args: str) -> str:
    """dbt on the working file in the target folder `pdw run` used (`orchestration.dbt.target_path`), with the
    profile's variables as the run set them (`Settings.export`): dbt reuses the run's parse instead of
    parsing the whole project again."""
    target = build_db.parent / "dbt"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(target), "--log-path", str(target)],
        env={**os.environ, "PDW_BUILD_DB": str(build_db), "PDW_PSEUDONYM_KEY": TEST_KEY,
             MEMORY_VARIABLE: memory_limit(), "PDW_DUCKDB_TEMP": str(build_db.parent / ".tmp")},
        text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}"
    return result.stdout


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def edit_csv(path: Path, edit) -> None:
    """Apply `edit(header, rows) -> rows` to a civision file, keeping its encoding and layout."""
    lines = path.read_bytes().decode(CSV).split("\r\n")
    header, rows = lines[0].split(";"), [line.split(";") for line in lines[1:] if line]
    rows = edit(header, rows)
    path.write_bytes("\r\n".join([";".join(header), *(";".join(r) for r in rows), ""]).encode(CSV))


def run(inbox: Path, warehouse: Path, log: Path) -> None:
    ran = pdw("run", "--inbox", str(inbox), "--warehouse", str(warehouse), log=log)
    assert ran.returncode == 0, ran.stdout[-8000:]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A world through 2019 (every object's latest delivery has rows: an empty one blocks, and
    vroegsignalen start in July 2019) without injected faults (a blocking finding would stop the build);
    the last delivery of every system is held back at first."""
    out = tmp_path_factory.mktemp("incrementeel")
    simulated = pdw("simulate", "--out", str(out), "--through", "2019-12-31", "--no-faults", log=out / "simulate.log")
    assert simulated.returncode == 0, simulated.stdout[-5000:]
    inbox, held = out / "inbox", out / "achtergehouden"
    laatste = max(p.name for p in (inbox / "civision").iterdir())
    for folder in inbox.glob(f"*/{laatste}"):
        (held / folder.parent.name).mkdir(parents=True)
        shutil.move(folder, held / folder.parent.name / laatste)
    warehouse = out / "warehouse" / "pdw.duckdb"
    run(inbox, warehouse, out / "run1.log")
    return out, inbox, held, laatste, warehouse


def corrections(build_db: Path) -> dict:
    """Records of the first build to correct: chosen so that each changes months long past."""
    heropend, eind = query(build_db, """
        select dossiernummer, einddatum from intermediate.int_uitkeringen
        where is_geldig and einddatum between date '2015-06-01' and date '2015-09-30' and partner_persoonsnummer is null
        order by dossiernummer limit 1""")[0]
    verwijderd, jong, persoon = query(build_db, """
        select list(dossiernummer order by dossiernummer)[1], list(dossiernummer order by dossiernummer)[2],
               list(persoonsnummer order by dossiernummer)[2]
        from intermediate.int_uitkeringen
        where is_geldig and einddatum is null and ingangsdatum < date '2015-06-01' and partner_persoonsnummer is null
          and aanvrager_geboortedatum < date '1970-01-01'""")[0]
    regel, deeltijd, maand = query(build_db, f"""
        select b.regelnummer, b.dossiernummer, b.periode
        from core.fct_uitkeringen_maand as m
        join intermediate.int_betalingen as b on b.dossiernummer = m.dossiernummer and b.periode = m.maand
        where not m.heeft_deeltijdarbeid and b.soort = 'P' and m.maand between date '2015-07-01' and date '2015-10-01'
          and m.dossiernummer not in ({heropend}, {verwijderd}, {jong})
        order by b.regelnummer limit 1""")[0]
    return {"heropend": heropend, "eind": eind, "verwijderd": verwijderd, "jong": jong, "persoon": persoon,
            "regel": regel, "deeltijd": deeltijd, "maand": maand}


def correct_delivery(folder: Path, c: dict) -> None:
    def uitkeringen(header, rows):
        col = {name: i for i, name in enumerate(header)}
        kept = []
        for r in rows:
            if r[col["dossiernummer"]] == str(c["verwijderd"]):
                continue
            if r[col["dossiernummer"]] == str(c["heropend"]):
                r[col["einddatum"]] = r[col["reden_beeindiging"]] = ""
                r[col["laatst_gewijzigd"]] = "20-03-2016 10:00:00"
            kept.append(r)
        return kept

    def personen(header, rows):
        col = {name: i for i, name in enumerate(header)}
        for r in rows:
            if r[col["persoonsnummer"]] == str(c["persoon"]):
                r[col["geboortedatum"]] = "01-01-1995"
        return rows

    def betalingen(header, rows):
        # the line re-sent (same regelnummer) for its old period, now with income from work
        regel = {"regelnummer": str(c["regel"]), "dossiernummer": str(c["deeltijd"]), "periode": c["maand"].strftime("%Y%m"),
                 "soort": "P", "bedrag": "900,00", "verrekende_inkomsten": "150,00", "betaaldatum": "28-03-2016"}
        return [*rows, [regel[name] for name in header]]

    edit_csv(folder / "uitkeringen.csv", uitkeringen)
    edit_csv(folder / "personen.csv", personen)
    edit_csv(folder / "betalingen.csv", betalingen)


def incremental_models(build_db: Path) -> list[str]:
    listed = dbt(build_db, "ls", "--resource-type", "model", "--select", "config.materialized:incremental",
                 "--output", "json", "--output-keys", "schema", "name", "--quiet")
    return sorted(f"{m['schema']}.{m['name']}" for m in map(json.loads, listed.splitlines()))


def table_oids(db: Path, models: list[str]) -> dict[str, int]:
    rows = query(db, "select schema_name || '.' || table_name, table_oid from duckdb_tables()")
    return {name: oid for name, oid in rows if name in models}


def test_incrementeel_gelijk_aan_volledig(world):
    out, inbox, held, laatste, warehouse = world
    build_db = warehouse.parent / "build" / warehouse.name
    models = incremental_models(build_db)
    assert {"intermediate.int_betalingen", "core.fct_uitkeringen_maand", "core.fct_klanten_maand"} <= set(models)
    c = corrections(build_db)
    oids = table_oids(build_db, models)
    maandeinde = "core.fct_uitkeringen_maand"
    heropend = (f"select count(*) from {maandeinde} where dossiernummer = {c['heropend']} "
                f"and maand = date '{date(c['eind'].year, c['eind'].month + 1, 1)}'")
    assert query(build_db, heropend) == [(0,)]

    correct_delivery(held / "civision" / laatste, c)
    for folder in held.iterdir():
        shutil.move(held / folder.name / laatste, inbox / folder.name / laatste)
    run(inbox, warehouse, out / "run2.log")

    # updated in place (the same tables, not rebuilt), and history changed where the delivery said so
    assert table_oids(build_db, models) == oids
    assert query(build_db, heropend) == [(1,)]
    assert query(build_db, f"select count(*) from {maandeinde} where dossiernummer = {c['verwijderd']}") == [(0,)]
    assert query(build_db, f"select bool_and(is_jongere) from {maandeinde} where dossiernummer = {c['jong']} "
                           "and maand < date '2016-01-01'") == [(True,)]
    assert query(build_db, f"select heeft_deeltijdarbeid from {maandeinde} where dossiernummer = {c['deeltijd']} "
                           f"and maand = date '{c['maand']}'") == [(True,)]

    con = duckdb.connect(str(build_db))
    try:
        con.execute("create schema incrementeel")
        for model in models:
            con.execute(f"create table incrementeel.{model.split('.')[1]} as select * from {model}")
    finally:
        con.close()
    dbt(build_db, "run", "--full-refresh", "--select", "config.materialized:incremental")
    assert table_oids(build_db, models) != oids  # rebuilt this time
    for model in models:
        kopie = f"incrementeel.{model.split('.')[1]}"
        assert query(build_db, f"select count(*) from {model}") == query(build_db, f"select count(*) from {kopie}")
        assert query(build_db, f"(select * from {model} except all select * from {kopie}) union all "
                               f"(select * from {kopie} except all select * from {model})") == [], model

    # the second run took over every forecast whose input did not change (pdw.prognose.invoer): fitted
    # anew from scratch, every forecast is the same
    forecasts = ["intermediate.int_kpi_prognose", "intermediate.int_uitkeringen_prognose"]
    con = duckdb.connect(str(build_db))
    try:
        con.execute("create schema if not exists overgenomen")
        for model in forecasts:
            con.execute(f"create or replace table overgenomen.{model.split('.')[1]} as select * from {model}")
            con.execute(f"drop table {model}")
    finally:
        con.close()
    dbt(build_db, "run", "--select", *(m.split(".")[1] for m in forecasts))
    for model in forecasts:
        kopie = f"overgenomen.{model.split('.')[1]}"
        assert query(build_db, f"select count(*) from {model}")[0][0] > 0, model
        assert query(build_db, f"(select * from {model} except all select * from {kopie}) union all "
                               f"(select * from {kopie} except all select * from {model})") == [], model
