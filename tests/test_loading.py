"""File sources into the raw zone: formats, quarantine and flags, history, atomicity, idempotence.

The extracts in tests/extracts/inbox are small and hand-written in the exact contract
formats (civision Windows-1252 with CRLF and `;`, schuldhulp UTF-8 with BOM, reintegratie
JSON lines, cbs CSV); each row is there for one quirk, see the assertions below.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration import checks, loading
from orchestration import inbox as inbox_
from orchestration.raw_zone import state_at
from pdw import contract
from pdw.pseudonym import is_valid_bsn

EXTRACTS = Path(__file__).parent / "extracts" / "inbox"
KEY = "test-sleutel-voor-de-laadtests-0123456789"
SYSTEMS = ("civision", "schuldhulp", "reintegratie", "cbs")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)


@pytest.fixture
def inbox(tmp_path) -> Path:
    target = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, target)
    return target


def load_all(db: Path, inbox: Path, load_id: str = "test") -> dict[str, list[loading.DeliveryResult]]:
    con = duckdb.connect(str(db))
    try:
        return {s: loading.load_system(con, inbox, s, load_id) for s in SYSTEMS}
    finally:
        con.close()


@pytest.fixture
def loaded(tmp_path, inbox):
    db = tmp_path / "pdw.duckdb"
    results = load_all(db, inbox)
    con = duckdb.connect(str(db))
    yield con, results
    con.close()


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def table_contents(db: Path) -> dict[str, list]:
    """Every raw and raw_meta table, sorted, without the per-run columns (load id, load time)."""
    per_run = ("_load_id", "_geladen_op", "load_id", "geladen_op")
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for schema, table in rows(con, "select schema_name, table_name from duckdb_tables() "
                                       "where schema_name like 'raw%' order by all"):
            cols = [c for (c,) in rows(con, "select column_name from duckdb_columns() where schema_name = ? "
                                            "and table_name = ? order by column_index", schema, table)
                    if c not in per_run]
            select = ", ".join(f'"{c}"' for c in cols)
            out[f"{schema}.{table}"] = sorted(map(repr, rows(con, f"select {select} from {schema}.{table}")))
        return out
    finally:
        con.close()


# ---------------------------------------------------------------- formats


def test_civision_windows1252_crlf_decimal_comma_dates(loaded):
    con, _ = loaded
    person = rows(con, "select achternaam, straat, geboortedatum, bsn, _bestand, _rij, _levering "
                       "from raw_civision.personen where persoonsnummer = 1002 order by _levering")
    assert person[0] == ("Müller", "Dreef €uro", date(1975, 7, 15), "10000021",
                         "civision/20180131/personen.csv", 2, date(2018, 1, 31))
    assert rows(con, "select achternaam, straat from raw_civision.personen where persoonsnummer = 1001 limit 1") == [
        ("Jansen-Crème", "Café-straat")]
    # a quoted field holding the delimiter
    assert rows(con, "select achternaam from raw_civision.personen where persoonsnummer = 1003") == [("de Vries; jr",)]
    betaling = rows(con, "select periode, bedrag, verrekende_inkomsten, betaaldatum from raw_civision.betalingen "
                         "where regelnummer = 4")
    assert betaling == [(date(2018, 2, 1), Decimal("1050.25"), Decimal("125.40"), date(2018, 2, 26))]
    assert rows(con, "select bedrag from raw_civision.betalingen where regelnummer = 3 limit 1") == [(Decimal("-12.50"),)]
    assert rows(con, "select laatst_gewijzigd, gemeentecode from raw_civision.uitkeringen where dossiernummer = 5001 "
                     "order by laatst_gewijzigd desc limit 1") == [(datetime(2018, 2, 27, 14, 30), "0622")]
    types = dict(rows(con, "select column_name, data_type from duckdb_columns() where schema_name = 'raw_civision' "
                           "and table_name = 'betalingen'"))
    assert types["bedrag"] == "DECIMAL(14,2)" and types["periode"] == "DATE" and types["regelnummer"] == "BIGINT"
    assert types["_rij"] == "BIGINT" and types["_levering"] == "DATE"


def test_civision_without_euro_sign_reads_as_latin1_equivalent(tmp_path, inbox):
    """Files without bytes 0x80-0x9F take DuckDB's latin-1 path; the result is the same text."""
    folder = inbox / "civision" / "20180131"
    text = (folder / "personen.csv").read_bytes().decode("cp1252").replace("€", "E")
    (folder / "personen.csv").write_bytes(text.encode("cp1252"))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loading.load_system(con, inbox, "civision")
    first = "_levering = '2018-01-31'"
    assert rows(con, f"select achternaam, straat from raw_civision.personen where persoonsnummer = 1002 and {first}") \
        == [("Müller", "Dreef Euro")]
    assert rows(con, f"select achternaam from raw_civision.personen where persoonsnummer = 1001 and {first}") == [
        ("Jansen-Crème",)]


