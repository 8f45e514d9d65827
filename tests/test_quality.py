"""Data quality: every check fires on a small raw zone built to break it, with the right severity.

Real DuckDB files, real GX validations, a real dbt run of the cross-system checks, a real
Dagster materialisation of a blocking check, and the report opened in headless Chromium.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import loading, quality, report
from orchestration.raw_zone import META_DDL, store
from orchestration.resources import WarehouseResource
from pdw import contract
from pdw.pseudonym import pseudoniem
from pdw.settings import PROJECT_DIR, Settings

KEY = "test-sleutel-alleen-voor-de-kwaliteitstests-0123456789"
L1, L2 = date(2018, 1, 1), date(2018, 2, 1)
INVALID_BSN = "123456789"  # fails the 11-proef
VALID_BSN, VALID_BSN_8 = "111222333", "10000021"  # the second lost its leading zero
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXTRACTS = Path(__file__).parent / "extracts" / "inbox"


def _generate_module():
    spec = importlib.util.spec_from_file_location("generate", PROJECT_DIR / "expectations" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generate_module()


def suite(name: str) -> dict:
    return next(s for s in quality.load_suites() if s["name"] == name)


# -- a raw zone per docs/architecture.md ------------------------------------------------------

def create_raw(con: duckdb.DuckDBPyConnection) -> None:
    for obj in contract.OBJECTS:
        cols = [f'"{c.name}" {contract.RAW_TYPES[c.type]}' for c in obj.columns]
        cols += [f"{m} {t}" for m, t in contract.META_TYPES.items()]
        con.execute(f"create schema if not exists raw_{obj.system}")
        con.execute(f"create table {obj.raw_table} ({', '.join(cols)})")
    con.execute("create schema if not exists raw_erp")
    erp_types = {"entry_no": "BIGINT", "posting_date": "DATE", "amount": "DECIMAL(18,2)", "reversed": "BOOLEAN",
                 "reversed_entry_no": "BIGINT", "last_modified": "TIMESTAMP", "valid_from_year": "INTEGER",
                 "valid_to_year": "INTEGER", "budget_date": "DATE"}
    for table, columns in contract.ERP_TABLES.items():
        cols = [f'"{c}" {erp_types.get(c, "VARCHAR")}' for c in columns]
        con.execute(f"create table raw_erp.{table} ({', '.join(cols)}, organisatie varchar, _load_id varchar, "
                    "_geladen_op timestamp)")
    con.execute(META_DDL)


def insert(con, system: str, name: str, levering: date, records: list[dict]) -> None:
    """One delivery, stored as the loader stores it (record versions)."""
    obj = contract.get(system, name)
    rows = [[r.get(c.name) for c in obj.columns]
            + [levering, f"{system}/{levering:%Y%m%d}/{obj.filename}", i, "test", datetime(2018, 3, 1)]
            for i, r in enumerate(records, start=1)]
    con.execute(f"create or replace temp table _rijen as select * exclude (_levering_tot) from {obj.raw_table} limit 0")
    con.executemany(f"insert into _rijen values ({', '.join('?' * len(rows[0]))})", rows)
    store(con, obj, "_rijen", levering)


def dossier(nr: int, **changes) -> dict:
    base = {"dossiernummer": nr, "persoonsnummer": nr, "regeling": "PW", "leefvorm": "AS", "gemeentecode": "0622",
            "ingangsdatum": date(2017, 1, 1), "einddatum": None, "reden_instroom": "01", "instroomroute": "B",
            "ontheffing_arbeidsplicht": "N", "laatst_gewijzigd": datetime(2017, 1, 2, 9)}
    return {**base, **changes}


def erp_entry(no, posting, account, amount, doc=None, programma="INK", reversed_=False, reversed_entry_no=None,
              last_modified=None):
    return [no, posting, doc or f"D{no}", account, "omschrijving", amount, programma, "INK-UIT", "VLD", "GEN", "u",
            reversed_, reversed_entry_no, last_modified or datetime.combine(posting, datetime.min.time()), None,
            "SOW", "test", datetime(2018, 3, 1)]


def build_broken_world(con: duckdb.DuckDBPyConnection) -> None:
    """Every check below has exactly one record built to fail it (docstring per block)."""
    create_raw(con)
    # uitkeringen: 25 dossiers, then a smaller delivery (volume) with reopened 5 (end cleared) and
    # 8 (end moved later), backdated 6, date order 2, a key twice 4 (not exact), an exact duplicate 1,
    # route P 7 (an unknown code, an empty field or an invalid bsn never reaches raw: see
    # test_record_rules_are_the_loaders)
    insert(con, "civision", "uitkeringen", L1, [dossier(n) for n in range(1, 26) if n not in (5, 6, 8)]
           + [dossier(5, einddatum=date(2017, 12, 31)), dossier(6, einddatum=date(2017, 12, 20)),
              dossier(8, einddatum=date(2017, 10, 31))])
    insert(con, "civision", "uitkeringen", L2, [
        dossier(1), dossier(1), dossier(2, einddatum=date(2016, 12, 31)), dossier(3),
        dossier(4), dossier(4, leefvorm="EP"), dossier(5), dossier(6, einddatum=date(2017, 11, 30)),
        dossier(7, instroomroute="P"), dossier(8, einddatum=date(2017, 12, 31))])
    insert(con, "civision", "aanvragen", L2, [
        {"meldingsnummer": 100, "persoonsnummer": 1, "gemeentecode": "0622", "meldingsdatum": date(2016, 12, 1),
         "besluitdatum": date(2016, 12, 20), "besluit": "TOEGEKEND", "dossiernummer": 1}])
    insert(con, "civision", "personen", L2, [
        {"persoonsnummer": n, "bsn": INVALID_BSN if n == 1 else VALID_BSN, "geboortedatum": date(1980, 1, 1),
         "geslacht": "V", "gemeentecode": "0622"} for n in range(1, 8)])
    insert(con, "civision", "betalingen", L2, [
        {"regelnummer": 1, "dossiernummer": 1, "periode": date(2018, 1, 1), "soort": "P", "bedrag": 1000,
         "verrekende_inkomsten": 0, "betaaldatum": date(2018, 1, 25)},
        {"regelnummer": 2, "dossiernummer": 1, "periode": date(2018, 2, 1), "soort": "P", "bedrag": 1000,
         "verrekende_inkomsten": 0, "betaaldatum": date(2018, 2, 25)},
        {"regelnummer": 3, "dossiernummer": 1, "periode": date(2018, 2, 1), "soort": "P", "bedrag": -50,
         "verrekende_inkomsten": 0, "betaaldatum": date(2018, 2, 25)}])
    # schuldhulp: spelling A1, unknown municipality A2, invalid bsn A3, 8-digit bsn A4 (fine);
    # trajectory T2 points at an aanmelding that does not exist
    insert(con, "schuldhulp", "aanmeldingen", L2, [
        {"aanmelding_id": a, "bsn": b, "gemeente": g, "datum_aanmelding": date(2018, 1, 10), "crisis": False}
        for a, b, g in (("A1", VALID_BSN, " vlaardingen "), ("A2", VALID_BSN, "Rotterdam"),
                        ("A3", INVALID_BSN, "Vlaardingen"), ("A4", VALID_BSN_8, "Vlaardingen"))])
    insert(con, "schuldhulp", "trajecten", L2, [
        {"traject_id": t, "aanmelding_id": a, "soort": "SCHULDBEMIDDELING", "startdatum": date(2018, 1, 15)}
        for t, a in (("T1", "A1"), ("T2", "A999"))])
    insert(con, "reintegratie", "klantprofielen", L2, [
        {"client_bsn": INVALID_BSN, "client_gemeente": "GM0622", "klantgroep": "4", "geldig_vanaf": date(2018, 1, 1)}])
    # ERP (SOW): January reconciles (1000 = 1000), February does not (950 vs 900); entry 3 without
    # programma, 5 repeats document D4, 6/7 a reversal pair, 8 changed three months after posting
    con.executemany("insert into raw_erp.gl_account values (?, ?, 'Posting', 'Income Statement', 'SOW', 'test', ?)",
                    [("4100", "Uitkeringen PW", datetime(2018, 3, 1)), ("4400", "Overige lasten", datetime(2018, 3, 1))])
    con.executemany(f"insert into raw_erp.gl_entry values ({', '.join('?' * 18)})", [
        erp_entry(1, date(2018, 1, 25), "4100", 1000),
        erp_entry(2, date(2018, 2, 25), "4100", 900),
        erp_entry(3, date(2018, 1, 10), "4400", 10, programma=None),
        erp_entry(4, date(2018, 1, 12), "4400", 70, doc="D4"),
        erp_entry(5, date(2018, 1, 12), "4400", 70, doc="D4"),
        erp_entry(6, date(2018, 1, 14), "4400", 30, reversed_=True),
        erp_entry(7, date(2018, 1, 20), "4400", -30, reversed_=True, reversed_entry_no=6),
        erp_entry(8, date(2018, 1, 5), "4400", 40, last_modified=datetime(2018, 4, 10, 12))])
    # the loaders' own findings
    con.execute("""insert into raw_meta.quarantaine values ('civision', 'uitkeringen', ?, 'civision/20180201/uitkeringen.csv',
                   12, '42', 'ingangsdatum', 'datum_onleesbaar', 'civision/20180201/uitkeringen.csv rij 12, veld ingangsdatum: ''31-02-2018'' is geen geldige datum',
                   '{}', 'test', ?)""", [L2, datetime(2018, 3, 1)])
    con.execute("""insert into raw_meta.quarantaine values ('schuldhulp', 'vroegsignalen', ?, 'schuldhulp/20180201/vroegsignalen.csv',
                   2, 'V9', 'datum_signaal', 'datum_onleesbaar', 'schuldhulp/20180201/vroegsignalen.csv rij 2, veld datum_signaal: ''2018-02-30'' is geen geldige datum',
                   '{"signaal_id": "V9", "datum_signaal": "2018-02-30", "gemeente": "SCHIEDAM"}', 'test', ?)""",
                [L2, datetime(2018, 3, 1)])
    con.execute("""insert into raw_meta.markeringen values ('schuldhulp', 'aanmeldingen', ?, 'schuldhulp/20180201/aanmeldingen.csv',
                   3, 'A3', 'bsn', 'bsn_ongeldig', 'schuldhulp/20180201/aanmeldingen.csv rij 3, veld bsn: voldoet niet aan de 11-proef',
                   'test', ?)""", [L2, datetime(2018, 3, 1)])
    con.execute("""insert into raw_meta.leveringen values ('civision', ?, 'civision/20180201', 'civision/20180201/uitkeringen.csv',
                   'uitkeringen', 9, 1, 0, [], 'abc', 'test', ?, 10)""", [L2, datetime(2018, 3, 1)])


@pytest.fixture()
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)
    monkeypatch.setenv("PDW_WAREHOUSE", str(tmp_path / "warehouse" / "pdw.duckdb"))
    monkeypatch.setenv("PDW_INBOX", str(tmp_path / "inbox"))
    settings = Settings.from_env()
    settings.export()
    return settings


@pytest.fixture()
def broken(settings) -> Settings:
    con = duckdb.connect(str(settings.build_db))
    try:
        build_broken_world(con)
    finally:
        con.close()
    return settings


def run(con, name: str, settings: Settings | None = None) -> list[dict]:
    return quality.run_suite(con, suite(name), "run-1", settings.reports_dir if settings else None)


def failed(results: list[dict]) -> dict[str, tuple[str, list[str]]]:
    """Failed expectations by controle:kolom, with their severity and the failing keys."""
    out: dict[str, tuple[str, list[str]]] = {}
    for r in results:
        if not r["geslaagd"]:
            key = f"{r['controle']}:{r['kolom']}"
            out[key] = (r["ernst"], out.get(key, ("", []))[1] + r["sleutels"])
    return out


# -- the suites ------------------------------------------------------------------------------

def test_committed_suites_are_generated_from_the_contract(tmp_path):
    GEN.write(tmp_path)
    generated = {p.name: p.read_text() for p in tmp_path.glob("*.json")}
    committed = {p.name: p.read_text() for p in (PROJECT_DIR / "expectations").glob("*.json")}
    assert generated == committed, "run `.venv/bin/python expectations/generate.py` and commit the JSON"
    names = {s["name"] for s in quality.load_suites()}
    for obj in contract.OBJECTS:
        assert {obj.raw_table, f"{obj.raw_table}.schema", f"stg_{obj.system}__{obj.name}",
                f"stg_{obj.system}__{obj.name}.schema"} <= names
    assert {f"raw_erp.{t}" for t in contract.ERP_TABLES} <= names


def test_every_suite_is_a_blocking_dagster_check_on_its_asset():
    keys = {("/".join(c.asset_key.path), c.name, c.blocking)
            for a in quality.build_asset_checks() for c in a.check_specs}
    assert ("raw_civision/uitkeringen", "gx_inhoud", True) in keys
    assert ("raw_civision/uitkeringen", "gx_schema", True) in keys
    assert ("staging/stg_civision__uitkeringen", "gx_inhoud", True) in keys
    assert ("raw_erp/gl_entry", "gx_inhoud", True) in keys
    assert len(keys) == len(quality.load_suites())
    findings = quality.build_findings_asset()
    assert findings.key == dg.AssetKey(["marts", "dq_bevindingen"])
    assert dg.AssetKey(["kwaliteit", "dq_controle_civision"]) in findings.dependency_keys
    assert dg.AssetKey(["staging", "stg_civision__uitkeringen"]) in findings.dependency_keys  # after its GX checks
    assert "geen_blokkerende_bevindingen" in {spec.name for spec in findings.check_specs}


# -- GX on the raw zone ------------------------------------------------------------------------

def test_raw_uitkeringen_checks_fire_on_the_latest_delivery(broken):
    con = duckdb.connect(str(broken.build_db))
    try:
        results = run(con, "raw_civision.uitkeringen")
        afwijkingen = con.execute("select sleutel, controle, ernst, levering from kwaliteit.gx_afwijkingen "
                                  "order by all").fetchall()
    finally:
        con.close()
    bad = failed(results)
    assert bad["datumvolgorde:einddatum>=ingangsdatum"] == ("waarschuwing", ["2"])
    assert bad["sleutel_dubbel:dossiernummer+laatst_gewijzigd"] == ("waarschuwing", ["4"])  # not the exact duplicate 1
    assert bad["volume_afwijking:_dq_volume_verhouding"][0] == "waarschuwing"
    volume = next(r for r in results if r["controle"] == "volume_afwijking")
    assert volume["waargenomen"] == pytest.approx(9 / 25)  # the exact duplicate is one record
    assert set(bad) == {"datumvolgorde:einddatum>=ingangsdatum",
                        "sleutel_dubbel:dossiernummer+laatst_gewijzigd", "volume_afwijking:_dq_volume_verhouding"}
    assert ("2", "datumvolgorde", "waarschuwing", L2) in afwijkingen
    outcome = quality.check_outcome("raw_civision.uitkeringen", results)
    assert not outcome.passed and outcome.severity == dg.AssetCheckSeverity.WARN


def test_empty_key_and_missing_or_mistyped_columns_block(settings):
    """An empty key part the loader lets through (cbs leeftijd_van is optional) blocks; an empty
    required key is the loader's (quarantine, test_record_rules_are_the_loaders)."""
    con = duckdb.connect(str(settings.build_db))
    try:
        create_raw(con)
        insert(con, "cbs", "bevolking", L2, [{"gemeente": "GM0622", "jaar": 2018, "leeftijd_van": v, "inwoners": 10}
                                            for v in (0, None)])
        data = run(con, "raw_cbs.bevolking")
        insert(con, "civision", "uitkeringen", L2, [dossier(1)])
        con.execute("alter table raw_civision.uitkeringen drop column einddatum")
        con.execute("alter table raw_civision.uitkeringen alter dossiernummer type varchar")
        schema = run(con, "raw_civision.uitkeringen.schema")
    finally:
        con.close()
    assert failed(data)["sleutel_leeg:leeftijd_van"][0] == "blokkerend"
    assert quality.check_outcome("x", data).severity == dg.AssetCheckSeverity.ERROR
    bad = failed(schema)
    assert bad["kolom_ontbreekt:kolom"] == ("blokkerend", ["einddatum"])
    assert bad["kolomtype:type"] == ("blokkerend", ["dossiernummer"])
    assert "extra_kolom:kolom" not in bad


