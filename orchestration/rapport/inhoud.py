"""What the bestuursrapportage shows, read from the published marts at one peildatum.

Every figure comes from a mart as it is (`marts.kpi`, `marts.doelen_stand`,
`marts.benchmark_landelijk`, `marts.financien_peil`, `marts.gemeente_afrekening`,
`marts.dq_bevindingen`); the report only selects, formats and lays out. A mart that is not in
the warehouse, or has no row for the peildatum, gives `geen gegevens` in its place.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pdw.contract import kpi_eenheid
from pdw.settings import PROJECT_DIR

from . import grafieken
from . import opmaak as fmt

# Which source system a KPI domain (its folder under models/core) reads, for the quality notes.
DOMEIN_BRON = {"uitkeringen": "civision", "schuldhulp": "schuldhulp", "reintegratie": "reintegratie", "personeel": "hr",
               "klantcontact": "kcc", "tevredenheid": "tevredenheid", "zaken": "zaken", "financien": "erp"}
STATUS_WOORD = {"op_koers": "op koers", "risico": "risico", "niet_haalbaar": "niet haalbaar"}
# Section 2: the key figures with their small chart (KPI, and whether the figure is the year to date).
KERNCIJFERS = [
    ("uitkeringen_eindstand", False), ("instroom", True), ("uitstroom", True), ("preventiequote", True),
    ("jongeren_eindstand", False), ("aandeel_langer_dan_2_jaar", False), ("aandeel_deeltijdarbeid", False),
    ("schuldregelingen_lopend", False), ("schuldhulp_intakes", True), ("lks_banenafspraak_eindstand", False),
    ("klantgroep4_in_traject", False), ("werkleertrajecten_bemiddelbaar_aandeel", True),
]
MAANDEN_IN_GRAFIEK = 16
# Section 4: the organisation's figures of the sources beside benefits, debt and re-integration, last year
# against this year to date (a month-end stand: at the end of last year and of the peilmaand).
KENGETALLEN = {
    "Personeel en verzuim": ["verzuimpercentage_ambtelijk", "verzuimpercentage_wsw", "verzuimpercentage_beschut",
                             "verzuimfrequentie_totaal", "formatie_fte"],
    "Bezwaren en klachten": ["bezwaren_aantal", "bezwaren_afgehandeld", "bezwaren_gegrond_aandeel",
                             "bezwaren_herzien_aandeel", "klachten_aantal", "klachten_ongegrond_aandeel",
                             "klachten_ombudsman_aantal"],
    "Armoede- en kindregelingen": ["armoede_aanvragen", "kindregelingen_aanvragen", "vrijwilligerspremies"],
    "Klantcontactcentrum en klanttevredenheid": ["kcc_direct_afgehandeld_aandeel", "kcc_terugbellen_24u_aandeel",
                                                 "kto_score_pw", "kto_score_zakelijk"],
    "Inburgering en statushouders": ["inburgeraars_in_begeleiding_statushouder", "pip_binnen_10_weken_aandeel",
                                     "inburgeraars_op_route_aandeel", "uitstroom_statushouders",
                                     "statushouders_in_traject"],
}
MAATREGEL_UITKOMSTEN = ("deelnemers", "uitstroom", "werk", "minder_instroom", "geactiveerd")
# The programme chapters in the board documents' order (by programme code of the ERP) with the
# figure tables each shows; other programmes follow, figure tables without a programme come
# under "Overige kengetallen".
PROGRAMMA_FIGUREN = {
    "INT": ["assessments"], "INK": ["schuldregelingen"], "WRK": ["lks"], "PAR": ["klantgroep4"], "WLB": [],
    "WI": ["assessments", "schuldregelingen"], "PR": ["lks", "klantgroep4"], "DEK": [], "OVH": [], "BV": [],
}


def volgorde(programma: str) -> tuple[int, str]:
    """Sort key of a programme: the board documents' order, then the others by code."""
    bekend = list(PROGRAMMA_FIGUREN)
    return (bekend.index(programma) if programma in bekend else len(bekend), programma)


@dataclass
class Cel:
    """A figure as shown, with where it came from (`herkomst`: mart, key columns and the column(s)
    summed), written as data attributes so a reader or a test can trace it back to its mart."""
    tekst: str
    klasse: str = "getal"
    herkomst: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.tekst == fmt.GEEN:
            self.klasse = "geen"


@dataclass
class Rij:
    label: str
    cellen: list[Cel]
    klasse: str = ""  # "totaal" (bold), "kop" (a heading row without figures)


