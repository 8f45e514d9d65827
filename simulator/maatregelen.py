"""maatregel_code: the records of SOW's extra inzet 2019-2020 (seed 002, reference/maatregelen.csv), tagged
from 1 October 2019 by the consultants who type the code by hand (SOURCES.md, reintegratie).

Existing records are tagged (a member only); new are only the RWO trajectories at the Poort, which the base
world makes from 2023. The fraud investigations are existing HANDHAVINGSONDERZOEK zaken, given the bsn of a
SOW benefit client. Each measure picks its deelnemers among its candidates so that the gross outcomes
(KPIS.md, Policy measures) land near the targets of reference/doelen.csv: how many of them end the dossier
they were on within the run, how many find work. Own random stream (seed, "maatregelen"): no other draw shifts.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .betalingen import Betalingen
from .common import GEMEENTEN, NEVER, add_years, day, month_index, month_of, read_reference

VANAF, TOT, RWO_TOT = day(date(2019, 10, 1)), day(date(2020, 12, 31)), day(date(2019, 12, 31))
SOW = (0, 1, 2)
VLAARDINGEN = 1
WERK_REDENEN = ("10", "11", "12", "13")  # reden_beeindiging of category WERK or GARANTIEBAAN (codes.csv)
# deelnemers per measure: (count, dossier ends with work, ends otherwise, work without ending it): part-time
# work (verrekende inkomsten) counts as work too (maatregel_werk_X)
COHORT = {"EI19-ABC": (95, 30, 10, 14), "EI19-WLB": (40, 8, 4, 4), "EI19-METAAL": (20, 5, 2, 2),
          "EI19-FRAUDE": (60, 2, 14, 2)}
KG4_GEACTIVEERD = (205, 2, 30, 8)  # klantgroep 4 spoken and then activated (seed: 205 persons)
KG4_GESPROKEN = (95, 1, 15, 4)  # spoken, assessment, no trajectory (yet)
RWO = (12, 5)  # RWO trajectories at the Poort in Q4 2019, of whose melders that many got no benefit
RATES = {"maatregel_code_getypt": 0.08,  # of tagged records: lower case and/or spaces (trimmed, upper-cased)
         "maatregel_onbekend": 0.015}  # of tagged trajectories and placements: a code that is no measure
ONBEKEND = ("EI19-KG 4", "EI19-ABD", "EI-19-WLB", "EI19-METAL")


class Maatregelen:
    def __init__(self, world, faults: bool):
        self.w = world
        self.faults = faults
        self.rng = np.random.default_rng([world.seed, sum(map(ord, "maatregelen"))])
        self.taken: set[int] = set()
        self.zaken: list = []

    def build(self):
        """Tag trajectories and placements (reintegratie frames gain the column maatregel_code) and add the RWO
        trajectories; the zaken follow in `tag_zaken`."""
        r = self.w.reintegratie
        t, p = r.trajecten_frame, r.plaatsingen_frame
        t["maatregel_code"] = np.full(len(t), None, dtype=object)
        p["maatregel_code"] = np.full(len(p), None, dtype=object)
        if self.w.through < date(2019, 10, 1):
            return
        self._outcomes()
        t["_start"] = np.where(t["start"].values < NEVER, t["start"].values, t["aangemeld_op"].values)
        t["kg"] = self._klantgroep(t["person"].values, t["_start"].values)
        window = (np.isin(t["gemeente"].values, SOW) & (t["aangemeld_op"].values >= VANAF)
                  & (t["aangemeld_op"].values <= TOT))
        w = t[window]
        kg12 = w["kg"].isin([1, 2])
        self._cohort(t, "EI19-WLB", w[(w["soort"] == "WERKLEERTRAJECT") & (w["gemeente"] == VLAARDINGEN)])
        self._cohort(t, "EI19-METAAL", w[w["soort"] == "LEERLIJN"])
        abc = w[kg12 & w["soort"].isin(["JOBCOACHING", "WERKLEERTRAJECT"])]
        self._cohort(t, "EI19-ABC", abc)
        self._kg4(t, w)
        for code in ("EI19-ABC", "EI19-WLB", "EI19-METAAL"):  # the job that follows, e.g. a garantiebaan
            own = t[t["maatregel_code"].values == code]
            first = own.groupby("person")["_start"].min()
            idx = np.flatnonzero(p["person"].isin(first.index).values)
            s = first.reindex(p["person"].values[idx]).values
            idx = idx[(p["start"].values[idx] >= s) & (p["start"].values[idx] <= TOT)]
            p.loc[idx, "maatregel_code"] = code
        r.trajecten_frame = self._rwo(t.drop(columns=["_start", "kg"]))
        self._typing(r.trajecten_frame)
        self._typing(p)

    # -- outcomes ---------------------------------------------------------------------------------
    def _outcomes(self):
        """Per dossier (a person's as applicant or partner): the months of the run in which part-time work
        starts, a periode with verrekende inkomsten after three without (maatregel_werk_X (b))."""
        d = self.w.dossiers
        b = Betalingen(self.w)
        first = month_index(date(2019, 7, 1))
        months = range(first, month_index(date(2020, 12, 1)) + 1)
        ink = np.zeros((len(d), len(months)), bool)
        for j, mi in enumerate(months):
            run = b.lopend(mi)
            ink[run[b.deeltijd(run, mi)], j] = True
        begin = ink[:, 3:] & ~ink[:, 2:-1] & ~ink[:, 1:-2] & ~ink[:, :-3]
        self.later = np.flip(np.logical_or.accumulate(np.flip(begin, axis=1), axis=1), axis=1)  # from month j on
        self.first_month = first + 3
        role = pd.concat([pd.DataFrame({"person": d["aanvrager"].values, "i": np.arange(len(d))}),
                          pd.DataFrame({"person": d["partner"].values, "i": np.arange(len(d))})])
        self.roles = role[role["person"].values >= 0]

    def _flags(self, person: np.ndarray, s: np.ndarray) -> pd.DataFrame:
        """Per (person, deelname start): a dossier running on the start, one of those ending in the run
        (uitstroom), work (such an end with a work reason, or part-time work from the start month)."""
        d = self.w.dossiers
        pairs = pd.DataFrame({"person": person, "s": s, "k": np.arange(len(person))})
        x = pairs.merge(self.roles, on="person")
        i = x["i"].values
        ingang, eind = d["ingang"].values[i], d["eind"].values[i]
        running = (ingang <= x["s"].values) & (eind >= x["s"].values)
        ends = running & (eind <= TOT)
        werk_einde = ends & np.isin(d["reden_beeindiging"].values[i], WERK_REDENEN)
        j = np.clip(month_of(x["s"].values) - self.first_month, 0, self.later.shape[1] - 1)
        deeltijd = self.later[i, j]
        f = pd.DataFrame({"k": x["k"].values, "loopt": running, "uit": ends, "werk": werk_einde | deeltijd})
        f = f.groupby("k").any().reindex(np.arange(len(person)), fill_value=False)
        return f

    def _klantgroep(self, person: np.ndarray, on: np.ndarray) -> np.ndarray:
        """The klantgroep of the profile valid on each date (0: none)."""
        prof = self.w.reintegratie.profielen_frame[["person", "geldig_vanaf", "klantgroep"]]
        q = pd.DataFrame({"person": person, "dt": on, "k": np.arange(len(person))}).sort_values("dt")
        kk = prof.rename(columns={"geldig_vanaf": "dt"}).sort_values("dt")
        m = pd.merge_asof(q, kk, on="dt", by="person").sort_values("k")
        return m["klantgroep"].fillna(0).astype(int).values

    def _pick(self, cand: pd.DataFrame, quota: tuple[int, int, int, int], unit: str = "person") -> pd.DataFrame:
        """`n` candidates (persons not yet taken, each `unit` once) with a dossier running on the start: so many
        per outcome cell, the rest without uitstroom or work (filled from any cell where one runs short)."""
        n, werk_uit, ander_uit, werk = quota
        cand = cand[cand["loopt"].values & ~cand["person"].isin(self.taken).values]
        cand = cand.iloc[self.rng.permutation(len(cand))]
        uit, wk = cand["uit"].values, cand["werk"].values
        cells = [(uit & wk, werk_uit), (uit & ~wk, ander_uit), (~uit & wk, werk),
                 (~uit & ~wk, n - werk_uit - ander_uit - werk), (np.ones(len(cand), bool), n)]
        chosen: list[pd.DataFrame] = []
        for sel, k in cells:
            free = cand[sel & ~cand["person"].isin(self.taken).values
                        & ~cand[unit].isin([u for c in chosen for u in c[unit]]).values]
            free = free.drop_duplicates("person").drop_duplicates(unit).iloc[:max(min(k, n - sum(map(len, chosen))), 0)]
            chosen.append(free)
            self.taken |= set(free["person"].tolist())
        return pd.concat(chosen)

    def _cohort(self, t: pd.DataFrame, code: str, records: pd.DataFrame):
        records = records.sort_values("_start", kind="stable")
        flags = self._flags(records["person"].values, records["_start"].values)
        cand = pd.concat([records.reset_index(names="row"), flags.reset_index(drop=True)], axis=1)
        picked = self._pick(cand.sort_values("_start", kind="stable"), COHORT[code])
        t.loc[picked["row"].values, "maatregel_code"] = code

    def _kg4(self, t: pd.DataFrame, w: pd.DataFrame):
        """Klantgroep-4 clients spoken: their first record of the run with klantgroep 4 on its start (mostly an
        assessment) is tagged; activated = a trajectory other than ASSESSMENT starts on or after it in the run."""
        first = w[w["kg"].values == 4].sort_values("_start", kind="stable").drop_duplicates("person")
        act = t[(t["soort"].values != "ASSESSMENT") & (t["start"].values <= TOT)][["person", "start", "aangemeld_op"]]
        x = first.reset_index(names="row").merge(act.reset_index(names="row_act"), on="person", how="left",
                                                 suffixes=("", "_act"))
        x["actief"] = x["start_act"].values >= x["_start"].values
        actief = x.groupby("row")["actief"].any()
        # the activating trajectory is tagged too when it was registered in the run
        volgt = x[x["actief"].values & (x["row_act"].values != x["row"].values) & (x["aangemeld_op_act"].values >= VANAF)]
        volgt = volgt.sort_values("start_act", kind="stable").drop_duplicates("row").set_index("row")["row_act"]
        first = first.assign(actief=actief.reindex(first.index).values)
        flags = self._flags(first["person"].values, first["_start"].values)
        cand = pd.concat([first.reset_index(names="row"), flags.reset_index(drop=True)], axis=1)
        for sel, quota in ((cand["actief"], KG4_GEACTIVEERD), (~cand["actief"], KG4_GESPROKEN)):
            picked = self._pick(cand[sel.values], quota)
            rows = picked["row"].values
            t.loc[np.concatenate([rows, volgt.reindex(rows).dropna().values]).astype(np.int64), "maatregel_code"] = "EI19-KG4"

    def _rwo(self, t: pd.DataFrame) -> pd.DataFrame:
        """RWO at the Poort for melders aged 27 or over in Q4 2019, started within 28 days of the melding; of
        RWO[1] of them the melding ended without a benefit. Numbered after every trajectory of the world."""
        rng = self.rng
        w = self.w
        m = w.meldingen
        q4 = m[np.isin(m["gemeente"].values, SOW) & (m["meldingsdatum"].values >= VANAF)
               & (m["meldingsdatum"].values <= RWO_TOT - 16) & ~m["persoon"].isin(self.taken).values]
        birth = w.personen["geboortedatum"].values[q4["persoon"].values]
        q4 = q4[add_years(birth, 27) <= q4["meldingsdatum"].values].drop_duplicates("persoon")
        q4 = q4.iloc[rng.permutation(len(q4))]
        geen = q4[q4["besluit"].values != "TOEGEKEND"].iloc[:RWO[1]]
        wel = q4[q4["besluit"].values == "TOEGEKEND"].iloc[:RWO[0] - RWO[1]]
        k = pd.concat([geen, wel]).sort_values("meldingsdatum", kind="stable")
        n = len(k)
        self.taken |= set(k["persoon"].tolist())
        aang = k["meldingsdatum"].values + rng.integers(1, 10, n)
        start = aang + rng.integers(3, 15, n)
        eind = start + rng.integers(90, 270, n)
        last = day(w.through)
        first = len(t) + len(w.inburgering.trajecten_frame) + 1
        extra = pd.DataFrame({
            "person": k["persoon"].values, "gemeente": k["gemeente"].values, "soort": "RWO", "aangemeld_op": aang,
            "start": start, "eind": np.where(eind <= last, eind, NEVER),
            "resultaat": np.where(eind <= last, rng.choice(np.array(["WERK", "AFGEROND", "UITGEVALLEN"]), size=n,
                                                          p=[.4, .4, .2]), None),
            "bron": "POORT", "traject_id": [f"T{i:07d}" for i in range(first, first + n)],
            "maatregel_code": "EI19-RWO"})
        return pd.concat([t, extra], ignore_index=True)

    def tag_zaken(self, zaken):
        """EI19-FRAUDE: SOW fraud investigations of the run, each given a SOW benefit client of its municipality
        whose dossier runs on its start (the pilot's signals point at clients) and the eigenschap."""
        if self.w.through < date(2019, 10, 1):
            return
        rng = self.rng
        gm = {g.cbs: g.index for g in GEMEENTEN} | {g.naam: g.index for g in GEMEENTEN}
        pool = [z for z in zaken.zaken if z.org == "SOW" and z.zaaktype == "HANDHAVINGSONDERZOEK" and z.bsn
                and VANAF <= day(z.start) <= TOT and z.gemeente in gm]
        pool = [pool[i] for i in rng.permutation(len(pool))][: 4 * COHORT["EI19-FRAUDE"][0]]  # enough to choose from
        d = self.w.dossiers
        sow = d[np.isin(d["gemeente"].values, SOW)]
        rows = []
        for z in pool:  # every zaak with the SOW clients of its municipality as candidates
            g = gm[z.gemeente]
            s = day(z.start)
            here = sow[(sow["gemeente"].values == g) & (sow["ingang"].values <= s) & (sow["eind"].values >= s)]
            person = here["aanvrager"].values[rng.permutation(len(here))[:40]]
            rows.append(pd.DataFrame({"zaak": len(rows), "person": person, "_start": s}))
        cand = pd.concat(rows, ignore_index=True)
        cand = pd.concat([cand, self._flags(cand["person"].values, cand["_start"].values)], axis=1)
        picked = self._pick(cand, COHORT["EI19-FRAUDE"], unit="zaak")
        bsn = self.w.personen["bsn_text"].values
        self.zaken = []
        for zi, p in zip(picked["zaak"].values, picked["person"].values):
            z = pool[zi]
            z.bsn = str(bsn[p])
            z.eigenschappen["maatregel_code"] = self._typed("EI19-FRAUDE", unknown=False)
            self.zaken.append(z)

    # -- typing faults -----------------------------------------------------------------------------
    def _typing(self, frame: pd.DataFrame):
        col = frame.columns.get_loc("maatregel_code")
        for i in np.flatnonzero(frame["maatregel_code"].notna().values):
            code = frame.iat[i, col]
            frame.iat[i, col] = self._typed(code, unknown=code != "EI19-RWO")

    def _typed(self, code: str, unknown: bool) -> str:
        """The code as a consultant types it: mostly right, some in lower case and/or with spaces, a few
        no measure at all (not the RWO ones: their melders are few)."""
        if not self.faults:
            return code
        u = self.rng.random()
        if unknown and u < RATES["maatregel_onbekend"]:
            return str(self.rng.choice(ONBEKEND))
        if u < RATES["maatregel_onbekend"] + RATES["maatregel_code_getypt"]:
            return (code.lower(), f" {code}", f"{code} ", f" {code.lower()} ", code.capitalize())[int(self.rng.integers(5))]
        return code

    def log_faults(self, log, dates: list[date]):
        """A code that is no measure as a finding of the record's current version (the delivery since which the
        record is as in the last one); a code typed in lower case or with spaces as a quirk, at the first
        delivery that shows it. The zaken's codes follow in `log_zaken_faults`."""
        codes = {r["maatregel_code"] for r in read_reference("maatregelen.csv")}
        cuts = np.array([day(x) for x in dates])
        folders = np.array([x.strftime("%Y%m%d") for x in dates])
        r = self.w.reintegratie
        for obj, frame, key, shown, events in (
                ("trajecten", r.trajecten_frame, "traject_id", "aangemeld_op", ("aangemeld_op", "start", "eind")),
                ("plaatsingen", r.plaatsingen_frame, "plaatsing_id", "start", ("start", "eind"))):
            f = frame[frame["maatregel_code"].notna().values & (frame[shown].values < cuts[-1])]  # delivered
            typed = f["maatregel_code"].values.astype(str)
            clean = np.char.upper(np.char.strip(typed))
            bad = ~np.isin(clean, list(codes))
            last = np.max([np.where(f[c].values < cuts[-1], f[c].values, 0) for c in events], axis=0)
            versie = folders[np.searchsorted(cuts, last, side="right")]
            log.add("reintegratie", obj, f[key].values[bad].tolist(), "maatregel_onbekend", versie[bad].tolist(),
                    [f"maatregel_code '{x}' staat niet in maatregelen.csv" for x in typed[bad]])
            quirk = ~bad & (typed != clean)
            eerst = folders[np.searchsorted(cuts, f[shown].values, side="right")]
            log.quirk("reintegratie", obj, f[key].values[quirk].tolist(), "maatregel_code_getypt", eerst[quirk].tolist(),
                      [f"maatregel_code '{x}' (spaties/kleine letters)" for x in typed[quirk]])

    def log_zaken_faults(self, log, zaken_dates: list[date]):
        """A zaak's code typed in lower case or with spaces as a quirk, at the first dump that shows it."""
        zcuts = [day(x) for x in zaken_dates]
        for z in self.zaken:
            typed = z.eigenschappen["maatregel_code"]
            first = int(np.searchsorted(zcuts, day(z.registratie), side="right"))
            if typed != typed.strip().upper() and first < len(zcuts):
                log.quirk("zaken", "zaken", [z.identificatie], "maatregel_code_getypt",
                          zaken_dates[first].strftime("%Y%m%d"), f"maatregel_code '{typed}' (spaties/kleine letters)")