def test_an_empty_latest_delivery_blocks_and_no_delivery_is_not_validated(settings):
    con = duckdb.connect(str(settings.build_db))
    try:
        create_raw(con)
        nothing = run(con, "raw_civision.aanvragen")
        insert(con, "civision", "uitkeringen", L2, [dossier(1)])
        con.execute("""insert into raw_meta.leveringen values ('civision', date '2018-03-01', 'civision/20180301',
                       'civision/20180301/uitkeringen.csv', 'uitkeringen', 0, 0, 0, [], 'x', 'test', now(), 0)""")
        empty = failed(run(con, "raw_civision.uitkeringen"))
    finally:
        con.close()
    assert nothing == []
    assert empty["levering_leeg:"][0] == "blokkerend"


def test_volume_of_a_window_snapshot_is_compared_within_a_year(settings):
    """A window snapshot (kcc interne_taken) loses the tasks of the year that leaves its window at the
    year's first delivery (SOURCES.md): not a volume deviation then; a jump within a year still is."""
    def taken(levering, n):
        at = datetime(2024, 12, 1, 9)
        insert(con, "kcc", "interne_taken", levering, [
            {"nummer": f"IT{levering:%Y%m%d}-{k}", "handeling": "Terugbellen", "klantcontact": f"KC-{k}", "team": "Werk",
             "toegewezen_op": at, "status": "verwerkt", "afgehandeld_op": at, "gewijzigd_op": at} for k in range(n)])
        return failed(run(con, "raw_kcc.interne_taken"))
    con = duckdb.connect(str(settings.build_db))
    try:
        create_raw(con)
        taken(date(2024, 12, 4), 8)
        new_year = taken(date(2025, 1, 1), 2)
        same_year = taken(date(2025, 1, 29), 8)
    finally:
        con.close()
    assert "volume_afwijking:_dq_volume_verhouding" not in new_year
    assert same_year["volume_afwijking:_dq_volume_verhouding"][0] == "waarschuwing"