@dataclass
class Tabel:
    titel: str
    kop: list[str]
    rijen: list[Rij]
    bron: str
    eenheid: str = ""
    bronsystemen: set[str] = field(default_factory=set)  # whose findings give the table a note
    noten: list[str] = field(default_factory=list)


@dataclass
class Peil:
    """The organisation and the peildatum: realisation through the last whole month on or before it."""
    organisatie: str
    naam: str
    peildatum: date
    peilmaand: str
    gemeenten: list[tuple[str, str]]
    openbaar: bool

    @property
    def jaar(self) -> int:
        return int(self.peilmaand[:4])

    @property
    def tot_nu(self) -> str:
        return f"{self.jaar}-01/{self.peilmaand}"

    @property
    def vorig_jaar(self) -> str:
        return f"{self.jaar - 1}-12"

    @property
    def maanden(self) -> list[str]:
        return [f"{self.jaar}-{m:02d}" for m in range(1, int(self.peilmaand[5:]) + 1)]

    @property
    def kolommen(self) -> list[str | None]:
        """Per-gemeente tables: every gemeente, then the organisation (None)."""
        return [code for code, _ in self.gemeenten] + [None]

    @property
    def kolomkoppen(self) -> list[str]:
        return [naam for _, naam in self.gemeenten] + [self.organisatie]

    @property
    def periode(self) -> str:
        """The report's title period: 'januari – april 2018'."""
        if self.peilmaand.endswith("-01"):
            return fmt.maand(self.peilmaand)
        return f"{fmt.maand(f'{self.jaar}-01').split()[0]} – {fmt.maand(self.peilmaand)}"

    @property
    def t_m(self) -> str:
        """'januari t/m april 2018' (or 'januari 2018')."""
        eerste = fmt.maand(f"{self.jaar}-01")
        return eerste if self.peilmaand.endswith("-01") else f"{eerste.split()[0]} t/m {fmt.maand(self.peilmaand)}"


def bestaat(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, table]).fetchone()[0])


def kpi_metadata() -> pd.DataFrame:
    """Label and source system per KPI, so the report names a KPI as the metrics layer does: the
    metric definitions of the domain yml files, and for the KPIs that are no metric the `kpi_labels`
    in the meta of the model that computes them (a key ending in `_X` names every measure X)."""
    rows = []
    models = PROJECT_DIR / "dbt_project" / "models"
    for path in sorted(models.rglob("*.yml")):
        doc = yaml.load(path.read_text(), Loader=yaml.CSafeLoader) or {}  # libyaml: ten times faster than pure Python
        domein = DOMEIN_BRON.get(path.parent.name, "erp")
        if path.parent.parent.name == "core":
            rows += [{"kpi": m["name"], "label": m.get("label", m["name"]), "bron": domein}
                     for m in doc.get("metrics", [])]
        for model in doc.get("models", []):
            meta = (model.get("config") or {}).get("meta") or {}
            rows += [{"kpi": kpi, "label": label, "bron": meta.get("bron", domein)}
                     for kpi, label in (meta.get("kpi_labels") or {}).items()]
    return pd.DataFrame(rows, columns=["kpi", "label", "bron"])


def kpi_label(meta: pd.DataFrame, kpi: str) -> str:
    """The KPI's name from `kpi_metadata()` (indexed by kpi); its code when it has none."""
    if kpi in meta.index:
        return meta.at[kpi, "label"]
    patroon = next((k for k in meta.index if k.endswith("_X") and kpi.startswith(k[:-1])), None)
    if patroon is None:
        return kpi
    return meta.at[patroon, "label"].format(X=kpi[len(patroon) - 1:].upper().replace("_", "-"))


