"""The data-quality report shows trends (charts per check over deliveries and runs, the
reconciliation over months) and what changed since the previous run, in a real browser."""
import dataclasses
import shutil

from orchestration import quality, report
from pdw.settings import connect

from .conftest import TEST_KEY, chromium


def test_report_shows_trend_charts_and_changes_since_the_previous_run(demo_world, tmp_path, monkeypatch):
    html = (demo_world.settings.reports_dir / "datakwaliteit.html").read_text(encoding="utf-8")
    for chart in ("grafiek-leveringen", "grafiek-aansluiting", "grafiek-runs"):
        assert f'id="{chart}"><svg' in html, chart
    assert 'href="../docs/index.html"' in html

    # a second run on a copy of the working file: one finding gone, one new
    build = tmp_path / "build" / "pdw.duckdb"
    build.parent.mkdir()
    shutil.copyfile(demo_world.settings.build_db, build)
    con = connect(build)
    try:
        first_run = con.execute("select any_value(run_id) from marts.dq_bevindingen").fetchone()[0]
        gone = con.execute("select systeem, object, sleutel, controle from raw_meta.quarantaine "
                           "where sleutel <> '' order by all limit 1").fetchone()
        con.execute("delete from raw_meta.quarantaine where (systeem, object, sleutel, controle) = (?, ?, ?, ?)", gone)
        con.execute("""insert into raw_meta.markeringen (systeem, object, levering, bestand, rij, sleutel, veld, controle, omschrijving)
                       values ('civision', 'uitkeringen', date '2024-10-01', 'civision/20241001/uitkeringen.csv', 3,
                               'NIEUW-1', 'bsn', 'bsn_ongeldig', 'Proef: bsn voldoet niet aan de 11-proef')""")
    finally:
        con.close()
    settings = dataclasses.replace(demo_world.settings, warehouse=tmp_path / "pdw.duckdb")
    for variable, value in (("PDW_INBOX", settings.inbox), ("PDW_WAREHOUSE", settings.warehouse),
                            ("PDW_BUILD_DB", build), ("PDW_DUCKDB_TEMP", build.parent / ".tmp"),
                            ("PDW_ERP", ";".join(f"{k}={v}" for k, v in settings.erp.items()))):
        monkeypatch.setenv(variable, str(value))  # the dbt run of the findings model reads them
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    quality.build_findings(settings, "run-2")
    path = tmp_path / "reports" / "datakwaliteit.html"
    con = connect(build)
    try:
        data = report.report_data(con, "run-2", False)
    finally:
        con.close()
    assert data["vorige_run"] == first_run
    changes = {(r["bron"], r["object"], r["controle"]): r for r in data["veranderingen"]}
    assert changes[("civision", "uitkeringen", "bsn_ongeldig")]["nieuw"] == 1
    assert "NIEUW-1" in changes[("civision", "uitkeringen", "bsn_ongeldig")]["nieuw_sleutels"]
    assert changes[gone[:2] + gone[3:]]["weg"] >= 1
    assert data["grafiek_runs"].startswith("<svg")

    screenshot = tmp_path / "datakwaliteit.png"
    shot = chromium(tmp_path, "--window-size=1400,5000", "--hide-scrollbars", f"--screenshot={screenshot}", path.as_uri())
    assert shot.returncode == 0 and screenshot.stat().st_size > 50_000
    dom = chromium(tmp_path, "--dump-dom", path.as_uri()).stdout
    assert "Veranderd sinds de vorige run" in dom and "NIEUW-1" in dom and dom.count("<svg") >= 3
