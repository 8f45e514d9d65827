"""A corpus of damaged deliveries: each case damages one file of the hand-written extracts
(tests/extracts/inbox) and states the finding it must give (file, row, field, check) and how
many of the file's good records the damage may cost (only the damaged one); every other record
of the file, and every other file, loads exactly as from the undamaged inbox.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
import pytest

from orchestration import loading

EXTRACTS = Path(__file__).parent / "extracts" / "inbox"
KEY = "test-sleutel-voor-de-corpustests-0123456789"
SYSTEMS = ("civision", "schuldhulp", "reintegratie")


@dataclass(frozen=True)
class Case:
    id: str
    bestand: str  # relative to the inbox
    damage: Callable[[bytes], bytes]
    findings: tuple[tuple[int, str | None, str], ...]  # (rij, veld, controle) in raw_meta.quarantaine
    lost: int = 0  # good records of the file the damage itself makes unreadable
    flags: tuple[tuple[int, str, str], ...] = ()  # (rij, veld, controle) in raw_meta.markeringen: loaded, doubtful
    flags_gone: tuple[tuple[int, str, str], ...] = ()  # flags of a record the damage made unreadable


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)
    return damage


CASES = (
    Case("civision_lf_in_crlf", "civision/20180228/betalingen.csv",
         replace(b"125,40;26-02-2018\r\n", b"125,40;26-02-2018\n"), ()),
    Case("civision_alleen_lf", "civision/20180228/aanvragen.csv", lambda d: d.replace(b"\r\n", b"\n"), ()),
    Case("civision_open_aanhalingsteken", "civision/20180228/aanvragen.csv",
         replace(b"7001;1001;0622", b'7001;"1001;0622'), ((1, None, "regel_onleesbaar"),), lost=1),
    Case("civision_te_veel_velden", "civision/20180228/uitkeringen.csv",
         replace(b";P;N;05-01-2018 10:15:00", b";P;N;05-01-2018 10:15:00;extra"), ((1, None, "aantal_velden"),),
         lost=1),
    Case("schuldhulp_crlf_in_lf", "schuldhulp/20180131/trajecten.csv", replace(b",,,15234.50,7\n", b",,,15234.50,7\r\n"),
         ()),
    Case("schuldhulp_open_aanhalingsteken", "schuldhulp/20180131/trajecten.csv",
         replace(b"S1,A2018-000001", b'S1,"A2018-000001'), ((1, None, "regel_onleesbaar"),), lost=1),
    Case("schuldhulp_ongeldige_utf8", "schuldhulp/20180131/trajecten.csv",
         replace(b"S2,A2018-000002", b"S2,A2018-\xff00002"), ((2, None, "tekens_onleesbaar"),), lost=1),
    Case("reintegratie_client_als_tekst", "reintegratie/20180131/trajecten.jsonl",
         replace(b'"client": {"bsn": "10000021", "gemeente": "GM0622"}', b'"client": "10000021"'),
         ((2, "client", "json_vorm"),), lost=1,
         flags_gone=((2, "client_bsn", "bsn_8_cijfers"),)),
    Case("reintegratie_object_als_code", "reintegratie/20180131/trajecten.jsonl",
         replace(b'"soort": "ASSESSMENT", "aangemeld_op": "2018-01-09"',
                 b'"soort": {"code": "ASSESSMENT"}, "aangemeld_op": "2018-01-09"'),
         ((2, "soort", "json_vorm"),), lost=1,
         flags_gone=((2, "client_bsn", "bsn_8_cijfers"),)),
    # plausibility: parses, cannot be true
    Case("civision_periode_in_de_toekomst", "civision/20180228/betalingen.csv",
         replace(b"4;5001;201802;", b"4;5001;208102;"), ((1, "periode", "datum_onmogelijk"),), lost=1),
    Case("civision_betaaldatum_na_extractie", "civision/20180228/betalingen.csv",
         replace(b"125,40;26-02-2018", b"125,40;26-02-2019"), ((1, "betaaldatum", "datum_onmogelijk"),), lost=1),
    Case("civision_geboren_voor_1900", "civision/20180228/personen.csv",
         replace(b"28-02-1985", b"28-02-1885"),
         ((3, "geboortedatum", "datum_onmogelijk"),), lost=1),
    Case("reintegratie_tijdzone_buiten_14_uur", "reintegratie/20180131/trajecten.jsonl",
         replace(b'"gewijzigd_op": "2018-01-20T09:00:00+01:00"}', b'"gewijzigd_op": "2018-01-20T09:00:00+25:00"}'),
         ((2, "gewijzigd_op", "tijdzone_onmogelijk"),), lost=1),
    Case("civision_byte_buiten_windows1252", "civision/20180228/personen.csv",
         replace(b";Laan;2;", b";La\x81n;2;"), (), flags=((3, "straat", "teken_ongeldig"),)),
    Case("schuldhulp_stuurteken", "schuldhulp/20180131/vroegsignalen.csv",
         replace(b"V1,2018-01-02,ENERGIE,Vlaardingen", b"V1,2018-01-02,ENERGIE,Vlaar\x07dingen"), (),
         flags=((1, "gemeente", "stuurteken"),)),
)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)


def load(db: Path, inbox: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db))
    for system in SYSTEMS:
        loading.load_system(con, inbox, system, "corpus")
    return con


def per_file(con, bestand: str | None = None) -> dict[str, list]:
    """The loaded records per file, without load metadata and without the end of their version
    (`_levering_tot`: set by what later deliveries hold, not by this file)."""
    out = {}
    for obj in loading.contract.OBJECTS:
        if obj.system not in SYSTEMS:
            continue
        for (name,) in con.execute(f"select distinct _bestand from {obj.raw_table}").fetchall():
            if name != bestand:
                out[name] = sorted(map(repr, con.execute(
                    f"select * exclude (_load_id, _geladen_op, _levering_tot) from {obj.raw_table} where _bestand = ?",
                    [name]).fetchall()))
    return out


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    root = tmp_path_factory.mktemp("basis")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PDW_PSEUDONYM_KEY", KEY)
        con = load(root / "w.duckdb", EXTRACTS)
    yield con
    con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_damage_quarantines_only_the_damaged_record(tmp_path, baseline, case):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, inbox)
    path = inbox / case.bestand
    path.write_bytes(case.damage(path.read_bytes()))
    con = load(tmp_path / "w.duckdb", inbox)
    try:
        before = baseline.execute("select rij, veld, controle from raw_meta.quarantaine where bestand = ?",
                                  [case.bestand]).fetchall()
        found = con.execute("select rij, veld, controle, omschrijving from raw_meta.quarantaine where bestand = ? "
                            "order by rij, veld", [case.bestand]).fetchall()
        assert sorted(map(repr, [(r, v, c) for r, v, c, _ in found])) == \
            sorted(map(repr, before + list(case.findings)))
        for rij, veld, _, omschrijving in found:
            assert omschrijving.startswith(f"{case.bestand} rij {rij}")
            assert veld is None or f"veld {veld}" in omschrijving
        rijen = baseline.execute("select rijen from raw_meta.leveringen where bestand = ?", [case.bestand]).fetchone()[0]
        regels, geladen, quarantaine = con.execute(
            "select regels, rijen, gequarantaineerd from raw_meta.leveringen where bestand = ?",
            [case.bestand]).fetchone()
        assert geladen == rijen - case.lost
        assert regels == geladen + quarantaine
        flagged = "select rij, veld, controle from raw_meta.markeringen where bestand = ?"
        assert sorted(map(repr, con.execute(flagged, [case.bestand]).fetchall())) == \
            sorted(map(repr, [f for f in baseline.execute(flagged, [case.bestand]).fetchall()
                              if f not in case.flags_gone] + list(case.flags)))
        # every other file loads exactly as without the damage
        assert per_file(con, case.bestand) == per_file(baseline, case.bestand)
    finally:
        con.close()


def test_every_delivered_line_is_loaded_or_quarantined(baseline):
    assert baseline.execute("select count(*) from raw_meta.leveringen where regels <> rijen + gequarantaineerd "
                            "or regels is null").fetchone()[0] == 0


def test_ready_folder_missing_a_file_is_a_finding_and_keeps_the_last_snapshot(tmp_path, baseline):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, inbox)
    (inbox / "civision" / "20180228" / "aanvragen.csv").unlink()
    con = load(tmp_path / "w.duckdb", inbox)
    try:
        [(bestand, controle, omschrijving)] = con.execute(
            "select bestand, controle, omschrijving from raw_meta.markeringen where controle = 'bestand_ontbreekt'"
        ).fetchall()
        assert bestand == "civision/20180228/aanvragen.csv"
        assert "mist aanvragen.csv" in omschrijving and "vorige levering van aanvragen blijft gelden" in omschrijving
        assert con.execute("select distinct _levering from raw_civision.aanvragen").fetchall() == [
            (baseline.execute("select min(_levering) from raw_civision.aanvragen").fetchone()[0],)]
        assert per_file(con, "civision/20180228/aanvragen.csv") == per_file(baseline, "civision/20180228/aanvragen.csv")
        # the January versions stay current: nothing was closed by the incomplete delivery
        assert con.execute("select count(*) from raw_civision.aanvragen where _levering_tot is not null").fetchone() == (0,)
    finally:
        con.close()


def test_folder_without_a_valid_date_is_a_finding_once_and_not_loaded(tmp_path, baseline):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, inbox)
    shutil.copytree(inbox / "civision" / "20180228", inbox / "civision" / "20181345")
    con = load(tmp_path / "w.duckdb", inbox)
    try:
        for system in SYSTEMS:  # a second run reports it no second time
            loading.load_system(con, inbox, system, "tweede")
        assert con.execute("select bestand, controle from raw_meta.markeringen where controle = 'map_naam_ongeldig'"
                           ).fetchall() == [("civision/20181345", "map_naam_ongeldig")]
        assert per_file(con) == per_file(baseline)
    finally:
        con.close()
