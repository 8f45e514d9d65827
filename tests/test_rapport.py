"""`pdw rapport` on the demo world: both files are written, every figure in the HTML (read through
headless Chromium's DOM) equals the mart it came from, the PDF pages are not blank, and bad input
stops with exit code 2 without writing anything."""
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from orchestration.rapport.inhoud import kpi_label, kpi_metadata
from pdw.settings import connect

from .conftest import chromium, pdw

RAPPORTEN = {"SOW": ("2018-04-30", "2018-04"), "IGSD": ("2016-09-30", "2016-09")}
HOOFDSTUKKEN = ["1 Stand van zaken hoofdambitie", "in beeld", "financieel in beeld", "4 Toelichting per programma",
                "5 Datakwaliteit"]
STATUS = {"op koers": "op_koers", "risico": "risico", "niet haalbaar": "niet_haalbaar"}


class Dom(HTMLParser):
    """Chapter headings, table rows (first cell -> the others) and every element that names its mart."""

    def __init__(self):
        super().__init__()
        self.koppen: list[str] = []
        self.cellen: list[tuple[dict[str, str], str]] = []
        self.rijen: dict[str, list[str]] = {}
        self._rij: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._rij = []
        if tag in ("h1", "td", "div"):
            self._open.append((tag, dict(attrs), []))

    def handle_data(self, data):
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if tag == "tr" and self._rij:
            self.rijen.setdefault(self._rij[0], self._rij[1:])
        if not self._open or self._open[-1][0] != tag:
            return
        _, attrs, text = self._open.pop()
        tekst = " ".join("".join(text).split())
        if tag == "h1":
            self.koppen.append(tekst)
        if tag == "td":
            self._rij.append(tekst)
        if "data-mart" in attrs:
            self.cellen.append((attrs, tekst))


