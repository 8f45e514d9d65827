"""Debt assistance: aanmeldingen, intakes, trajectories (regelingen steered on a stand path) and signals."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .common import (
    ACTIVE,
    GEMEENTEN,
    NEVER,
    day,
    largest_remainder,
    month_end,
    month_index,
    month_start,
    org_end,
    weighted_pick,
)
from .uitkeringen import Grow, _interp_path

# running regelingen per municipality at month end (scale S); 2017-12 sums to 903, 2018-04 exact
MSNP_KNOTS = {
    0: {"2015-06": 70, "2017-12": 74, "2018-04": 71, "2020-12": 66, "2022-12": 64, "2024-12": 70},
    1: {"2015-06": 385, "2017-12": 405, "2018-04": 398, "2020-12": 360, "2022-12": 335, "2024-12": 350},
    2: {"2015-06": 345, "2017-12": 358, "2018-04": 352, "2020-12": 320, "2022-12": 300, "2024-12": 315},
    3: {"2014-12": 60, "2017-12": 55},
    4: {"2014-12": 20, "2017-12": 18},
}
WSNP_KNOTS = {
    0: {"2015-06": 10, "2017-12": 10, "2018-04": 9, "2020-12": 14, "2022-12": 24, "2024-12": 27},
    1: {"2015-06": 34, "2017-12": 33, "2018-04": 32, "2020-12": 45, "2022-12": 70, "2024-12": 78},
    2: {"2015-06": 24, "2017-12": 23, "2018-04": 23, "2020-12": 36, "2022-12": 60, "2024-12": 66},
    3: {"2014-12": 8, "2017-12": 8},
    4: {"2014-12": 3, "2017-12": 3},
}
GESTART_JAAR = {"MSNP": {2022: 279}, "WSNP": {2022: 82}}
MSNP_PER_JAAR = 290  # SOW, otherwise
WSNP_PER_JAAR = {2015: 24, 2016: 24, 2017: 24, 2018: 30, 2019: 45, 2020: 55, 2021: 70, 2022: 82, 2023: 84, 2024: 86}
IGSD_SHARE_OF_SOW = 0.1
INTAKES_2022 = 453
GESLAAGD_2018 = 0.82
VROEGSIGNALERING_VANAF = date(2019, 7, 1)


class Schuldhulp:
    def __init__(self, world):
        self.w = world
        self.rng = world.rng
        self.scale = world.scale
        self.trajecten = Grow()
        self.n = 0
        self.ends: list = []

    def build(self):
        for g in GEMEENTEN:
            start = ACTIVE[g.org][0]
            end = org_end(g.org, self.w.through)
            if end >= start:
                self._regelingen(g.index, month_index(start), month_index(end))
        t = self.trajecten.frame()
        self._aanmeldingen_voor_regelingen(t)
        self._overige_aanmeldingen()
        self._finish()

    def _regelingen(self, g: int, first: int, last: int):
        rng = self.rng
        org = GEMEENTEN[g].org
        months = np.arange(first - 1, last + 1)
        sow_members = [x.index for x in GEMEENTEN if x.org == "SOW"]
        for group, knots in (("MSNP", MSNP_KNOTS[g]), ("WSNP", WSNP_KNOTS[g])):
            path = np.round(_interp_path(knots, months) * self.scale).astype(np.int64)
            n0 = int(path[0])
            dur_max = 36 * 30
            ss = int(month_start(first)) - 1 - (rng.random(n0) * dur_max).astype(np.int64)
            run_start = ss
            run_id = self._add(g, group, ss)
            # starts per month: yearly totals split by season and municipality share
            for i, mi in enumerate(range(first, last + 1)):
                y = 1970 + mi // 12
                ms, me = int(month_start(mi)), int(month_end(mi))
                if org == "SOW":
                    tot = GESTART_JAAR[group].get(y) if self.scale == 1 else None
                    if tot is None:
                        tot = (MSNP_PER_JAAR if group == "MSNP" else WSNP_PER_JAAR.get(y, 86)) * self.scale
                    share = np.array([MSNP_KNOTS[x]["2018-04"] + WSNP_KNOTS[x]["2018-04"] for x in sow_members], float)
                    per_month = largest_remainder(int(round(tot)), np.ones(12))
                    per_gem = largest_remainder(int(per_month[mi % 12]), share)
                    n_start = int(per_gem[sow_members.index(g)])
                else:
                    base = (MSNP_PER_JAAR if group == "MSNP" else 24) * IGSD_SHARE_OF_SOW * self.scale
                    base *= path[i] / max(path.mean(), 1) * (0.8 if g == 4 else 2.2) / 1.5
                    n_start = int(rng.poisson(base / 12))
                target = int(path[i + 1])
                n_end = len(run_id) + n_start - target
                if n_end < 0:
                    n_start -= n_end
                    n_end = 0
                age = me - run_start
                wgt = np.select([age < 180, age < 540, age < 900], [0.05, 0.5, 2.0], 9.0)
                pick = weighted_pick(rng, wgt, n_end)
                lo = np.maximum(ms, run_start[pick] + 1)
                eind = lo + (rng.random(len(pick)) * (me - lo + 1)).astype(np.int64)
                self.ends.append((run_id[pick], eind))
                keep = np.ones(len(run_id), bool)
                keep[pick] = False
                ns = ms + (rng.random(n_start) * (me - ms + 1)).astype(np.int64)
                new_id = self._add(g, group, ns)
                run_id = np.concatenate([run_id[keep], new_id])
                run_start = np.concatenate([run_start[keep], ns])
                assert len(run_id) == target

    def _add(self, g, group, starts):
        n = len(starts)
        ids = np.arange(self.n, self.n + n)
        self.n += n
        if group == "MSNP":
            soort = np.where(self.rng.random(n) < 0.85, "SCHULDBEMIDDELING", "SANERINGSKREDIET")
        else:
            soort = np.full(n, "WSNP")
        self.trajecten.add(tid=ids, gemeente=np.full(n, g), soort=soort, start=np.asarray(starts, np.int64),
                           regeling=np.full(n, True))
        return ids

    def _aanmeldingen_voor_regelingen(self, t: pd.DataFrame):
        rng = self.rng
        t["eind"] = NEVER
        if self.ends:
            ids = np.concatenate([e[0] for e in self.ends])
            t.loc[ids, "eind"] = np.concatenate([e[1] for e in self.ends])
        n = len(t)
        # outcome of ended regelingen; 2018 SOW exactly 82% schone lei
        ended = t["eind"].values < NEVER
        ey = 1970 + (t["eind"].values.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64))
        uitkomst = np.full(n, None, dtype=object)
        p = np.where(ey == 2018, GESLAAGD_2018, 0.74)
        u = rng.random(n)
        uitkomst[ended] = np.where(u[ended] < p[ended], "SCHONE_LEI", "VOORTIJDIG_BEEINDIGD")
        sow = np.isin(t["gemeente"].values, [0, 1, 2])
        sel = np.flatnonzero(ended & (ey == 2018) & sow)
        k = int(round(GESLAAGD_2018 * len(sel)))
        order = rng.permutation(sel)
        uitkomst[order[:k]] = "SCHONE_LEI"
        uitkomst[order[k:]] = "VOORTIJDIG_BEEINDIGD"
        msnp = t["soort"].values != "WSNP"
        failed = ended & (uitkomst == "VOORTIJDIG_BEEINDIGD") & msnp & (rng.random(n) < 0.3)
        uitkomst[failed] = "DOORVERWEZEN_WSNP"
        t["uitkomst"] = uitkomst
        lag = rng.integers(45, 150, n)
        t["aanmelding"] = t["start"].values - lag
        t["intake"] = t["aanmelding"].values + rng.integers(5, 30, n)
        self.reg = t

    def _overige_aanmeldingen(self):
        """Aanmeldingen that led to no regeling (advice, coaching, no-show), exact intakes in 2022."""
        rng = self.rng
        t = self.reg
        rows = []
        intake_year = 1970 + t["intake"].values.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        sow = np.isin(t["gemeente"].values, [0, 1, 2])
        for g in GEMEENTEN:
            start = ACTIVE[g.org][0]
            end = org_end(g.org, self.w.through)
            for y in range(start.year, end.year + 1):
                m = (t["gemeente"].values == g.index) & (intake_year == y)
                n_reg = int(m.sum())
                if y == 2022 and g.org == "SOW" and self.scale == 1:
                    tot_reg = int((sow & (intake_year == 2022)).sum())
                    extra_tot = INTAKES_2022 - tot_reg
                    shares = [int(((t["gemeente"].values == x) & (intake_year == 2022)).sum()) for x in (0, 1, 2)]
                    n_extra = int(largest_remainder(extra_tot, shares)[g.index])
                else:
                    n_extra = int(round(n_reg * 0.3))
                lo = max(day(date(y, 1, 1)), day(start))
                hi = min(day(date(y, 12, 31)), day(end))
                if hi < lo:
                    continue
                intake = lo + (rng.random(n_extra) * (hi - lo + 1)).astype(np.int64)
                aanm = intake - rng.integers(5, 30, n_extra)
                aanm = np.maximum(aanm, day(start))
                intake = np.maximum(intake, aanm + 1)
                rows.append((g.index, aanm, intake))
                n_no = int(round(n_extra * 0.5 + n_reg * 0.1))
                aanm2 = lo + (rng.random(n_no) * (hi - lo + 1)).astype(np.int64)
                rows.append((g.index, aanm2, np.full(n_no, NEVER)))
        self.extra = rows

    def _finish(self):
        rng = self.rng
        w = self.w
        t = self.reg
        # aanmeldingen of regelingen
        n = len(t)
        a_g = [t["gemeente"].values]
        a_date = [t["aanmelding"].values]
        a_intake = [t["intake"].values]
        a_out = [np.where(t["eind"].values < NEVER, t["eind"].values, NEVER)]
        a_reason = [np.where(t["eind"].values < NEVER, "AFGEROND", None)]
        a_kind = [np.full(n, "R")]
        for g, aanm, intake in self.extra:
            k = len(aanm)
            a_g.append(np.full(k, g))
            a_date.append(aanm)
            a_intake.append(intake)
            has = intake < NEVER
            out = np.where(has, intake + rng.integers(30, 240, k), aanm + rng.integers(21, 60, k))
            reason = np.where(has, rng.choice(np.array(["AFGEROND", "ZELF_OPGELOST", "NIET_PASSEND", "INGETROKKEN",
                                                        "VERHUISD", "OVERIG"]), size=k, p=[.45, .2, .12, .1, .08, .05]),
                              np.where(rng.random(k) < 0.8, "NIET_VERSCHENEN", "INGETROKKEN"))
            a_out.append(out)
            a_reason.append(reason)
            a_kind.append(np.where(has, "E", "N"))
        a = pd.DataFrame({"gemeente": np.concatenate(a_g), "datum_aanmelding": np.concatenate(a_date),
                          "datum_eerste_gesprek": np.concatenate(a_intake), "datum_uitstroom": np.concatenate(a_out),
                          "uitstroomreden": np.concatenate(a_reason), "kind": np.concatenate(a_kind)})
        a["reg_index"] = np.concatenate([np.arange(n), np.full(len(a) - n, -1)])
        # an uitstroom after the end of the world (or of IGSD) is not known
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])[a["gemeente"].values]
        late = a["datum_uitstroom"].values > org_last
        a.loc[late, "datum_uitstroom"] = NEVER
        a.loc[late, "uitstroomreden"] = None
        m = len(a)
        a["crisis"] = rng.random(m) < 0.05
        igsd = a["gemeente"].values >= 3
        a["verwijzer"] = np.where(igsd, rng.choice(np.array(["ZELF", "WIJKTEAM", "OVERIG"]), size=m, p=[.55, .3, .15]),
                                  rng.choice(np.array(["ZELF", "WIJKTEAM", "STROOMOPWAARTS", "OVERIG"]), size=m,
                                             p=[.45, .2, .2, .15]))
        a["persoon"] = self._persons(a)
        a = a.sort_values(["datum_aanmelding", "gemeente"], kind="stable").reset_index(drop=True)
        y = 1970 + a["datum_aanmelding"].values.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        seq = a.groupby(y).cumcount().values + 1
        a["aanmelding_id"] = [f"A{yy}-{s:06d}" for yy, s in zip(y, seq)]
        self.aanmeldingen_frame = a
        # trajectories: regelingen + stabilisatie before + advice/coaching for extra intakes
        isreg = a["reg_index"].values >= 0
        reg_aid = pd.Series(a["aanmelding_id"].values[isreg], index=a["reg_index"].values[isreg])
        t["aanmelding_id"] = reg_aid.reindex(np.arange(n)).values
        t["schuld"] = np.round(rng.lognormal(np.log(28000), 0.7, n), 2)
        t["eisers"] = np.maximum(1, rng.poisson(11, n))
        parts = [t[["aanmelding_id", "soort", "start", "eind", "uitkomst", "schuld", "eisers"]]]
        st = t[rng.random(n) < 0.4]
        s_start = st["intake"].values + 3
        s_end = np.maximum(st["start"].values - 1, s_start + 1)
        parts.append(pd.DataFrame({"aanmelding_id": st["aanmelding_id"].values, "soort": "STABILISATIE", "start": s_start,
                                   "eind": s_end, "uitkomst": "AFGEROND", "schuld": np.nan, "eisers": -1}))
        ex = a[a["kind"] == "E"]
        ex = ex[rng.random(len(ex)) < 0.6]
        k = len(ex)
        e_start = ex["datum_eerste_gesprek"].values + rng.integers(3, 20, k)
        e_end = e_start + rng.integers(30, 300, k)
        parts.append(pd.DataFrame({"aanmelding_id": ex["aanmelding_id"].values,
                                   "soort": rng.choice(np.array(["ADVIES", "BUDGETCOACHING", "BUDGETBEHEER"]), size=k,
                                                       p=[.5, .3, .2]),
                                   "start": e_start, "eind": e_end, "uitkomst": "AFGEROND", "schuld": np.nan,
                                   "eisers": -1}))
        tr = pd.concat(parts, ignore_index=True)
        gem_of = pd.Series(a["gemeente"].values, index=a["aanmelding_id"].values)
        tr["gemeente"] = gem_of.reindex(tr["aanmelding_id"].values).values
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])[tr["gemeente"].values]
        tr = tr[tr["start"].values <= org_last].copy()
        late = tr["eind"].values > np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])[tr["gemeente"].values]
        tr.loc[late, "eind"] = NEVER
        tr.loc[late, "uitkomst"] = None
        tr = tr.sort_values(["start", "aanmelding_id", "soort"], kind="stable").reset_index(drop=True)
        tr["traject_id"] = [f"S{i:07d}" for i in range(1, len(tr) + 1)]
        self.trajecten_frame = tr
        self._signalen(a)

    def _persons(self, a: pd.DataFrame) -> np.ndarray:
        """Half of the clients receive a benefit at the time (same person, same bsn); the others are new."""
        rng = self.rng
        w = self.w
        d = w.dossiers
        m = len(a)
        out = np.full(m, -1, dtype=np.int64)
        want = rng.random(m) < 0.5
        for g in range(len(GEMEENTEN)):
            idx = np.flatnonzero(want & (a["gemeente"].values == g))
            dg = d[d["gemeente"].values == g]
            if len(idx) == 0 or len(dg) == 0:
                continue
            dates = a["datum_aanmelding"].values[idx]
            cand = rng.integers(0, len(dg), size=(len(idx), 8))
            ok = (dg["ingang"].values[cand] <= dates[:, None]) & (dg["eind"].values[cand] > dates[:, None])
            first = np.argmax(ok, axis=1)
            hit = ok[np.arange(len(idx)), first]
            out[idx[hit]] = dg["aanvrager"].values[cand[np.arange(len(idx)), first]][hit]
        new = np.flatnonzero(out < 0)
        k = len(new)
        dates = a["datum_aanmelding"].values[new]
        birth = (dates - (20 + rng.random(k) * 45) * 365.25).astype(np.int64)
        out[new] = w.new_persons(k, a["gemeente"].values[new], birth,
                                 np.where(rng.random(k) < 0.5, "M", "V"), dates)
        return out

    def _signalen(self, a: pd.DataFrame):
        rng = self.rng
        w = self.w
        lo = day(VROEGSIGNALERING_VANAF)
        hi = day(w.through)
        sow = a[(a["gemeente"].values <= 2) & (a["datum_aanmelding"].values >= lo + 40) & (a["kind"].values != "R")]
        linked = sow[rng.random(len(sow)) < 0.25]
        k = len(linked)
        s_link = pd.DataFrame({"datum": linked["datum_aanmelding"].values - rng.integers(5, 40, k),
                               "gemeente": linked["gemeente"].values, "contact": True,
                               "aanmelding_id": linked["aanmelding_id"].values})
        a.loc[linked.index, "verwijzer"] = "VROEGSIGNALERING"
        n_other = int(round(k / 0.06)) - k if hi > lo else 0
        s_other = pd.DataFrame({"datum": lo + (rng.random(n_other) * (hi - lo + 1)).astype(np.int64),
                                "gemeente": rng.choice(3, size=n_other, p=[0.16, 0.39, 0.45]),
                                "contact": rng.random(n_other) < 0.35, "aanmelding_id": None})
        s = pd.concat([s_link, s_other], ignore_index=True).sort_values(["datum", "gemeente"], kind="stable")
        s = s.reset_index(drop=True)
        s["bron"] = rng.choice(np.array(["WONINGCORPORATIE", "ENERGIE", "WATER", "ZORGVERZEKERAAR"]), size=len(s),
                               p=[.35, .3, .2, .15])
        y = 1970 + s["datum"].values.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        seq = s.groupby(y).cumcount().values + 1
        s["signaal_id"] = [f"V{yy}-{q:06d}" for yy, q in zip(y, seq)]
        self.signalen_frame = s
