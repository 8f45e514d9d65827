"""hr: the personnel administration (dienstverbanden with history rows, absence lines), its
monthly-closing exports and their quirks, calibrated on the staff and absence rows of kalibratie.csv.

Own random stream (seed, "hr"): the files of the other sources stay byte-identical. The world is
built person by person at day resolution, then tuned per calibration cell: formatie by a
temporary change of hours, the ambtelijk mix of units by a transfer, Wsw fte per werksoort by the
date of leaving, absence by added or removed cases that lie inside the cell.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from pdw.contract import FORMATS, get

from .common import day, make_bsns, month_end, month_index, month_start, to_date

FAR = day(date(9999, 12, 31))
START = {"SOW": day(date(2015, 7, 1)), "IGSD": day(date(2015, 1, 1))}
IGSD_END = day(date(2017, 12, 31))
MIGRATIE = datetime(2019, 1, 2, 6, 0, 0)  # SOW's salary system of 2019: older history carries this timestamp
# absence registration starts (SOURCES.md, hr): before them a population has no absence weight
REGISTRATIE = {("SOW", "BESCHUT"): day(date(2023, 1, 1)), ("SOW", "DOELGROEP"): day(date(2023, 1, 1))}
UNITS = {"DIR": ("Directie", 0.03, 0.0044), "OU": ("Ontwikkeling & Uitstroom", 0.604, 0.1086),
         "WLB": ("Werkleerbedrijf", 0.10, 0.0206), "BV": ("Bedrijfsvoering", 0.12, 0.0441),
         "INS": ("Instroom", 0.146, 0.1118)}
GROEPEN = {"PRODUCTIE": 292, "DIENSTEN": 257, "DETACHERING": 128, "BEGELEID_WERKEN": 18}  # SOW Wsw fte 2022
WERKSOORT = {"PRODUCTIE": ("VERP", "MET", "MONT"), "DIENSTEN": ("CAT", "SCHOON", "GROEN", "POST"),
             "DETACHERING": ("DET-IND", "DET-GRP"), "BEGELEID_WERKEN": ("BW",)}
NORM = {"AMBTELIJK": 36.0, "WSW": 36.0, "BESCHUT": 38.0, "DOELGROEP": 38.0}
RATES = {
    "bsn_ambtelijk": 0.01,  # of AMBTELIJK dienstverbanden: a bsn in the export (dropped on read, reported)
    "fte_afwijkend": 0.01,  # of rows: uren_per_week off by more than 0,01 fte from fte (fte holds)
    "werksoort_groep_leeg": 0.05,  # of DOELGROEP rows: no werksoort_groep (counted under 'onbekend')
    "late_ziekmelding": 0.3,  # of cases starting in the 20 days before a non-final extraction: reported later
    "exacte_dubbele_rij": 0.002,  # of verzuim rows per delivery
}
Period = tuple[int, int]


def _d(y: int, m: int, dd: int = 1) -> int:
    return day(date(y, m, dd))


class Hr:
    def __init__(self, seed: int, scale: float, through: date):
        self.seed = seed
        self.rng = np.random.default_rng([seed, sum(map(ord, "hr"))])
        self.scale = scale
        self.through = day(through)
        self.rows: list[dict] = []
        self.lines: list[dict] = []
        self.next_pnr = {"SOW": 1001, "IGSD": 700001}
        self.cases = 0
        self.lines_seen: pd.DataFrame | None = None  # per delivered absence line its latest version (_track)
        self.dienstverbanden_seen: pd.DataFrame | None = None  # those of the latest delivery
        self.previous = ""

    # -- population ------------------------------------------------------------------------------
    def _person(self, org: str, soort: str, start: int, end: int, fte: float, **attrs) -> dict:
        pnr = self.next_pnr[org]
        self.next_pnr[org] += 1
        row = {"org": org, "pnr": pnr, "dv": 1, "soort": soort, "ingang": start, "eind": end, "van": start,
               "tot": end, "fte": fte, "unit": attrs.get("unit", ""), "groep": attrs.get("groep", ""),
               "gemeente": attrs.get("gemeente", ""), "reden": attrs.get("reden", "")}
        self.rows.append(row)
        return row

    def _fte(self, n: int, soort: str) -> np.ndarray:
        hours = np.array([36, 32, 28, 24, 20, 40]) if soort == "AMBTELIJK" else np.array([36, 32, 28, 24, 20])
        p = np.array([.55, .2, .1, .08, .04, .03]) if soort == "AMBTELIJK" else np.array([.5, .2, .12, .12, .06])
        return np.round(self.rng.choice(hours, n, p=p) / NORM[soort], 4)

    def _exit(self, start: int, yearly: float) -> int:
        return int(start + self.rng.exponential(365 / yearly))

    def build(self):
        rng, s = self.rng, self.scale
        # SOW ambtelijk: the formatie grows from 309 to about 350 fte, with turnover
        path = {month_index(date(2015, 7, 1)): 309.5, month_index(date(2016, 12, 1)): 311.0,
                month_index(date(2017, 12, 1)): 310.5, month_index(date(2018, 4, 1)): 323.5,
                month_index(date(2020, 12, 1)): 318.0, month_index(date(2024, 12, 1)): 352.0}
        units = list(UNITS)
        shares = np.array([u[1] for u in UNITS.values()])
        first, last = month_index(date(2015, 7, 1)), month_index(to_date(self.through))
        for mi in range(first, last + 1):
            target = np.interp(mi, list(path), list(path.values())) * s
            lo = int(month_start(mi))
            current = sum(r["fte"] for r in self.rows if r["soort"] == "AMBTELIJK" and r["van"] <= lo <= r["tot"])
            while current < target - 0.5:
                fte = float(self._fte(1, "AMBTELIJK")[0])
                unit = units[int(rng.choice(len(units), p=shares))]
                end = self._exit(lo, 0.05)
                self._person("SOW", "AMBTELIJK", lo, end if end < self.through else FAR, fte, unit=unit,
                             reden=str(rng.choice(["PENSIOEN", "EINDE_CONTRACT", "ONTSLAG_OVERIG"])) if end < self.through else "")
                current += fte
        # SOW Wsw: the register closed in 2015; a declining population per werksoort_groep
        n_wsw = int(round(1060 * s))
        groepen = np.array(list(GROEPEN))
        start = START["SOW"]
        for g, fte in zip(rng.choice(groepen, n_wsw, p=np.array(list(GROEPEN.values())) / sum(GROEPEN.values())),
                          self._fte(n_wsw, "WSW")):
            end = self._exit(start, 0.035)
            self._person("SOW", "WSW", start, end if end < self.through else FAR, float(fte), groep=str(g),
                         gemeente=str(rng.choice(["0556", "0622", "0606"], p=[.15, .35, .5])),
                         unit="WLB", reden=str(rng.choice(["PENSIOEN", "WIA", "REGULIER_WERK"])) if end < self.through else "")
        # SOW beschut werk (employer since 2022) and internal target-group jobs
        for n, soort, first_day in ((int(60 * s), "BESCHUT", _d(2022, 1)), (int(40 * s), "DOELGROEP", _d(2016, 1))):
            for k in range(n):
                begin = first_day + int(rng.integers(0, max(self.through - first_day, 1)))
                begin = first_day if k < n // 2 else begin
                end = begin + int(rng.integers(180, 900)) if soort == "DOELGROEP" else FAR
                end = end if end < self.through else FAR
                self._person("SOW", soort, begin, end, float(self._fte(1, soort)[0]), unit="WLB",
                             groep=str(rng.choice(["PRODUCTIE", "DIENSTEN"])),
                             gemeente=str(rng.choice(["0556", "0622", "0606"])),
                             reden="EINDE_CONTRACT" if end != FAR else "")
        # IGSD Wsw, 2015-2017
        for fte in self._fte(int(round(330 * s)), "WSW"):
            end = self._exit(START["IGSD"], 0.04)
            self._person("IGSD", "WSW", START["IGSD"], end if end <= IGSD_END else FAR, float(fte),
                         groep=str(rng.choice(["PRODUCTIE", "DIENSTEN", "DETACHERING"], p=[.5, .35, .15])),
                         gemeente=str(rng.choice(["1708", "1701"], p=[.6, .4])), unit="SW",
                         reden="PENSIOEN" if end <= IGSD_END else "")
        self._transitions()
        self._absence()
        self._calibrate()
        self._finish()

    # -- history rows ----------------------------------------------------------------------------
    def _split(self, row: dict, at: int, **changes) -> dict:
        """Close `row` the day before `at` and open the next one with `changes` (a history row); a
        change on the row's first day changes the row itself."""
        if at <= row["van"]:
            row.update(changes)
            return row
        new = dict(row, van=at, **changes)
        row["tot"] = at - 1
        self.rows.append(new)
        return new

    def _valid(self, pred, lo: int, hi: int) -> list[dict]:
        return [r for r in self.rows if pred(r) and r["van"] <= lo and r["tot"] >= hi and r["eind"] >= hi]

    def _transitions(self):
        """Moves between internal and external work: the 2018 report's figures at SOW, two
        begeleid-werken placements at IGSD in 2016, a few at random in other years."""
        rng = self.rng
        jan, apr = _d(2018, 1), _d(2018, 4, 30)
        def intern(r):
            return r["org"] == "SOW" and r["soort"] == "WSW" and r["groep"] in ("PRODUCTIE", "DIENSTEN")
        def extern(r):
            return r["org"] == "SOW" and r["soort"] == "WSW" and r["groep"] == "DETACHERING"
        for pred, group, ftes in ((intern, "DETACHERING", (1.0, 1.0, 1.0, 0.95)), (extern, "PRODUCTIE", (1.0, 1.0, 1.0))):
            cand = [r for r in self._valid(pred, jan, _d(2022, 12, 31)) if r["fte"] == 1.0]
            for r, fte in zip(rng.permutation(len(cand))[: len(ftes)], ftes):
                self._split(cand[r], jan + int(rng.integers(5, apr - jan)), groep=group, fte=fte)
        igsd = [r for r in self._valid(lambda r: r["org"] == "IGSD" and r["groep"] == "PRODUCTIE", _d(2015, 6), _d(2017, 12))]
        for r in rng.permutation(len(igsd))[:2]:
            self._split(igsd[r], _d(2016, 2) + int(rng.integers(0, 200)), groep="BEGELEID_WERKEN")
        for year in (2016, 2017, 2019, 2020, 2021, 2023, 2024):
            lo = _d(year, 1)
            pool = self._valid(lambda r: r["org"] == "SOW" and r["soort"] == "WSW" and r["groep"] != "BEGELEID_WERKEN",
                               lo, _d(year, 12, 31))
            for r in rng.permutation(len(pool))[: int(4 * self.scale)]:
                if lo + 364 < self.through:
                    row = pool[r]
                    self._split(row, lo + int(rng.integers(1, 360)),
                                groep="DETACHERING" if row["groep"] != "DETACHERING" else "DIENSTEN")

    # -- absence ---------------------------------------------------------------------------------
    def _case(self, row: dict, first: int, spans: list[tuple[int, int, int]], soort: str = "ZIEKTE"):
        """One absence case: lines (van, tot, percentage), recovery the day after the last line."""
        self.cases += 1
        nummer = f"V{to_date(first).year % 100:02d}-{self.cases:06d}"
        for k, (van, tot, pct) in enumerate(spans, 1):
            self.lines.append({"nummer": nummer, "org": row["org"], "pnr": row["pnr"], "dv": row["dv"], "eerste": first,
                               "regel": k, "van": van, "tot": tot, "pct": pct, "soort": soort,
                               "herstel": spans[-1][1] + 1})

    def _absence(self):
        """Background absence: sick reports per person-year with a flu peak in February, mostly
        short, some long with a partial recovery line (and the 0 % line some systems write)."""
        rng = self.rng
        incidence = {"AMBTELIJK": 1.6, "WSW": 4.5, "BESCHUT": 3.5, "DOELGROEP": 2.0}
        season = np.array([1.5, 1.7, 1.2, 0.9, 0.8, 0.7, 0.6, 0.7, 0.9, 1.0, 1.1, 1.2])
        for row in list(self.rows):
            if row["groep"] == "BEGELEID_WERKEN":
                continue
            lo, hi = row["van"], min(row["tot"], self.through if row["org"] == "SOW" else IGSD_END)
            rate = incidence[row["soort"]] * (UNITS[row["unit"]][2] / 0.08 if row["soort"] == "AMBTELIJK" else 1)
            t = lo + rng.exponential(365 / rate)
            while t <= hi:
                first = int(t)
                if rng.random() < season[to_date(first).month - 1] / 1.7:
                    length = int(min(rng.lognormal(2.3, 1.2) + 1, 700))
                    spans = [(first, first + length - 1, 100)]
                    if length > 40 and rng.random() < 0.5:
                        half = first + length // 2
                        spans = [(first, half - 1, 100), (half, first + length - 1, 50)]
                        if rng.random() < 0.2:
                            spans.append((first + length, first + length + 6, 0))
                    if spans[-1][1] <= self.through:
                        self._case(row, first, spans, "ZIEKTE_ZWANGERSCHAP" if rng.random() < 0.02 else "ZIEKTE")
                t = max(t, first + 30) + rng.exponential(365 / rate)
            if row["soort"] in ("AMBTELIJK", "DOELGROEP") and rng.random() < 0.01 and hi - lo > 200:
                van = lo + int(rng.integers(0, hi - lo - 120))
                self._case(row, van, [(van, van + 111, 100)], "WAZO")

    # -- the KPI definition (KPIS.md, staff and absence) -----------------------------------------
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return pd.DataFrame(self.rows), pd.DataFrame(self.lines)

    @staticmethod
    def weights(dv: pd.DataFrame, vz: pd.DataFrame, pop, lo: int, hi: int, extraction: int) -> tuple[float, float]:
        """(absence weight, available weight) of population rows `pop` (a mask on dv) over days lo..hi."""
        h = dv[pop & (dv["groep"] != "BEGELEID_WERKEN")].copy()
        reg = np.array([REGISTRATIE.get((o, s), START[o]) for o, s in zip(h["org"], h["soort"])], dtype=np.int64)
        h["a"] = np.maximum.reduce([h["van"].values, h["ingang"].values, reg, np.full(len(h), lo)])
        h["b"] = np.minimum.reduce([h["tot"].values, h["eind"].values, np.full(len(h), hi)])
        h = h[h["b"] >= h["a"]]
        available = float((h["fte"] * (h["b"] - h["a"] + 1)).sum())
        lines = vz[(vz["soort"] != "WAZO") & (vz["pct"] > 0) & (vz["van"] <= hi) & (vz["tot"] >= lo)]
        lines = lines.merge(h[["org", "pnr", "dv"]].drop_duplicates(), on=["org", "pnr", "dv"])
        if lines.empty:
            return 0.0, available
        a = np.maximum(lines["van"].values, lo)
        b = np.minimum.reduce([lines["tot"].values, np.full(len(lines), hi), np.full(len(lines), extraction)])
        n = np.maximum(b - a + 1, 0)
        days = pd.DataFrame({"org": np.repeat(lines["org"].values, n), "pnr": np.repeat(lines["pnr"].values, n),
                             "dv": np.repeat(lines["dv"].values, n),
                             "d": np.repeat(a, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n),
                             "pct": np.repeat(lines["pct"].values, n)})
        days = days.groupby(["org", "pnr", "dv", "d"], as_index=False)["pct"].sum()
        days["pct"] = days["pct"].clip(upper=100)
        m = days.merge(h[["org", "pnr", "dv", "a", "b", "fte"]], on=["org", "pnr", "dv"])
        m = m[(m["d"] >= m["a"]) & (m["d"] <= m["b"])]
        return float((m["fte"] * m["pct"] / 100).sum()), available

    # -- calibration -------------------------------------------------------------------------------
    def _calibrate(self):
        if self.scale != 1:
            return  # the board figures are those of the real organisation (scale S)
        for mi, target in ((month_index(date(2015, 12, 1)), 308.61), (month_index(date(2016, 12, 1)), 311.63),
                           (month_index(date(2017, 12, 1)), 311.01), (month_index(date(2018, 4, 1)), 324.0)):
            self._formatie(int(month_start(mi)), int(month_end(mi)), target)
        self._sw_fte()
        self._unit_mix()
        def amb(dv):
            return (dv["org"] == "SOW") & (dv["soort"] == "AMBTELIJK")
        def wsw(dv):
            return (dv["org"] == "SOW") & (dv["soort"] == "WSW")
        jan, feb, mar, apr = (_d(2018, m) for m in (1, 2, 3, 4))
        end_apr = _d(2018, 4, 30)
        self._tune(wsw, (feb, mar - 1), 0.1687, [(feb, mar - 1)])
        self._tune(wsw, (apr, end_apr), 0.1118, [(apr, end_apr)])
        self._tune(wsw, (jan, end_apr), 0.1447, [(jan, feb - 1), (mar, apr - 1)])
        for unit, (_, _, target) in UNITS.items():
            self._tune(lambda dv, u=unit: amb(dv) & (dv["unit"] == u), (jan, end_apr), target, [(jan, end_apr)])
        year = (_d(2022, 1), _d(2022, 12, 31))
        self._tune(wsw, year, 0.1576, [year])
        self._tune(amb, year, 0.0875, [year])

    def _formatie(self, lo: int, hi: int, target: float):
        """A temporary change of hours in the month makes the month-end formatie exact."""
        pool = self._valid(lambda r: r["soort"] == "AMBTELIJK" and r["org"] == "SOW", lo - 1, hi + 1)
        delta = target - sum(r["fte"] for r in self.rows if r["soort"] == "AMBTELIJK" and r["van"] <= hi <= min(r["tot"], r["eind"]))
        for r in self.rng.permutation(len(pool)):
            if abs(delta) < 0.00005:
                break
            row = pool[r]
            step = float(np.clip(delta, 0.2 - row["fte"], 1.2 - row["fte"]))
            mid = self._split(row, lo, fte=round(row["fte"] + step, 4))
            self._split(mid, hi + 1, fte=row["fte"])
            delta -= round(row["fte"] + step, 4) - row["fte"]

    def _sw_fte(self):
        """Wsw fte per werksoort_groep in 2022: leaving dates in 2022 bring each to the board figure."""
        lo, hi = _d(2022, 1), _d(2022, 12, 31)
        for groep, target in GROEPEN.items():
            while self._wsw_fte(groep, lo, hi) < target - 0.2:
                self._person("SOW", "WSW", START["SOW"], FAR, 1.0, groep=groep, unit="WLB",
                             gemeente=str(self.rng.choice(["0556", "0622", "0606"])))
            excess = (self._wsw_fte(groep, lo, hi) - target) * 365

            def current(r, g=groep):
                return (r["org"] == "SOW" and r["soort"] == "WSW" and r["groep"] == g
                        and r["tot"] == FAR and r["eind"] == FAR)

            for row in sorted(self._valid(current, lo, hi), key=lambda r: r["pnr"]):
                if excess < 0.5:
                    break
                days = min(364, int(round(excess / row["fte"])))
                end = hi - days
                row["tot"] = row["eind"] = end
                row["reden"] = "PENSIOEN"
                for r in self.rows:
                    if r["pnr"] == row["pnr"] and r["org"] == "SOW":
                        r["eind"], r["reden"] = end, "PENSIOEN"
                self.lines = [x for x in self.lines if not (x["org"] == "SOW" and x["pnr"] == row["pnr"] and x["van"] > end)]
                excess -= days * row["fte"]

    def _wsw_fte(self, groep: str, lo: int, hi: int) -> float:
        """Mean fte of the SOW Wsw rows of a werksoort_groep over the days lo..hi (KPIS.md sw_fte_X)."""
        return sum(r["fte"] * max(0, min(hi, r["tot"], r["eind"]) - max(lo, r["van"]) + 1) for r in self.rows
                   if r["org"] == "SOW" and r["soort"] == "WSW" and r["groep"] == groep) / (hi - lo + 1)

    def _unit_mix(self):
        """Transfers between units in January-April 2018 make the ambtelijk rate of the units add up
        to the organisation's rate (8,94 %) of the same report."""
        jan, end = _d(2018, 1), _d(2018, 4, 30)
        dv = pd.DataFrame(self.rows)
        amb = (dv["org"] == "SOW") & (dv["soort"] == "AMBTELIJK")
        weight = {u: self.weights(dv, pd.DataFrame(self.lines), amb & (dv["unit"] == u), jan, end, self.through)[1]
                  for u in UNITS}
        total = sum(weight.values())
        delta = 0.0894 * total - sum(UNITS[u][2] * w for u, w in weight.items())
        src, dst = ("WLB", "OU") if delta > 0 else ("OU", "WLB")
        gain = UNITS[dst][2] - UNITS[src][2]
        for row in self._valid(lambda r: r["org"] == "SOW" and r["soort"] == "AMBTELIJK" and r["unit"] == src, jan, end):
            if abs(delta) < 0.2:
                break
            days = min(end - jan + 1, int(round(abs(delta) / (row["fte"] * abs(gain)))))
            self._split(row, end + 1 - days, unit=dst)
            delta -= np.sign(delta) * days * row["fte"] * abs(gain)

    def _tune(self, pop, cell: Period, target: float, windows: list[Period]):
        """Cases inside `windows` (so no other calibrated cell moves) bring absence/available weight
        of the population in `cell` to `target`: background cases removed while above, then added."""
        rng = self.rng
        dv = pd.DataFrame(self.rows)
        mask = pop(dv)
        def inside(van, tot):
            return any(lo <= van and tot <= hi for lo, hi in windows)
        absence, available = self.weights(dv, pd.DataFrame(self.lines), mask, *cell, self.through)
        need = target * available - absence
        keys = set(zip(dv.loc[mask, "org"], dv.loc[mask, "pnr"]))
        if need < 0:
            nums = {}
            for x in self.lines:
                if (x["org"], x["pnr"]) in keys:
                    nums.setdefault(x["nummer"], []).append(x)
            removable = [n for n, xs in nums.items() if all(inside(x["van"], x["tot"]) for x in xs)]
            for n in rng.permutation(removable):
                self.lines = [x for x in self.lines if x["nummer"] != n]
                absence, _ = self.weights(dv, pd.DataFrame(self.lines), mask, *cell, self.through)
                if absence < target * available:
                    break
            need = target * available - absence
        busy = {}
        for x in self.lines:
            busy.setdefault((x["org"], x["pnr"]), []).append((x["van"], x["tot"]))
        rows = [r for r in dv[mask & (dv["groep"] != "BEGELEID_WERKEN")].to_dict("records")]
        tolerance = 0.00002 * available
        for _ in range(50000):
            if need < tolerance:
                break
            r = rows[int(rng.integers(len(rows)))]
            lo, hi = windows[int(rng.integers(len(windows)))]
            lo, hi = max(lo, r["van"], r["ingang"]), min(hi, r["tot"], r["eind"])
            if hi - lo < 2:
                continue
            full = need > 60 * r["fte"]
            length = int(rng.integers(3, 60)) if full else int(min(hi - lo + 1, max(1, np.ceil(need / r["fte"]))))
            pct = 100 if full else int(min(100, max(1, round(100 * need / (r["fte"] * length)))))
            van = lo + int(rng.integers(0, hi - lo - length + 2)) if hi - lo + 1 > length else lo
            tot = min(hi, van + length - 1)
            if any(a <= tot and van <= b for a, b in busy.get((r["org"], r["pnr"]), [])):
                continue
            gain = r["fte"] * pct / 100 * (tot - van + 1)
            if not full and abs(need - gain) > tolerance and need - gain < 0:
                continue
            self._case(r, van, [(van, tot, pct)])
            busy.setdefault((r["org"], r["pnr"]), []).append((van, tot))
            need -= gain

    # -- the contract form -----------------------------------------------------------------------
    def _finish(self):
        rng = self.rng
        self.rows.sort(key=lambda r: (r["org"], r["pnr"], r["dv"], r["van"]))
        pnrs = sorted({(r["org"], r["pnr"]) for r in self.rows})
        bsns = dict(zip(pnrs, make_bsns(rng, len(pnrs))))
        for r in self.rows:
            r["bsn"] = f"{bsns[(r['org'], r['pnr'])]:09d}" if r["soort"] != "AMBTELIJK" else ""
            r["uren"] = round(r["fte"] * NORM[r["soort"]], 2)
            r["changed"] = to_date(max(r["van"] - int(rng.integers(1, 20)), r["ingang"] - 30))
        self.lines.sort(key=lambda x: (x["nummer"], x["regel"]))

    def delivery(self, cut: date, final: bool, faults: bool, log, folder: str) -> dict[str, bytes]:
        """The two files of an extraction on `cut` (knowledge up to the day before)."""
        c = day(cut)
        rng = np.random.default_rng([self.seed, int(folder), 7])
        dv = pd.DataFrame([r for r in self.rows if r["van"] < c])
        def open_end(v):
            return np.where(v >= c, FAR, v)
        out = pd.DataFrame({
            "personeelsnummer": [f"{p:06d}" for p in dv["pnr"]], "dienstverband": dv["dv"], "bsn": dv["bsn"],
            "soort": dv["soort"], "ingangsdatum": dv["ingang"], "einddatum": open_end(dv["eind"].values),
            "geldig_van": dv["van"], "geldig_tot": open_end(dv["tot"].values), "uren_per_week": dv["uren"],
            "normuren_per_week": [NORM[s] for s in dv["soort"]], "fte": dv["fte"], "unit_code": dv["unit"],
            "unit_naam": [UNITS[u][0] if u in UNITS else "Sociale Werkvoorziening" for u in dv["unit"]],
            "kostenplaats": np.where(dv["soort"] == "AMBTELIJK", "", "7001"),
            "werksoort": [WERKSOORT[g][p % len(WERKSOORT[g])] if g else "" for g, p in zip(dv["groep"], dv["pnr"])],
            "werksoort_groep": dv["groep"], "wsw_gemeente": dv["gemeente"],
            "reden_uit_dienst": np.where(dv["eind"].values < c, dv["reden"], ""),
            "gewijzigd_op": [datetime.combine(MIGRATIE.date(), MIGRATIE.time()) if cut > MIGRATIE.date() and ch < date(2019, 1, 1)
                             and o == "SOW" else datetime(ch.year, ch.month, ch.day, 9, 30) for ch, o in zip(dv["changed"], dv["org"])],
        })
        out["reden_uit_dienst"] = np.where(out["einddatum"] == FAR, "", out["reden_uit_dienst"])
        window = _d(cut.year - 1, 1)
        vz = pd.DataFrame(self.lines)
        vz = vz[(vz["van"] < c)]
        reach = vz.groupby("nummer")["tot"].transform("max")
        vz = vz[reach >= window]
        if faults and not final:
            late = vz["eerste"].values >= c - 20
            drop = set(vz.loc[late, "nummer"][rng.random(int(late.sum())) < RATES["late_ziekmelding"]])
            vz = vz[~vz["nummer"].isin(drop)]
            log.quirk("hr", "verzuim", sorted(drop), "late_ziekmelding", folder,
                      "ziekmelding pas in een latere levering, met teruggedateerde eerste ziektedag")
        herstel = vz["herstel"].values
        vlines = pd.DataFrame({
            "verzuimnummer": vz["nummer"], "personeelsnummer": [f"{p:06d}" for p in vz["pnr"]],
            "dienstverband": vz["dv"], "eerste_ziektedag": vz["eerste"], "regel": vz["regel"],
            "ingangsdatum": vz["van"], "einddatum": open_end(vz["tot"].values), "percentage": vz["pct"],
            "soort": vz["soort"], "hersteldatum": np.where(herstel >= c, FAR, herstel),
            "gewijzigd_op": [datetime.combine(to_date(min(t + 1, c - 1)), datetime.min.time().replace(hour=16))
                             for t in vz["tot"]],
        })
        if faults:
            self._track(vlines, folder)
            self.dienstverbanden_seen = out[["personeelsnummer", "dienstverband", "einddatum"]].copy()
            keys = [f"hr:{o}:{p:06d}|{d}|{to_date(v):%Y%m%d}" for o, p, d, v in zip(dv["org"], dv["pnr"], dv["dv"], dv["van"])]
            out, vlines = self._faults(out, vlines, np.array(keys), rng, log, folder)
        return {"dienstverbanden.csv": _csv(out, "dienstverbanden"), "verzuim.csv": _csv(vlines, "verzuim")}

    def _faults(self, out, vlines, keys, rng, log, folder):
        """Faults of one delivery; a dienstverband row is named by its key with the employee as the input of
        the pseudonym (hr:<organisatie>:<nummer>), as the findings name it after pseudonymisation."""
        amb = np.flatnonzero((out["soort"] == "AMBTELIJK").values)
        pn = out["personeelsnummer"].astype(int).values
        bsn_rows = amb[(pn[amb] * 2654435761 % 1000) < RATES["bsn_ambtelijk"] * 1000]
        if len(bsn_rows):
            out.loc[out.index[bsn_rows], "bsn"] = [f"{x:09d}" for x in make_bsns(rng, len(bsn_rows))]
            log.add("hr", "dienstverbanden", keys[bsn_rows], "bsn_niet_toegestaan", folder,
                    "bsn op een AMBTELIJK dienstverband (bij inlezen verwijderd)")
        off = np.flatnonzero(rng.random(len(out)) < RATES["fte_afwijkend"])
        out.loc[out.index[off], "uren_per_week"] = out["uren_per_week"].values[off] + 1.0
        log.add("hr", "dienstverbanden", keys[off], "fte_afwijkend", folder,
                "fte wijkt meer dan 0,01 af van uren_per_week / normuren_per_week (fte geldt)")
        dg = np.flatnonzero((out["soort"] == "DOELGROEP").values & (pn * 40503 % 100 < RATES["werksoort_groep_leeg"] * 100))
        out.loc[out.index[dg], "werksoort_groep"] = ""
        log.add("hr", "dienstverbanden", keys[dg], "werksoort_groep_leeg", folder,
                "DOELGROEP-dienstverband zonder werksoort_groep (telt als onbekend)")
        dup = np.flatnonzero(rng.random(len(vlines)) < RATES["exacte_dubbele_rij"])
        if len(dup):
            vlines = pd.concat([vlines, vlines.iloc[dup]], ignore_index=True)
            log.add("hr", "verzuim", (vlines["verzuimnummer"] + "|" + vlines["regel"].astype(str)).values[dup],
                    "exacte_dubbele_rij", folder,
                    "exact dezelfde regel tweemaal in het bestand")
        return out, vlines

    def _track(self, vlines: pd.DataFrame, folder: str) -> None:
        """Per absence line the delivery its current content came in: the raw zone keeps a version
        while each next delivery holds it unchanged, and the findings on a line name that delivery."""
        cur = vlines.assign(h=pd.util.hash_pandas_object(vlines, index=False).values, gezien=folder, sinds=folder)
        cur.index = vlines["verzuimnummer"] + "|" + vlines["regel"].astype(str)
        if self.lines_seen is not None:
            prev = self.lines_seen.reindex(cur.index)
            same = ((prev["h"] == cur["h"]) & (prev["gezien"] == self.previous)).values
            cur.loc[same, "sinds"] = prev["sinds"].values[same]
            cur = pd.concat([self.lines_seen.drop(cur.index, errors="ignore"), cur])
        self.lines_seen = cur
        self.previous = folder

    def log_line_faults(self, log) -> None:
        """The contract's flags on the absence lines as the warehouse holds them at the end (each
        line's latest version, against the dienstverbanden of the last delivery): lines of one
        dienstverband that overlap, a line that starts after the dienstverband ended, a hersteldatum
        that is not the day after the case's last line."""
        v = self.lines_seen
        def add(mask, controle, omschrijving):
            log.add("hr", "verzuim", v.index[mask], controle, v["sinds"].values[mask], omschrijving)
        # the self-join on the columns it compares only: with every column it took 12 GB at national scale
        lines = v[["personeelsnummer", "dienstverband", "ingangsdatum", "einddatum"]].reset_index(names="sleutel")
        pair = lines.merge(lines, on=["personeelsnummer", "dienstverband"])
        pair = pair[(pair["sleutel_x"] != pair["sleutel_y"]) & (pair["ingangsdatum_y"] <= pair["einddatum_x"])
                    & (pair["ingangsdatum_x"] <= pair["einddatum_y"])]
        add(v.index.isin(pair["sleutel_x"]), "regels_overlappen",
            "regels van hetzelfde dienstverband overlappen (percentages opgeteld, hoogstens 100)")
        einde = self.dienstverbanden_seen.groupby(["personeelsnummer", "dienstverband"])["einddatum"].first()
        after = v.join(einde.rename("einde"), on=["personeelsnummer", "dienstverband"])
        add((after["ingangsdatum"] > after["einde"]).values, "regel_na_einde_dienstverband",
            "verzuimregel begint na het einde van het dienstverband (telt niet)")
        case = v.groupby("verzuimnummer")
        herstel = np.where(case["einddatum"].transform("max") >= FAR, FAR, case["einddatum"].transform("max") + 1)
        add(((v["regel"] == case["regel"].transform("max")) & (v["hersteldatum"] != herstel)).values,
            "hersteldatum_strijdig", "hersteldatum is niet de dag na de laatste regel (de regels gelden)")