class Gegevens:
    """The marts of one organisation, read once, looked up cell by cell."""

    def __init__(self, con: duckdb.DuckDBPyConnection, peil: Peil):
        self.peil = peil
        self.meta = kpi_metadata().set_index("kpi")
        self.kpi = con.execute("""
            select gemeente, kpi, periode, berekening, waarde, teller, noemer from marts.kpi
            where organisatie = ? and left(periode, 4) in (?, ?)""",
            [peil.organisatie, str(peil.jaar - 1), str(peil.jaar)]).df()
        self.kpi.loc[self.kpi["gemeente"].isna(), "gemeente"] = ""
        self.kpi = self.kpi.set_index(["gemeente", "kpi", "periode"]).sort_index()
        self.kpi_maanden = con.execute("""
            select kpi, berekening, cast(strptime(periode, '%Y-%m') as date) as maand, waarde from marts.kpi
            where organisatie = ? and gemeente is null and periode_soort = 'maand' and periode <= ?
            order by kpi, periode""", [peil.organisatie, peil.peilmaand]).df()

    def label(self, kpi: str) -> str:
        return kpi_label(self.meta, kpi)

    def rij(self, gemeente: str | None, kpi: str, periode: str) -> pd.Series | None:
        key = (gemeente or "", kpi, periode)
        return self.kpi.loc[key] if key in self.kpi.index else None

    def cel(self, gemeente: str | None, kpi: str, periode: str, kolom: str = "waarde") -> Cel:
        """One KPI figure with the disclosure rule of the openbaar report applied."""
        rij = self.rij(gemeente, kpi, periode)
        herkomst = {"mart": "kpi", "gemeente": gemeente or "", "kpi": kpi, "periode": periode, "kolom": kolom}
        if rij is None:
            return Cel(fmt.GEEN, herkomst=herkomst)
        eenheid = kpi_eenheid(kpi, rij["berekening"])
        if kolom == "waarde" and eenheid == "aandeel":
            tekst = fmt.openbaar_aandeel(rij["waarde"], rij["noemer"]) if self.peil.openbaar else fmt.procent(rij["waarde"])
        elif kolom == "waarde" and eenheid != "aantal":  # a mark, fte or rate: no count to suppress
            tekst = fmt.kpi(rij["waarde"], eenheid)
        else:
            value = rij[kolom]
            tekst = fmt.openbaar_aantal(value, gemeente is not None) if self.peil.openbaar else fmt.aantal(value)
        return Cel(tekst, herkomst=herkomst)

    def bronnen(self, kpis: list[str]) -> set[str]:
        return {self.meta["bron"].get(k, "erp") for k in kpis}


def _per_gemeente(g: Gegevens, regels: list[tuple[str, str | None, str, str, str]]) -> list[Rij]:
    """Rows (label, kpi, periode, kolom, klasse) with one cell per gemeente and the organisation."""
    rijen = []
    for label, kpi, periode, kolom, klasse in regels:
        cellen = [] if kpi is None else [g.cel(gemeente, kpi, periode, kolom) for gemeente in g.peil.kolommen]
        rijen.append(Rij(label, cellen, klasse))
    return rijen


def ambitietabel(g: Gegevens, doelen: pd.DataFrame) -> Tabel:
    """The 2018 report's 'Tabel ambitie ontwikkeling uitkeringen': stand, flows to date, ambition, forecast."""
    p = g.peil
    regels = [
        (f"Eindstand {p.jaar - 1}", "uitkeringen_eindstand", p.vorig_jaar, "waarde", "totaal"),
        (f"Instroom {p.t_m}", None, "", "", "kop"),
        ("Aanmeldingen", "meldingen", p.tot_nu, "waarde", ""),
        ("Preventie", "preventie", p.tot_nu, "waarde", ""),
        ("Preventiequote", "preventiequote", p.tot_nu, "waarde", ""),
        ("B-route", "instroom_aandeel_b_route", p.tot_nu, "teller", ""),
        ("Instroom", "instroom", p.tot_nu, "waarde", "totaal"),
        (f"Uitstroom {p.t_m}", None, "", "", "kop"),
        ("Naar werk (dienstbetrekking/zelfstandig)", "uitstroom_aandeel_werk", p.tot_nu, "teller", ""),
        ("Onderwijs", "uitstroom_aandeel_onderwijs", p.tot_nu, "teller", ""),
        ("Garantiebanen (extern)", "uitstroom_aandeel_garantiebaan", p.tot_nu, "teller", ""),
        ("Autonoom (verhuizing, relatie, AOW, etc.)", "uitstroom_aandeel_autonoom", p.tot_nu, "teller", ""),
        ("Uitstroom", "uitstroom", p.tot_nu, "waarde", "totaal"),
        (f"Eindstand {fmt.maand(p.peilmaand)}", "uitkeringen_eindstand", p.peilmaand, "waarde", "totaal"),
        (f"Gemiddeld {p.t_m}", "uitkeringen_gemiddeld", p.peilmaand, "waarde", ""),
    ]
    rijen = _per_gemeente(g, regels)
    eind = doelen[(doelen["kpi"] == "uitkeringen_eindstand") & (doelen["doelperiode"] == f"{p.jaar}-12")] \
        if not doelen.empty else doelen
    per_kolom = {(None if pd.isna(r.gemeente) else r.gemeente): r for r in eind.itertuples()}
    vind = [per_kolom.get(k) for k in p.kolommen]
    rijen += [
        Rij(f"Ambitie eindstand {p.jaar}", [_doelcel(r, "norm", "aantal", p) for r in vind], "totaal"),
        Rij(f"Prognose eindstand {p.jaar}", [_doelcel(r, "prognose", "aantal", p) for r in vind]),
        Rij("Bandbreedte (80%)", [_doelcel(r, "prognose_laag|prognose_hoog", "aantal", p) for r in vind]),
        Rij("Status", [_doelcel(r, "status", "aantal", p) for r in vind]),
    ]
    return Tabel(f"Tabel ambitie ontwikkeling uitkeringen {p.jaar}", ["Aantal uitkeringen", *p.kolomkoppen], rijen,
                 "marts.kpi, marts.doelen_stand", bronsystemen=g.bronnen(["uitkeringen_eindstand"]))


