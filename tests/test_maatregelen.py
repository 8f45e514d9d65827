"""maatregel_code end to end on a tiny hand-made SOW world of 2019-2020: raw extracts as the loader stores
them, then a real `dbt build` of marts.kpi and its upstream; the figures are worked out by hand below.

P1 (Vlaardingen, dossier D1 since 2018, klantgroep 2): trajectory T1 typed ' ei19-abc ' (trimmed and
upper-cased: EI19-ABC) started 15 October 2019, and placement L1 of EI19-METAAL from 6 January 2020;
D1 ends 31 January 2020 with reason 10 (WERK). So ei19_abc: 1 deelnemer in 2019-10, uitstroom and werk
1 in 2020-01; ei19_metaal: 1 deelnemer in 2020-01, uitstroom 1 in 2020-01 (D1 ran on 6 January).
P2 (Schiedam, dossier D2 since 2019, klantgroep 4): assessment T2 of EI19-KG4 started 4 November 2019 and
an untagged activering T3 started 2 December 2019: geactiveerd 1 in 2019-12 (an assessment does not
activate). D2's payments carry verrekende inkomsten from periode 2020-02 after three without: werk 1
in 2020-02 (start of part-time work).
P3 (Vlaardingen, no benefit): melding 7 October 2019 without aanvraag, then RWO trajectory T4 of
EI19-RWO registered 10 October, started 21 October: minder_instroom_ei19_rwo 1 in 2019-10.
P4 (Vlaardingen): trajectory T5 typed 'EI19-XYZ' (no measure): flagged, treated as null; T6 typed
'Ei19-Abc', registered 2 October 2019 and never started: deelnemer of EI19-ABC from aangemeld_op.
The reeks EI19 counts P1 once (2019-10, not again in 2020-01): deelnemers 2019-10 = P1, P3, P4 = 3.

Comparison group of EI19-ABC (looptijd 2019-10/2020-12): of its deelnemers only P1 has a running benefit
on the start (15 October 2019: Vlaardingen, klantgroep 2, dossier since March 2018, 19 months: band 1-2
jaar). Non-participants P5 and P6 match (Vlaardingen, klantgroep 2, dossiers since May 2018: 17 months);
P7 does not (since June 2019: band < 1 jaar). P5's dossier ends 30 June 2020 with work, P6's runs on: the
expected outcome of P1 is 1/2 for uitstroom and for werk, P1 left with work: netto 1 - 0.5 = 0.5.

Activation and klantgroep shift of EI19-WLB (Maassluis): P10 (dossier since January 2017, klantgroep 4)
starts activering M1 of EI19-WLB on 3 February 2020 (deelname start, band 2-5 jaar) and is klantgroep 3
from 1 March 2020: geactiveerd and improved. Non-participants of klantgroep 4 in Maassluis with a
dossier of 2-5 years on that day: P11 (activering 17 February 2020), P12 (vrijwilligerswerk 2 March
2020, klantgroep 2 from 16 March 2020) and P14 (activering before the start, an assessment after it);
P13 (dossier since June 2018: band 1-2 jaar) does not match although activated. Expected for P10:
geactiveerd 2/3 (P11, P12), netto 1 - 0.67 = 0.33; klantgroep shift 1/3 (P12), netto 1 - 0.33 = 0.67.
"""
from __future__ import annotations

import csv
import shutil
from datetime import date, datetime

import duckdb
import pytest

from orchestration import loading
from orchestration.erp import ensure_erp_tables
from orchestration.raw_zone import ensure_raw_zone
from pdw import metrics
from tests.conftest import kpi_waarde
from tests.test_dbt import TEST_KEY, _write, dbt, uitkering
from tests.test_loading import EXTRACTS

D = date.fromisoformat
BSN = {1: "123456782", 2: "111222333", 3: "999999990", 4: "234567806", 5: "100000009", 6: "100000022",
       7: "100000034", 10: "100000046", 11: "100000058", 12: "100000071", 13: "100000083", 14: "100000095"}
