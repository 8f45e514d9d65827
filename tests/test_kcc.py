"""kcc end to end on a tiny hand-made inbox: the UTF-16 text export loaded into raw_kcc, then a real
`dbt build` of the kcc models; the KPI figures are worked out by hand below.

Two weekly deliveries. In March 2022 the KCC takes calls KC1 (call-back request), KC2 (put through,
corrected in the second delivery to answered directly), KC4 (direct), KC5 (an Afhandeling label
outside the code list: no result), KC6 (direct, deleted in the second delivery) and KC7 (call-back
request whose registration lags: it arrives only in the second delivery, after its task IT2). KC3
is the answering team's second registration of the put-through call KC2: no KCC call.
Task IT1 (from KC1, call 1 March 10:00) was reassigned on 2 March 09:00 (Toegewezen op reset) and
done 2 March 11:00: 25 clock hours after the call, so not within 24 hours (2 hours counted from
Toegewezen op). IT2 (from KC7, call 4 March 15:50) was done 4 March 18:00: within 24 hours.
In October the KCC takes call KC8 at 30-10-2022 02:30:00, the repeated hour, read as summer time
(00:30 UTC); its task IT3 is done 31-10-2022 01:45:00 (00:45 UTC): 24 h 15 min, not within 24 hours.

After the first delivery: KCC calls KC1, KC2, KC4, KC5, KC6: 2 of 5 direct; call-back requests: IT1
only (IT2's contact has not arrived: a finding, left out): 1, none within 24 hours.
After the second: KC1, KC2, KC4, KC5, KC7: 2 of 5 direct (KC2 now direct, KC6 deleted); requests
IT1 and IT2: 2, one within 24 hours. October: 1 call, 1 request, none within 24 hours.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import loading
from tests.conftest import TEST_KEY, hand_made_build

CONTACT_HEADER = ("Nummer\tDatum/tijd\tKanaal\tRichting\tVraagcategorie\tAfhandeling\tContact gelukt\tTeam\t"
                  "Interne taak\tNaar aanleiding van\tVerwijderd\tGewijzigd op")
TASK_HEADER = ("Nummer\tGevraagde handeling\tKlantcontact\tToegewezen aan\tToegewezen op\tStatus\tAfgehandeld op\t"
               "Gewijzigd op")
TASKS = [
    "IT2022-0000001\tTerugbellen\tKC2022-0000001\tWerk\t02-03-2022 09:00:00\tverwerkt\t02-03-2022 11:00:00\t02-03-2022 11:00:00",
    "IT2022-0000002\tTerugbellen\tKC2022-0000007\tInkomen\t04-03-2022 16:00:00\tverwerkt\t04-03-2022 18:00:00\t04-03-2022 18:00:00",
]
DELIVERIES = {
    "20220307": {
        "klantcontacten.txt": [
            "KC2022-0000001\t01-03-2022 10:00:00\tTelefoon\tInkomend\tUitkering\tTerugbelverzoek\tJa\tKCC\tIT2022-0000001\t\tNee\t01-03-2022 10:05:00",
            "KC2022-0000002\t01-03-2022 11:00:00\tTelefoon\tInkomend\tUitkering\tDoorverbonden\tJa\tKCC\t\t\tNee\t01-03-2022 11:02:00",
            "KC2022-0000003\t01-03-2022 11:00:40\tTelefoon\tInkomend\tUitkering\tZelfstandig afgehandeld\tJa\tInkomen\t\t\tNee\t01-03-2022 11:10:00",
            "KC2022-0000004\t02-03-2022 09:00:00\tTelefoon\tInkomend\tBetaling\tZelfstandig afgehandeld\tJa\tKCC\t\t\tNee\t02-03-2022 09:03:00",
            "KC2022-0000005\t02-03-2022 09:30:00\tTelefoon\tInkomend\tBetaling\tAfgehandeld door vakafdeling\tJa\tKCC\t\t\tNee\t02-03-2022 09:33:00",
            "KC2022-0000006\t03-03-2022 14:00:00\tTelefoon\tInkomend\tBetaling\tZelfstandig afgehandeld\tJa\tKCC\t\t\tNee\t03-03-2022 14:03:00",
        ],
        "interne_taken.txt": TASKS,
    },
    "20220314": {
        "klantcontacten.txt": [
            "KC2022-0000007\t04-03-2022 15:50:00\tTelefoon\tInkomend\tWerk\tTerugbelverzoek\tJa\tKCC\tIT2022-0000002\t\tNee\t08-03-2022 09:00:00",
            "KC2022-0000006\t03-03-2022 14:00:00\tTelefoon\tInkomend\tBetaling\tZelfstandig afgehandeld\tJa\tKCC\t\t\tJa\t09-03-2022 10:00:00",
            "KC2022-0000002\t01-03-2022 11:00:00\tTelefoon\tInkomend\tUitkering\tZelfstandig afgehandeld\tJa\tKCC\t\t\tNee\t10-03-2022 10:00:00",
        ],
        "interne_taken.txt": TASKS,
    },
    "20221107": {
        "klantcontacten.txt": [
            "KC2022-0000008\t30-10-2022 02:30:00\tTelefoon\tInkomend\tWerk\tTerugbelverzoek\tJa\tKCC\tIT2022-0000003\t\tNee\t30-10-2022 02:35:00",
        ],
        "interne_taken.txt": TASKS + [
            "IT2022-0000003\tTerugbellen\tKC2022-0000008\tWerk\t30-10-2022 02:40:00\tverwerkt\t31-10-2022 01:45:00\t31-10-2022 01:45:00",
        ],
    },
}


def _write(inbox: Path, folder: str) -> None:
    """One delivery as the tool writes it: UTF-16 LE with BOM, TAB, CRLF, Dutch labels."""
    target = inbox / "kcc" / folder
    target.mkdir(parents=True)
    for name, lines in DELIVERIES[folder].items():
        header = CONTACT_HEADER if name == "klantcontacten.txt" else TASK_HEADER
        (target / name).write_bytes(b"\xff\xfe" + "\r\n".join([header, *lines, ""]).encode("utf-16-le"))
    (target / "_READY").write_bytes(b"")


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kcc")
    yield hand_made_build(tmp, ("kcc",), _write, "+int_kpi_maand_kcc", "dq_controle_kcc")
    shutil.rmtree(tmp, ignore_errors=True)


def kpis(query, maand: str) -> dict[str, tuple]:
    return {k: (t, n) for k, t, n in query(
        f"select kpi, teller, noemer from intermediate.int_kpi_maand_kcc where maand = date '{maand}'")}


def test_kcc_deliveries_end_to_end(build):
    query = build("20220307")
    # raw zone: labels mapped to names, UTF-16 read, Ja/Nee as booleans, dd-mm-jjjj timestamps
    assert query("select count(*), count(*) filter (where verwijderd) from raw_kcc.klantcontacten") == [(6, 0)]
    assert query("select plaatsgevonden_op::varchar from raw_kcc.klantcontacten where nummer = 'KC2022-0000001'") \
        == [("2022-03-01 10:00:00",)]
    flags = query("select sleutel, veld, controle from raw_meta.markeringen where systeem = 'kcc'")
    assert flags == [("KC2022-0000005", "afhandeling", "label_onbekend")]
    assert kpis(query, "2022-03-01") == {"kcc_direct_afgehandeld_aandeel": (2, 5), "kcc_terugbelverzoeken": (1, None),
                                          "kcc_terugbellen_24u_aandeel": (0, 1)}
    assert query("select sleutel, controle from kwaliteit.dq_controle_kcc") == [("IT2022-0000002", "taak_zonder_contact")]

    query = build("20220314")
    # delta-upsert: KC2 replaced, KC6 deleted, versions kept raw
    assert query("select count(*) from raw_kcc.klantcontacten") == [(9,)]
    assert query("select afhandeling from staging.stg_kcc__klantcontacten where nummer = 'KC2022-0000002'") \
        == [("DIRECT_AFGEHANDELD",)]
    assert kpis(query, "2022-03-01") == {"kcc_direct_afgehandeld_aandeel": (2, 5), "kcc_terugbelverzoeken": (2, None),
                                          "kcc_terugbellen_24u_aandeel": (1, 2)}
    assert query("select count(*) from kwaliteit.dq_controle_kcc") == [(0,)]

    query = build("20221107")
    assert kpis(query, "2022-10-01") == {"kcc_direct_afgehandeld_aandeel": (0, 1), "kcc_terugbelverzoeken": (1, None),
                                          "kcc_terugbellen_24u_aandeel": (0, 1)}


def test_kcc_unknown_header_label_is_an_extra_column(tmp_path, monkeypatch):
    """A label the contract does not know is kept as an extra column; the known ones still map."""
    inbox = tmp_path / "inbox"
    _write(inbox, "20220307")
    path = inbox / "kcc" / "20220307" / "interne_taken.txt"
    text = path.read_bytes().decode("utf-16")
    first, rest = text.split("\r\n", 1)
    path.write_bytes(b"\xff\xfe" + (first + "\tPrioriteit\r\n" + rest.replace("\r\n", "\thoog\r\n")).encode("utf-16-le"))
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    con = duckdb.connect(str(tmp_path / "pdw.duckdb"))
    try:
        loading.load_system(con, inbox, "kcc", "test")
        assert con.execute("select prioriteit, klantcontact from raw_kcc.interne_taken order by nummer limit 1").fetchall() \
            == [("hoog", "KC2022-0000001")]
    finally:
        con.close()