def _doelcel(r, kolom: str, eenheid: str, p: Peil) -> Cel:
    """One figure of a norm's row in marts.doelen_stand: the norm, forecast, band (laag|hoog) or status,
    in the KPI's unit (pdw.contract.kpi_eenheid)."""
    if r is None:
        return Cel(fmt.GEEN)
    herkomst = {"mart": "doelen_stand", "gemeente": "" if fmt.leeg(r.gemeente) else r.gemeente, "kpi": r.kpi,
                "doelperiode": r.doelperiode, "peilmaand": p.peilmaand, "kolom": kolom}
    if kolom == "status":
        if fmt.leeg(r.status):
            return Cel(fmt.GEEN, herkomst=herkomst)
        return Cel(STATUS_WOORD.get(r.status, r.status), f"status {r.status}", herkomst)
    if kolom == "prognose_laag|prognose_hoog":
        tekst = fmt.GEEN if fmt.leeg(r.prognose_laag) or fmt.leeg(r.prognose_hoog) else \
            f"{fmt.kpi(r.prognose_laag, eenheid)} – {fmt.kpi(r.prognose_hoog, eenheid)}"
        return Cel(tekst, herkomst=herkomst)
    waarde = getattr(r, kolom)
    if p.openbaar and kolom != "norm" and eenheid == "aantal":
        tekst = fmt.openbaar_aantal(waarde, not fmt.leeg(r.gemeente))
    else:
        tekst = fmt.kpi(waarde, eenheid)
    if kolom == "norm" and tekst != fmt.GEEN:
        tekst = f"{'≤' if r.richting == 'max' else '≥'} {tekst}"
    return Cel(tekst, herkomst=herkomst)


def doelen_stand(con: duckdb.DuckDBPyConnection, p: Peil) -> pd.DataFrame:
    """The norms of the report year at the peilmaand (marts.doelen_stand), empty without the mart."""
    if not bestaat(con, "marts", "doelen_stand"):
        return pd.DataFrame(columns=["gemeente", "kpi", "doelperiode", "norm", "richting", "realisatie_tot_nu",
                                     "prognose", "prognose_laag", "prognose_hoog", "status", "toelichting"])
    return con.execute("""
        select d.*, k.berekening
        from marts.doelen_stand as d
        left join (select distinct kpi, berekening from marts.kpi where organisatie = ?) as k using (kpi)
        where d.organisatie = ? and d.peilmaand = ? and left(d.doelperiode, 4) = ?
        order by d.gemeente nulls first, d.kpi, d.doelperiode""",
        [p.organisatie, p.organisatie, p.peilmaand, str(p.jaar)]).df()


def prestatie_indicatoren(g: Gegevens, doelen: pd.DataFrame) -> Tabel:
    """Indicator | norm | stand | prognose with its band | status, in colour and in words."""
    naam = dict(g.peil.gemeenten)
    rijen = []
    for r in doelen.itertuples():
        berekening = r.berekening if isinstance(r.berekening, str) else "stand"
        wie = g.peil.organisatie if fmt.leeg(r.gemeente) else naam.get(r.gemeente, r.gemeente)
        rijen.append(Rij(f"{g.label(r.kpi)} ({wie}, {_doelperiode(r.doelperiode)})", [
            _doelcel(r, kolom, kpi_eenheid(r.kpi, berekening), g.peil)
            for kolom in ("norm", "realisatie_tot_nu", "prognose", "prognose_laag|prognose_hoog", "status")]))
    return Tabel(f"Stand van zaken prestatie-indicatoren {fmt.maand(g.peil.peilmaand)}",
                 ["Prestatie-indicator", "Norm", "Stand", "Prognose", "Bandbreedte (80%)", "Status"], rijen,
                 "marts.doelen_stand")


