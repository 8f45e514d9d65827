"""A warehouse started from a first delivery dated in 2018 answers the months before it from the
snapshot: the data period starts at the organisation's start (SOW opgericht 2015-07-01, its first
melding that month), not at the first payment. Hand-made extracts, the real `pdw run`, figures
worked out by hand below; what needs a payment (part-time work) is missing before the first
payment delta, not 0.

Dossiers (all Vlaardingen, GM0622):
  5001  01-03-2014 .. 15-06-2017  reden 10 (WERK)   migrated caseload, route B, no melding
  5002  05-01-2017 .. running                       melding 7002
  5003  01-11-2016 .. 31-12-2017  reden 30 (AUTONOOM), ends on a month end: not in December's stand
  5004  20-07-2015 .. 31-01-2016  reden 10 (WERK)   melding 7001, the first melding
  5005  01-02-2018 .. running                       melding 7005
Melding 7003 (03-03-2017) led to no application: preventie. Payments only in the first delivery
(periodes 2018-01 .. 2018-03); 5002 had income from work in 2018-02.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

PERSONEN = """persoonsnummer;bsn;voorletters;achternaam;geboortedatum;geslacht;straat;huisnummer;postcode;woonplaats;gemeentecode;datum_overlijden
1001;111222333;A.;Aalders;01-01-1960;M;Kade;1;3131AA;Vlaardingen;0622;
1002;111222345;B.;Bakker;01-01-1970;V;Kade;2;3131AA;Vlaardingen;0622;
1003;111222357;C.;Claes;01-01-1975;M;Kade;3;3131AA;Vlaardingen;0622;
1004;111222369;D.;Dekker;01-01-1980;V;Kade;4;3131AA;Vlaardingen;0622;
1005;111222370;E.;Eijk;01-01-1965;M;Kade;5;3131AA;Vlaardingen;0622;
1006;111222382;F.;Fris;01-01-1985;V;Kade;6;3131AA;Vlaardingen;0622;
"""
UITKERINGEN = """dossiernummer;persoonsnummer;partner_persoonsnummer;regeling;leefvorm;gemeentecode;ingangsdatum;einddatum;reden_instroom;reden_beeindiging;instroomroute;ontheffing_arbeidsplicht;laatst_gewijzigd
5001;1001;;PW;AS;0622;01-03-2014;15-06-2017;01;10;B;N;16-06-2017 09:00:00
5002;1002;;PW;AS;0622;05-01-2017;;01;;P;N;06-01-2017 09:00:00
5003;1003;;PW;AS;0622;01-11-2016;31-12-2017;01;30;P;N;02-01-2018 09:00:00
5004;1004;;PW;AS;0622;20-07-2015;31-01-2016;01;10;P;N;01-02-2016 09:00:00
5005;1005;;PW;AS;0622;01-02-2018;;01;;P;N;02-02-2018 09:00:00
"""
AANVRAGEN = """meldingsnummer;persoonsnummer;gemeentecode;meldingsdatum;aanvraagdatum;besluitdatum;besluit;dossiernummer
7001;1004;0622;20-07-2015;22-07-2015;10-08-2015;TOEGEKEND;5004
7004;1003;0622;01-11-2016;02-11-2016;20-11-2016;TOEGEKEND;5003
7002;1002;0622;05-01-2017;06-01-2017;25-01-2017;TOEGEKEND;5002
7003;1006;0622;03-03-2017;;;;
7005;1005;0622;01-02-2018;02-02-2018;20-02-2018;TOEGEKEND;5005
"""
BETALINGEN = """regelnummer;dossiernummer;periode;soort;bedrag;verrekende_inkomsten;betaaldatum
1;5002;201801;P;1000,00;0,00;25-01-2018
2;5002;201802;P;850,00;150,00;23-02-2018
3;5005;201802;P;1000,00;0,00;23-02-2018
4;5002;201803;P;1000,00;0,00;26-03-2018
5;5005;201803;P;1000,00;0,00;26-03-2018
"""

# (kpi, periode) -> (waarde, teller, noemer) for Vlaardingen; the organisation SOW has the same figures.
EXPECTED = {
    ("uitkeringen_eindstand", "2015-07"): (2, 2, None),  # 5001 and 5004
    ("uitkeringen_eindstand", "2016-01"): (1, 1, None),  # 5004 ends on 31-01: outflow, not in the stand
    ("uitkeringen_eindstand", "2016-12"): (2, 2, None),  # 5001, 5003
    ("uitkeringen_eindstand", "2017-01"): (3, 3, None),  # 5001, 5002, 5003
    ("uitkeringen_eindstand", "2017-06"): (2, 2, None),  # 5001 ended 15-06
    ("uitkeringen_eindstand", "2017-12"): (1, 1, None),  # 5003 ends on 31-12
    ("uitkeringen_eindstand", "2017"): (1, 1, None),  # a year's stand is its December
    ("uitkeringen_eindstand", "2018-02"): (2, 2, None),  # 5002, 5005
    ("instroom", "2015-07"): (1, 1, None),  # 5004; 5001 started before SOW existed
    ("instroom", "2015"): (1, 1, None),
    ("instroom", "2016"): (1, 1, None),  # 5003
    ("instroom", "2017"): (1, 1, None),  # 5002
    ("uitstroom", "2016-01"): (1, 1, None),  # 5004
    ("uitstroom", "2017-06"): (1, 1, None),  # 5001
    ("uitstroom", "2017"): (2, 2, None),  # 5001, 5003
    ("uitstroom_aandeel_werk", "2017"): (0.5, 1, 2),
    ("meldingen", "2017"): (2, 2, None),  # 7002, 7003
    ("meldingen", "2017-04"): (0, 0, None),  # a month without events counts 0
    ("preventie", "2017"): (1, 1, None),  # 7003
    # part-time work needs the payment delta: unknown before 2018-01, not 0
    ("aandeel_deeltijdarbeid", "2017-06"): (None, None, 2),
    ("aandeel_deeltijdarbeid", "2017"): (None, None, None),
    ("aandeel_deeltijdarbeid", "2018-01"): (0.0, 0, 1),
    ("aandeel_deeltijdarbeid", "2018-02"): (0.5, 1, 2),
}


def write_delivery(inbox: Path, folder: str = "20180401", extra: dict[str, str] | None = None) -> Path:
    """The civision delivery above as the contract writes it (Windows-1252, CRLF), plus `extra` lines per file."""
    delivery = inbox / "civision" / folder
    delivery.mkdir(parents=True)
    for name, text in (("personen", PERSONEN), ("uitkeringen", UITKERINGEN), ("aanvragen", AANVRAGEN),
                       ("betalingen", BETALINGEN)):
        text += (extra or {}).get(name, "")
        (delivery / f"{name}.csv").write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    (delivery / "_READY").touch()
    return delivery


@pytest.fixture(scope="module")
def warehouse(kleine_wereld):
    """The warehouse `pdw run` published from the delivery above (conftest's `kleine_wereld`)."""
    con = duckdb.connect(str(kleine_wereld / "warehouse" / "pdw.duckdb"), read_only=True)
    yield con
    con.close()


def test_data_period_starts_at_the_organisations_start(warehouse):
    assert warehouse.execute("select organisatie, eerste_maand::varchar, laatste_maand::varchar "
                             "from core.dim_organisatie where eerste_maand is not null").fetchall() == [
        ("SOW", "2015-07-01", "2018-03-01")]
    months = warehouse.execute("select count(distinct periode) from marts.kpi where periode_soort = 'maand'").fetchone()[0]
    assert months == 6 + 12 + 12 + 3


@pytest.mark.parametrize("gemeente", ["GM0622", None], ids=["Vlaardingen", "SOW"])
def test_stands_and_flows_before_the_first_delivery(warehouse, gemeente):
    rows = warehouse.execute(
        "select kpi, periode, waarde, teller, noemer from marts.kpi "
        "where organisatie = 'SOW' and gemeente is not distinct from ?", [gemeente]).fetchall()
    found = {(kpi, periode): (waarde, teller, noemer) for kpi, periode, waarde, teller, noemer in rows}
    assert {key: found.get(key) for key in EXPECTED} == EXPECTED