def test_record_rules_are_the_loaders(settings):
    """An unknown code, an empty required field (an empty key too) and an invalid bsn have one
    owner, the loader: named by file, row, field and check on a delivered file, once in the
    findings, never by a bsn; no GX suite repeats them on what the loader let through."""
    shutil.copytree(EXTRACTS, settings.inbox)
    con = duckdb.connect(str(settings.build_db))
    try:
        for system in ("civision", "schuldhulp", "reintegratie"):
            loading.load_system(con, settings.inbox, system, "test")
        gx = [r for o in contract.OBJECTS if o.system != "cbs" for r in run(con, o.raw_table)]
        quarantaine = con.execute("select bestand, rij, veld, controle, sleutel from raw_meta.quarantaine").fetchall()
        markeringen = con.execute("select bestand, rij, veld, controle, sleutel from raw_meta.markeringen").fetchall()
        bsns = {b for (b,) in con.execute("select bsn from raw_civision.personen union select bsn from "
                                          "raw_schuldhulp.aanmeldingen").fetchall()}
    finally:
        con.close()
    quality.build_findings(settings, "run-1")
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        rows = con.execute("select bron, object, sleutel, controle, ernst from marts.dq_bevindingen").fetchall()
        stored = " ".join(str(v) for row in con.execute(
            "select * from kwaliteit.gx_afwijkingen union all by name select * from marts.dq_bevindingen").fetchall()
            for v in row)
    finally:
        con.close()
    assert ("civision/20180131/uitkeringen.csv", 3, "regeling", "code_onbekend", "5003") in quarantaine
    assert ("schuldhulp/20180131/vroegsignalen.csv", 3, "signaal_id", "verplicht_veld_leeg", None) in quarantaine
    assert ("civision/20180131/personen.csv", 3, "bsn", "bsn_ongeldig", "1003") in markeringen
    assert ("schuldhulp/20180131/aanmeldingen.csv", 2, "bsn", "bsn_ongeldig", "A2018-000002") in markeringen
    [(_, _, _, _, profiel)] = [m for m in markeringen if "klantprofielen" in m[0]]
    assert profiel == f"{pseudoniem('10000021', KEY.encode())}|2018-01-01"  # a bsn key by its pseudonym
    for finding in (("civision", "uitkeringen", "5003", "code_onbekend"),
                    ("schuldhulp", "vroegsignalen", "rij 3", "verplicht_veld_leeg"),
                    ("civision", "personen", "1003", "bsn_ongeldig"),
                    ("schuldhulp", "aanmeldingen", "A2018-000002", "bsn_ongeldig")):
        assert [r[4] for r in rows if r[:4] == finding] == ["waarschuwing"], finding
    loaders = {"code_onbekend", "verplicht_veld_leeg", "bsn_ongeldig"}
    assert gx and not loaders & {r["controle"] for r in gx}
    assert not loaders & {e["meta"]["controle"] for s in quality.load_suites() for e in s["expectations"]
                          if s["meta"]["laag"] == "raw" and s["meta"]["bron"] != "erp"}
    assert bsns and not any(b and b in stored for b in bsns)