def test_civision_cp1252_specials_differ_from_latin1(tmp_path, inbox):
    folder = inbox / "civision" / "20180131"
    text = (folder / "personen.csv").read_bytes().decode("cp1252").replace("Müller", "Šimon-Œster")
    (folder / "personen.csv").write_bytes(text.encode("cp1252"))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loading.load_system(con, inbox, "civision")
    assert rows(con, "select achternaam from raw_civision.personen where persoonsnummer = 1002 "
                     "and _levering = '2018-01-31'") == [("Šimon-Œster",)]


def test_schuldhulp_bom_iso_dates_booleans_and_municipality_as_delivered(loaded):
    con, _ = loaded
    assert rows(con, "select aanmelding_id, gemeente, datum_aanmelding, crisis from raw_schuldhulp.aanmeldingen "
                     "order by _rij") == [
        ("A2018-000001", " vlaardingen ", date(2018, 1, 5), True),
        ("A2018-000002", "Maassluis", date(2018, 1, 6), False),
    ]
    assert rows(con, "select totale_schuld, aantal_schuldeisers from raw_schuldhulp.trajecten where traject_id = 'S1'") \
        == [(Decimal("15234.50"), 7)]


def test_reintegratie_json_nested_objects_flattened(loaded):
    con, _ = loaded
    assert rows(con, "select plaatsing_id, client_bsn, client_gemeente, werkgever_kvk, werkgever_sector, eind, "
                     "loonwaarde_pct, uren_per_week from raw_reintegratie.plaatsingen order by _rij") == [
        ("P000123", "100000010", "GM0622", "12345678", "Groen", None, 55, Decimal("24.00")),
        ("P000124", "100000034", "GM0622", "87654321", "Zorg", date(2018, 6, 30), 80, Decimal("32.50")),
    ]
    gewijzigd = rows(con, "select gewijzigd_op from raw_reintegratie.trajecten where traject_id = 'T0000001' "
                          "order by _rij")
    assert [g.astimezone().utctimetuple()[:5] for (g,) in gewijzigd] == [(2018, 1, 26, 15, 1), (2018, 1, 30, 16, 45)]
    assert rows(con, "select klantgroep, ontheffing from raw_reintegratie.klantprofielen order by _rij") == [
        ("4", False), ("3", True)]


def test_cbs_loaded_once_per_content(tmp_path, inbox):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    first = loading.load_system(con, inbox, "cbs")
    again = loading.load_system(con, inbox, "cbs")
    assert [r.status for r in first] == ["geladen"] and [r.status for r in again] == ["overgeslagen"]
    assert rows(con, "select count(*), min(_bestand) from raw_cbs.bevolking") == [(3, "cbs/bevolking.csv")]
    path = inbox / "cbs" / "bevolking.csv"
    path.write_bytes(path.read_bytes() + b"GM0622,2019,0,18,15100\n")
    assert [r.status for r in loading.load_system(con, inbox, "cbs")] == ["geladen"]
    # a full snapshot is kept as record versions: the three unchanged rows stay, the new one is added
    assert rows(con, "select count(*), count(_levering_tot) from raw_cbs.bevolking") == [(4, 0)]


