"""Inburgeringsplichtigen (Wet inburgering 2021, from 2022 on) in the reintegratie deliveries.

Its own random stream, so every other delivered file stays byte-identical; its own bsns (persons
outside Civision: gezinsmigranten and statushouders without benefit yet), none equal to a world bsn.
Volumes follow 001 r.1274-1297: about 737 statushouders and 352 gezinsmigranten in begeleiding
(SOW, 2024), routes onderwijs/B1/Z about 15/65/20 %. IGSD ended before 2022: no records.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from .common import GEMEENTEN, NEVER, day, make_bsns, org_end

START = day(date(2022, 1, 1))
PER_JAAR = {"STATUSHOUDER": 380, "GEZINSMIGRANT": 150, "OVERIG": 25}  # new obligations per year, SOW
GEMEENTE_AANDEEL = {0: 0.17, 1: 0.36, 2: 0.47}
ROUTES = (("ONDERWIJS", 0.15), ("B1", 0.65), ("Z", 0.20))
# obligations ending otherwise than VOLDAAN, per record; the rest is VOLDAAN or still running
EINDE_ANDERS = (("ONTHEFFING", 0.08), ("VRIJSTELLING", 0.03), ("VERHUISD", 0.07), ("VERTROKKEN", 0.02),
                ("OVERLEDEN", 0.003))
PIP_LAAT = 0.07  # share of PIPs decided after the 10-week term
RATES = {"pip_voor_intake": 0.004, "einde_zonder_reden": 0.01}
OP_ROUTE = 0.88  # share of routed inburgeraars with an INBURGERING_<route> trajectory (the rest waits for one)
VOOR_2022 = 3  # records of obligations that began under the earlier act (flagged)


class Inburgering:
    def __init__(self, world, faults: bool):
        self.w = world
        self.faults = faults
        self.rng = np.random.default_rng([world.seed, sum(map(ord, "inburgering"))])

    def build(self):
        rng = self.rng
        last = day(org_end("SOW", self.w.through))
        parts = []
        for soort, per_jaar in PER_JAAR.items():
            for g, share in GEMEENTE_AANDEEL.items():
                k = int(rng.poisson(per_jaar * share * self.w.scale * max(last - START, 0) / 365.25))
                parts.append(pd.DataFrame({"soort": soort, "gemeente": g,
                                           "vanaf": START + (rng.random(k) * (last - START)).astype(np.int64)}))
        f = pd.concat(parts, ignore_index=True)
        if self.faults:
            early = pd.DataFrame({"soort": "STATUSHOUDER", "gemeente": rng.integers(0, 3, VOOR_2022),
                                  "vanaf": START - rng.integers(10, 90, VOOR_2022)})
            f = pd.concat([f, early], ignore_index=True)
        n = len(f)
        status = f["soort"].values == "STATUSHOUDER"
        # statushouders are housed after the permit; others are registered in the BRP before DUO's letter
        huis = np.where(status, f["vanaf"].values + rng.integers(0, 150, n), f["vanaf"].values - rng.integers(0, 60, n))
        intake = huis + rng.integers(7, 35, n)
        late = rng.random(n) < PIP_LAAT
        pip = np.where(late, huis + rng.integers(71, 150, n), np.maximum(intake + 7, huis + rng.integers(30, 71, n)))
        pip = np.where(~late & (pip > huis + 70), intake, pip)
        route = rng.choice(np.array([r for r, _ in ROUTES]), size=n, p=[p for _, p in ROUTES])
        termijn_gezet = pip + rng.integers(14, 70, n)
        termijn = f["vanaf"].values + 3 * 365 + np.where(rng.random(n) < 0.15, rng.integers(90, 366, n), 0)
        u = rng.random(n)
        reden = np.full(n, "", dtype=object)
        einde = np.full(n, NEVER, dtype=np.int64)
        lo = 0.0
        for r, p in EINDE_ANDERS:
            pick = (u >= lo) & (u < lo + p)
            reden[pick] = r
            einde[pick] = pip[pick] + rng.integers(60, 900, pick.sum())
            lo += p
        voldaan = (u >= lo) & (u < lo + 0.8)
        duur = np.where(route == "Z", rng.integers(500, 1200, n), rng.integers(600, 1300, n))
        reden[voldaan] = "VOLDAAN"
        einde[voldaan] = (f["vanaf"].values + duur)[voldaan]
        b1 = np.where(voldaan & (route != "Z"), einde - rng.integers(0, 60, n), NEVER)
        b1 = np.where((reden == "ONTHEFFING") & (rng.random(n) < 0.2), einde - rng.integers(30, 200, n), b1)
        f = f.assign(huis=huis, intake=intake, pip=pip, route=route, termijn=termijn, termijn_gezet=termijn_gezet,
                     einde=einde, reden=reden, b1=b1)
        f = f.sort_values(["vanaf", "gemeente"], kind="stable").reset_index(drop=True)
        f["inburgering_id"] = [f"IB{i:07d}" for i in range(1, len(f) + 1)]
        f["fout"] = ""
        f.loc[f["vanaf"].values < START, "fout"] = "voor_2022"
        if self.faults:
            bad = np.flatnonzero((rng.random(len(f)) < RATES["pip_voor_intake"]) & (f["fout"].values == ""))
            f.loc[bad, "pip"] = f["intake"].values[bad] - rng.integers(1, 20, len(bad))
            f.loc[bad, "fout"] = "pip_voor_brede_intake"
            ended = (f["einde"].values < NEVER) & (f["fout"].values == "")
            bad = np.flatnonzero(ended & (rng.random(len(f)) < RATES["einde_zonder_reden"]))
            f.loc[bad, "reden"] = ""
            f.loc[bad, "fout"] = "plicht_einde_zonder_reden"
        ids = make_bsns(rng, len(f) + 1000)
        ids = ids[~np.isin(ids, self.w.personen["bsn"].values)]
        while len(ids) < len(f):  # at national scale the world's persons take a good share of the bsn space
            meer = make_bsns(rng, len(f))
            ids = np.concatenate([ids, meer[~np.isin(meer, np.concatenate([ids, self.w.personen["bsn"].values]))]])
        ids = ids[: len(f)]
        f["bsn"] = pd.Series(ids, dtype=np.int64).astype(str).str.zfill(9).values  # also for a world before 2022
        self.frame = f
        self._trajecten(len(self.w.reintegratie.trajecten_frame))

    def _trajecten(self, first: int):
        """INBURGERING_<route> trajectories of the inburgeraars, numbered after the world's, from the PIP
        to the end of the obligation."""
        rng = self.rng
        f = self.frame
        t = f[(rng.random(len(f)) < OP_ROUTE)].copy()
        n = len(t)
        t["aangemeld"] = t["pip"].values + rng.integers(3, 21, n)
        t["start"] = t["aangemeld"].values + rng.integers(7, 31, n)
        t["eind"] = np.where(t["einde"].values > t["start"].values, t["einde"].values, NEVER)
        t["resultaat"] = np.where(t["reden"].values == "VOLDAAN", "AFGEROND", "UITGEVALLEN")
        t = t.sort_values(["aangemeld", "inburgering_id"], kind="stable").reset_index(drop=True)
        t["traject_id"] = [f"T{i:07d}" for i in range(first + 1, first + n + 1)]
        self.trajecten_frame = t

    def snapshot(self, cut: int) -> dict:
        """The records registered before the extraction; facts dated on or after it are not known yet.
        With faults, a record whose PIP was decided in the last 30 days also appears in its version before
        the PIP (the export pages over changes; the latest gewijzigd_op counts)."""
        f = self.frame
        f = f[np.minimum(f["vanaf"].values, f["huis"].values) < cut]
        dup = f[(f["pip"].values < cut) & (f["pip"].values >= cut - 30) & self.faults]
        rows = [self._rows(f, cut), self._rows(dup, cut, dup["pip"].values)]
        return {k: (pa.concat_arrays([rows[0][k], rows[1][k]]) if isinstance(rows[0][k], pa.Array)
                    else np.concatenate([rows[0][k], rows[1][k]])) for k in rows[0]}

    @staticmethod
    def _rows(f: pd.DataFrame, cut: int, until=None) -> dict:
        """Typed columns of the records as known before `until` per record (default: the cut)."""
        c = np.full(len(f), cut, dtype=np.int64) if until is None else np.asarray(until, dtype=np.int64)

        def known(col):
            v = f[col].values.astype(np.int64)
            return np.where(v < c, v, NEVER)

        def as_date(v):
            return np.where(v >= NEVER, np.datetime64("NaT"), v.astype("datetime64[D]"))

        def text(values, where):
            return pa.array(np.where(where, values, None).tolist(), type=pa.string())

        pip = known("pip")
        einde = known("einde")
        termijn = np.where(known("termijn_gezet") < NEVER, f["termijn"].values, NEVER)
        events = np.stack([known(x) for x in ("vanaf", "huis", "intake", "pip", "termijn_gezet", "b1", "einde")])
        last = np.minimum(np.where(events < NEVER, events, 0).max(axis=0), c - 1)
        stamp = (last.astype("datetime64[D]").astype("datetime64[s]")
                 + ((f.index.values * 7919) % 32400 + 8 * 3600).astype("timedelta64[s]"))
        return {
            "inburgering_id": pa.array(f["inburgering_id"].tolist(), type=pa.string()),
            "client_bsn": pa.array(f["bsn"].tolist(), type=pa.string()),
            "client_gemeente": pa.array([GEMEENTEN[g].cbs for g in f["gemeente"].values], type=pa.string()),
            "migrant_soort": pa.array(f["soort"].tolist(), type=pa.string()),
            "plicht_vanaf": as_date(f["vanaf"].values.astype(np.int64)), "huisvestingsdatum": as_date(known("huis")),
            "brede_intake_op": as_date(known("intake")), "pip_vastgesteld_op": as_date(pip),
            "leerroute": text(f["route"].values, pip < NEVER), "termijn_einde": as_date(termijn),
            "b1_behaald_op": as_date(known("b1")), "plicht_einde": as_date(einde),
            "plicht_einde_reden": text(f["reden"].values, (einde < NEVER) & (f["reden"].values != "")),
            "gewijzigd_op": stamp,
        }

    def trajecten(self, cut: int) -> dict:
        """The inburgeraars' trajectories registered before the extraction, in the columns of trajecten.jsonl."""
        t = self.trajecten_frame
        t = t[t["aangemeld"].values < cut]
        start = np.where(t["start"].values < cut, t["start"].values, NEVER)
        eind = np.where(t["eind"].values < cut, t["eind"].values, NEVER)
        last = np.minimum(np.maximum.reduce([t["aangemeld"].values, np.where(start < NEVER, start, 0),
                                             np.where(eind < NEVER, eind, 0)]), cut - 1)
        stamp = (last.astype("datetime64[D]").astype("datetime64[s]")
                 + ((t.index.values * 7919) % 32400 + 8 * 3600).astype("timedelta64[s]"))

        def as_date(v):
            return np.where(v >= NEVER, np.datetime64("NaT"), v.astype("datetime64[D]"))
        return {
            "traject_id": pa.array(t["traject_id"].tolist(), type=pa.string()),
            "client_bsn": pa.array(t["bsn"].tolist(), type=pa.string()),
            "client_gemeente": pa.array([GEMEENTEN[g].cbs for g in t["gemeente"].values], type=pa.string()),
            "soort": pa.array(("INBURGERING_" + t["route"]).tolist(), type=pa.string()),
            "aangemeld_op": as_date(t["aangemeld"].values.astype(np.int64)), "start": as_date(start),
            "eind": as_date(eind),
            "resultaat": pa.array(np.where(eind < NEVER, t["resultaat"].values, None).tolist(), type=pa.string()),
            "bron": pa.array(["POORT"] * len(t), type=pa.string()),
            "gewijzigd_op": stamp,
        }

    def log_faults(self, log, folders: list[tuple[str, int]]):
        """Each flagged record in every delivery that shows the fault (as marts.dq_bevindingen reports them);
        the records delivered twice (before and after their PIP) as quirks, the latest version counts."""
        f = self.frame
        for folder, cut in folders:
            twice = f[(f["pip"].values < cut) & (f["pip"].values >= cut - 30)]
            log.quirk("reintegratie", "inburgeringsplichtigen", twice["inburgering_id"].tolist(), "versie_dubbel", folder,
                      "record tweemaal geleverd (voor en na de PIP); de laatste gewijzigd_op telt")
        why = {"voor_2022": ("vanaf", "plicht_vanaf vóór 2022 (de Wet inburgering 2021 geldt vanaf 2022)"),
               "pip_voor_brede_intake": ("pip", "pip_vastgesteld_op ligt vóór brede_intake_op"),
               "plicht_einde_zonder_reden": ("einde", "plicht_einde zonder plicht_einde_reden")}
        for fout, (col, text) in why.items():
            rows = f[f["fout"].values == fout]
            for folder, cut in folders:
                shown = rows[(rows[col].values < cut) & (np.minimum(rows["vanaf"].values, rows["huis"].values) < cut)]
                if len(shown):
                    log.add("reintegratie", "inburgeringsplichtigen", shown["inburgering_id"].tolist(), fout, folder, text)