def test_payment_sign_and_erp_checks(broken):
    con = duckdb.connect(str(broken.build_db))
    try:
        betalingen = failed(run(con, "raw_civision.betalingen"))
        con.execute("insert into raw_erp.gl_entry select * replace (null as entry_no) from raw_erp.gl_entry limit 1")
        gl_entry = failed(run(con, "raw_erp.gl_entry"))
    finally:
        con.close()
    assert betalingen["waarde_buiten_bereik:bedrag"] == ("waarschuwing", ["3"])
    assert gl_entry["sleutel_leeg:entry_no"][0] == "blokkerend"


def test_staging_may_not_hold_an_identifier_column(settings):
    con = duckdb.connect(str(settings.build_db))
    try:
        con.execute("create schema staging")
        con.execute("create view staging.stg_civision__personen as select 1 as persoonsnummer, "
                    f"'{VALID_BSN}' as bsn, 'GM0622' as gemeente")
        bad = failed(run(con, "stg_civision__personen.schema"))
    finally:
        con.close()
    assert bad["identificerende_kolom:kolom"] == ("blokkerend", ["bsn"])


# -- Dagster: a blocking failure stops what is downstream -------------------------------------

def _pipeline(broken_key: bool):
    """A delivered file without rows (blocking) after one with a date order finding (warning)."""
    raw_key = dg.AssetKey(["raw_civision", "uitkeringen"])

    @dg.asset(key=raw_key)
    def uitkeringen(warehouse: WarehouseResource) -> None:
        with warehouse.connect() as con:
            create_raw(con)
            insert(con, "civision", "uitkeringen", L2, [dossier(1), dossier(2, einddatum=date(2016, 12, 31))])
            if broken_key:
                con.execute("""insert into raw_meta.leveringen values ('civision', date '2018-03-01', 'civision/20180301',
                               'civision/20180301/uitkeringen.csv', 'uitkeringen', 0, 0, 0, [], 'x', 'test', now(), 0)""")

    @dg.asset(deps=[raw_key])
    def mart(warehouse: WarehouseResource) -> None:
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts; create table marts.gepubliceerd as select 1 as x")

    check = quality.build_check(suite("raw_civision.uitkeringen"))
    return dg.materialize([uitkeringen, mart, check], resources={"warehouse": WarehouseResource()},
                          raise_on_error=False)