MAASSLUIS = (10, 11, 12, 13, 14)
LEVERING = "2020-04-05"


def traject(nr: str, bsn: int, gemeente: str, soort: str, aangemeld: str, start: str | None, code: str | None):
    return {"traject_id": nr, "client_bsn": BSN[bsn], "client_gemeente": gemeente, "soort": soort,
            "aangemeld_op": D(aangemeld), "start": D(start) if start else None, "bron": "POORT",
            "gewijzigd_op": datetime(2020, 3, 1, 10), "maatregel_code": code}


def betaling(nr: int, dossier: int, periode: str, inkomsten: int = 0) -> dict:
    return {"regelnummer": nr, "dossiernummer": dossier, "periode": D(periode + "-01"), "soort": "P", "bedrag": 1000,
            "verrekende_inkomsten": inkomsten, "betaaldatum": D(periode + "-25")}


def build_world(con) -> None:
    ensure_raw_zone(con)
    ensure_erp_tables(con)
    personen = [{"persoonsnummer": n, "bsn": BSN[n], "geboortedatum": D("1980-01-01"), "geslacht": "V",
                 "gemeentecode": "0606" if n == 2 else "0556" if n in MAASSLUIS else "0622"} for n in BSN]
    _write(con, "civision", "personen", {LEVERING: personen})
    _write(con, "civision", "uitkeringen", {LEVERING: [
        uitkering(1, 1, "0622", "2018-03-01", "2020-01-31", "10"),
        uitkering(2, 2, "0606", "2019-02-01"),
        uitkering(5, 5, "0622", "2018-05-01", "2020-06-30", "10"),
        uitkering(6, 6, "0622", "2018-05-01"),
        uitkering(7, 7, "0622", "2019-06-01", "2020-02-29", "10"),
        uitkering(10, 10, "0556", "2017-01-01"),
        uitkering(11, 11, "0556", "2017-06-01"),
        uitkering(12, 12, "0556", "2016-06-01"),
        uitkering(13, 13, "0556", "2018-06-01"),
        uitkering(14, 14, "0556", "2017-09-01"),
    ]})
    _write(con, "civision", "aanvragen", {LEVERING: [
        {"meldingsnummer": 1, "persoonsnummer": 3, "gemeentecode": "0622", "meldingsdatum": D("2019-10-07")},
    ]})
    maanden = [f"{y}-{m:02d}" for y, m in [(2019, 7), (2019, 8), (2019, 9), (2019, 10), (2019, 11), (2019, 12),
                                           (2020, 1), (2020, 2), (2020, 3)]]
    regels = [betaling(i, 1, m) for i, m in enumerate(maanden[:7], 1)]
    regels += [betaling(100 + i, 2, m, 250 if m >= "2020-02" else 0) for i, m in enumerate(maanden)]
    _write(con, "civision", "betalingen", {LEVERING: regels})
    _write(con, "reintegratie", "klantprofielen", {LEVERING: [
        {"client_bsn": BSN[1], "client_gemeente": "GM0622", "klantgroep": "2", "geldig_vanaf": D("2018-04-01")},
        {"client_bsn": BSN[2], "client_gemeente": "GM0606", "klantgroep": "4", "geldig_vanaf": D("2019-03-01")},
        *({"client_bsn": BSN[n], "client_gemeente": "GM0622", "klantgroep": "2", "geldig_vanaf": D("2018-06-01")}
          for n in (5, 6, 7)),
        *({"client_bsn": BSN[n], "client_gemeente": "GM0556", "klantgroep": "4", "geldig_vanaf": D("2018-01-01")}
          for n in MAASSLUIS),
        {"client_bsn": BSN[10], "client_gemeente": "GM0556", "klantgroep": "3", "geldig_vanaf": D("2020-03-01")},
        {"client_bsn": BSN[12], "client_gemeente": "GM0556", "klantgroep": "2", "geldig_vanaf": D("2020-03-16")},
    ]})
    _write(con, "reintegratie", "trajecten", {LEVERING: [
        traject("T1", 1, "GM0622", "JOBCOACHING", "2019-10-01", "2019-10-15", " ei19-abc "),
        traject("T2", 2, "GM0606", "ASSESSMENT", "2019-10-28", "2019-11-04", "EI19-KG4"),
        traject("T3", 2, "GM0606", "ACTIVERING", "2019-11-25", "2019-12-02", None),
        traject("T4", 3, "GM0622", "RWO", "2019-10-10", "2019-10-21", "EI19-RWO"),
        traject("T5", 4, "GM0622", "JOBCOACHING", "2019-10-20", "2019-11-01", "EI19-XYZ"),
        traject("T6", 4, "GM0622", "JOBCOACHING", "2019-10-02", None, "Ei19-Abc"),
        traject("M1", 10, "GM0556", "ACTIVERING", "2020-01-27", "2020-02-03", "EI19-WLB"),
        traject("M2", 11, "GM0556", "ACTIVERING", "2020-02-10", "2020-02-17", None),
        traject("M3", 12, "GM0556", "VRIJWILLIGERSWERK", "2020-02-24", "2020-03-02", None),
        traject("M4", 13, "GM0556", "ACTIVERING", "2020-01-27", "2020-02-03", None),
        traject("M5", 14, "GM0556", "ACTIVERING", "2020-01-06", "2020-01-13", None),
        traject("M6", 14, "GM0556", "ASSESSMENT", "2020-02-17", "2020-02-24", None),
    ]})
    _write(con, "reintegratie", "plaatsingen", {LEVERING: [
        {"plaatsing_id": "L1", "client_bsn": BSN[1], "client_gemeente": "GM0622", "soort": "LKS_BANENAFSPRAAK",
         "start": D("2020-01-06"), "maatregel_code": "EI19-METAAL"},
    ]})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, monkeypatch_module):
    tmp = tmp_path_factory.mktemp("maatregelen")
    db = tmp / "pdw.duckdb"
    con = duckdb.connect(str(db))
    build_world(con)
    con.close()
    monkeypatch_module.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch_module.setenv("PDW_BUILD_DB", str(db))
    monkeypatch_module.setenv("PDW_DBT_TARGET", str(tmp / "target"))
    dbt("build", "--select", "+kpi", "+mart_maatregelen", "dq_controle_maatregelen", "--indirect-selection", "cautious")
    yield db
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def query(db, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def kpi(db, code: str, periode: str, gemeente: str | None = None):
    return kpi_waarde(lambda sql: query(db, sql), code, periode, gemeente)


def test_typed_code_is_trimmed_and_upper_cased_an_unknown_one_flagged_and_null(warehouse):
    assert query(warehouse, "select traject_id, maatregel_code from core.fct_trajecten where traject_id like 'T%' "
                            "order by 1") == [
        ("T1", "EI19-ABC"), ("T2", "EI19-KG4"), ("T3", None), ("T4", "EI19-RWO"), ("T5", None), ("T6", "EI19-ABC")]
    assert query(warehouse, "select object, sleutel, controle, omschrijving from kwaliteit.dq_controle_maatregelen") == [
        ("trajecten", "T5", "maatregel_onbekend",
         "trajecten T5: veld maatregel_code 'EI19-XYZ' staat niet in maatregelen.csv; telt als geen maatregel")]


def test_deelnemers_per_measure_and_reeks(warehouse):
    assert kpi(warehouse, "maatregel_deelnemers_ei19_abc", "2019-10") == 2  # P1 (started) and P4 (registered)
    assert kpi(warehouse, "maatregel_deelnemers_ei19_abc", "2019-10", "GM0622") == 2
    assert kpi(warehouse, "maatregel_deelnemers_ei19_kg4", "2019-11", "GM0606") == 1
    assert kpi(warehouse, "maatregel_deelnemers_ei19_metaal", "2020-01") == 1
    assert kpi(warehouse, "maatregel_deelnemers_ei19", "2019-10") == 3
    assert kpi(warehouse, "maatregel_deelnemers_ei19", "2020-01") == 0  # P1 already counted in 2019-10
    assert kpi(warehouse, "maatregel_deelnemers_ei19", "2019") == 4
    assert kpi(warehouse, "maatregel_deelnemers_ei19", "2019-09") is None  # before the measures run


def test_outcomes(warehouse):
    assert kpi(warehouse, "maatregel_uitstroom_ei19_abc", "2020-01") == 1
    assert kpi(warehouse, "maatregel_uitstroom_ei19_metaal", "2020-01") == 1
    assert kpi(warehouse, "maatregel_uitstroom_ei19", "2020") == 1  # D1 once
    assert kpi(warehouse, "maatregel_werk_ei19_abc", "2020-01") == 1
    assert kpi(warehouse, "maatregel_werk_ei19_kg4", "2020-02") == 1
    assert kpi(warehouse, "maatregel_werk_ei19_kg4", "2020-03") == 0  # counted once, at the first periode
    assert kpi(warehouse, "maatregel_werk_ei19", "2020") == 2
    assert kpi(warehouse, "maatregel_geactiveerd_ei19_kg4", "2019-12") == 1
    assert kpi(warehouse, "maatregel_geactiveerd_ei19_kg4", "2019-11") == 0  # the assessment does not activate
    assert kpi(warehouse, "maatregel_geactiveerd_ei19_abc", "2019") == 0  # P1 is klantgroep 2
    assert kpi(warehouse, "maatregel_minder_instroom_ei19_rwo", "2019-10") == 1
    assert kpi(warehouse, "maatregel_minder_instroom_ei19", "2019-10", "GM0622") == 1


def test_comparison_group_of_one_small_cohort(warehouse):
    rows = query(warehouse, """
        select maatregel, periode, deelnemers, deelnemers_met_uitkering, deelnemers_gematcht, vergelijkingsgroep_personen,
               uitstroom_gematcht, uitstroom_vergelijkingsgroep, uitstroom_netto, werk_gematcht, werk_netto,
               doel_kpi, doel, begrote_kosten::double, gerealiseerde_kosten
        from marts.maatregelen where maatregel in ('EI19-ABC', 'EI19-KG4') and periode_soort = 'looptijd'
        order by 1""")
    assert rows == [
        ("EI19-ABC", "2019-10/2020-12", 2, 1, 1, 2, 1, 0.5, 0.5, 1, 0.5, "maatregel_uitstroom_ei19_abc", 16.0,
         319000.0, None),
        # P2 (Schiedam, klantgroep 4) has no one to compare with: no comparison, missing (not 0)
        ("EI19-KG4", "2019-10/2020-12", 1, 1, 0, 0, 0, None, None, 0, None, "maatregel_geactiveerd_ei19_kg4", 205.0,
         167000.0, None),
    ]
    # the reeks excludes all its deelnemers from the comparison group: the same match for P1
    assert query(warehouse, "select deelnemers, uitstroom_netto from marts.maatregelen "
                            "where maatregel = 'EI19' and periode = '2019'") == [(4, 0.5)]


def test_activation_and_klantgroep_shift_against_the_comparison_group(warehouse):
    kolommen = ("deelnemers, deelnemers_gematcht, vergelijkingsgroep_personen, kpi_geactiveerd, geactiveerd_cohort, "
                "geactiveerd_gematcht, geactiveerd_vergelijkingsgroep, geactiveerd_netto, klantgroep_verbeterd_cohort, "
                "klantgroep_verbeterd_gematcht, klantgroep_verbeterd_vergelijkingsgroep, klantgroep_verbeterd_netto")
    rows = query(warehouse, f"select periode_soort, periode, {kolommen} from marts.maatregelen "
                            "where maatregel = 'EI19-WLB' order by van, periode_soort")
    p10 = (1, 1, 3, 1, 1, 1, 0.67, 0.33, 1, 1, 0.33, 0.67)
    geen_cohort = (0, 0, 0, 0, 0, 0, None, None, 0, 0, None, None)
    assert rows == [
        ("jaar", "2019", *geen_cohort),
        ("kwartaal", "2019-Q4", *geen_cohort),
        ("looptijd", "2019-10/2020-12", *p10),
        ("jaar", "2020", *p10),
        ("kwartaal", "2020-Q1", *p10),
        ("kwartaal", "2020-Q2", *geen_cohort),
        ("kwartaal", "2020-Q3", *geen_cohort),
        ("kwartaal", "2020-Q4", *geen_cohort),
    ]
    # a quarter has no budget of its own (maatregelen.csv budgets years)
    assert query(warehouse, "select periode_soort, count(begrote_kosten) from marts.maatregelen "
                            "where maatregel = 'EI19-WLB' group by 1 order by 1") == [
        ("jaar", 2), ("kwartaal", 0), ("looptijd", 1)]
    # P2 (Schiedam, klantgroep 4) is activated but has no one to compare with: missing, not 0
    assert query(warehouse, "select geactiveerd_cohort, geactiveerd_gematcht, geactiveerd_netto from marts.maatregelen "
                            "where maatregel = 'EI19-KG4' and periode_soort = 'looptijd'") == [(1, 0, None)]


def _cohort_per_jaar(warehouse, out, names: str, maatregel: str) -> dict[str, dict[str, str]]:
    """MetricFlow's answer for one measure's cohort metrics, per year."""
    assert metrics.main(["query", "--warehouse", str(warehouse), "--metrics", names,
                         "--group-by", "metric_time__year,maatregel_cohort__maatregel",
                         "--where", f"maatregel_cohort__maatregel = '{maatregel}'", "--csv", str(out), "--quiet"]) == 0
    with out.open(newline="") as f:
        return {r["metric_time__year"][:4]: r for r in csv.DictReader(f)}


def test_metricflow_answers_the_cohort_as_the_mart(warehouse, tmp_path):
    rows = _cohort_per_jaar(warehouse, tmp_path / "mf.csv", "maatregel_cohort_deelnemers,"
                            "maatregel_cohort_uitstroom_netto,maatregel_cohort_begrote_kosten", "EI19-ABC")
    assert float(rows["2019"]["maatregel_cohort_deelnemers"]) == 2
    assert float(rows["2019"]["maatregel_cohort_uitstroom_netto"]) == 0.5
    assert float(rows["2020"]["maatregel_cohort_begrote_kosten"]) == 260000
    rows = _cohort_per_jaar(warehouse, tmp_path / "mf.csv", "maatregel_cohort_geactiveerd_netto,"
                            "maatregel_cohort_klantgroep_verbeterd_netto", "EI19-WLB")
    assert float(rows["2020"]["maatregel_cohort_geactiveerd_netto"]) == pytest.approx(0.33)
    assert float(rows["2020"]["maatregel_cohort_klantgroep_verbeterd_netto"]) == pytest.approx(0.67)


def test_member_is_optional_and_kept_as_typed(tmp_path, monkeypatch):
    """SOURCES.md: the member may be absent (null); where present the raw zone keeps it as typed."""
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    inbox = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, inbox)
    path = inbox / "reintegratie" / "20180131" / "trajecten.jsonl"
    path.write_text(path.read_text().replace('"bron": "POORT"', '"bron": "POORT", "maatregel_code": " ei19-abc "', 1))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        loading.load_system(con, inbox, "reintegratie")
        assert con.execute("select maatregel_code, count(*) from raw_reintegratie.trajecten group by 1 "
                           "order by 1 nulls last").fetchall()[0] == (" ei19-abc ", 1)
        assert con.execute("select count(*) from raw_reintegratie.plaatsingen where maatregel_code is null").fetchone()[0] \
            == con.execute("select count(*) from raw_reintegratie.plaatsingen").fetchone()[0] > 0