# ---------------------------------------------------------------- bad records


def test_unreadable_records_quarantined_with_file_row_field(loaded):
    con, _ = loaded
    found = rows(con, "select bestand, rij, veld, controle from raw_meta.quarantaine order by bestand, rij")
    assert found == [
        ("civision/20180131/betalingen.csv", 2, "bedrag", "bedrag_onleesbaar"),
        ("civision/20180131/personen.csv", 4, "geboortedatum", "datum_onleesbaar"),
        ("civision/20180131/uitkeringen.csv", 3, "regeling", "code_onbekend"),
        ("civision/20180131/uitkeringen.csv", 4, None, "aantal_velden"),
        ("reintegratie/20180131/klantprofielen.jsonl", 3, "klantgroep", "code_onbekend"),
        ("reintegratie/20180131/trajecten.jsonl", 4, "aangemeld_op", "datum_onleesbaar"),
        ("reintegratie/20180131/trajecten.jsonl", 5, None, "json_onleesbaar"),
        ("schuldhulp/20180131/aanmeldingen.csv", 3, "datum_aanmelding", "datum_onleesbaar"),
        ("schuldhulp/20180131/aanmeldingen.csv", 4, "crisis", "waarde_onleesbaar"),
        ("schuldhulp/20180131/vroegsignalen.csv", 2, "bron", "code_onbekend"),
        ("schuldhulp/20180131/vroegsignalen.csv", 3, "signaal_id", "verplicht_veld_leeg"),
    ]
    for bestand, rij, veld, omschrijving, record in rows(
            con, "select bestand, rij, veld, omschrijving, record from raw_meta.quarantaine"):
        assert omschrijving.startswith(f"{bestand} rij {rij}")
        if veld:
            assert f"veld {veld}" in omschrijving
        assert record.startswith("{")
    assert rows(con, "select record from raw_meta.quarantaine where controle = 'aantal_velden'") == [
        ('{"regel":"5004;1004;;PW;AS;0622;15-01-2018;;01;;P"}',)]
    assert "30-02-1985" in rows(con, "select record from raw_meta.quarantaine where veld = 'geboortedatum'")[0][0]
    # good rows of the same files loaded, quarantined ones not
    assert rows(con, "select list(dossiernummer order by dossiernummer) from raw_civision.uitkeringen "
                     "where _levering = '2018-01-31'") == [([5001, 5002],)]
    assert rows(con, "select count(*) from raw_civision.personen where persoonsnummer = 1004 "
                     "and _levering = '2018-01-31'") == [(0,)]
    assert rows(con, "select rijen, gequarantaineerd from raw_meta.leveringen "
                     "where bestand = 'civision/20180131/uitkeringen.csv'") == [(2, 2)]


def test_row_numbers_count_rejected_lines(loaded):
    """_rij stays the data row number in the file, also after a line with the wrong field count."""
    con, _ = loaded
    assert rows(con, "select _rij from raw_reintegratie.trajecten order by _rij") == [(1,), (2,), (3,)]
    assert rows(con, "select regelnummer, _rij from raw_civision.betalingen where _levering = '2018-01-31' "
                     "order by _rij") == [(1, 1), (3, 3), (3, 4)]


@pytest.mark.parametrize("quote", [False, True], ids=["zonder_aanhalingsteken", "met_aanhalingsteken"])
def test_blank_lines_keep_their_numbers(tmp_path, inbox, quote):
    """An empty and a blank line are no records but keep their numbers, whether DuckDB splits the
    file itself (no quote anywhere) or the file is read as lines (a quoted field)."""
    path = inbox / "civision" / "20180228" / "betalingen.csv"
    header, first, second, end = path.read_bytes().split(b"\r\n")
    if quote:
        second = second.replace(b";T;", b';"T";')
    path.write_bytes(b"\r\n".join([header, first, b"", b"   ", second, end]))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loading.load_system(con, inbox, "civision")
    assert rows(con, "select regelnummer, soort, _rij from raw_civision.betalingen where _levering = '2018-02-28' "
                     "order by _rij") == [(4, "P", 1), (5, "T", 4)]
    assert rows(con, "select regels, rijen from raw_meta.leveringen where bestand = ?",
                "civision/20180228/betalingen.csv") == [(2, 2)]