def _doelperiode(periode: str) -> str:
    return f"eind {periode[:4]}" if periode.endswith("-12") else periode


def kerncijfers(g: Gegevens) -> list[dict]:
    """Section 2: value at the peildatum (or to date) with the months before it as a small chart."""
    p, kaarten = g.peil, []
    eerste = (pd.Timestamp(f"{p.peilmaand}-01") - pd.DateOffset(months=MAANDEN_IN_GRAFIEK - 1)).date()
    for kpi, tot_nu in KERNCIJFERS:
        reeks = g.kpi_maanden[(g.kpi_maanden["kpi"] == kpi) & (g.kpi_maanden["maand"] >= pd.Timestamp(eerste))]
        reeks = reeks.dropna(subset=["waarde"])
        aandeel = reeks["berekening"].isin(fmt.AANDELEN).any()
        kaarten.append({
            "kpi": kpi, "label": g.label(kpi),
            "waarde": g.cel(None, kpi, p.tot_nu if tot_nu else p.peilmaand),
            "wanneer": p.t_m if tot_nu else f"eind {fmt.maand(p.peilmaand)}",
            "grafiek": grafieken.verloop(reeks, aandeel) if len(reeks) > 1 else None,
        })
    return kaarten


def index_grafiek(con: duckdb.DuckDBPyConnection, g: Gegevens, doelen: pd.DataFrame) -> tuple[str | None, str]:
    """The benefits index (marts.benchmark_landelijk) with the budgeted path from the stand at the end of
    last year to this year's ambition, and the national trend; the title names the base month."""
    p = g.peil
    if not bestaat(con, "marts", "benchmark_landelijk"):
        return None, "Ontwikkeling uitkeringen"
    df = con.execute("""
        select cast(strptime(periode, '%Y-%m') as date) as maand, periode, basisjaar, basis_eindstand,
               indexcijfer, landelijk_indexcijfer
        from marts.benchmark_landelijk
        where organisatie = ? and gemeente is null and rapportjaar = ? and periode <= ? order by periode""",
        [p.organisatie, p.jaar, p.peilmaand]).df()
    titel = f"Ontwikkeling uitkeringen {p.jaar}"
    if df.empty:
        return None, titel
    basisjaar = int(df["basisjaar"].iloc[0])
    titel += f" (indexcijfer aantallen dec'{basisjaar % 100:02d}=100)"
    if df["indexcijfer"].isna().all():
        return None, f"{titel}: december {basisjaar} ligt buiten de gegevensperiode"
    basis = df["basis_eindstand"].iloc[0]
    reeksen = [f"{p.organisatie} realisatie", f"{p.organisatie} begroot", "Landelijk (CBS)"]
    delen = [df.assign(reeks=reeksen[0])[["maand", "reeks", "indexcijfer"]],
             df.dropna(subset=["landelijk_indexcijfer"]).assign(reeks=reeksen[2])
             .rename(columns={"indexcijfer": "_", "landelijk_indexcijfer": "indexcijfer"})[["maand", "reeks", "indexcijfer"]]]
    ambitie = doelen[(doelen["kpi"] == "uitkeringen_eindstand") & doelen["gemeente"].isna()
                     & (doelen["doelperiode"] == f"{p.jaar}-12")] if not doelen.empty else doelen
    vorig = df[df["periode"] == p.vorig_jaar]
    if not ambitie.empty and not vorig.empty and not fmt.leeg(basis):
        delen.append(pd.DataFrame({"maand": [date(p.jaar - 1, 12, 1), date(p.jaar, 12, 1)], "reeks": reeksen[1],
                                   "indexcijfer": [vorig["indexcijfer"].iloc[0], 100 * ambitie["norm"].iloc[0] / basis]}))
    data = pd.concat(delen, ignore_index=True)
    data["maand"] = pd.to_datetime(data["maand"])
    return grafieken.indexcijfers(data, reeksen), titel


def financien(con: duckdb.DuckDBPyConnection, p: Peil) -> pd.DataFrame:
    """Budget after the versions known at the peilmaand, realisation to date and forecast (marts.financien_peil)."""
    if not bestaat(con, "marts", "financien_peil"):
        return pd.DataFrame()
    return con.execute("""
        select programma, programma_naam, product, product_naam, begroting_baten, begroting_lasten,
               realisatie_baten, realisatie_lasten, prognose_baten, prognose_lasten, afwijking_baten, afwijking_lasten
        from marts.financien_peil where organisatie = ? and jaar = ? and peilmaand = ?
        order by programma, product""", [p.organisatie, p.jaar, p.peilmaand]).df()


