"""The bestuursrapportage: the board's planning & control report of one organisation at one
peildatum, as HTML and PDF, generated from the published warehouse (read-only).

The layout follows the hand-made board documents (`../shared/seeds/000_...`, bestuursrapportage
januari-april 2018, and `004_...`, IGSD tussenrapportage 2016): stand van zaken hoofdambitie,
in beeld, financieel in beeld, per programma, datakwaliteit. Charts are SVG drawn at build time,
the HTML is a Jinja2 template and the PDF is WeasyPrint's rendering of that same HTML
(docs/rapportage.md says why).
"""
import calendar
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pdw.settings import Settings, SettingsError, connect

from ..publish import PUBLISHED_KEY
from ..resources import WarehouseResource
from . import inhoud
from . import opmaak as fmt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
VEREISTE_TABELLEN = (("marts", "kpi"), ("core", "dim_organisatie"), ("core", "dim_gemeente"))


def peil(con: duckdb.DuckDBPyConnection, organisatie: str, peildatum: date, openbaar: bool) -> inhoud.Peil:
    """Check the request against the warehouse; a SettingsError names what is wrong."""
    ontbreekt = [f"{s}.{t}" for s, t in VEREISTE_TABELLEN if not inhoud.bestaat(con, s, t)]
    if ontbreekt:
        raise SettingsError(f"Het warehouse bevat niet de tabellen van de rapportage ({', '.join(ontbreekt)} "
                            "ontbreekt): draai eerst `pdw run` (of `pdw demo`).")
    organisaties = dict(con.execute("select organisatie, naam from core.dim_organisatie order by 1").fetchall())
    if organisatie not in organisaties:
        raise SettingsError(f"Onbekende organisatie '{organisatie}'; het warehouse kent {', '.join(organisaties)}.")
    eerste, laatste = con.execute("""
        select min(periode), max(periode) from marts.kpi
        where organisatie = ? and gemeente is null and periode_soort = 'maand'""", [organisatie]).fetchone()
    last_day = calendar.monthrange(peildatum.year, peildatum.month)[1]
    maand = peildatum.replace(day=1) if peildatum.day == last_day else \
        (peildatum.replace(day=1) - timedelta(days=1)).replace(day=1)
    peilmaand = maand.strftime("%Y-%m")
    if eerste is None or not eerste <= peilmaand <= laatste:
        periode = "geen gegevens" if eerste is None else f"{fmt.maand(eerste)} t/m {fmt.maand(laatste)}"
        raise SettingsError(f"Peildatum {peildatum.isoformat()} (laatste hele maand {peilmaand}) ligt buiten de "
                            f"gegevensperiode van {organisatie}: {periode}.")
    gemeenten = con.execute("select gemeente, naam from core.dim_gemeente where organisatie = ? order by naam",
                            [organisatie]).fetchall()
    return inhoud.Peil(organisatie, organisaties[organisatie].split(" (")[0], peildatum, peilmaand, gemeenten, openbaar)