def test_identifiers_never_in_messages(loaded):
    con, _ = loaded
    bsns = {b for (b,) in rows(con, "select bsn from raw_civision.personen union select bsn from "
                                    "raw_schuldhulp.aanmeldingen union select client_bsn from raw_reintegratie.trajecten")}
    text = " ".join(str(v) for r in rows(con, "select sleutel, omschrijving from raw_meta.quarantaine union all "
                                              "select sleutel, omschrijving from raw_meta.markeringen") for v in r)
    assert bsns and not any(b and b in text for b in bsns)
    # a key that holds a bsn (klantprofielen) is shown by its pseudonym
    sleutel = rows(con, "select sleutel from raw_meta.quarantaine where bestand like '%klantprofielen%'")[0][0]
    assert len(sleutel.split("|")[0]) == 64 and sleutel.endswith("|2018-01-01")


def test_doubtful_records_flagged_and_loaded(loaded):
    con, _ = loaded
    flags = rows(con, "select bestand, rij, veld, controle from raw_meta.markeringen order by bestand, rij")
    assert flags == [
        ("civision/20180131/betalingen.csv", 4, None, "exacte_dubbele_rij"),
        ("civision/20180131/personen.csv", 2, "bsn", "bsn_8_cijfers"),
        ("civision/20180131/personen.csv", 3, "bsn", "bsn_ongeldig"),
        ("civision/20180228/personen.csv", 2, "bsn", "bsn_8_cijfers"),
        # quarantined for its klantgroep, flagged for its bsn as well: every finding is reported
        ("reintegratie/20180131/klantprofielen.jsonl", 3, "client_bsn", "bsn_8_cijfers"),
        ("reintegratie/20180131/trajecten.jsonl", 2, "client_bsn", "bsn_8_cijfers"),
        ("schuldhulp/20180131/aanmeldingen.csv", 2, "bsn", "bsn_ongeldig"),
    ]
    # flagged records are in raw, as delivered (padding happens in the pseudonym step)
    assert rows(con, "select bsn from raw_civision.personen where persoonsnummer in (1002, 1003) "
                     "and _levering = '2018-01-31' order by persoonsnummer") == [("10000021",), ("123456789",)]
    assert rows(con, "select count(*) from raw_civision.betalingen where regelnummer = 3") == [(2,)]


def test_bsn_check_in_sql_matches_python():
    values = ["123456782", "123456789", "12345678", "10000021", "000000000", "00000000", "abc", "12 345 678",
              " 100000010 ", "1234567", "1234567890", "100000022"]
    con = duckdb.connect()
    sql = checks.bsn_invalid_sql("v")
    for v in values:
        assert con.execute(f"select {sql} from (select ? as v)", [v]).fetchone()[0] is (not is_valid_bsn(v)), v


# ---------------------------------------------------------------- history and idempotence