FINANCIEN_KOLOMMEN = {  # header: the columns of marts.financien_peil summed
    "Begroting baten": ["begroting_baten"], "Begroting lasten": ["begroting_lasten"],
    "Begroting saldo": ["begroting_baten", "begroting_lasten"],
    "Realisatie t/m": ["realisatie_baten", "realisatie_lasten"],
    "Prognose saldo": ["prognose_baten", "prognose_lasten"], "Verschil": ["afwijking_baten", "afwijking_lasten"],
}


def _financien_kop(p: Peil) -> list[str]:
    return [f"{kop} {fmt.maand(p.peilmaand).split()[0]}" if kop.endswith("t/m") else kop for kop in FINANCIEN_KOLOMMEN]


def _financien_rij(label: str, d: pd.DataFrame, p: Peil, sleutel: dict[str, str], klasse: str = "") -> Rij:
    som = d.sum(numeric_only=True, min_count=1)
    herkomst = {"mart": "financien_peil", "jaar": str(p.jaar), "peilmaand": p.peilmaand, **sleutel}
    return Rij(label, [Cel(fmt.duizend_euro(sum(som[k] for k in kolommen)),
                           herkomst={**herkomst, "kolom": "+".join(kolommen)})
                       for kolommen in FINANCIEN_KOLOMMEN.values()], klasse)


def programmatabel(fin: pd.DataFrame, p: Peil) -> Tabel:
    groepen = sorted(fin.groupby(["programma", "programma_naam"]), key=lambda g: volgorde(g[0][0]))
    rijen = [_financien_rij(naam, d, p, {"programma": code}) for (code, naam), d in groepen]
    if not fin.empty:
        rijen.append(_financien_rij("Totaal", fin, p, {}, "totaal"))
    return Tabel(f"Financieel beeld per programma {p.jaar} (realisatie t/m {fmt.maand(p.peilmaand)})",
                 ["Programma", *_financien_kop(p)], rijen, "marts.financien_peil", "bedragen x € 1.000", {"erp"})


def producttabel(fin: pd.DataFrame, programma: str, naam: str, p: Peil) -> Tabel:
    deel = fin[fin["programma"] == programma]
    rijen = [_financien_rij(product_naam, d, p, {"programma": programma, "product": product})
             for (product, product_naam), d in deel.groupby(["product", "product_naam"])]
    rijen.append(_financien_rij(f"Totaal {naam}", deel, p, {"programma": programma}, "totaal"))
    return Tabel(f"Programma {naam}: producten", ["Product", *_financien_kop(p)], rijen, "marts.financien_peil",
                 "bedragen x € 1.000")


def figuurtabellen(g: Gegevens) -> dict[str, Tabel]:
    """The figure tables of the 2018 report's programme chapters, from marts.kpi."""
    p = g.peil
    maanden = p.maanden
    trechter = ["assessment_uitgenodigd", "assessment_gestart", "assessment_vervolg", "assessment_werk"]
    tabellen = {"assessments": Tabel(
        f"Assessments per maand {p.jaar}", ["Assessment", *[fmt.maand(m).split()[0] for m in maanden], "Totaal"],
        [Rij(g.label(k), [g.cel(None, k, m) for m in maanden] + [g.cel(None, k, p.tot_nu)]) for k in trechter],
        "marts.kpi", bronsystemen=g.bronnen(trechter))}
    per_gemeente = [
        ("schuldregelingen", "Lopende schuldregelingen per gemeente", [
            ("schuldregelingen_lopend_msnp", "MSNP"), ("schuldregelingen_lopend_wsnp", "WSNP"),
            ("schuldregelingen_lopend", "Totaal")]),
        ("lks", "Loonkostensubsidie en beschut werk per gemeente", [
            ("lks_banenafspraak_eindstand", "Loonkostensubsidie banenafspraak"), ("lks_beschut_eindstand", "Beschut werk")]),
        ("klantgroep4", "Klantgroep 4 per gemeente", [
            ("klantgroep4_eindstand", "Klantgroep 4"), ("klantgroep4_in_traject", "waarvan in een participatietraject")]),
    ]
    for sleutel, titel, kpis in per_gemeente:
        regels = []
        for periode, wanneer in ((p.vorig_jaar, f"eind {p.jaar - 1}"), (p.peilmaand, f"eind {fmt.maand(p.peilmaand)}")):
            regels.append((wanneer.capitalize(), None, "", "", "kop"))
            regels += [(label, k, periode, "waarde", "totaal" if label == "Totaal" else "") for k, label in kpis]
        tabellen[sleutel] = Tabel(titel, ["Aantal", *p.kolomkoppen], _per_gemeente(g, regels), "marts.kpi",
                                  bronsystemen=g.bronnen([k for k, _ in kpis]))
    return tabellen