def samenstellen(con: duckdb.DuckDBPyConnection, p: inhoud.Peil, uit: Path, kwaliteitsrapport: Path) -> dict:
    """Everything the template shows, section by section."""
    g = inhoud.Gegevens(con, p)
    doelen = inhoud.doelen_stand(con, p)
    grafiek, grafiek_titel = inhoud.index_grafiek(con, g, doelen)
    fin = inhoud.financien(con, p)
    afrekening = inhoud.gemeente_afrekening(con, p)
    figuren = inhoud.figuurtabellen(g)
    kengetallen = inhoud.kengetallen(g)
    maatregelen = inhoud.maatregelen(con, p)
    dq = inhoud.bevindingen(con, p)

    ambitie = inhoud.ambitietabel(g, doelen)
    programmatabel = inhoud.programmatabel(fin, p) if not fin.empty else None
    for tabel in [ambitie, programmatabel, *figuren.values(), *afrekening, *kengetallen, maatregelen]:
        if tabel:
            inhoud.kwaliteitsnoten(tabel, dq)
    indicatoren = inhoud.prestatie_indicatoren(g, doelen)

    if not fin.empty:
        programmas = fin[["programma", "programma_naam"]].drop_duplicates().itertuples(index=False)
    else:
        programmas = con.execute("select programma, naam from core.dim_programma where organisatie = ? and jaar = ? "
                                 "order by programma", [p.organisatie, p.jaar]).fetchall()
    programmas = sorted(programmas, key=lambda r: inhoud.volgorde(r[0]))
    geplaatst: set[str] = set()
    hoofdstukken = []
    for code, naam in programmas:
        figuur = [figuren[k] for k in inhoud.PROGRAMMA_FIGUREN.get(code, []) if k in figuren and k not in geplaatst]
        geplaatst |= set(inhoud.PROGRAMMA_FIGUREN.get(code, []))
        producten = inhoud.producttabel(fin, code, naam, p) if not fin.empty else None
        hoofdstukken.append({"naam": naam, "producten": producten, "figuren": figuur})
    overig = [t for k, t in figuren.items() if k not in geplaatst]

    return {
        "p": p, "fmt": fmt, "titel": f"Bestuursrapportage {p.periode}",
        "gemaakt": f"{fmt.datum(datetime.now().date())} om {datetime.now():%H:%M}",
        "grafiek": grafiek, "grafiek_titel": grafiek_titel, "ambitie": ambitie,
        "kerncijfers": inhoud.kerncijfers(g),
        "programmatabel": programmatabel, "afrekening": afrekening,
        "indicatoren": indicatoren, "hoofdstukken": hoofdstukken, "overig": overig,
        "kengetallen": kengetallen, "maatregelen": maatregelen,
        "kwaliteit": inhoud.kwaliteitstabel(dq), "kwaliteit_totaal": dq.groupby("ernst")["aantal"].sum().to_dict(),
        "kwaliteitsrapport": inhoud.relatief(kwaliteitsrapport, uit),
    }


def render(ctx: dict) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("bestuursrapportage.html.j2").render(**ctx)


def build(warehouse: Path, organisatie: str, peildatum: date, out: Path | None = None,
          openbaar: bool = False) -> tuple[Path, Path]:
    """Write `<out>/bestuursrapportage_<ORG>_<YYYY-MM>.html` and `.pdf`; nothing is written when the
    request does not fit the warehouse."""
    from weasyprint import HTML

    uit = out or warehouse.parent / "reports"
    con = connect(warehouse, read_only=True)
    try:
        p = peil(con, organisatie, peildatum, openbaar)
        html = render(samenstellen(con, p, uit, warehouse.parent / "reports" / "datakwaliteit.html"))
    finally:
        con.close()
    naam = f"bestuursrapportage_{organisatie}_{p.peilmaand}" + ("_openbaar" if openbaar else "")
    uit.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".rapport-", dir=uit) as tmp:
        (Path(tmp) / "r.html").write_text(html, encoding="utf-8")
        HTML(string=html, base_url=str(uit)).write_pdf(Path(tmp) / "r.pdf")
        (Path(tmp) / "r.html").replace(uit / f"{naam}.html")
        (Path(tmp) / "r.pdf").replace(uit / f"{naam}.pdf")
    return uit / f"{naam}.html", uit / f"{naam}.pdf"


def laatste_maanden(warehouse: Path) -> dict[str, date]:
    """Per organisation the last day of the last month of its data period."""
    con = connect(warehouse, read_only=True)
    try:
        rows = con.execute("select organisatie, max(periode) from marts.kpi where periode_soort = 'maand' "
                           "group by organisatie order by organisatie").fetchall()
    finally:
        con.close()
    return {org: date(int(m[:4]), int(m[5:]), calendar.monthrange(int(m[:4]), int(m[5:]))[1]) for org, m in rows}


@dg.asset(key=["publicatie", "bestuursrapportage"], deps=[PUBLISHED_KEY], group_name="publicatie",
          kinds={"html", "pdf"})
def bestuursrapportage(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """After the publication: the report of every organisation at its last complete month."""
    settings: Settings = warehouse.settings()
    metadata: dict[str, dg.MetadataValue] = {}
    for organisatie, peildatum in laatste_maanden(settings.warehouse).items():
        html, pdf = build(settings.warehouse, organisatie, peildatum)
        context.log.info(f"Bestuursrapportage {organisatie} per {peildatum}: {html} en {pdf}")
        metadata[f"{organisatie}_html"] = dg.MetadataValue.path(str(html))
        metadata[f"{organisatie}_pdf"] = dg.MetadataValue.path(str(pdf))
    return dg.MaterializeResult(metadata=metadata)
