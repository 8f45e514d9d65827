"""Monthly benefit payments, generated per delivery window (vectorised, streamable at any scale).

P: one line per dossier and running month (periode = month, paid in that month; the first
months of a P-route dossier are paid after the decision as one N line in the decision month,
with periode = the payment month). C: occasional negative corrections (periode = payment month).
T: terugvordering after an end for fraud (reden 40), paid weeks after the end.
So for soort P, N and C the betaaldatum always lies in the periode month: civision per month
(either reading) reconciles with the ERP postings per payment month.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .common import ACTIVE, GEMEENTEN, NEVER, day, hash_u01, month_end, month_of, month_start, org_end

NORM_2015 = {"AS": 97_000, "AO": 97_000, "EP": 138_600}  # cents per month, before kostendelers/indexation
INDEX = {2015: 1.0, 2016: 1.005, 2017: 1.02, 2018: 1.04, 2019: 1.06, 2020: 1.09, 2021: 1.10, 2022: 1.13,
         2023: 1.25, 2024: 1.31}
DEELTIJD = {2015: 0.055, 2016: 0.058, 2017: 0.06, 2018: 0.062, 2019: 0.065, 2020: 0.06, 2021: 0.07, 2022: 0.081,
            2023: 0.09, 2024: 0.10}
_INDEX_TABLE = np.array([INDEX.get(y, INDEX[2024] * 1.03 ** (y - 2024)) for y in range(2015, 2061)])
PAYDAY = (24, 23, 25, 22, 21)  # per municipality
SOORTEN = pa.array(["C", "N", "P", "T"])  # sorted: codes order like the letters
SOORT_CODE = {s: i for i, s in enumerate(SOORTEN.to_pylist())}


class Betalingen:
    def __init__(self, world):
        w = world
        self.seed = w.seed
        d = w.dossiers
        self.d = d
        self.gemeente = d["gemeente"].values
        org_first = np.array([day(ACTIVE[g.org][0]) for g in GEMEENTEN])
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])
        self.first_day = np.maximum(d["ingang"].values, org_first[self.gemeente])
        self.last_day = np.minimum(d["eind"].values, org_last[self.gemeente])
        self.besluit = d["besluit"].values
        self.kost = 0.82 + 0.2 * hash_u01(self.seed, d["did"].values, 1)
        self.norm = np.array([NORM_2015[x] for x in ("AS", "AO", "EP")])[
            pd.Categorical(d["leefvorm"].values, categories=["AS", "AO", "EP"]).codes]
        self.dossiernummer = d["dossiernummer"].values
        self.regeling = d["regeling"].values

    def _amount(self, idx, mi, frac):
        y = np.clip(1970 + np.asarray(mi) // 12, 2015, 2060)
        idxf = _INDEX_TABLE[y - 2015]
        return np.round(self.norm[idx] * self.kost[idx] * idxf * frac).astype(np.int64)

    def window(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        """All payment lines with betaaldatum (day number) in [lo, hi), in a fixed order (without
        regelnummer): columns did, dossiernummer, periode (month index), soort, bedrag and
        verrekende_inkomsten (cents), betaaldatum."""
        parts = []
        m_lo, m_hi = int(month_of(lo)), int(month_of(hi - 1))
        for mi in range(m_lo, m_hi + 1):
            parts.extend(self._month(mi))
        parts.append(self._terugvordering(lo, hi))
        out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        keep = np.flatnonzero((out["betaaldatum"] >= lo) & (out["betaaldatum"] < hi))
        out = {k: v[keep] for k, v in out.items()}
        order = np.lexsort((out["periode"], out["soort"], out["dossiernummer"], out["betaaldatum"]))
        out = {k: v[order] for k, v in out.items()}
        out["soort"] = SOORTEN.take(pa.array(out["soort"]))
        return out

    def frame(self, lo: int, hi: int) -> pd.DataFrame:
        b = self.window(lo, hi)
        b["soort"] = b["soort"].to_numpy(zero_copy_only=False)
        return pd.DataFrame(b)

    @staticmethod
    def _lines(did, dossiernummer, periode, soort, bedrag, inkomsten, paid) -> dict[str, np.ndarray]:
        n = len(did)
        return {"did": np.asarray(did, np.int64), "dossiernummer": np.asarray(dossiernummer, np.int64),
                "periode": np.broadcast_to(np.asarray(periode, np.int64), (n,)).copy(),
                "soort": np.full(n, SOORT_CODE[soort], np.int64), "bedrag": np.asarray(bedrag, np.int64),
                "verrekende_inkomsten": np.broadcast_to(np.asarray(inkomsten, np.int64), (n,)).copy(),
                "betaaldatum": np.asarray(paid, np.int64)}

    def lopend(self, mi: int) -> np.ndarray:
        """The dossiers paid a P line for month `mi`."""
        ms, me = int(month_start(mi)), int(month_end(mi))
        return np.flatnonzero((self.first_day <= me) & (self.last_day >= ms) & (self.besluit <= me))

    def deeltijd(self, idx: np.ndarray, mi: int) -> np.ndarray:
        """Whether dossiers `idx` have verrekende inkomsten (part-time work) in month `mi`: drawn per quarter."""
        return hash_u01(self.seed, self.dossiernummer[idx], mi // 3, 7) < DEELTIJD.get(1970 + mi // 12, 0.1)

    def _month(self, mi: int) -> list[dict[str, np.ndarray]]:
        ms, me = int(month_start(mi)), int(month_end(mi))
        ndays = me - ms + 1
        run = self.lopend(mi)
        b_month = month_of(self.besluit[run])
        # periods before the decision month are paid as one N line in the decision month
        fs = np.maximum(self.first_day[run], ms)
        ls = np.minimum(self.last_day[run], me)
        frac = (ls - fs + 1) / ndays
        dt = self.deeltijd(run, mi)
        inkomsten = np.where(dt, np.round(20_000 + hash_u01(self.seed, self.dossiernummer[run], mi, 8) * 60_000), 0).astype(np.int64)
        bedrag = self._amount(run, np.full(len(run), mi), frac) - (inkomsten * 0.75).astype(np.int64)
        bedrag = np.maximum(bedrag, 2_500)
        payday = ms + np.array(PAYDAY)[self.gemeente[run]] - 1
        paid = np.minimum(np.maximum(payday, np.maximum(self.besluit[run], fs) + 2), me)
        lines = [self._lines(run, self.dossiernummer[run], mi, "P", bedrag, inkomsten, paid)]
        # N: catch-up for the months between ingang and the decision month
        first_here = b_month == mi
        late = run[first_here & (month_of(self.first_day[run]) < mi)]
        if len(late):
            months_owed = mi - month_of(self.first_day[late])
            days_first = month_end(month_of(self.first_day[late])) - self.first_day[late] + 1
            frac_n = months_owed - 1 + days_first / 30.4
            n_amt = self._amount(late, np.full(len(late), mi), frac_n)
            n_paid = np.minimum(np.maximum(ms + np.array(PAYDAY)[self.gemeente[late]] - 1, self.besluit[late] + 3), me)
            lines.append(self._lines(late, self.dossiernummer[late], mi, "N", n_amt, 0, n_paid))
        # C: corrections on about 1% of the dossier-months
        c = run[hash_u01(self.seed, self.dossiernummer[run], mi, 9) < 0.01]
        if len(c):
            amt = -(1_000 + (hash_u01(self.seed, self.dossiernummer[c], mi, 10) * 25_000).astype(np.int64))
            c_paid = np.minimum(ms + np.array(PAYDAY)[self.gemeente[c]] + 2, me)
            c_paid = np.maximum(c_paid, np.maximum(self.first_day[c], self.besluit[c]))
            c_paid = np.minimum(c_paid, np.minimum(self.last_day[c], me))
            lines.append(self._lines(c, self.dossiernummer[c], mi, "C", amt, 0, c_paid))
        return lines

    def _terugvordering(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        d = self.d
        fraud = np.flatnonzero((d["reden_beeindiging"].values == "40") & (self.last_day >= self.first_day))
        paid = d["eind"].values[fraud] + 14 + (hash_u01(self.seed, self.dossiernummer[fraud], 11) * 40).astype(np.int64)
        org_last = np.array([day(org_end(g.org, pd.Timestamp.max.date())) if g.org == "IGSD" else NEVER
                             for g in GEMEENTEN])[self.gemeente[fraud]]
        ok = (paid >= lo) & (paid < hi) & (paid <= org_last)
        f = fraud[ok]
        amt = -(50_000 + (hash_u01(self.seed, self.dossiernummer[f], 12) * 400_000).astype(np.int64))
        return self._lines(f, self.dossiernummer[f], month_of(d["eind"].values[f]), "T", amt, 0, paid[ok])
