"""The demo run's findings about the deliveries are exactly the simulator's injected faults
(out/truth/faults.csv; the quirks handled by rule without a finding are in out/truth/quirks.csv);
findings about the reference data are the targets the marts skip."""
import csv
from datetime import date

import duckdb

from pdw.pseudonym import pseudoniem

from .conftest import TEST_KEY


def _levering(value) -> str | None:
    """faults.csv names a delivery by its folder (YYYYMMDD); the findings by its date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


# A re-sent delivery (same folder, same content) can only be seen by a warehouse that loaded the
# folder before it came again; the demo is loaded in one run after everything was delivered.
# tests/test_loading.py covers the finding itself (levering_herhaald / levering_gewijzigd).
UNOBSERVABLE_IN_ONE_RUN = {"levering_herhaald"}

RECONCILED = {"civision", "schuldhulp", "reintegratie", "cbs", "erp", "hr", "kcc", "tevredenheid"}
# The loader names an employee by the pseudonym of hr:<nummer> (it does not know the organisation),
# the models by that of hr:<organisatie>:<nummer> (SOURCES.md): the checks the loader owns.
HR_LOADER_CHECKS = {"bsn_niet_toegestaan"}


def _medewerker(sleutel: str, controle: str) -> str:
    """hr faults name a dienstverband row by the input of the employee pseudonym (hr:<org>:<nummer>);
    findings by the pseudonym itself: no personeelsnummer leaves the raw zone."""
    employee, rest = sleutel.split("|", 1)
    if controle in HR_LOADER_CHECKS:
        employee = "hr:" + employee.rsplit(":", 1)[1]
    return f"{pseudoniem(employee, TEST_KEY.encode())}|{rest}"


def _faults(path) -> set[tuple]:
    """ERP faults name the organisation in `levering`; findings key an entry as ORG:entry_no."""
    faults = set()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["controle"] in UNOBSERVABLE_IN_ONE_RUN or row["bron"] not in RECONCILED:
                continue
            if row["bron"] == "erp":
                faults.add(("erp", row["object"], f"{row['levering']}:{row['sleutel']}", row["controle"], None))
            elif row["bron"] == "hr" and row["object"] == "dienstverbanden":
                faults.add(("hr", row["object"], _medewerker(row["sleutel"], row["controle"]), row["controle"],
                            _levering(row["levering"])))
            else:
                faults.add((row["bron"], row["object"], row["sleutel"], row["controle"], _levering(row["levering"])))
    return faults


def test_findings_list_the_injected_faults_and_nothing_else(demo_world):
    faults = _faults(demo_world.truth / "faults.csv")
    assert len(faults) > 50, "the demo world should carry injected faults"
    con = duckdb.connect(str(demo_world.settings.warehouse), read_only=True)
    try:
        rows = con.execute("select bron, object, sleutel, controle, levering, ernst, omschrijving, run_id "
                           "from marts.dq_bevindingen").fetchall()
    finally:
        con.close()
    assert all(r[5] in ("blokkerend", "waarschuwing", "info") and r[6] and r[7] for r in rows)
    found = {(b, o, s, c, _levering(lev)) for b, o, s, c, lev, *_ in rows if b in RECONCILED}
    missing = sorted(faults - found, key=str)
    extra = sorted(found - faults, key=str)
    assert not missing, f"{len(missing)} injected faults not in marts.dq_bevindingen, e.g. {missing[:10]}"
    assert not extra, f"{len(extra)} findings that are no injected fault, e.g. {extra[:10]}"


def test_demo_report_names_the_faults(demo_world):
    reports = demo_world.settings.reports_dir
    html = (reports / "datakwaliteit.html").read_text(encoding="utf-8")
    with open(demo_world.truth / "faults.csv", encoding="utf-8", newline="") as f:
        controles = {row["controle"] for row in csv.DictReader(f) if row["bron"] in RECONCILED} - UNOBSERVABLE_IN_ONE_RUN
    for controle in controles:
        assert controle in html, f"check {controle} missing from the report"
    assert "Aansluiting Civision" in html and (reports / "gx" / "index.html").exists()


def test_targets_without_a_kpi_are_findings(demo_world):
    """A target of seeds/doelen.csv whose KPI marts.kpi does not compute (its source is not built
    yet) is a finding of its own, and no other target is (on the demo world every target's KPI is
    computed now: no finding)."""
    con = duckdb.connect(str(demo_world.settings.warehouse), read_only=True)
    try:
        found = {s for (s,) in con.execute("select sleutel from marts.dq_bevindingen where bron = 'referentie'").fetchall()}
        berekend = {k for (k,) in con.execute("select distinct kpi from marts.kpi").fetchall()}
        onbekend = {s for (s, kpi) in con.execute(
            "select concat_ws(' ', organisatie, gemeente, kpi, periode), kpi from core.doelen").fetchall()
            if kpi not in berekend}
    finally:
        con.close()
    assert found == onbekend
