"""A file source that cannot be read at all blocks only itself: the other sources load and publish,
the broken source keeps its last good deliveries (so its figures stay as they were), the run exits 1,
and the controllers' report names file and column and says how old the blocked source's data is."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from orchestration.raw_zone import block_source, ensure_raw_zone
from orchestration.report import write_report

from .conftest import TEST_KEY, copy_world, pdw
from .test_dataperiode import write_delivery

EXTRACTS = Path(__file__).parent / "extracts" / "inbox"
CIVISION_KPIS = ("uitkeringen_eindstand", "instroom", "uitstroom", "meldingen", "aandeel_deeltijdarbeid")


def _drop_column(path, column: str) -> None:
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    index = lines[0].split(";").index(column)
    kept = [";".join(f for i, f in enumerate(line.split(";")) if i != index) if line else line for line in lines]
    path.write_bytes("\r\n".join(kept).encode("cp1252"))


def _published(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_unreadable_delivery_blocks_only_its_source(kleine_wereld, tmp_path):
    """On a copy of the world after its first run: the delivery of test_dataperiode, published."""
    copy_world(kleine_wereld, tmp_path)
    inbox = tmp_path / "inbox"
    published = tmp_path / "warehouse" / "pdw.duckdb"
    civision_kpis = f"select * from marts.kpi where kpi in {CIVISION_KPIS} order by all"
    before = _published(published, civision_kpis)
    assert _published(published, "select count(*) from core.fct_schuldhulp_aanmeldingen") == [(0,)]

    # the next civision delivery lacks a column (and would have added a dossier and April's payments);
    # schuldhulp delivers for the first time
    broken = write_delivery(inbox, "20180501", extra={
        "uitkeringen": "5006;1006;;PW;AS;0622;10-04-2018;;01;;P;N;11-04-2018 09:00:00\n",
        "betalingen": "6;5006;201804;P;900,00;0,00;25-04-2018\n"})
    _drop_column(broken / "uitkeringen.csv", "regeling")
    shutil.copytree(EXTRACTS / "schuldhulp", inbox / "schuldhulp")
    second = pdw("run", "--inbox", str(inbox), "--warehouse", str(published))

    assert second.returncode == 1, second.stdout[-5000:]
    assert "BRON GEBLOKKEERD: civision/20180501/uitkeringen.csv" in second.stdout
    assert "kolom 'regeling' ontbreekt" in second.stdout
    # published: the other source is in, civision's figures are those of its last good delivery
    assert _published(published, "select count(*) from core.fct_schuldhulp_aanmeldingen")[0][0] > 0
    assert _published(published, civision_kpis) == before
    assert _published(published, "select sleutel, ernst from marts.dq_bevindingen "
                                 "where controle = 'bron_geblokkeerd'") == [
        ("civision/20180501/uitkeringen.csv", "blokkerend")]
    report = (tmp_path / "warehouse" / "reports" / "datakwaliteit.html").read_text(encoding="utf-8")
    assert "Niet gepubliceerd" not in report
    assert "Gepubliceerd zonder 1 geblokkeerde bron(nen)" in report
    assert f"laatst bijgewerkt 01-04-2018, {(date.today() - date(2018, 4, 1)).days} dagen oud" in report
    assert "kolom &#39;regeling&#39; ontbreekt" in report


def test_report_shows_how_old_a_blocked_erp_is(tmp_path, monkeypatch):
    """An ERP that could not be read: the report gives the day of its last extraction, its age and
    the marts with figures from it (dbt's manifest, parsed when missing), and does not say the
    warehouse was not published."""
    monkeypatch.setenv("PDW_WAREHOUSE", str(tmp_path / "pdw.duckdb"))
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    con = duckdb.connect(str(tmp_path / "pdw.duckdb"))
    ensure_raw_zone(con)
    con.execute("insert into raw_meta.erp_watermerk values ('SOW', 'gl_entry', 10, null, '2024-12-31 06:00:00', null)")
    block_source(con, "erp", "erp/SOW", "ERP SOW: geen verbinding met postgresql://pdw@erp/sow", "run1")
    html = write_report(con, tmp_path / "reports", "run1").read_text(encoding="utf-8")
    con.close()
    assert "Niet gepubliceerd" not in html and "Gepubliceerd zonder 1 geblokkeerde bron(nen)" in html
    assert (f"<td>erp/SOW</td><td>ERP SOW: geen verbinding met postgresql://pdw@erp/sow</td>\n"
            f"<td>laatst bijgewerkt 31-12-2024, {(date.today() - date(2024, 12, 31)).days} dagen oud</td>\n"
            "<td>begroting_versies, benchmark_landelijk, buig, doelen_stand, financien, financien_peil, gemeente_afrekening, "
            "kostenverdeling, kpi, kpi_prognose, maatregelen, prognose_toets</td>") in html
