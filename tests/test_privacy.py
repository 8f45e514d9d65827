"""Citizen identifiers never leave the raw zone, and the pseudonym key is never stored."""
from __future__ import annotations

import duckdb
import pandas as pd

from orchestration import exports
from pdw import pseudonym

from .conftest import TEST_KEY
from .privacy_scan import collect_identifiers, leaks


def test_no_identifier_outside_raw_zone(demo_world, tmp_path):
    con = duckdb.connect(str(demo_world.settings.build_db), read_only=True)
    try:
        pseudonym.register(con, TEST_KEY.encode())  # staging views compute the pseudonym as they are read
        assert collect_identifiers(con) > 1000, "the scan found no identifiers to look for"
        con.execute(f"attach '{demo_world.settings.warehouse}' as published (read_only)")
        build_catalog = con.execute("select current_database()").fetchone()[0]
        found = leaks(con, build_catalog) + leaks(con, "published")
        assert not found, "\n".join(found)
        raw_schemas = con.execute(
            "select count(*) from information_schema.schemata where catalog_name = 'published' and schema_name like 'raw%'"
        ).fetchone()[0]
        assert raw_schemas == 0, "the published copy must not hold the raw zone"

        bsn = con.execute("select max(bsn) from raw_civision.personen where length(bsn) = 9").fetchone()[0]
        with duckdb.connect(str(tmp_path / "geplant.duckdb")) as planted:
            planted.execute("create schema marts")
            planted.execute("create table marts.lek as select ? as gemeente, cast(? as bigint) as aantal", [bsn, bsn])
        con.execute(f"attach '{tmp_path / 'geplant.duckdb'}' as geplant (read_only)")
        assert leaks(con, "geplant") == ["geplant.marts.lek.gemeente: 1 identifier values",
                                         "geplant.marts.lek.aantal: 1 identifier values"]
    finally:
        con.close()