def _csv(df: pd.DataFrame, name: str) -> bytes:
    """Every field quoted, dates jjjjmmdd (99991231 open), timestamps jjjjmmddhhmmss, decimal comma, CRLF."""
    obj, fmt = get("hr", name), FORMATS["hr"]
    cols = {}
    for col in obj.columns:
        v = df[col.name]
        if col.type == "date":
            cols[col.name] = [to_date(x).strftime(fmt.date_format) if x < FAR else "99991231" for x in v]
        elif col.type == "ts":
            cols[col.name] = [x.strftime(fmt.ts_format) for x in v]
        elif col.type in ("decimal", "fraction"):
            places = 4 if col.type == "fraction" else 2
            cols[col.name] = [f"{x:.{places}f}".replace(".", ",") for x in v]
        else:
            cols[col.name] = ["" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x) for x in v]
    buf = io.StringIO()
    def quote(x):
        return '"' + str(x).replace('"', '""') + '"'
    buf.write(fmt.delimiter.join(quote(c.name) for c in obj.columns) + fmt.newline)
    for values in zip(*cols.values()):
        buf.write(fmt.delimiter.join(quote(x) for x in values) + fmt.newline)
    return buf.getvalue().encode(fmt.encoding)


def write(hr: Hr, out: Path, dates: list[date], faults: bool, log) -> dict[str, int]:
    rows = {}
    for k, cut in enumerate(dates):
        folder = cut.strftime("%Y%m%d")
        target = out / "inbox" / "hr" / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, data in hr.delivery(cut, k == len(dates) - 1, faults, log, folder).items():
            (target / name).write_bytes(data)
            rows[f"hr/{name.removesuffix('.csv')}"] = rows.get(f"hr/{name.removesuffix('.csv')}", 0) + data.count(b"\r\n") - 1
        (target / "_READY").write_bytes(b"")
    if faults:
        hr.log_line_faults(log)
    return rows
