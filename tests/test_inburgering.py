"""inburgeringsplichtigen end to end on a hand-made reintegratie delivery (extraction 1 June 2023):
loaded into raw_reintegratie, then a real `dbt build` of marts.kpi; the figures are worked out by hand.

I1 and I2: statushouders in Vlaardingen housed on 1 January 2023, so the PIP term ends on 12 March
(day 70). I1's PIP is decided on day 70 (12 March, route B1), I2's on day 71 (13 March, route Z):
pip_binnen_10_weken_aandeel for March 2023 is 1/2. I1 has an INBURGERING_B1 trajectory from
20 March; I2 has none. I3: a gezinsmigrant in Schiedam, in begeleiding from 1 June 2022 (plicht_vanaf,
after settling on 1 May), PIP 1 July 2022, obligation ended on 1 February 2023 without reason, and
born (Civision) on 2 June 2004, so 17 on plicht_vanaf: flagged twice, still loaded and counted (in
begeleiding at the end of January, not of February). I4 has an unknown migrant_soort: quarantined,
the others load.

Month ends of 2023 with a decided PIP in begeleiding: January I3 (not on route), February none,
March to May I1 and I2 (I1 on route): inburgeraars_op_route_aandeel 2023 pools 3 / 7.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import hand_made_build
from tests.conftest import kpi_waarde as kpi

B1, B2, B3, B4 = "123456782", "111222333", "234567806", "999999990"


def plicht(nr: int, bsn: str, gemeente: str, soort: str, vanaf: str, huis: str, intake: str, pip: str,
           route: str, einde: str | None = None) -> dict:
    return {"inburgering_id": f"IB{nr:07d}", "client": {"bsn": bsn, "gemeente": gemeente}, "migrant_soort": soort,
            "plicht_vanaf": vanaf, "huisvestingsdatum": huis, "brede_intake_op": intake, "pip_vastgesteld_op": pip,
            "leerroute": route, "termijn_einde": None, "b1_behaald_op": None, "plicht_einde": einde,
            "plicht_einde_reden": None, "gewijzigd_op": "2023-05-01T10:00:00+02:00"}


PLICHTEN = [
    plicht(1, B1, "GM0622", "STATUSHOUDER", "2022-12-01", "2023-01-01", "2023-01-15", "2023-03-12", "B1"),
    plicht(2, B2, "GM0622", "STATUSHOUDER", "2022-12-01", "2023-01-01", "2023-01-20", "2023-03-13", "Z"),
    plicht(3, B3, "GM0606", "GEZINSMIGRANT", "2022-06-01", "2022-05-01", "2022-06-10", "2022-07-01", "B1",
           einde="2023-02-01"),
    plicht(4, B4, "GM0556", "ASIEL", "2022-06-01", "2022-06-01", "2022-06-10", "2022-07-01", "B1"),
]
TRAJECT = {"traject_id": "T0000001", "client": {"bsn": B1, "gemeente": "GM0622"}, "soort": "INBURGERING_B1",
           "aangemeld_op": "2023-03-14", "start": "2023-03-20", "eind": None, "resultaat": None, "bron": "POORT",
           "gewijzigd_op": "2023-03-20T10:00:00+01:00"}


PERSONEN = ("persoonsnummer;bsn;voorletters;achternaam;geboortedatum;geslacht;straat;huisnummer;postcode;"
            "woonplaats;gemeentecode;datum_overlijden\r\n"
            f"3;{B3};A.;Ahmadi;02-06-2004;V;Dijk;1;3111AB;Schiedam;0606;\r\n")


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _write(inbox: Path, folder: str) -> None:
    reintegratie = inbox / "reintegratie" / folder
    reintegratie.mkdir(parents=True)
    (reintegratie / "inburgeringsplichtigen.jsonl").write_text(_jsonl(PLICHTEN), encoding="utf-8")
    (reintegratie / "trajecten.jsonl").write_text(_jsonl([TRAJECT]), encoding="utf-8")
    (reintegratie / "klantprofielen.jsonl").write_text("", encoding="utf-8")
    (reintegratie / "plaatsingen.jsonl").write_text("", encoding="utf-8")
    (reintegratie / "_READY").write_bytes(b"")
    civision = inbox / "civision" / folder
    civision.mkdir(parents=True)
    (civision / "personen.csv").write_bytes(PERSONEN.encode("cp1252"))
    (civision / "_READY").write_bytes(b"")


@pytest.fixture(scope="module")
def query(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inburgering")
    yield hand_made_build(tmp, ("reintegratie", "civision"), _write, "+kpi", "dq_controle_inburgering",
                          "--indirect-selection", "cautious")("20230601")
    shutil.rmtree(tmp, ignore_errors=True)


def test_pip_on_day_70_counts_and_on_day_71_not(query):
    assert kpi(query, "pip_binnen_10_weken_aandeel", "2023-03") == pytest.approx(0.5)
    assert kpi(query, "pip_binnen_10_weken_aandeel", "2023-03", "GM0622") == pytest.approx(0.5)
    assert kpi(query, "pip_binnen_10_weken_aandeel", "2023-03", "GM0606") is None  # an empty cohort has no share


def test_month_end_stocks_and_pooled_shares(query):
    assert kpi(query, "inburgeraars_in_begeleiding_statushouder", "2023-03") == 2
    assert kpi(query, "inburgeraars_in_begeleiding_gezinsmigrant", "2023-01") == 1
    assert kpi(query, "inburgeraars_in_begeleiding_gezinsmigrant", "2023-02") == 0
    assert kpi(query, "inburgeraars_op_route_aandeel", "2023-03") == pytest.approx(0.5)
    assert kpi(query, "inburgeraars_op_route_aandeel", "2023") == pytest.approx(3 / 7)
    assert kpi(query, "leerroute_aandeel_z", "2023-04") == pytest.approx(0.5)
    # May is the last complete month before the extraction; nothing before 2022
    assert kpi(query, "inburgeraars_in_begeleiding_statushouder", "2023-06") is None
    assert kpi(query, "inburgeraars_in_begeleiding_statushouder", "2021-12") is None


def test_flagged_record_loads_and_the_quarantined_one_does_not_stop_the_others(query):
    assert query("select inburgering_id from core.fct_inburgering order by 1") == [
        ("IB0000001",), ("IB0000002",), ("IB0000003",)]
    assert query("select sleutel, veld, controle from raw_meta.quarantaine where object = 'inburgeringsplichtigen'") == [
        ("IB0000004", "migrant_soort", "code_onbekend")]
    assert query("select sleutel, controle from kwaliteit.dq_controle_inburgering order by all") == [
        ("IB0000003", "jonger_dan_18"), ("IB0000003", "plicht_einde_zonder_reden")]
    assert not query(f"select * from core.fct_inburgering where pseudoniem in ('{B1}', '{B2}', '{B3}')")