@pytest.mark.parametrize("broken_key", [True, False])
def test_blocking_check_skips_downstream_and_warning_does_not(settings, broken_key):
    result = _pipeline(broken_key)
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 1 and not evaluations[0].passed
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        published = con.execute("select count(*) from information_schema.tables where table_name = 'gepubliceerd'"
                                ).fetchone()[0]
    finally:
        con.close()
    if broken_key:
        assert evaluations[0].severity == dg.AssetCheckSeverity.ERROR
        assert dg.AssetKey(["mart"]) not in materialized and published == 0
        html = (settings.reports_dir / "datakwaliteit.html").read_text()
        assert "Geblokkeerd" in html and "levering_leeg" in html
        assert (settings.reports_dir / "gx" / "index.html").exists()
    else:
        assert evaluations[0].severity == dg.AssetCheckSeverity.WARN
        assert dg.AssetKey(["mart"]) in materialized and published == 1


# -- dbt cross-system checks, the findings table and the report ---------------------------------

def _dbt(settings: Settings, tmp: Path, *args: str) -> None:
    env = {**os.environ, "PDW_BUILD_DB": str(settings.build_db), "PDW_PSEUDONYM_KEY": KEY}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(PROJECT_DIR / "dbt_project"),
         "--profiles-dir", str(PROJECT_DIR / "dbt_project"), "--target-path", str(tmp / "target"),
         "--log-path", str(tmp / "logs")], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert result.returncode == 0, result.stdout[-6000:]