def kengetallen(g: Gegevens) -> list[Tabel]:
    """Section 4: one table per subject of KENGETALLEN; a table whose KPIs have no figure at all is left out."""
    p, tabellen = g.peil, []
    for titel, kpis in KENGETALLEN.items():
        rijen, standen = [], False
        for kpi in kpis:
            stand = g.rij(None, kpi, p.peilmaand) is not None and g.rij(None, kpi, p.tot_nu) is None
            perioden = (p.vorig_jaar, p.peilmaand) if stand else (str(p.jaar - 1), p.tot_nu)
            cellen = [g.cel(None, kpi, periode) for periode in perioden]
            if any(c.tekst != fmt.GEEN for c in cellen):
                rijen.append(Rij(g.label(kpi), cellen))
                standen |= stand
        if rijen:
            tabellen.append(Tabel(f"{titel} {p.jaar}", ["", str(p.jaar - 1), p.t_m], rijen, "marts.kpi",
                                  "een stand aan het eind van de periode" if standen else "", g.bronnen(kpis)))
    return tabellen


def _maatregelcel(r, kolom: str, opmaak=fmt.aantal) -> Cel:
    """One figure of a marts.maatregelen row, with its origin."""
    herkomst = {"mart": "maatregelen", "maatregel": r.maatregel, "periode": r.periode, "kolom": kolom}
    return Cel(opmaak(getattr(r, kolom)), herkomst=herkomst)


def maatregelen(con: duckdb.DuckDBPyConnection, p: Peil) -> Tabel | None:
    """The policy measures whose run overlaps the report year, over their whole run (marts.maatregelen): gross
    outcome against the target, the matched comparison group and the costs; the reeks as total row."""
    if not bestaat(con, "marts", "maatregelen"):
        return None
    df = con.execute("""
        select * from marts.maatregelen
        where organisatie = ? and periode_soort = 'looptijd' and year(van) <= ? and year(tot) >= ?
        order by is_reeks, maatregel""", [p.organisatie, p.jaar, p.jaar]).df()
    if df.empty:
        return None
    rijen = []
    for r in df.itertuples():
        uitkomst = next((u for u in MAATREGEL_UITKOMSTEN if str(r.doel_kpi).startswith(f"maatregel_{u}_")), None)
        doel = f"{uitkomst.replace('_', ' ')} ≥ {fmt.aantal(r.doel)}" if uitkomst else fmt.GEEN
        cellen = [_maatregelcel(r, "deelnemers"), _maatregelcel(r, "kpi_uitstroom"),
                  _maatregelcel(r, "uitstroom_vergelijkingsgroep"), _maatregelcel(r, "uitstroom_netto", fmt.getal),
                  Cel(doel, "tekst"), _maatregelcel(r, f"kpi_{uitkomst}") if uitkomst else Cel(fmt.GEEN),
                  _maatregelcel(r, "begrote_kosten"), _maatregelcel(r, "gerealiseerde_kosten"),
                  _maatregelcel(r, "kosten_per_uitstroom")]
        rijen.append(Rij(f"Totaal {r.maatregel}" if r.is_reeks else r.maatregel, cellen, "totaal" if r.is_reeks else ""))
    return Tabel("Extra inzet: deelnemers, uitkomsten en kosten over de looptijd",
                 ["Maatregel", "Deelnemers", "Uitstroom", "Vergelijkings­groep", "Netto", "Doel", "Realisatie doel",
                  "Begroot (€)", "Gerealiseerd (€)", "Kosten per uitstroom (€)"], rijen,
                 "marts.maatregelen", bronsystemen={"reintegratie", "zaken", "civision", "erp"},
                 noten=["Vergelijkingsgroep: de verwachte uitstroom van de gematchte deelnemers, naar de uitstroom van "
                        "niet-deelnemers met dezelfde gemeente, klantgroep en uitkeringsduur op de startdag; netto is "
                        "de uitstroom van de gematchte deelnemers min die verwachting (geen gegevens zonder match)."])