def test_history_of_snapshots_and_deltas_kept(loaded):
    con, results = loaded
    assert [(r.map, r.status) for r in results["civision"]] == [
        ("civision/20180131", "geladen"), ("civision/20180228", "geladen")]
    # snapshot objects: every delivery stays (as record versions); a person missing from the later
    # snapshot is still in the earlier
    assert [(d, rows(con, f"select list(persoonsnummer order by persoonsnummer) from "
                          f"({state_at('raw_civision.personen', d)})")[0][0])
            for d in (date(2018, 1, 31), date(2018, 2, 28))] == [(date(2018, 1, 31), [1001, 1002, 1003]),
                                                                 (date(2018, 2, 28), [1001, 1002, 1004])]
    # paging duplicates of one key in one snapshot are both kept, with their version column
    assert rows(con, "select einddatum, reden_beeindiging from "
                     f"({state_at('raw_civision.uitkeringen', date(2018, 2, 28))}) where dossiernummer = 5001 "
                     "order by laatst_gewijzigd") == [(None, None), (date(2018, 2, 28), "10")]
    # delta object: the union of deliveries
    assert rows(con, "select list(regelnummer order by _levering, _rij) from raw_civision.betalingen") == [
        ([1, 3, 3, 4, 5],)]


def test_resent_delivery_changes_nothing(tmp_path, inbox):
    db = tmp_path / "w.duckdb"
    load_all(db, inbox, "eerste")
    before = loaded_data(db)
    again = load_all(db, inbox, "tweede")
    assert all(r.status == "overgeslagen" for results in again.values() for r in results)
    assert loaded_data(db) == before
    # a folder re-sent with the same name and content is skipped as well
    shutil.rmtree(inbox / "civision" / "20180228")
    shutil.copytree(EXTRACTS / "civision" / "20180228", inbox / "civision" / "20180228")
    ready = inbox / "civision" / "20180228" / "_READY"
    time.sleep(1.1)
    os.utime(ready)  # delivered again after the last load
    assert [r.status for r in load_all(db, inbox, "derde")["civision"]] == ["overgeslagen", "overgeslagen"]
    assert loaded_data(db) == before
    assert _resent_findings(db) == [("civision", "20180228", "levering_herhaald")]
    load_all(db, inbox, "vierde")
    assert _resent_findings(db) == [("civision", "20180228", "levering_herhaald")], "reported once per re-send"


def test_resent_delivery_with_other_content_is_reported_not_loaded(tmp_path, inbox):
    db = tmp_path / "w.duckdb"
    load_all(db, inbox, "eerste")
    before = loaded_data(db)
    folder = inbox / "civision" / "20180228"
    (folder / "betalingen.csv").write_bytes((folder / "betalingen.csv").read_bytes().rstrip(b"\r\n").rsplit(b"\r\n", 1)[0] + b"\r\n")
    time.sleep(1.1)
    os.utime(folder / "_READY")
    load_all(db, inbox, "tweede")
    assert loaded_data(db) == before
    assert _resent_findings(db) == [("civision", "20180228", "levering_gewijzigd")]


def loaded_data(db: Path) -> dict[str, list]:
    """The raw zone without the findings about re-sent deliveries themselves."""
    contents = table_contents(db)
    contents["raw_meta.markeringen"] = [r for r in contents["raw_meta.markeringen"] if "'levering_" not in r]
    return contents