def _dom(path: Path, tmp: Path) -> str:
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'chromium'}",
         "--dump-dom", path.as_uri()], text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0
    return result.stdout


def test_cross_system_checks_findings_and_report(broken, tmp_path):
    _dbt(broken, tmp_path, "seed")
    _dbt(broken, tmp_path, "run", "--select", "+path:models/kwaliteit")
    con = duckdb.connect(str(broken.build_db))
    try:
        # the balance identity holds in the counts built from the data; break it to see the check fire
        con.execute("update intermediate.int_kpi_maand set teller = teller + 1 where kpi = 'uitkeringen_eindstand' "
                    "and gemeente = 'GM0622' and maand = (select max(maand) from intermediate.int_kpi_maand)")
    finally:
        con.close()
    _dbt(broken, tmp_path, "run", "--select", "dq_controle_civision")
    _dbt(broken, tmp_path, "test", "--select", "path:models/kwaliteit")
    con = duckdb.connect(str(broken.build_db))
    try:
        for name in ("raw_civision.uitkeringen", "raw_schuldhulp.aanmeldingen", "raw_civision.personen"):
            run(con, name, broken)
    finally:
        con.close()
    quality.build_findings(broken, "run-1")
    path = broken.reports_dir / "datakwaliteit.html"
    con = duckdb.connect(str(broken.build_db))
    try:
        counts = dict(con.execute("select ernst, count(*) from marts.dq_bevindingen group by 1").fetchall())
        rows = con.execute("select bron, object, sleutel, controle, ernst, levering from marts.dq_bevindingen").fetchall()
        aansluiting = con.execute("select periode, binnen_tolerantie from kwaliteit.dq_aansluiting_uitkeringen "
                                  "where gemeente = 'GM0622' order by 1").fetchall()
        dump = " ".join(str(v) for row in con.execute("select * from marts.dq_bevindingen").fetchall() for v in row)
    finally:
        con.close()
    found = {(b, o, s, c): e for b, o, s, c, e, _ in rows}
    expected = {
        ("civision", "uitkeringen", "7", "route_p_zonder_melding"): "waarschuwing",
        ("civision", "uitkeringen", "5", "dossier_heropend"): "waarschuwing",
        ("civision", "uitkeringen", "8", "dossier_heropend"): "waarschuwing",
        ("schuldhulp", "vroegsignalen", "V9", "gemeente_spelling"): "info",
        ("schuldhulp", "vroegsignalen", "V9", "datum_onleesbaar"): "waarschuwing",
        ("civision", "uitkeringen", "6", "einddatum_teruggezet"): "waarschuwing",
        ("civision", "uitkeringen", "2", "datumvolgorde"): "waarschuwing",
        ("civision", "uitkeringen", "42", "datum_onleesbaar"): "waarschuwing",
        ("schuldhulp", "aanmeldingen", "A3", "bsn_ongeldig"): "waarschuwing",
        ("schuldhulp", "aanmeldingen", "A1", "gemeente_spelling"): "info",
        ("schuldhulp", "aanmeldingen", "A2", "gemeente_onbekend"): "waarschuwing",
        ("schuldhulp", "trajecten", "T2", "aanmelding_onbekend"): "waarschuwing",
        ("erp", "gl_entry", "SOW:3", "zonder_programma"): "waarschuwing",
        ("erp", "gl_entry", "SOW:5", "dubbel_document"): "waarschuwing",
        ("erp", "gl_entry", "SOW:6", "tegenboeking"): "info",
        ("erp", "gl_entry", "SOW:7", "tegenboeking"): "info",
        ("erp", "gl_entry", "SOW:8", "gesloten_periode"): "waarschuwing",
        ("erp", "gl_entry", "GM0622 2018-02", "aansluiting_civision_erp"): "waarschuwing",
    }
    for key, ernst in expected.items():
        assert found.get(key) == ernst, key
    assert ("erp", "gl_entry", "GM0622 2018-01", "aansluiting_civision_erp") not in found
    assert ("erp", "gl_entry", "SOW:4", "dubbel_document") not in found  # the first posting counts
    assert ("schuldhulp", "aanmeldingen", "A4", "bsn_ongeldig") not in found
    assert [k for k in found if k[3] == "balansidentiteit"] and counts["blokkerend"] >= 1
    # the loader's flag is the one owner of the 11-proef
    assert sum(1 for b, o, s, c, e, lev in rows if (s, c) == ("A3", "bsn_ongeldig")) == 1
    assert aansluiting == [("2018-01", True), ("2018-02", False)]
    for bsn in (INVALID_BSN, VALID_BSN, VALID_BSN_8):
        assert bsn not in dump

    dom = _dom(path, tmp_path)
    assert "Datakwaliteit" in dom and "route_p_zonder_melding" in dom
    assert ">A3<" in dom and ">SOW:5<" in dom and "GM0622 2018-02" in dom
    assert "Niet gepubliceerd" in dom  # the broken balance identity is blokkerend
    assert "Vlaardingen" in dom and ">nee<" in dom and ">ja<" in dom  # reconciliation table
    assert 'href="gx/index.html"' in dom and (broken.reports_dir / "gx" / "index.html").exists()
    history = json.dumps(report.report_data(duckdb.connect(str(broken.build_db), read_only=True), "run-1", False)
                         ["historie"], default=str)
    assert "run-1" in history