@pytest.fixture(scope="module")
def rapporten(demo_world, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("rapport")
    paden = {}
    for org, (peildatum, maand) in RAPPORTEN.items():
        run = pdw("rapport", "--warehouse", str(demo_world.settings.warehouse), "--organisatie", org,
                  "--peildatum", peildatum, "--out", str(out))
        assert run.returncode == 0, run.stdout[-4000:]
        html, pdf = out / f"bestuursrapportage_{org}_{maand}.html", out / f"bestuursrapportage_{org}_{maand}.pdf"
        assert str(html) in run.stdout and str(pdf) in run.stdout
        paden[org] = (html, pdf)
    return paden


def _dom(tmp: Path, html: Path) -> Dom:
    dump = chromium(tmp, "--dump-dom", html.as_uri())
    assert dump.returncode == 0 and "<table" in dump.stdout
    dom = Dom()
    dom.feed(dump.stdout)
    return dom


def _getal(tekst: str) -> float:
    """'1.234' -> 1234, '12,5%' -> 0.125, '≤ 5.844' -> 5844, '-3.731' -> -3731."""
    t = tekst.lstrip("≤≥ ").replace("−", "-")
    procent = t.endswith("%")
    waarde = float(t.rstrip("%").replace(".", "").replace(",", "."))
    return waarde / 100 if procent else waarde


def _verwacht(con: duckdb.DuckDBPyConnection, org: str, attrs: dict[str, str]) -> list:
    """The mart's value(s) for one cell: its key columns as filters, its column(s) summed."""
    sleutel = {k[5:]: v for k, v in attrs.items() if k.startswith("data-") and k not in ("data-mart", "data-kolom")}
    where = " and ".join(["organisatie = ?"] + [f"{k} is null" if v == "" else f"cast({k} as varchar) = ?"
                                                for k, v in sleutel.items()])
    params = [org] + [v for v in sleutel.values() if v != ""]
    kolom = attrs["data-kolom"]
    if kolom == "status":
        expr = ["any_value(status)"]
    else:
        expr = [" + ".join(f"sum({k})" for k in deel.split("+")) for deel in kolom.split("|")]
    return list(con.execute(f"select {', '.join(expr)} from marts.{attrs['data-mart']} where {where}", params).fetchone())


def _klopt(attrs: dict[str, str], tekst: str, verwacht: list) -> bool:
    if tekst == "geen gegevens":
        return all(v is None for v in verwacht)
    if any(v is None for v in verwacht):
        return False
    if attrs["data-kolom"] == "status":
        return STATUS.get(tekst) == verwacht[0]
    delen = tekst.split(" – ")
    if len(delen) != len(verwacht):
        return False
    duizend = attrs["data-mart"] in ("financien_peil", "gemeente_afrekening")
    for deel, waarde in zip(delen, verwacht):
        getal, waarde = _getal(deel), float(waarde) / (1000 if duizend else 1)
        marge = 0.0005 if deel.endswith("%") else 0.5
        if abs(getal - waarde) > marge + 1e-9:
            return False
    return True


@pytest.mark.parametrize("org", list(RAPPORTEN))
def test_every_figure_equals_its_mart(rapporten, demo_world, tmp_path, org):
    dom = _dom(tmp_path, rapporten[org][0])
    assert [any(k in kop for kop in dom.koppen) for k in HOOFDSTUKKEN] == [True] * 5, dom.koppen
    assert len(dom.cellen) > 100
    con = connect(demo_world.settings.warehouse, read_only=True)
    try:
        fout = [(attrs, tekst, verwacht) for attrs, tekst in dom.cellen
                if not _klopt(attrs, tekst, verwacht := _verwacht(con, org, attrs))]
        eindstand = con.execute("select waarde from marts.kpi where organisatie = ? and gemeente is null and "
                                "kpi = 'uitkeringen_eindstand' and periode = ?", [org, RAPPORTEN[org][1]]).fetchone()[0]
    finally:
        con.close()
    assert not fout, fout[:5]
    maand = {"SOW": "april 2018", "IGSD": "september 2016"}[org]
    assert _getal(dom.rijen[f"Eindstand {maand}"][-1]) == eindstand  # the ambitietabel reads the right KPI and month
    kinds = {attrs["data-mart"] for attrs, _ in dom.cellen}
    assert kinds == {"kpi", "doelen_stand", "financien_peil", "gemeente_afrekening"}, kinds


def test_extra_inzet_shows_every_measure_of_the_year(demo_world, tmp_path):
    """The report of a year in the run of the extra inzet 2019-2020 shows each measure running in that year with
    its figures as marts.maatregelen holds them, and the reeks as total row."""
    run = pdw("rapport", "--warehouse", str(demo_world.settings.warehouse), "--organisatie", "SOW",
              "--peildatum", "2020-12-31", "--out", str(tmp_path))
    assert run.returncode == 0, run.stdout[-4000:]
    dom = _dom(tmp_path, tmp_path / "bestuursrapportage_SOW_2020-12.html")
    cellen = [(attrs, tekst) for attrs, tekst in dom.cellen if attrs["data-mart"] == "maatregelen"]
    assert {attrs["data-maatregel"] for attrs, _ in cellen} == {
        "EI19-ABC", "EI19-FRAUDE", "EI19-KG4", "EI19-METAAL", "EI19-WLB", "EI19"}  # RWO ran in 2019 only
    con = connect(demo_world.settings.warehouse, read_only=True)
    try:
        fout = [(attrs, tekst, verwacht) for attrs, tekst in cellen
                if not _klopt(attrs, tekst, verwacht := _verwacht(con, "SOW", attrs))]
    finally:
        con.close()
    assert not fout, fout[:5]
    assert dom.rijen["Totaal EI19"][4] == "werk ≥ 73"
    assert _getal(dom.rijen["EI19-ABC"][0]) > 0


def test_openbaar_hides_small_counts_per_gemeente(demo_world, tmp_path):
    run = pdw("rapport", "--warehouse", str(demo_world.settings.warehouse), "--organisatie", "IGSD",
              "--peildatum", "2016-09-30", "--out", str(tmp_path), "--openbaar")
    assert run.returncode == 0, run.stdout[-4000:]
    html = next(tmp_path.glob("bestuursrapportage_IGSD_2016-09*.html"))
    dom = _dom(tmp_path, html)
    con = connect(demo_world.settings.warehouse, read_only=True)
    try:
        kpi = [(attrs, tekst, _verwacht(con, "IGSD", attrs)[0]) for attrs, tekst in dom.cellen
               if attrs["data-mart"] == "kpi" and attrs["data-gemeente"] and attrs["data-kolom"] in ("waarde", "teller")]
        noemers = dict(con.execute("select kpi || gemeente || periode, noemer from marts.kpi where organisatie = 'IGSD' "
                                   "and noemer is not null").fetchall())
    finally:
        con.close()
    for attrs, tekst, waarde in kpi:
        if tekst.endswith("%") or tekst == "x":
            noemer = noemers.get(attrs["data-kpi"] + attrs["data-gemeente"] + attrs["data-periode"])
            assert (tekst == "x") == (noemer is None or noemer < 10), (attrs, tekst, noemer)
        elif waarde is not None and 1 <= waarde < 5:
            assert tekst == "<5", (attrs, tekst)
        else:
            assert tekst != "<5", (attrs, tekst)
    assert any(tekst in ("<5", "x") for _, tekst, _ in kpi)


@pytest.mark.parametrize("org", list(RAPPORTEN))
def test_pdf_pages_are_not_blank(rapporten, tmp_path, org):
    pdf = pdfium.PdfDocument(rapporten[org][1])
    assert len(pdf) >= 5
    for nummer, pagina in enumerate(pdf, start=1):
        beeld = pagina.render(scale=1).to_pil().convert("L")
        beeld.save(tmp_path / f"{org}_pagina_{nummer}.png")
        inkt = sum(beeld.histogram()[:200])  # pixels darker than light grey
        # a page with only its running header, page number and a heading or caption has ~2,500
        assert inkt > 8000, f"pagina {nummer} van {org} is (bijna) leeg"


def test_every_kpi_has_a_name(demo_world):
    """A board member reads a name, never a KPI code: every KPI of marts.kpi has a label (its metric's,
    or from the kpi_labels of the model that computes it)."""
    with connect(demo_world.settings.warehouse, read_only=True) as con:
        kpis = [r[0] for r in con.execute("select distinct kpi from marts.kpi").fetchall()]
    meta = kpi_metadata().set_index("kpi")
    assert meta.index.is_unique
    assert [k for k in kpis if kpi_label(meta, k) == k] == []
    assert kpi_label(meta, "maatregel_kosten_ei19_abc") == "Kosten maatregel EI19-ABC"


@pytest.mark.parametrize("args,melding", [
    (["--organisatie", "XYZ", "--peildatum", "2018-04-30"], "Onbekende organisatie 'XYZ'"),
    (["--organisatie", "SOW", "--peildatum", "2012-06-30"], "buiten de gegevensperiode van SOW"),
    (["--organisatie", "IGSD", "--peildatum", "2019-01-31"], "buiten de gegevensperiode van IGSD"),
])
def test_bad_input_exits_2_and_writes_nothing(demo_world, tmp_path, args, melding):
    run = pdw("rapport", "--warehouse", str(demo_world.settings.warehouse), *args, "--out", str(tmp_path / "uit"))
    assert run.returncode == 2 and melding in run.stdout, run.stdout[-2000:]
    assert not (tmp_path / "uit").exists()


def test_warehouse_without_marts_exits_2(tmp_path):
    leeg = tmp_path / "pdw.duckdb"
    duckdb.connect(str(leeg)).close()
    run = pdw("rapport", "--warehouse", str(leeg), "--organisatie", "SOW", "--peildatum", "2018-04-30")
    assert run.returncode == 2 and "bevat niet de tabellen van de rapportage" in run.stdout, run.stdout[-2000:]
    assert not (tmp_path / "reports").exists()
