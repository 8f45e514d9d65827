"""Re-integration: assessments, werkleertrajecten and other trajectories, klantprofielen, plaatsingen."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .common import ACTIVE, GEMEENTEN, NEVER, add_years, day, month_end, month_index, month_start, org_end
from .names import SECTOREN

ASSESSMENT_2018 = {  # month: (uitgenodigd, gestart, vervolg, werk)
    "2018-01": (140, 60, 34, 10), "2018-02": (146, 75, 31, 7), "2018-03": (182, 85, 49, 5), "2018-04": (214, 93, 42, 5),
}
UITGENODIGD_JAAR = {2016: 150, 2017: 160, 2018: 185, 2019: 170, 2020: 110, 2021: 95, 2022: 85, 2023: 95, 2024: 100}
WLB_2022 = (282, 231)  # beeindigd, job ready (JOB_READY or WERK)
KG4_IGSD_2015_12 = 450
# statushouder dossiers (reden_instroom 05) of SOW: ingang from 2015 and ended in January-April 2018, and
# distinct applicants of running ones with a trajectory running on 2018-04-30 (000 r.1627-1633)
STATUSHOUDERS_UITSTROOM_2018_01_04 = 47
STATUSHOUDERS_IN_TRAJECT_2018_04 = 124


def _year(days):
    return 1970 + np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)


class Reintegratie:
    def __init__(self, world):
        self.w = world
        self.rng = world.rng
        self.scale = world.scale
        self.traj: list[pd.DataFrame] = []

    def build(self):
        self._assessments()
        self._werkleertrajecten()
        self._profielen()
        self._overige_trajecten()
        self._plaatsingen()
        t = pd.concat(self.traj, ignore_index=True)
        t = t.sort_values(["aangemeld_op", "person", "soort"], kind="stable").reset_index(drop=True)
        t["traject_id"] = [f"T{i:07d}" for i in range(1, len(t) + 1)]
        self.trajecten_frame = t
        if self.scale == 1 and self.w.through >= date(2018, 5, 1):
            self._fix_statushouders()

    def _fix_statushouders(self):
        """Relabel SOW dossiers from 2015 on as statushouder dossiers until both 2018 figures are exact: reden_instroom
        is drawn without regard to trajectories and read by no other KPI. Own RNG stream: no other draw shifts."""
        rng = np.random.default_rng([self.w.seed, sum(map(ord, "statushouders"))])
        d = self.w.dossiers
        reden = d["reden_instroom"].values.copy()
        ingang, eind, app = d["ingang"].values, d["eind"].values, d["aanvrager"].values
        sow = np.isin(d["gemeente"].values, [0, 1, 2])
        vanaf_2015 = sow & (ingang >= day(date(2015, 1, 1)))
        nieuw = vanaf_2015 & (reden != "05")
        einde_april = day(date(2018, 4, 30))
        uit = (eind >= day(date(2018, 1, 1))) & (eind <= einde_april)
        tekort = STATUSHOUDERS_UITSTROOM_2018_01_04 - int((uit & vanaf_2015 & (reden == "05")).sum())
        reden[rng.permutation(np.flatnonzero(nieuw & uit))[:tekort]] = "05"
        t = self.trajecten_frame
        in_traject = np.unique(t["person"].values[(t["start"].values <= einde_april) & (t["eind"].values > einde_april)])
        loopt = sow & (ingang <= einde_april) & (eind > einde_april)
        geteld = np.unique(app[loopt & (reden == "05")])
        teller = np.intersect1d(geteld, in_traject)
        cand = np.flatnonzero(nieuw & loopt & np.isin(app, in_traject) & ~np.isin(app, geteld))
        cand = cand[np.unique(app[cand], return_index=True)[1]]  # one dossier per applicant
        reden[rng.permutation(cand)[: STATUSHOUDERS_IN_TRAJECT_2018_04 - len(teller)]] = "05"
        d["reden_instroom"] = reden
        self._statushouders_opleiding(rng, d[sow & (reden == "05")])

    def _statushouders_opleiding(self, rng, statushouders: pd.DataFrame):
        """A share of the statushouders still on benefit three years after their first dossier follows a
        LEERLIJN or BACK_TO_SCHOOL then (the 3-year share). Only after April 2018, so that the calibrated
        figures stay; appended with new ids, so that the existing trajectories keep theirs."""
        d = self.w.dossiers
        first = statushouders.groupby("aanvrager")["ingang"].min()
        person, p = first.index.values, add_years(first.values, 3)
        gem = statushouders.groupby("aanvrager")["gemeente"].first().reindex(person).values
        last = day(org_end("SOW", self.w.through))
        app, ingang, eind = d["aanvrager"].values, d["ingang"].values, d["eind"].values
        lopend = np.array([((app == x) & (ingang <= q) & (eind > q)).any() for x, q in zip(person, p)], bool)
        t = self.trajecten_frame
        opleiding = t[t["soort"].isin(["LEERLIJN", "BACK_TO_SCHOOL", "INBURGERING_ONDERWIJS"])]
        heeft = np.array([((opleiding["person"].values == x) & (opleiding["start"].values <= q)
                           & (opleiding["eind"].values > q)).any() for x, q in zip(person, p)], bool)
        pick = (p > day(date(2018, 5, 31))) & (p <= last) & lopend & ~heeft & (rng.random(len(p)) < 0.6)
        n = int(pick.sum())
        start = np.maximum(p[pick] - rng.integers(30, 300, n), day(date(2018, 5, 1)))
        aang = start - rng.integers(7, 40, n)
        einde = p[pick] + rng.integers(30, 300, n)
        done = einde <= last
        res = rng.choice(np.array(["AFGEROND", "UITGEVALLEN", "WERK", "JOB_READY"]), size=n, p=[.55, .2, .1, .15])
        extra = pd.DataFrame({
            "person": person[pick], "gemeente": gem[pick],
            "soort": rng.choice(np.array(["LEERLIJN", "BACK_TO_SCHOOL"]), size=n, p=[.6, .4]),
            "aangemeld_op": aang, "start": start, "eind": np.where(done, einde, NEVER),
            "resultaat": np.where(done, res, None), "bron": "ZITTEND_BESTAND",
            "traject_id": [f"T{i:07d}" for i in range(len(t) + 1, len(t) + n + 1)]})
        self.trajecten_frame = pd.concat([t, extra], ignore_index=True)

    # -- helpers ------------------------------------------------------------------------
    def _clients(self, dates: np.ndarray, recent: np.ndarray, gemeenten=(0, 1, 2)) -> tuple[np.ndarray, np.ndarray]:
        """Applicants with a running dossier on each date: recent inflow (POORT) or caseload."""
        rng = self.rng
        d = self.w.dossiers
        d = d[np.isin(d["gemeente"].values, gemeenten)]
        n = len(dates)
        person = np.full(n, -1, dtype=np.int64)
        gem = np.full(n, -1, dtype=np.int64)
        todo = np.arange(n)
        for _ in range(12):
            if len(todo) == 0:
                break
            cand = rng.integers(0, len(d), size=(len(todo), 16))
            ing = d["ingang"].values[cand]
            dt = dates[todo][:, None]
            ok = (ing <= dt) & (d["eind"].values[cand] > dt + 30)
            fresh = (dt - ing) < 120
            ok &= np.where(recent[todo][:, None], fresh, ~fresh)
            first = np.argmax(ok, axis=1)
            hit = ok[np.arange(len(todo)), first]
            ci = cand[np.arange(len(todo)), first]
            person[todo[hit]] = d["aanvrager"].values[ci[hit]]
            gem[todo[hit]] = d["gemeente"].values[ci[hit]]
            todo = todo[~hit]
            recent[todo] = ~recent[todo]
        return person, gem

    def _add(self, **cols):
        self.traj.append(pd.DataFrame(cols))

    # -- assessments ----------------------------------------------------------------------
    def _assessments(self):
        rng = self.rng
        w = self.w
        first = month_index(date(2016, 1, 1))
        last = month_index(w.through)
        if last < first:
            self.ass = pd.DataFrame()
            return
        months = np.arange(first, last + 1)
        inv = np.zeros(len(months), np.int64)
        gest = np.zeros(len(months), np.int64)
        for i, mi in enumerate(months):
            y = 1970 + mi // 12
            key = f"{y}-{mi % 12 + 1:02d}"
            if key in ASSESSMENT_2018 and self.scale == 1:
                inv[i], gest[i] = ASSESSMENT_2018[key][:2]
            else:
                inv[i] = int(round(UITGENODIGD_JAAR.get(y, 100) * self.scale * (0.9 + 0.2 * rng.random())))
                gest[i] = int(round(inv[i] * 0.46))
        # starters: start in month, invited 3..21 days before
        s_start, s_inv = [], []
        for i, mi in enumerate(months):
            ms, me = int(month_start(mi)), int(month_end(mi))
            st = ms + (rng.random(gest[i]) * (me - ms + 1)).astype(np.int64)
            s_start.append(st)
            s_inv.append(st - rng.integers(3, 22, gest[i]))
        s_start = np.concatenate(s_start)
        s_inv = np.concatenate(s_inv)
        s_mi = s_inv.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        per_month = pd.Series(s_mi).value_counts()
        n_inv = []
        for i, mi in enumerate(months):
            k = max(int(inv[i]) - int(per_month.get(mi, 0)), 0)
            ms, me = int(month_start(mi)), int(month_end(mi))
            n_inv.append(ms + (rng.random(k) * (me - ms + 1)).astype(np.int64))
        ns_inv = np.concatenate(n_inv)
        k = len(ns_inv)
        through = day(w.through)
        eind = s_start + 13 + rng.integers(0, 5, len(s_start))
        res = np.full(len(s_start), None, dtype=object)
        e_mi = eind.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        for mi in np.unique(e_mi):
            idx = rng.permutation(np.flatnonzero(e_mi == mi))
            y = 1970 + mi // 12
            key = f"{y}-{mi % 12 + 1:02d}"
            if key in ASSESSMENT_2018 and self.scale == 1:
                v, wk = ASSESSMENT_2018[key][2:]
            else:
                v, wk = int(round(0.5 * len(idx))), int(round(0.07 * len(idx)))
            assert v + wk <= len(idx), (key, v, wk, len(idx))
            res[idx[:v]] = "VERVOLG"
            res[idx[v:v + wk]] = "WERK"
            rest = idx[v + wk:]
            res[rest] = np.where(rng.random(len(rest)) < 0.75, "UITGEVALLEN", "AFGEROND")
        done = eind <= through
        recent = rng.random(len(s_start) + k) < 0.75
        dates = np.concatenate([s_inv, ns_inv])
        person, gem = self._clients(dates, recent)
        n_s = len(s_start)
        self._add(person=person, gemeente=gem, soort="ASSESSMENT", aangemeld_op=dates,
                  start=np.concatenate([s_start, np.full(k, NEVER)]),
                  eind=np.concatenate([np.where(done, eind, NEVER), np.where(ns_inv + 21 <= through, ns_inv + 21, NEVER)]),
                  resultaat=np.concatenate([np.where(done, res, None), np.where(ns_inv + 21 <= through, "NO_SHOW", None)]),
                  bron=np.where(recent, "POORT", "ZITTEND_BESTAND"))
        self.ass = self.traj[-1].iloc[:n_s]

    def _werkleertrajecten(self):
        rng = self.rng
        w = self.w
        through = day(w.through)
        a = self.ass
        if len(a) == 0:
            return
        v = a[a["resultaat"] == "VERVOLG"]
        n = len(v)
        aang = v["eind"].values
        start = aang + rng.integers(5, 26, n)
        # direct WLB entries from the caseload
        lo, hi = day(date(2016, 3, 1)), through
        k = int(round((hi - lo) / 30.4 * 9 * self.scale))
        d_aang = lo + (rng.random(k) * (hi - lo + 1)).astype(np.int64)
        d_person, d_gem = self._clients(d_aang, np.zeros(k, bool))
        aang = np.concatenate([aang, d_aang])
        start = np.concatenate([start, d_aang + rng.integers(7, 30, k)])
        person = np.concatenate([v["person"].values, d_person])
        gem = np.concatenate([v["gemeente"].values, d_gem])
        bron = np.concatenate([v["bron"].values, np.full(k, "ZITTEND_BESTAND")])
        eind = start + rng.integers(120, 366, len(start))
        # 2022: exactly WLB_2022[0] ended
        if self.scale == 1 and w.through >= date(2023, 3, 31):
            y0, y1 = day(date(2022, 1, 1)), day(date(2022, 12, 31))
            in22 = np.flatnonzero((eind >= y0) & (eind <= y1))
            diff = len(in22) - WLB_2022[0]
            if diff > 0:
                late = in22[np.argsort(-eind[in22])][:diff]
                eind[late] = y1 + rng.integers(1, 60, diff)
            elif diff < 0:
                cand = np.flatnonzero((eind > y1) & (eind <= y1 + 90) & (start < y1 - 30))
                pick = cand[np.argsort(eind[cand])][: -diff]
                eind[pick] = y1 - rng.integers(0, 25, len(pick))
                eind[pick] = np.maximum(eind[pick], start[pick] + 1)
        res = np.where(rng.random(len(eind)) < 0.62, "JOB_READY",
                       np.where(rng.random(len(eind)) < 0.3, "WERK", np.where(rng.random(len(eind)) < 0.7,
                                                                             "UITGEVALLEN", "AFGEROND"))).astype(object)
        if self.scale == 1 and w.through >= date(2023, 3, 31):
            in22 = rng.permutation(np.flatnonzero((eind >= day(date(2022, 1, 1))) & (eind <= day(date(2022, 12, 31)))))
            jr = WLB_2022[1]
            res[in22[:jr]] = np.where(rng.random(jr) < 0.83, "JOB_READY", "WERK")
            res[in22[jr:]] = np.where(rng.random(len(in22) - jr) < 0.7, "UITGEVALLEN", "AFGEROND")
        done = eind <= through
        keep = aang <= through
        self._add(person=person[keep], gemeente=gem[keep], soort="WERKLEERTRAJECT", aangemeld_op=aang[keep],
                  start=np.where(start <= through, start, NEVER)[keep], eind=np.where(done, eind, NEVER)[keep],
                  resultaat=np.where(done, res, None)[keep], bron=bron[keep])

    # -- profiles -----------------------------------------------------------------------------
    def _profielen(self):
        rng = self.rng
        w = self.w
        d = w.dossiers
        n = len(d)
        org = np.array([g.org for g in GEMEENTEN])[d["gemeente"].values]
        sys_start = np.where(org == "SOW", day(ACTIVE["SOW"][0]), day(ACTIVE["IGSD"][0]))
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])[d["gemeente"].values]
        v1 = np.maximum(d["ingang"].values + rng.integers(10, 45, n), sys_start)
        dur = np.minimum(d["eind"].values, org_last) - d["ingang"].values
        ok = (v1 <= np.minimum(d["eind"].values, org_last))
        longish = (v1 - d["ingang"].values) > 700
        p_kg = np.where(longish[:, None], [[0.08, 0.17, 0.35, 0.40]], [[0.25, 0.32, 0.25, 0.18]])
        u = rng.random(n)
        kg = 1 + (u[:, None] > np.cumsum(p_kg, axis=1)).sum(axis=1)
        # a second profile for some of the longer dossiers
        second = ok & (dur > 400) & (rng.random(n) < 0.45)
        v2 = v1 + (rng.random(n) * np.maximum(dur - (v1 - d["ingang"].values) - 30, 1)).astype(np.int64) + 30
        second &= v2 <= np.minimum(d["eind"].values, org_last)
        kg2 = np.clip(kg + np.where(rng.random(n) < 0.5, 1, -1), 1, 4)
        prof = pd.DataFrame({
            "person": np.concatenate([d["aanvrager"].values[ok], d["aanvrager"].values[second]]),
            "gemeente": np.concatenate([d["gemeente"].values[ok], d["gemeente"].values[second]]),
            "geldig_vanaf": np.concatenate([v1[ok], v2[second]]),
            "klantgroep": np.concatenate([kg[ok], kg2[second]]),
            "did": np.concatenate([np.flatnonzero(ok), np.flatnonzero(second)]),
        })
        prof = prof.drop_duplicates(["person", "geldig_vanaf"]).sort_values(["person", "geldig_vanaf"]).reset_index(drop=True)
        if self.scale == 1 and w.through >= date(2016, 1, 1):
            self._fix_kg4(prof)
        m = len(prof)
        prof["ontheffing"] = (prof["klantgroep"].values == 4) & (rng.random(m) < 0.45)
        prof["taalniveau"] = np.where(rng.random(m) < 0.35, rng.choice(np.array(["A1", "A2", "B1", "B2", "C1"]), size=m,
                                                                        p=[.2, .35, .3, .1, .05]), None)
        self.profielen_frame = prof

    def _fix_kg4(self, prof: pd.DataFrame):
        """Exactly 450 IGSD applicants in the 2015-12 eindstand with a klantgroep-4 profile."""
        w = self.w
        d = w.dossiers
        end = day(date(2015, 12, 31))
        run = d[(d["gemeente"].values >= 3) & (d["ingang"].values <= end) & (d["eind"].values > end)]
        apps = set(run["aanvrager"].values)
        valid = prof[(prof["geldig_vanaf"].values <= end) & prof["person"].isin(apps)]
        cur = valid.groupby("person").tail(1)
        is4 = cur["klantgroep"].values == 4
        k = int(is4.sum())
        rng = self.rng
        if k > KG4_IGSD_2015_12:
            idx = rng.permutation(cur.index[is4])[: k - KG4_IGSD_2015_12]
            prof.loc[idx, "klantgroep"] = 3
        elif k < KG4_IGSD_2015_12:
            idx = rng.permutation(cur.index[~is4])[: KG4_IGSD_2015_12 - k]
            prof.loc[idx, "klantgroep"] = 4

    def _overige_trajecten(self):
        """Activering / vrijwilligerswerk for klantgroep 4, language and other trajectories."""
        rng = self.rng
        w = self.w
        prof = self.profielen_frame
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])
        k4 = prof[(prof["klantgroep"].values == 4) & (rng.random(len(prof)) < 0.8)]
        n = len(k4)
        aang = k4["geldig_vanaf"].values + rng.integers(14, 200, n)
        start = aang + rng.integers(7, 40, n)
        eind = start + rng.integers(180, 900, n)
        soort = np.where(rng.random(n) < 0.7, "ACTIVERING", "VRIJWILLIGERSWERK")
        parts = [(k4["person"].values, k4["gemeente"].values, soort, aang, start, eind,
                  np.where(rng.random(n) < 0.7, "AFGEROND", "UITGEVALLEN"))]
        other = prof[(prof["klantgroep"].values < 4) & (rng.random(len(prof)) < 0.35)]
        n = len(other)
        aang = other["geldig_vanaf"].values + rng.integers(14, 300, n)
        kind = rng.choice(np.array(["TAALTRAJECT", "JOBCOACHING", "LEERLIJN", "BACK_TO_SCHOOL", "RWO"]), size=n,
                          p=[.3, .25, .2, .1, .15])
        ay = _year(aang)
        kind = np.where((kind == "RWO") & (ay < 2023), "JOBCOACHING", kind)
        kind = np.where((kind == "TAALTRAJECT") & (ay >= 2022) & (rng.random(n) < 0.5),
                        rng.choice(np.array(["INBURGERING_B1", "INBURGERING_Z", "INBURGERING_ONDERWIJS"]), size=n), kind)
        start = aang + rng.integers(7, 40, n)
        eind = start + rng.integers(60, 400, n)
        res = rng.choice(np.array(["AFGEROND", "UITGEVALLEN", "WERK", "JOB_READY"]), size=n, p=[.55, .2, .1, .15])
        parts.append((other["person"].values, other["gemeente"].values, kind, aang, start, eind, res))
        for person, gem, soort, aang, start, eind, res in parts:
            last = org_last[gem]
            keep = aang <= last
            done = eind <= last
            started = start <= last
            self._add(person=person[keep], gemeente=gem[keep], soort=soort[keep] if np.ndim(soort) else soort,
                      aangemeld_op=aang[keep], start=np.where(started, start, NEVER)[keep],
                      eind=np.where(done, eind, NEVER)[keep], resultaat=np.where(done, res, None)[keep],
                      bron=np.where(rng.random(keep.sum()) < 0.3, "POORT", "ZITTEND_BESTAND"))

    # -- placements ---------------------------------------------------------------------------
    def _plaatsingen(self):
        rng = self.rng
        w = self.w
        d = w.dossiers
        org_last = np.array([day(org_end(g.org, w.through)) for g in GEMEENTEN])
        parts = []
        # exits to a garantiebaan continue the next day in an LKS placement
        gb = d[d["reden_beeindiging"].values == "13"]
        parts.append(pd.DataFrame({"person": gb["aanvrager"].values, "gemeente": gb["gemeente"].values,
                                   "soort": "LKS_BANENAFSPRAAK", "start": gb["eind"].values + 1}))
        rates = {"LKS_BANENAFSPRAAK": 5.0, "LKS_BESCHUT": 2.2, "DETACHERING": 3.0, "BEGELEID_WERKEN": 1.5,
                 "PROEFPLAATSING": 3.0}
        initial = {"LKS_BANENAFSPRAAK": 120, "LKS_BESCHUT": 20, "DETACHERING": 60, "BEGELEID_WERKEN": 40,
                   "PROEFPLAATSING": 5}
        share = {0: 0.17, 1: 0.36, 2: 0.47, 3: 0.75, 4: 0.25}
        for g in GEMEENTEN:
            f = day(ACTIVE[g.org][0])
            last = org_last[g.index]
            months = (last - f) / 30.44
            orgf = 1.0 if g.org == "SOW" else 0.35
            for soort, rate in rates.items():
                k = int(rng.poisson(rate * months * share[g.index] * orgf * self.scale))
                k0 = int(round(initial[soort] * share[g.index] * orgf * self.scale))
                st = np.concatenate([f + (rng.random(k) * (last - f + 1)).astype(np.int64),
                                     f - 1 - (rng.random(k0) * 1500).astype(np.int64)])
                parts.append(pd.DataFrame({"person": -1, "gemeente": g.index, "soort": soort, "start": st}))
        p = pd.concat(parts, ignore_index=True)
        n = len(p)
        dur = p["soort"].map({"LKS_BANENAFSPRAAK": 1500, "LKS_BESCHUT": 2500, "DETACHERING": 500, "BEGELEID_WERKEN": 800,
                              "PROEFPLAATSING": 60}).values
        eind = p["start"].values + (rng.exponential(1, n) * dur).astype(np.int64) + 30
        last = org_last[p["gemeente"].values]
        p = p[p["start"].values <= last].copy()
        eind = eind[p.index.values]
        last = last[p.index.values]
        p["eind"] = np.where(eind <= last, eind, NEVER)
        new = np.flatnonzero(p["person"].values < 0)
        k = len(new)
        birth = (p["start"].values[new] - (18 + rng.random(k) * 40) * 365.25).astype(np.int64)
        p.iloc[new, p.columns.get_loc("person")] = w.new_persons(k, p["gemeente"].values[new], birth,
                                                                np.where(rng.random(k) < 0.6, "M", "V"),
                                                                p["start"].values[new])
        m = len(p)
        lks = p["soort"].str.startswith("LKS").values
        p["loonwaarde"] = np.where(lks, rng.integers(30, 91, m), -1)
        p["uren"] = np.round(rng.choice(np.array([12, 16, 20, 24, 28, 32, 36]), size=m) + np.where(rng.random(m) < 0.1, 0.5, 0), 1)
        p["kvk"] = np.char.zfill(rng.integers(10_000_000, 99_999_999, m).astype(str), 8)
        p["sector"] = SECTOREN[rng.integers(0, len(SECTOREN), m)]
        p = p.sort_values(["start", "person"], kind="stable").reset_index(drop=True)
        p["plaatsing_id"] = [f"P{i:06d}" for i in range(1, m + 1)]
        self.plaatsingen_frame = p
