"""Navision-like ERP databases (one per organisation), written with SQLAlchemy Core.

Benefit lasten mirror the civision payments (P+N+C per municipality, payment month and
regeling, on accounts named "Uitkeringen ..."); other lasten/baten follow the programme
totals of the board reports, split over the municipalities by the cost key.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import sqlalchemy as sa

from .common import ACTIVE, GEMEENTEN, org_end, org_gemeenten, read_reference

ACCOUNTS = [
    ("4000", "LASTEN", "Heading", "Income Statement"),
    ("4100", "Uitkeringen Participatiewet", "Posting", "Income Statement"),
    ("4110", "Uitkeringen IOAW", "Posting", "Income Statement"),
    ("4120", "Uitkeringen IOAZ", "Posting", "Income Statement"),
    ("4130", "Uitkeringen Bbz", "Posting", "Income Statement"),
    ("4200", "Salarissen en sociale lasten", "Posting", "Income Statement"),
    ("4220", "Loonkosten Wsw-medewerkers", "Posting", "Income Statement"),
    ("4230", "Loonkosten beschut werk", "Posting", "Income Statement"),
    ("4210", "Inhuur derden", "Posting", "Income Statement"),
    ("4300", "Trajectkosten re-integratie", "Posting", "Income Statement"),
    ("4310", "Loonkostensubsidie", "Posting", "Income Statement"),
    ("4400", "Schuldhulpverlening trajecten en bewindvoering", "Posting", "Income Statement"),
    ("4500", "Individuele verstrekkingen armoedevoorziening", "Posting", "Income Statement"),
    ("4600", "Huisvesting en facilitair", "Posting", "Income Statement"),
    ("4700", "ICT en automatisering", "Posting", "Income Statement"),
    ("4999", "Totaal lasten", "Total", "Income Statement"),
    ("8000", "BATEN", "Heading", "Income Statement"),
    ("8100", "Bijdrage gemeenten inkomensvoorziening (BUIG)", "Posting", "Income Statement"),
    ("8110", "Bijdrage gemeenten algemene dienstverlening", "Posting", "Income Statement"),
    ("8120", "Bijdrage gemeenten Werkleerbedrijf", "Posting", "Income Statement"),
    ("8200", "Opbrengst detachering en productie", "Posting", "Income Statement"),
    ("8210", "Omzet productie en diensten Werkleerbedrijf", "Posting", "Income Statement"),
    ("8220", "Detacheringsvergoedingen Wsw en beschut", "Posting", "Income Statement"),
    ("8230", "Rijksbijdrage en subsidies Werkleerbedrijf", "Posting", "Income Statement"),
    ("8300", "Terugvorderingen en verhaal bijstand", "Posting", "Income Statement"),
    ("8999", "Totaal baten", "Total", "Income Statement"),
    ("1100", "Bank", "Posting", "Balance Sheet"),
    ("1400", "Debiteuren gemeenten", "Posting", "Balance Sheet"),
]
BENEFIT_ACCOUNT = {"PW": "4100", "IOAW": "4110", "IOAZ": "4120", "BBZ": "4130"}

# programme structures (2018 bestuursrapportage; 2024 begroting / jaarstukken 2022)
SOW_A = (2015, 2021, {
    "INT": ("Intake en preventie", {"INT-ACT": "Activeren en intake", "INT-ASS": "Diagnose en assessment"}),
    "INK": ("Inkomensondersteuning", {"INK-UIT": "Inkomensvoorziening uitkeringen", "INK-ARM": "Armoedevoorziening",
                                      "INK-SHV": "Schuldhulpverlening", "INK-BEW": "Bewindvoering"}),
    "WRK": ("Werken", {"WRK-WGB": "Werkgeversbenadering", "WRK-LKS": "Loonkostensubsidie",
                       "WRK-ONT": "Ontwikkeling arbeidsintegratie doelgroepen"}),
    "PAR": ("Participeren", {"PAR-KG4": "Ontwikkeling klantgroep 4"}),
    "WLB": ("Werkleerbedrijf", {"WLB-BES": "Beschut en WOL", "WLB-REI": "Uitvoering re-integratie"}),
    "DEK": ("Dekkingsmiddelen", {"DEK-BIJ": "Bijdragen deelnemende gemeenten"}),
    "OVH": ("Overhead", {"OVH-ALG": "Overhead"}),
})
SOW_B = (2022, 9999, {
    "INK": ("Inkomen", {"INK-AAN": "Aanvraag", "INK-UIT": "Inkomensvoorziening", "INK-ARM": "Armoedevoorziening",
                        "INK-SHV": "Schuldhulpverlening", "INK-BEW": "Bewindvoering"}),
    "WRK": ("Werk", {"WRK-WGB": "Werkgeversbenadering", "WRK-LKS": "Loonkostensubsidie",
                     "WRK-ONT": "Ontwikkeling en participatie"}),
    "WLB": ("Werkleerbedrijf", {"WLB-BES": "Beschut en WOL", "WLB-REI": "Uitvoering re-integratie"}),
    "INB": ("Inburgering", {"INB-ALG": "Inburgering"}),
    "DEK": ("Dekkingsmiddelen", {"DEK-BIJ": "Bijdragen deelnemende gemeenten"}),
    "OVH": ("Overhead", {"OVH-ALG": "Overhead"}),
})
IGSD_A = (2015, 9999, {
    "WI": ("Werk en inkomen", {"WI-UIT": "Inkomensvoorziening", "WI-ARM": "Minimabeleid en schuldhulp"}),
    "PR": ("Participatie en re-integratie", {"PR-TRA": "Re-integratietrajecten"}),
    "BV": ("Bedrijfsvoering en bijdragen", {"BV-BIJ": "Bijdragen gemeenten", "BV-OVH": "Overhead"}),
})
# other lasten (+) and baten (-) per year at scale S for the whole organisation, in euros:
# (account, programme in structure A, product A, programme B, product B, amount)
SOW_LINES = [
    ("4200", "INT", "INT-ACT", "INK", "INK-AAN", 3_300_000), ("4200", "INT", "INT-ASS", "WRK", "WRK-ONT", 420_000),
    ("4200", "INK", "INK-UIT", "INK", "INK-UIT", 2_900_000), ("4200", "WRK", "WRK-WGB", "WRK", "WRK-WGB", 2_500_000),
    ("4200", "PAR", "PAR-KG4", "WRK", "WRK-ONT", 720_000), ("4200", "WLB", "WLB-BES", "WLB", "WLB-BES", 20_000_000),
    ("4200", "OVH", "OVH-ALG", "OVH", "OVH-ALG", 8_000_000), ("4210", "OVH", "OVH-ALG", "OVH", "OVH-ALG", 1_500_000),
    ("4300", "WRK", "WRK-ONT", "WRK", "WRK-ONT", 4_900_000), ("4300", "WLB", "WLB-REI", "WLB", "WLB-REI", 600_000),
    ("4310", "WRK", "WRK-LKS", "WRK", "WRK-LKS", 760_000), ("4400", "INK", "INK-SHV", "INK", "INK-SHV", 2_660_000),
    ("4500", "INK", "INK-ARM", "INK", "INK-ARM", 5_400_000), ("4600", "OVH", "OVH-ALG", "OVH", "OVH-ALG", 1_200_000),
    ("4700", "OVH", "OVH-ALG", "OVH", "OVH-ALG", 1_300_000),
    ("8110", "DEK", "DEK-BIJ", "DEK", "DEK-BIJ", -24_940_000), ("8120", "DEK", "DEK-BIJ", "DEK", "DEK-BIJ", -16_600_000),
    ("8200", "WLB", "WLB-BES", "WLB", "WLB-BES", -5_870_000), ("8200", "WRK", "WRK-WGB", "WRK", "WRK-WGB", -4_380_000),
]
SOW_INB_2022 = ("4300", "INB", "INB-ALG", 1_170_000)
IGSD_LINES = [
    ("4200", "WI", "WI-UIT", 1_900_000), ("4200", "PR", "PR-TRA", 900_000), ("4200", "BV", "BV-OVH", 1_100_000),
    ("4300", "PR", "PR-TRA", 1_300_000), ("4400", "WI", "WI-ARM", 500_000), ("4500", "WI", "WI-ARM", 1_200_000),
    ("4600", "BV", "BV-OVH", 300_000), ("4700", "BV", "BV-OVH", 400_000), ("8110", "BV", "BV-BIJ", -5_900_000),
]
USERS = {"SOW": ("SOW\\JDEVRIES", "SOW\\MBAKKER", "SOW\\AELAMRANI", "SOW\\KVISSER"),
         "IGSD": ("IGSD\\HPOST", "IGSD\\WKUIPER", "IGSD\\GDEJONG")}
# SOW's rubrieken (seeds/erp_rubriek.csv) are carved out of postings that exist already, so no
# programme, account total or earlier figure moves: bewindvoering from the armoede product (same
# account and programme), Wsw and beschut wages from the Werkleerbedrijf's salaries, its revenue
# (production, secondment, subsidies) from "Opbrengst detachering en productie", the measures'
# costs (project_code) from the re-integration trajectory costs.
# Bewindvoering per municipality and month of January-April 2018 (000 r.2125-2149, adding up to the
# organisation's 587 of r.1152) and the organisation's 2022 total (001 r.922); other years follow.
BEWINDVOERING_2018 = {"GM0556": 24_400_00, "GM0622": 66_675_00, "GM0606": 55_675_00}  # cents per month
BEWINDVOERING_2022 = 2_239_000_00
BEWINDVOERING_GROEI = 0.03
# gemiddelde dekking loonkosten door opbrengsten (001 r.1206-1212: 28% in 2022)
DEKKING = {2022: 0.28, 2023: 0.30, 2024: 0.31}
DEKKING_ANDERS = 0.27
OMZET_DEEL = 0.6  # of the opbrengsten: production and services; the rest secondment fees
LOON_DOELGROEP = 0.75  # of the Werkleerbedrijf's salaries: Wsw and beschut employees
PROJECT_ORGS = {"SOW"}  # IGSD's ERP has no project_code column (optional in SOURCES.md)
ERP_RATES = {"zonder_programma": 0.01, "dubbel_document": 0.003, "tegenboeking": 0.003, "gesloten_periode": 0.005}


def _tables(meta: sa.MetaData, project_code: bool):
    sa.Table("gl_account", meta, sa.Column("no", sa.String(20), primary_key=True), sa.Column("name", sa.String(100)),
             sa.Column("account_type", sa.String(20)), sa.Column("income_balance", sa.String(30)))
    sa.Table("dimension_value", meta, sa.Column("dimension_code", sa.String(20), primary_key=True),
             sa.Column("code", sa.String(20), primary_key=True), sa.Column("name", sa.String(100)),
             sa.Column("parent_code", sa.String(20)), sa.Column("valid_from_year", sa.Integer, primary_key=True),
             sa.Column("valid_to_year", sa.Integer))
    sa.Table("gl_entry", meta, sa.Column("entry_no", sa.Integer, primary_key=True), sa.Column("posting_date", sa.Date),
             sa.Column("document_no", sa.String(30)), sa.Column("gl_account_no", sa.String(20)),
             sa.Column("description", sa.String(100)), sa.Column("amount", sa.Numeric(14, 2)),
             sa.Column("programma_code", sa.String(20)), sa.Column("product_code", sa.String(20)),
             sa.Column("gemeente_code", sa.String(10)), sa.Column("source_code", sa.String(20)),
             sa.Column("user_id", sa.String(50)), sa.Column("reversed", sa.Boolean),
             sa.Column("reversed_entry_no", sa.Integer), sa.Column("last_modified", sa.DateTime),
             *([sa.Column("project_code", sa.String(20))] if project_code else []))
    sa.Table("budget_entry", meta, sa.Column("entry_no", sa.Integer, primary_key=True),
             sa.Column("budget_name", sa.String(20)), sa.Column("gl_account_no", sa.String(20)),
             sa.Column("programma_code", sa.String(20)), sa.Column("product_code", sa.String(20)),
             sa.Column("gemeente_code", sa.String(10)), sa.Column("budget_date", sa.Date),
             sa.Column("amount", sa.Numeric(14, 2)))


def _dimensions(org: str) -> list[dict]:
    rows = []
    structures = (SOW_A, SOW_B) if org == "SOW" else (IGSD_A,)
    for y0, y1, progs in structures:
        for code, (name, products) in progs.items():
            rows.append(dict(dimension_code="PROGRAMMA", code=code, name=name, parent_code=None, valid_from_year=y0,
                             valid_to_year=y1))
            for pcode, pname in products.items():
                rows.append(dict(dimension_code="PRODUCT", code=pcode, name=pname, parent_code=code, valid_from_year=y0,
                                 valid_to_year=y1))
    for g in org_gemeenten(org):
        rows.append(dict(dimension_code="GEMEENTE", code=g.erp, name=g.naam, parent_code=None, valid_from_year=2015,
                         valid_to_year=9999))
    if org in PROJECT_ORGS:
        for code, m in _maatregelen(org).items():
            rows.append(dict(dimension_code="PROJECT", code=code, name=m["omschrijving"], parent_code=m["reeks"],
                             valid_from_year=m["start"].year, valid_to_year=m["eind"].year))
    return rows


def _maatregelen(org: str) -> dict[str, dict]:
    """The organisation's policy measures (reference/maatregelen.csv) with their budget per year in cents."""
    out = {}
    for r in read_reference("maatregelen.csv"):
        if r["organisatie"] == org:
            m = out.setdefault(r["maatregel_code"], dict(reeks=r["reeks"], omschrijving=r["omschrijving"],
                                                         start=date.fromisoformat(r["startdatum"]),
                                                         eind=date.fromisoformat(r["einddatum"]), begroot={}))
            m["begroot"][int(r["jaar"])] = int(r["begrote_kosten"]) * 100
    return out