def test_scan_tells_a_kvk_number_from_a_leaked_bsn(tmp_path):
    """A KvK number equal to a bsn without its leading zero is carried through, not leaked;
    the same value in any other field, or a bsn in the KvK field, is a leak."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw_civision; create schema raw_reintegratie; create schema marts")
    con.execute("create table raw_civision.personen as select * from (values "
                "(1, '016831469', 'Dorpsstraat', '3131AB'), (2, '123456782', 'Kade', '3132CD')) "
                "t(persoonsnummer, bsn, straat, postcode)")
    con.execute("create table raw_reintegratie.plaatsingen as select * from (values "
                "('P1', '123456782', '16831469')) t(plaatsing_id, client_bsn, werkgever_kvk)")
    con.execute("create table marts.plaatsingen as select * from (values ('P1', '16831469'), ('P2', '123456782')) "
                "t(plaatsing_id, werkgever_kvk)")
    con.execute("create table marts.adressen as select * from (values ('16831469', 3132, 'Kade')) "
                "t(kenmerk, huisnummer, straatnaam)")
    assert collect_identifiers(con) == 6
    assert sorted(leaks(con, "w")) == ["w.marts.adressen.huisnummer: identifier column name",
                                       "w.marts.adressen.kenmerk: 1 identifier values",
                                       "w.marts.plaatsingen.werkgever_kvk: 1 identifier values"]
    con.close()


def test_pseudonym_key_is_not_stored(demo_world):
    warehouse_dir = demo_world.settings.warehouse.parent
    files = [p for p in warehouse_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert TEST_KEY.encode() not in path.read_bytes(), f"pseudonym key found in {path}"


def test_hr_identifiers(demo_world):
    """hr (SOURCES.md, privacy): a bsn on an AMBTELIJK row is not even kept raw and is reported;
    employee pseudonyms have their own domain; no table outside staging holds absence per person."""
    con = duckdb.connect(str(demo_world.settings.build_db), read_only=True)
    try:
        pseudonym.register(con, TEST_KEY.encode())
        assert con.execute("select count(*) from raw_hr.dienstverbanden where soort = 'AMBTELIJK' "
                           "and bsn is not null").fetchone()[0] == 0
        reported = con.execute("select count(*) from raw_meta.markeringen where object = 'dienstverbanden' "
                               "and controle = 'bsn_niet_toegestaan'").fetchone()[0]
        planted = sum(1 for line in (demo_world.truth / "faults.csv").open(encoding="utf-8")
                      if ",bsn_niet_toegestaan," in line)
        assert reported == planted > 0
        medewerkers = con.execute("select count(distinct medewerker) from staging.stg_hr__dienstverbanden").fetchone()[0]
        assert medewerkers > 1000
        nummers = [r[0] for r in con.execute("select distinct personeelsnummer from raw_hr.dienstverbanden").fetchall()]
        citizen_domain = {pseudonym.pseudoniem(n, TEST_KEY.encode()) for n in nummers}
        employee = {r[0] for r in con.execute("select medewerker from staging.stg_hr__dienstverbanden").fetchall()}
        assert not employee & citizen_domain
        per_person = con.execute(
            "select table_schema || '.' || table_name from information_schema.columns where column_name = 'medewerker' "
            "and table_schema not like 'raw%' and table_schema <> 'staging'").fetchall()
        assert per_person == []
    finally:
        con.close()


def test_tevredenheid_respondent_not_in_marts(demo_world):
    """The agency's respondent number is no person identifier, but no mart carries it (SOURCES.md: no
    person identifiers in tevredenheid; marts publish scores with their n only)."""
    con = duckdb.connect(str(demo_world.settings.build_db), read_only=True)
    try:
        assert con.execute("select count(*) from core.fct_tevredenheid_respons").fetchone()[0] > 0
        assert con.execute("select table_schema || '.' || table_name from information_schema.columns "
                           "where column_name = 'respondent_id' and table_schema = 'marts'").fetchall() == []
    finally:
        con.close()


def test_absence_of_fewer_than_10_employees_is_suppressed_in_published_exports(demo_world):
    """Absence is health data: a verzuimpercentage_* or verzuimfrequentie_* cell whose population has
    fewer than 10 employees is empty in the openbaar export (with teller and noemer) and says why;
    the internal export and marts.kpi keep it (calibration compares the unsuppressed mart)."""
    exports_dir = demo_world.settings.warehouse.parent / "exports"
    intern = pd.concat([pd.read_parquet(p) for p in exports_dir.glob("*/kpi.parquet")])
    openbaar = pd.concat([pd.read_parquet(p) for p in (exports_dir / "openbaar").glob("*/kpi.parquet")])
    key = ["organisatie", "gemeente", "kpi", "periode"]
    both = intern.merge(openbaar, on=key, suffixes=("", "_openbaar"), validate="one_to_one")
    absence = both["kpi"].str.startswith(exports.ABSENCE)
    small = absence & (both["medewerkers"] < exports.MIN_EMPLOYEES) & both["waarde"].notna()
    large = absence & (both["medewerkers"] >= 100) & both["waarde"].notna()
    assert small.sum() > 0 and large.sum() > 0, "the demo world should have small and large absence cells"
    hidden = both[small]
    assert hidden[["waarde_openbaar", "teller_openbaar", "noemer_openbaar"]].isna().all().all()
    assert hidden["onderdrukt"].str.contains("minder dan 10 medewerkers").all()
    assert both.loc[large, "waarde_openbaar"].notna().all()


def test_absence_suppression_rule():
    """One cell at a time: under 10 employees (or unknown) hidden, 10 shown; other KPIs untouched."""
    kpi = pd.DataFrame({
        "organisatie": ["SOW"] * 4, "gemeente": [None] * 4, "periode": ["2018"] * 4, "berekening": ["aandeel"] * 4,
        "kpi": ["verzuimpercentage_beschut", "verzuimfrequentie_beschut", "verzuimpercentage_wsw", "sw_fte"],
        "waarde": [0.12, 1.1, 0.14, 600.0], "teller": [120, 400, 140, 6000], "noemer": [1000, 3650, 1000, 10],
        "medewerkers": [9.9, None, 10.0, None]})
    out = exports.suppress("kpi", kpi, kpi)
    assert out["waarde"].isna().tolist() == [True, True, False, False]
    assert out["teller"].isna().tolist() == [True, True, False, False]
    assert out["onderdrukt"].notna().tolist() == [True, True, False, False]


def test_hr_findings_name_the_employee_by_pseudonym(demo_world):
    """The hr quirks the contract flags reach marts.dq_bevindingen keyed by the employee pseudonym
    (medewerker|dienstverband|geldig_van), never by personeelsnummer."""
    con = duckdb.connect(str(demo_world.settings.build_db), read_only=True)
    try:
        pseudonym.register(con, TEST_KEY.encode())
        rows = con.execute("select controle, sleutel, omschrijving from marts.dq_bevindingen where bron = 'hr' "
                           "and controle in ('fte_afwijkend', 'werksoort_groep_leeg')").fetchall()
        employees = {r[0] for r in con.execute("select distinct medewerker from staging.stg_hr__dienstverbanden").fetchall()}
        nummers = {r[0] for r in con.execute("select distinct personeelsnummer from raw_hr.dienstverbanden").fetchall()}
    finally:
        con.close()
    assert {c for c, _, _ in rows} == {"fte_afwijkend", "werksoort_groep_leeg"}
    assert all(s.split("|")[0] in employees for _, s, _ in rows)
    assert not [s for _, s, o in rows for n in nummers if n in s.split("|") or n in o]
