"""zaken end to end on a tiny hand-made ZGW dump: the pages loaded into raw_zaken, then a real `dbt build`
of marts.kpi and its upstream; the KPI figures are worked out by hand below.

Two weekly deliveries of SOW's case system (RSIN 812345605), extraction 1 and 8 March 2018.
First dump, page 1: Z1 objection received 5 January, still open; Z2 complaint received 10 January,
closed 1 February with result text '  Ongegrond   verklaard ' (ONGEGROND after trimming, lower-casing
and collapsing spaces), archiefnominatie vernietigen with archiefactiedatum 5 March; Z3 objection
received 20 January, closed 15 February with the unmapped text 'Afgewezen door commissie' (ONBEKEND:
in the closed objections, in no numerator); Z4 and Z5 kindpakket applications of one parent (B2),
received 8 January (income BIJSTAND, gemeente GM0622) and 3 February (ARBEID, gemeente given by name,
'vlaardingen'); Z6 complaint received 1 February without gemeente (organisation only); Z7 objection
received 25 January, archiefnominatie blijvend_bewaren. Page 2 (drift): Z1 again, now closed 10 February
with result Gegrond (the more advanced version holds), and Z6 again, byte for byte (counts once).
Second dump: Z2 and Z7 are missing. Z2 was destroyed lawfully (vernietigen, 5 March <= 8 March): it keeps
counting, its bsn and names are gone from raw. Z7 was deleted: it no longer counts.

After the second dump: objections received in January Z1, Z3: 2 (3 after the first, with Z7); closed
in February Z1, Z3: 2, of which gegrond 1: 1/2; complaints received January Z2: 1, February Z6: 1
(organisation only), so klachten_aantal_mutatie February = 1/1 - 1 = 0; complaints closed in February
Z2 ongegrond: 1/1. Kindpakket households in 2018-01/2018-03: B2 once, by the income of the latest
zaak (Z5, ARBEID) in Vlaardingen; in January alone B2 counts under BIJSTAND.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import hand_made_build
from tests.conftest import kpi_waarde as kpi

RSIN = "812345605"
B1, B2, B3 = "123456782", "111222333", "234567806"


def zaak(nr: int, zaaktype: str, start: str, *, eind: str | None = None, resultaat: str | None = None,
         bsn: str = B1, gemeente: str | None = "GM0622", nominatie: str = "blijvend_bewaren",
         actiedatum: str | None = None, inkomensbron: str | None = None) -> dict:
    """One zaak as the Zaken API serves it with expand, free text included (never read)."""
    u = f"00000000-0000-4000-8000-{nr:012d}"
    eigenschappen = [{"naam": "gemeente", "waarde": gemeente}] if gemeente else []
    if inkomensbron:
        eigenschappen.append({"naam": "inkomensbron", "waarde": inkomensbron})
    return {
        "url": f"https://zaken.example/zaken/api/v1/zaken/{u}", "uuid": u, "identificatie": f"ZAAK-2018-{nr:07d}",
        "bronorganisatie": RSIN, "omschrijving": "Vrije tekst die niet gelezen wordt",
        "zaaktype": f"https://zaken.example/catalogi/api/v1/zaaktypen/{zaaktype.lower()}",
        "registratiedatum": start, "startdatum": start, "einddatum": eind, "archiefnominatie": nominatie,
        "archiefactiedatum": actiedatum, "resultaat": "https://zaken.example/resultaten/1" if resultaat else None,
        "_expand": {
            "zaaktype": {"identificatie": zaaktype, "omschrijving": zaaktype.title(), "versiedatum": "2017-01-01"},
            "resultaat": {"toelichting": "vrije tekst", "_expand": {"resultaattype": {"omschrijving": resultaat}}}
            if resultaat else None,
            "rollen": [{"betrokkeneType": "natuurlijk_persoon", "omschrijvingGeneriek": "initiator",
                        "betrokkeneIdentificatie": {"inpBsn": bsn, "geslachtsnaam": "Jansen",
                                                    "voorvoegselGeslachtsnaam": "", "voornamen": "Piet"}},
                       {"betrokkeneType": "medewerker", "omschrijvingGeneriek": "behandelaar",
                        "betrokkeneIdentificatie": {"identificatie": "m123"}}],
            "eigenschappen": eigenschappen,
        },
    }


Z1_OPEN = zaak(1, "BEZWAAR", "2018-01-05")
Z1_DICHT = zaak(1, "BEZWAAR", "2018-01-05", eind="2018-02-10", resultaat="Gegrond")
Z2 = zaak(2, "KLACHT", "2018-01-10", eind="2018-02-01", resultaat="  Ongegrond   verklaard ", bsn=B3,
          nominatie="vernietigen", actiedatum="2018-03-05")
Z3 = zaak(3, "BEZWAAR", "2018-01-20", eind="2018-02-15", resultaat="Afgewezen door commissie")
Z4 = zaak(4, "KINDPAKKET", "2018-01-08", bsn=B2, inkomensbron="BIJSTAND")
Z5 = zaak(5, "KINDPAKKET", "2018-02-03", bsn=B2, gemeente="vlaardingen", inkomensbron="ARBEID")
Z6 = zaak(6, "KLACHT", "2018-02-01", gemeente=None)
Z7 = zaak(7, "BEZWAAR", "2018-01-25")
DELIVERIES = {
    "20180301": [[Z1_OPEN, Z2, Z3, Z4, Z5, Z6, Z7], [Z1_DICHT, Z6]],
    "20180308": [[Z1_DICHT, Z3, Z4], [Z5, Z6]],
}


def _write(inbox: Path, folder: str) -> None:
    target = inbox / "zaken" / folder
    target.mkdir(parents=True)
    pages = DELIVERIES[folder]
    for nr, results in enumerate(pages, 1):
        page = {"count": sum(map(len, pages)), "next": None if nr == len(pages) else f"https://zaken.example/zaken?page={nr + 1}",
                "previous": None if nr == 1 else f"https://zaken.example/zaken?page={nr - 1}", "results": results}
        (target / f"zaken-{nr:04d}.json").write_text(json.dumps(page), encoding="utf-8")
    (target / "_READY").write_bytes(b"")


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zaken")
    yield hand_made_build(tmp, ("zaken",), _write, "+kpi", "dq_controle_zaken", "--indirect-selection", "cautious")
    shutil.rmtree(tmp, ignore_errors=True)


def test_zaken_dump_end_to_end(build):
    query = build("20180301")
    # pages joined: 9 zaken delivered; the exact duplicate Z6 stored once and flagged; free text never read
    assert query("select count(*), count(distinct uuid) from raw_zaken.zaken") == [(8, 7)]
    columns = {c for (c,) in query("select column_name from (describe raw_zaken.zaken)")}
    assert not columns & {"omschrijving", "toelichting"}
    assert query("select controle from raw_meta.markeringen where systeem = 'zaken'") == [("exacte_dubbele_rij",)]
    assert kpi(query, "bezwaren_aantal", "2018-01") == 3
    # the more advanced version of Z1 (closed, with result, on page 2) holds
    assert query("select einddatum::varchar, resultaat from core.fct_zaken where identificatie = 'ZAAK-2018-0000001'") \
        == [("2018-02-10", "GEGROND")]

    query = build("20180308")
    # Z2 destroyed: its initiator is gone from every raw version, yet it counts; Z7 deleted: it does not
    assert query("select count(*) filter (where initiator_bsn is not null or initiator_voornamen is not null) "
                 "from raw_zaken.zaken where identificatie = 'ZAAK-2018-0000002'") == [(0,)]
    assert query("select count(*) from raw_zaken.zaken where initiator_bsn is not null") != [(0,)]
    assert query("select identificatie, vernietigd from core.fct_zaken where identificatie in "
                 "('ZAAK-2018-0000002', 'ZAAK-2018-0000007')") == [("ZAAK-2018-0000002", True)]
    # the FG lets the pseudonym outlive the zaak (the default): Z2 still counts under its initiator
    assert query("select persoon = pseudoniem from core.fct_zaken, raw_zaken.vernietigde_initiatoren as v "
                 "where identificatie = 'ZAAK-2018-0000002' and v.uuid = fct_zaken.uuid") == [(True,)]
    assert kpi(query, "bezwaren_aantal", "2018-01") == 2
    assert kpi(query, "bezwaren_afgehandeld", "2018-02") == 2
    assert kpi(query, "bezwaren_gegrond_aandeel", "2018-02") == pytest.approx(0.5)
    assert kpi(query, "klachten_aantal", "2018-01") == 1
    assert kpi(query, "klachten_aantal", "2018-02") == 1
    assert kpi(query, "klachten_aantal", "2018-02", "GM0622") == 0  # Z6 has no gemeente: organisation only
    assert kpi(query, "klachten_aantal_mutatie", "2018-02") == pytest.approx(0.0)
    assert kpi(query, "klachten_aantal_mutatie", "2018-01") is None  # no earlier month in the data
    assert kpi(query, "klachten_ongegrond_aandeel", "2018-02") == pytest.approx(1.0)
    assert kpi(query, "kindpakket_gezinnen_arbeid", "2018-01/2018-03") == 1
    assert kpi(query, "kindpakket_gezinnen_arbeid", "2018-01/2018-03", "GM0622") == 1
    assert kpi(query, "kindpakket_gezinnen_bijstand", "2018-01/2018-03") is None
    assert kpi(query, "kindpakket_gezinnen_bijstand", "2018-01") == 1
    assert kpi(query, "armoede_aanvragen_life_event", "2018-01/2018-03") == 0  # source delivered: 0, not missing
    # the unmapped result text: ONBEKEND (in the closed objections above, in no numerator) and a finding
    assert query("select resultaat from core.fct_zaken where identificatie = 'ZAAK-2018-0000003'") == [("ONBEKEND",)]
    assert not query("select * from core.fct_zaken where persoon in ('%s', '%s', '%s')" % (B1, B2, B3))
    assert query("select sleutel, controle from kwaliteit.dq_controle_zaken order by all") == [
        ("ZAAK-2018-0000003", "resultaat_onbekend"), ("ZAAK-2018-0000006", "gemeente_ontbreekt")]