def gemeente_afrekening(con: duckdb.DuckDBPyConnection, p: Peil) -> list[Tabel]:
    """The BUIG forecast per gemeente with its risk, and the contribution per gemeente (marts.gemeente_afrekening)."""
    if not bestaat(con, "marts", "gemeente_afrekening"):
        return []
    df = con.execute("select * from marts.gemeente_afrekening where organisatie = ? and jaar = ? and peilmaand = ?",
                     [p.organisatie, p.jaar, p.peilmaand]).df().set_index("gemeente")
    codes = [c for c, _ in p.gemeenten]

    def rij(label: str, kolom: str, klasse: str = "") -> Rij:
        waarden = [df[kolom].get(c) for c in codes]
        totaal = None if any(fmt.leeg(w) for w in waarden) else sum(waarden)
        herkomst = {"mart": "gemeente_afrekening", "jaar": str(p.jaar), "peilmaand": p.peilmaand, "kolom": kolom}
        return Rij(label, [Cel(fmt.duizend_euro(w), herkomst={**herkomst, **({"gemeente": c} if c else {})})
                           for w, c in zip([*waarden, totaal], [*codes, None])], klasse)

    kop = ["", *[n for _, n in p.gemeenten], "Totaal"]
    return [
        Tabel(f"Prognose inkomensvoorziening per gemeente t.o.v. het BUIG-budget {p.jaar}", kop, [
            rij(f"Uitkeringslasten t/m {fmt.maand(p.peilmaand)}", "uitkeringslasten_tot_peilmaand"),
            rij(f"Prognose uitkeringslasten {p.jaar}", "uitkeringslasten_jaarprognose"),
            rij("BUIG-budget", "buig_budget"),
            rij("Risico gemeente (tekort positief)", "buig_risico", "totaal"),
        ], "marts.gemeente_afrekening", "bedragen x € 1.000", {"erp"}),
        Tabel(f"Bijdrage per gemeente {p.jaar} t/m {fmt.maand(p.peilmaand)}", kop, [
            rij("Specifieke lasten (uitkeringen, loonkostensubsidie, armoede)", "specifieke_lasten_tot_peilmaand"),
            rij("Bijdrage gemeente (aandeel gemeenschappelijke lasten plus specifieke lasten)",
                "bijdrage_gemeente_tot_peilmaand", "totaal"),
        ], "marts.gemeente_afrekening", "bedragen x € 1.000", {"erp"}),
    ]


def bevindingen(con: duckdb.DuckDBPyConnection, p: Peil) -> pd.DataFrame:
    """Findings of the latest run whose delivery falls in the report year up to a month after the peilmaand
    (the delivery of the peilmaand itself), plus those without delivery date (ERP and derived checks)."""
    if not bestaat(con, "marts", "dq_bevindingen"):
        return pd.DataFrame(columns=["bron", "object", "controle", "ernst", "aantal"])
    tot = (pd.Timestamp(f"{p.peilmaand}-01") + pd.DateOffset(months=2) - pd.DateOffset(days=1)).date()
    return con.execute("""
        select bron, object, controle, ernst, count(*) as aantal from marts.dq_bevindingen
        where levering is null or levering between ? and ?
        group by all order by bron, object, controle""", [date(p.jaar, 1, 1), tot]).df()


def kwaliteitstabel(df: pd.DataFrame) -> Tabel:
    ernsten = ["blokkerend", "waarschuwing", "info"]
    som = df.pivot_table(index=["bron", "object"], columns="ernst", values="aantal", aggfunc="sum", fill_value=0) \
        if not df.empty else pd.DataFrame()
    rijen = [Rij(f"{bron} · {obj}", [Cel(fmt.aantal(r.get(e, 0))) for e in ernsten])
             for (bron, obj), r in som.iterrows()]
    return Tabel("Bevindingen datakwaliteit in de rapportageperiode", ["Bron · object", "Blokkerend", "Waarschuwing",
                                                                      "Info"], rijen, "marts.dq_bevindingen")


def kwaliteitsnoten(tabel: Tabel, df: pd.DataFrame) -> None:
    """A figure whose source had warning or blocking findings in the period carries a note."""
    for bron in sorted(tabel.bronsystemen):
        deel = df[(df["bron"] == bron) & df["ernst"].isin(["blokkerend", "waarschuwing"])]
        if not deel.empty:
            controles = ", ".join(sorted(deel["controle"].unique()))
            tabel.noten.append(f"Let op: de bron {bron} had in deze periode {fmt.aantal(deel['aantal'].sum())} "
                               f"bevindingen met ernst waarschuwing of blokkerend ({controles}); zie hoofdstuk 5.")


def relatief(doel: Path, van: Path) -> str:
    return Path(os.path.relpath(doel, van)).as_posix()