def _resent_findings(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return rows(con, "select systeem, sleutel, controle from raw_meta.markeringen where object = 'levering' order by all")


def test_incomplete_delivery_waits_for_ready(tmp_path, inbox):
    (inbox / "civision" / "20180228" / "_READY").unlink()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert [r.map for r in loading.load_system(con, inbox, "civision")] == ["civision/20180131"]
    assert inbox_.pending(con, inbox, "civision") == []
    (inbox / "civision" / "20180228" / "_READY").touch()
    assert inbox_.pending(con, inbox, "civision") == ["20180228"]


# ---------------------------------------------------------------- structural problems


def _drop_column(path: Path, column: str, delimiter: str, encoding: str, newline: str) -> None:
    lines = path.read_bytes().decode(encoding).split(newline)
    index = lines[0].split(delimiter).index(column)
    out = [delimiter.join(p for i, p in enumerate(line.split(delimiter)) if i != index) if line else line
           for line in lines]
    path.write_bytes(newline.join(out).encode(encoding))


def test_missing_column_stops_system_at_that_delivery(tmp_path, inbox):
    _drop_column(inbox / "civision" / "20180228" / "uitkeringen.csv", "leefvorm", ";", "cp1252", "\r\n")
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    with pytest.raises(loading.LeveringFout) as raised:
        loading.load_system(con, inbox, "civision")
    message = str(raised.value)
    assert "civision/20180228/uitkeringen.csv" in message and "'leefvorm'" in message
    assert [r.map for r in raised.value.results] == ["civision/20180131"]
    # the earlier delivery stays; nothing of the broken one (personen.csv came before uitkeringen.csv)
    assert rows(con, "select distinct map from raw_meta.leveringen where systeem = 'civision'") == [
        ("civision/20180131",)]
    for obj in contract.objects("civision"):
        assert rows(con, f"select count(*) from {obj.raw_table} where _levering = '2018-02-28'") == [(0,)]
    # other systems are not affected, and a corrected re-delivery loads
    assert [r.status for r in loading.load_system(con, inbox, "schuldhulp")] == ["geladen"]
    shutil.copy(EXTRACTS / "civision" / "20180228" / "uitkeringen.csv", inbox / "civision" / "20180228")
    assert [r.status for r in loading.load_system(con, inbox, "civision")] == ["overgeslagen", "geladen"]


def test_missing_json_field_stops_load(tmp_path, inbox):
    path = inbox / "reintegratie" / "20180131" / "plaatsingen.jsonl"
    path.write_text(path.read_text().replace('"soort"', '"type"'))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(loading.LeveringFout, match=r"reintegratie/20180131/plaatsingen.jsonl: kolom 'soort'"):
        loading.load_system(con, inbox, "reintegratie")
    assert rows(con, "select count(*) from raw_reintegratie.trajecten") == [(0,)]


def test_extra_column_kept_and_reported(tmp_path, inbox):
    path = inbox / "schuldhulp" / "20180131" / "trajecten.csv"
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    lines = [lines[0] + ",Opmerking"] + [lines[1] + ",eerste gesprek gehad"] + [lines[2] + ","]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    results = loading.load_system(con, inbox, "schuldhulp")
    assert [f.extra_kolommen for f in results[0].files if f.object == "trajecten"] == [["opmerking"]]
    assert rows(con, "select traject_id, opmerking from raw_schuldhulp.trajecten order by _rij") == [
        ("S1", "eerste gesprek gehad"), ("S2", None)]
    assert rows(con, "select extra_kolommen from raw_meta.leveringen where object = 'trajecten'") == [(["opmerking"],)]
    assert rows(con, "select data_type from duckdb_columns() where table_name = 'trajecten' "
                     "and schema_name = 'raw_schuldhulp' and column_name = 'opmerking'") == [("VARCHAR",)]


def test_json_extra_field_kept(tmp_path, inbox):
    path = inbox / "reintegratie" / "20180131" / "plaatsingen.jsonl"
    path.write_text(path.read_text().replace('"sector": "Groen"', '"sector": "Groen", "sbi": "01"'))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    results = loading.load_system(con, inbox, "reintegratie")
    assert [f.extra_kolommen for f in results[0].files if f.object == "plaatsingen"] == [["werkgever_sbi"]]
    assert rows(con, "select werkgever_sbi from raw_reintegratie.plaatsingen order by _rij") == [("01",), (None,)]


def test_json_key_twice_quarantined(tmp_path, inbox):
    """A line with a key twice cannot be read as one record: it is quarantined, the others load."""
    path = inbox / "reintegratie" / "20180131" / "plaatsingen.jsonl"
    path.write_text(path.read_text().replace('"soort": "DETACHERING"', '"soort": "DETACHERING", "soort": "LKS_BESCHUT"'))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loading.load_system(con, inbox, "reintegratie")
    assert rows(con, "select plaatsing_id from raw_reintegratie.plaatsingen") == [("P000123",)]
    assert rows(con, "select bestand, rij, controle from raw_meta.quarantaine where object = 'plaatsingen'") == [
        ("reintegratie/20180131/plaatsingen.jsonl", 2, "json_onleesbaar")]


def test_json_optional_member_read_where_delivered(tmp_path, inbox):
    """An optional member (maatregel_code) on one line of a file is read there and empty on the
    others; absent from a whole file it is empty, not missing."""
    path = inbox / "reintegratie" / "20180131" / "plaatsingen.jsonl"
    path.write_text(path.read_text().replace('"uren_per_week": 32.5}', '"uren_per_week": 32.5, "maatregel_code": "EI19-X"}'))
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    results = loading.load_system(con, inbox, "reintegratie")
    assert [f.extra_kolommen for f in results[0].files] == [[], [], [], []]
    assert rows(con, "select plaatsing_id, maatregel_code from raw_reintegratie.plaatsingen order by _rij") == [
        ("P000123", None), ("P000124", "EI19-X")]
    assert rows(con, "select count(*), count(maatregel_code) from raw_reintegratie.trajecten") == [(3, 0)]


@pytest.mark.parametrize("line", ["null", "[]", '"P000124"'])
def test_json_line_without_object_quarantined(tmp_path, inbox, line):
    """A line that is JSON but no object (DuckDB's read_json takes `null` for an empty record) is
    quarantined as unreadable; the other lines of the file load."""
    path = inbox / "reintegratie" / "20180131" / "plaatsingen.jsonl"
    first, *_ = path.read_text().splitlines()
    path.write_text(f"{first}\n{line}\n")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loading.load_system(con, inbox, "reintegratie")
    assert rows(con, "select plaatsing_id from raw_reintegratie.plaatsingen") == [("P000123",)]
    assert rows(con, "select bestand, rij, veld, controle from raw_meta.quarantaine where object = 'plaatsingen'") == [
        ("reintegratie/20180131/plaatsingen.jsonl", 2, None, "json_onleesbaar")]


# ---------------------------------------------------------------- atomicity


LOADER = """
import logging, sys, duckdb
from orchestration import loading
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
con = duckdb.connect(sys.argv[1])
loading.load_system(con, sys.argv[2], "civision", "proces")
con.close()
print("KLAAR", flush=True)
"""


def _big_delivery(inbox: Path, rows_: int) -> None:
    """Replace the second civision delivery's payments with many lines (slow enough to interrupt)."""
    path = inbox / "civision" / "20180228" / "betalingen.csv"
    header = path.read_bytes().split(b"\r\n")[0]
    with open(path, "wb") as f:
        f.write(header + b"\r\n")
        f.write(b"".join(b"%d;5001;201802;P;%d,%02d;0;26-02-2018\r\n" % (i, i % 2000, i % 100)
                         for i in range(10, rows_ + 10)))


def test_killed_load_leaves_previous_state_and_rerun_completes(tmp_path, inbox):
    _big_delivery(inbox, 150_000)
    db = tmp_path / "killed.duckdb"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(db), str(inbox)], stdout=subprocess.PIPE, text=True,
                            env=env)
    for line in proc.stdout:
        # the big delivery's first file is in, its payments are being read: kill now
        if line.startswith("civision/20180228/personen.csv"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, "the load finished before it could be interrupted"
    con = duckdb.connect(str(db))
    assert rows(con, "select distinct map from raw_meta.leveringen") == [("civision/20180131",)]
    assert rows(con, "select count(*) from raw_civision.personen where _levering = '2018-02-28'") == [(0,)]
    con.close()
    finished = subprocess.run([sys.executable, "-c", LOADER, str(db), str(inbox)], capture_output=True, text=True,
                              env=env)
    assert "KLAAR" in finished.stdout, finished.stderr[-3000:]
    clean = tmp_path / "clean.duckdb"
    con = duckdb.connect(str(clean))
    loading.load_system(con, inbox, "civision", "schoon")
    con.close()
    assert table_contents(db) == table_contents(clean)
    con = duckdb.connect(str(db))
    assert rows(con, "select count(*) from raw_civision.betalingen") == [(150_003,)]