def _bewindvoering(y: int) -> float:
    """Bewindvoering of year y relative to 2018 (the organisation's yearly total)."""
    t18 = 12 * sum(BEWINDVOERING_2018.values())
    if y <= 2018:
        total = t18 * (1 + BEWINDVOERING_GROEI) ** (y - 2018)
    elif y < 2022:
        total = t18 + (BEWINDVOERING_2022 - t18) * (y - 2018) / 4
    else:
        total = BEWINDVOERING_2022 * (1 + BEWINDVOERING_GROEI) ** (y - 2022)
    return total / t18


def _beschut(y: int) -> float:
    """Share of the Werkleerbedrijf's salaries paid to beschut employees (beschut werk from 2015)."""
    return min(0.02 + 0.015 * max(y - 2015, 0), 0.15)


def _split(e: dict, parts: list[tuple[dict, int]]) -> list[dict]:
    """The entry as its parts (changed fields, cents) plus what is left on the original; same sum."""
    out = [{**e, **change, "amount": cents} for change, cents in parts if cents]
    return out + [{**e, "amount": e["amount"] - sum(c for _, c in parts)}]


class Erp:
    def __init__(self, world, out: Path, faults: bool, log):
        self.w = world
        self.out = out
        self.faults = faults
        self.log = log
        self.benefit_sums: dict[tuple, int] = {}  # (gemeente idx, month index, regeling, kind) -> cents
        self.rows = {}

    def add_payments(self, b: dict):
        """Collect payment sums per municipality, payment month and regeling (streamed per delivery)."""
        n = len(b["did"])
        if n == 0:
            return
        d = self.w.dossiers
        if not hasattr(self, "_regeling"):
            self._regelingen, self._regeling = np.unique(d["regeling"].values.astype(str), return_inverse=True)
        g = d["gemeente"].values[b["did"]]
        reg = self._regeling[b["did"]]
        pm = b["betaaldatum"].astype("datetime64[M]").astype(np.int64)
        t = pc.equal(b["soort"], "T").to_numpy(zero_copy_only=False).astype(np.int64)
        key = ((g * 10_000 + pm) * len(self._regelingen) + reg) * 2 + t
        keys, inverse = np.unique(key, return_inverse=True)
        sums = np.bincount(inverse, weights=b["bedrag"].astype(np.float64)).round().astype(np.int64)
        for k, v in zip(keys.tolist(), sums.tolist()):
            kind = "T" if k % 2 else "U"
            r = self._regelingen[(k // 2) % len(self._regelingen)]
            gm = k // 2 // len(self._regelingen)
            key_ = (int(gm // 10_000), int(gm % 10_000), str(r), kind)
            self.benefit_sums[key_] = self.benefit_sums.get(key_, 0) + v

    def write(self):
        for org in ("SOW", "IGSD"):
            self._write_org(org)

    def _write_org(self, org: str):
        w = self.w
        rng = np.random.default_rng([w.seed, 99, len(org)])
        start, end = ACTIVE[org][0], org_end(org, w.through)
        gems = org_gemeenten(org)
        entries = []  # dicts without entry_no, in posting order
        # benefits
        for (g, m, r, k), cents in sorted(self.benefit_sums.items()):
            if GEMEENTEN[g].org != org:
                continue
            y = 1970 + m // 12
            pd_ = date(y, m % 12 + 1, 25 if k == "U" else 28)
            prog, prod = self._prog(org, y, "INK", "INK-UIT") if org == "SOW" else ("WI", "WI-UIT")
            entries.append(dict(posting_date=pd_, document_no=f"CIV{y}{m % 12 + 1:02d}-{GEMEENTEN[g].erp}-{r}{k}",
                                gl_account_no=BENEFIT_ACCOUNT[r] if k == "U" else "8300",
                                description=(f"Uitkeringen {r} {y}-{m % 12 + 1:02d}" if k == "U" else
                                             f"Terugvorderingen {y}-{m % 12 + 1:02d}"),
                                amount=cents, programma_code=prog, product_code=prod, gemeente_code=GEMEENTEN[g].erp,
                                source_code="CIVISION", user_id=f"{org}\\CIVISION", benefit=True))
        # BUIG / contribution for income (baten), other lasten and baten
        keys = {r["gemeente"]: float(r["aandeel_pct"]) / 100 for r in read_reference("verdeelsleutel.csv")
                if r["jaar"] == "2019"}
        buig = {(int(r["jaar"]), r["gemeente"]): int(r["bedrag_x1000"]) * 1000 for r in read_reference("buig_budget.csv")}
        lines = SOW_LINES if org == "SOW" else IGSD_LINES
        mi = (start.year - 1970) * 12 + start.month - 1
        last = (end.year - 1970) * 12 + end.month - 1
        scale = w.scale
        doc = 0
        for m in range(mi, last + 1):
            y, mo = 1970 + m // 12, m % 12 + 1
            for g in gems:
                share = keys.get(g.cbs, 0.75 if g.erp == "STW" else 0.25)
                ben = sum(v for (gg, mm, r, k), v in self.benefit_sums.items() if gg == g.index and mm == m and k == "U")
                bud = buig.get((y, g.cbs))
                baten = -(bud * 100 * scale // 12) if bud and scale == 1 else -int(ben * (0.99 + 0.02 * rng.random()))
                prog, prod = self._prog(org, y, "DEK", "DEK-BIJ") if org == "SOW" else ("BV", "BV-BIJ")
                doc += 1
                entries.append(dict(posting_date=date(y, mo, 5), document_no=f"VF{y}-{doc:06d}", gl_account_no="8100",
                                    description=f"Bijdrage inkomensvoorziening {g.naam} {y}-{mo:02d}", amount=baten,
                                    programma_code=prog, product_code=prod, gemeente_code=g.erp, source_code="SALES",
                                    user_id=USERS[org][0], benefit=False))
                growth = 1.0 + 0.025 * (y - 2018)
                for line in lines:
                    if org == "SOW":
                        acc, pa_, pra, pb, prb, amount = line
                        prog, prod = (pa_, pra) if y <= 2021 else (pb, prb)
                    else:
                        acc, prog, prod, amount = line
                    cents = int(amount * 100 * scale * share * growth / 12 * (0.85 + 0.3 * rng.random()))
                    doc += 1
                    day_ = int(rng.integers(3, 28))
                    entries.append(dict(posting_date=date(y, mo, day_), document_no=f"{'VF' if cents < 0 else 'IF'}{y}-{doc:06d}",
                                        gl_account_no=acc, description=f"{dict((a[0], a[1]) for a in ACCOUNTS)[acc]} {mo:02d}-{y}",
                                        amount=cents, programma_code=prog, product_code=prod, gemeente_code=g.erp,
                                        source_code="SALES" if cents < 0 else "PURCHASES",
                                        user_id=USERS[org][int(rng.integers(0, len(USERS[org])))], benefit=False))
                if org == "SOW" and y >= 2022:
                    acc, prog, prod, amount = SOW_INB_2022
                    doc += 1
                    entries.append(dict(posting_date=date(y, mo, 15), document_no=f"IF{y}-{doc:06d}", gl_account_no=acc,
                                        description=f"Inburgering {mo:02d}-{y}",
                                        amount=int(amount * 100 * scale * share / 12 * (0.85 + 0.3 * rng.random())),
                                        programma_code=prog, product_code=prod, gemeente_code=g.erp,
                                        source_code="PURCHASES", user_id=USERS[org][1], benefit=False))
        entries.sort(key=lambda e: (e["posting_date"], e["document_no"], e["gl_account_no"]))
        for e in entries:
            e["reversed"] = False
            e["reversed_entry_no"] = None
            e["last_modified"] = datetime.combine(e["posting_date"], datetime.min.time()) + timedelta(
                days=int(rng.integers(1, 6)), hours=int(rng.integers(8, 18)), minutes=int(rng.integers(0, 60)))
        final = self._faults(org, entries, rng) if self.faults else entries
        budgets = self._budgets(org, final, rng)
        if org == "SOW":
            final, budgets = self._rubrieken(org, final, budgets)
        for i, e in enumerate(final, start=1):
            e["entry_no"] = i
        for e in final:
            ref = e.pop("_reverses", None)
            if ref is not None:
                e["reversed_entry_no"] = ref["entry_no"]
        self._log_faults(org, final)
        for i, r in enumerate(budgets, start=1):
            r["entry_no"] = i
        self._save(org, final, budgets)

    def _rubrieken(self, org, entries, budgets):
        """Carve the rubrieken and the measures' costs out of existing postings and budget lines (see
        BEWINDVOERING_2018). A reversal pair stays whole (it never counts); a second posting of a
        document is split as its first, so it is still found as the same document."""
        name = dict((a[0], a[1]) for a in ACCOUNTS)
        shares = {g.erp: float(r["aandeel_pct"]) / 100 for r in read_reference("verdeelsleutel.csv")
                  for g in org_gemeenten(org) if r["jaar"] == "2019" and r["gemeente"] == g.cbs}
        cbs = {g.erp: g.cbs for g in org_gemeenten(org)}
        rng = np.random.default_rng([self.w.seed, 99, 19])
        maatregelen = _maatregelen(org)
        realisatie = {code: 0.85 + 0.2 * rng.random() for code in maatregelen}

        def splits(e):
            return e.get("_fault", ("",))[0] != "tegenboeking"

        def counts(e):
            return splits(e) and e.get("_fault", ("",))[0] != "dubbel_document"

        def wages(y, cents):
            wsw, beschut = round(cents * (LOON_DOELGROEP - _beschut(y))), round(cents * _beschut(y))
            return [({"gl_account_no": "4220", "description": name["4220"]}, wsw),
                    ({"gl_account_no": "4230", "description": name["4230"]}, beschut)]

        loon, opbrengst, arm = {}, {}, {}
        for e in entries:
            y = e["posting_date"].year
            if counts(e) and e["product_code"] == "WLB-BES" and e["gl_account_no"] == "4200":
                loon[y] = loon.get(y, 0) + sum(c for _, c in wages(y, e["amount"]))
            if counts(e) and e["product_code"] == "WLB-BES" and e["gl_account_no"] == "8200":
                opbrengst[y] = opbrengst.get(y, 0) - e["amount"]
            if counts(e) and e["product_code"] == "INK-ARM" and e["gl_account_no"] == "4500":
                arm[(y, e["gemeente_code"])] = arm.get((y, e["gemeente_code"]), 0) + e["amount"]
        dekking = {y: DEKKING.get(y, DEKKING_ANDERS) * loon[y] / opbrengst[y] for y in loon}
        assert max(dekking.values()) < 1, "opbrengsten Werkleerbedrijf te klein voor de dekkingsgraad"

        def revenue(y, cents):
            sold = round(cents * dekking[y])
            return [({"gl_account_no": "8210", "description": name["8210"]}, round(sold * OMZET_DEEL)),
                    ({"gl_account_no": "8220", "description": name["8220"]}, sold - round(sold * OMZET_DEEL)),
                    ({"gl_account_no": "8230", "description": name["8230"]}, cents - sold)]

        def bewind(e):
            y, mo = e["posting_date"].year, e["posting_date"].month
            cents = round(BEWINDVOERING_2018[cbs[e["gemeente_code"]]] * _bewindvoering(y))
            assert cents < e["amount"], f"armoedeboeking {e['document_no']} kleiner dan de bewindvoering"
            return [({"product_code": "INK-BEW", "description": f"Bewindvoering {mo:02d}-{y}"}, cents)]

        def projects(e):
            d = e["posting_date"]
            parts = []
            for code, m in maatregelen.items():
                if not (m["start"] <= d <= m["eind"]) or not m["begroot"].get(d.year):
                    continue
                months = min(m["eind"], date(d.year, 12, 31)).month - max(m["start"], date(d.year, 1, 1)).month + 1
                cents = round(m["begroot"][d.year] * realisatie[code] / months * shares[e["gemeente_code"]])
                parts.append(({"project_code": code, "description": f"{code} {e['description']}"}, cents))
            assert sum(c for _, c in parts) < e["amount"], f"trajectkosten {e['document_no']} te klein voor de maatregelen"
            return parts

        rules = {("4200", "WLB-BES"): lambda e: wages(e["posting_date"].year, e["amount"]),
                 ("8200", "WLB-BES"): lambda e: revenue(e["posting_date"].year, e["amount"]),
                 ("4500", "INK-ARM"): bewind, ("4300", "WRK-ONT"): projects}
        out = []
        for e in entries:
            rule = rules.get((e["gl_account_no"], e["product_code"])) if splits(e) else None
            out.extend(_split(e, rule(e)) if rule else [e])
        carved = {}
        for e in out:
            if e["product_code"] == "INK-BEW" and counts(e):
                key = (e["posting_date"].year, e["gemeente_code"])
                carved[key] = carved.get(key, 0) + e["amount"]
        def bewind_budget(b):
            key = (int(b["budget_name"][1:5]), b["gemeente_code"])
            return [({"product_code": "INK-BEW"}, round(b["amount"] * carved.get(key, 0) / arm[key]))]

        budget_rules = {("4200", "WLB-BES"): lambda b: wages(int(b["budget_name"][1:5]), b["amount"]),
                        ("8200", "WLB-BES"): lambda b: revenue(int(b["budget_name"][1:5]), b["amount"]),
                        ("4500", "INK-ARM"): bewind_budget}
        split_budgets = []
        for b in budgets:
            rule = budget_rules.get((b["gl_account_no"], b["product_code"]))
            split_budgets.extend(_split(b, rule(b)) if rule else [b])
        return out, split_budgets

    def _prog(self, org, y, prog, prod):
        if y <= 2021 and prog == "INK" and prod == "INK-AAN":
            return "INT", "INT-ACT"
        return prog, prod

    def _faults(self, org, entries, rng):
        out = []
        for e in entries:
            out.append(e)
            if e["benefit"]:
                continue
            u = rng.random()
            r = ERP_RATES
            if u < r["zonder_programma"]:
                e["programma_code"] = None
                e["product_code"] = None
                e["_fault"] = ("zonder_programma", "boeking zonder programma en product")
            elif u < r["zonder_programma"] + r["dubbel_document"]:
                dup = {k: v for k, v in e.items() if not k.startswith("_")}
                dup["last_modified"] = e["last_modified"] + timedelta(minutes=int(rng.integers(2, 90)))
                dup["_fault"] = ("dubbel_document", f"document {e['document_no']} tweemaal geboekt")
                out.append(dup)
            elif u < r["zonder_programma"] + r["dubbel_document"] + r["tegenboeking"]:
                wrong = {k: v for k, v in e.items() if not k.startswith("_")}
                wrong["document_no"] = e["document_no"] + "-C"
                wrong["reversed"] = True
                later = e["last_modified"] + timedelta(days=int(rng.integers(3, 40)))
                wrong["last_modified"] = later
                wrong["_fault"] = ("tegenboeking", "foutieve boeking, tegengeboekt")
                counter = dict(wrong)
                counter["amount"] = -wrong["amount"]
                counter["description"] = "Tegenboeking " + wrong["description"]
                counter["posting_date"] = later.date()
                counter["_reverses"] = wrong
                counter["_fault"] = ("tegenboeking", "tegenboeking van een foutieve boeking")
                out.extend([wrong, counter])
            elif u < sum(r.values()):
                e["last_modified"] = e["last_modified"] + timedelta(days=int(rng.integers(65, 150)))
                e["_fault"] = ("gesloten_periode", "boeking in een afgesloten periode (gewijzigd ruim na de boekingsmaand)")
        return out

    def _log_faults(self, org, entries):
        if self.log is None:
            return
        # not a posting fault but the demo's erp_rubriek.csv: a rubriek without key leaves its KPI missing
        keys = read_reference("erp_rubriek.csv")
        for y in range(ACTIVE[org][0].year, org_end(org, self.w.through).year + 1):
            for r in read_reference("codes.csv"):
                if r["lijst"] == "erp_rubriek" and not any(
                        k["organisatie"] == org and k["rubriek"] == r["code"]
                        and int(k["jaar_van"]) <= y <= int(k["jaar_tot"] or 9999) for k in keys):
                    self.log.add("erp", "erp_rubriek", [f"{y}:{r['code']}"], "rubriek_zonder_sleutel", org,
                                 f"{org}: rubriek {r['code']} heeft in {y} geen sleutel in erp_rubriek.csv")
        for e in entries:
            f = e.get("_fault")
            if f:
                self.log.add("erp", "gl_entry", [e["entry_no"]], f[0], org, f"{org}: {f[1]}")

    def _budgets(self, org, entries, rng):
        df = pd.DataFrame([{k: e[k] for k in ("posting_date", "gl_account_no", "programma_code", "product_code",
                                                "gemeente_code", "amount", "reversed")} for e in entries])
        df = df[~df["reversed"] & df["programma_code"].notna()]
        df["jaar"] = [d.year for d in df["posting_date"]]
        agg = df.groupby(["jaar", "gl_account_no", "programma_code", "product_code", "gemeente_code"], sort=True)["amount"].sum()
        rows = []
        years = sorted(set(agg.index.get_level_values(0)))
        for y in years:
            part = agg.loc[y]
            for (acc, prog, prod, gem), amount in part.items():
                primary = int(round(amount * (0.96 + 0.08 * rng.random()) / 10000)) * 10000
                rows.append(dict(budget_name=f"B{y}", gl_account_no=acc, programma_code=prog, product_code=prod,
                                 gemeente_code=gem, budget_date=date(y, 1, 1), amount=primary))
                for i, mo in enumerate((4, 7, 10), start=1):
                    if rng.random() < 0.25:
                        rows.append(dict(budget_name=f"B{y}-W{i}", gl_account_no=acc, programma_code=prog,
                                         product_code=prod, gemeente_code=gem, budget_date=date(y, mo, 1),
                                         amount=int(round(amount * (rng.random() * 0.06 - 0.03) / 1000)) * 1000))
        return rows

    def _save(self, org, entries, budgets):
        path = self.out / "erp" / f"{org}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        engine = sa.create_engine(f"sqlite:///{path}")
        meta = sa.MetaData()
        _tables(meta, project_code=org in PROJECT_ORGS)
        meta.create_all(engine)
        cols = [c.name for c in meta.tables["gl_entry"].columns]
        with engine.begin() as con:
            con.execute(meta.tables["gl_account"].insert(), [dict(zip(("no", "name", "account_type", "income_balance"), a))
                                                             for a in ACCOUNTS])
            con.execute(meta.tables["dimension_value"].insert(), _dimensions(org))
            rows = []
            for e in entries:
                r = {c: e.get(c) for c in cols}
                r["amount"] = round(r["amount"] / 100, 2)
                rows.append(r)
            con.execute(meta.tables["gl_entry"].insert(), rows)
            brows = []
            for b in budgets:
                b = dict(b)
                b["amount"] = round(b["amount"] / 100, 2)
                brows.append(b)
            if brows:
                con.execute(meta.tables["budget_entry"].insert(), brows)
        with engine.connect() as con:
            con.exec_driver_sql("VACUUM")
        engine.dispose()
        self.rows[f"erp/{org}/gl_entry"] = len(entries)
        self.rows[f"erp/{org}/budget_entry"] = len(budgets)
