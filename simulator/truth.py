"""Ground truth: the world as the latest snapshot shows it (plus world-only columns) and a
calibration check of every kalibratie.csv row computed on it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import kpi, snapshots
from .common import GEMEENTEN, day, read_reference

GEM_CBS = np.array([g.cbs for g in GEMEENTEN])


def final_frames(w, last_delivery: date) -> dict[str, pd.DataFrame]:
    """Contract-form frames of the final snapshot without faults (nullable ints as NaN)."""
    cut = day(last_delivery)
    f = {
        "personen": snapshots.personen(w, cut), "uitkeringen": snapshots.uitkeringen(w, cut),
        "aanvragen": snapshots.aanvragen(w, cut), "sh_aanmeldingen": snapshots.sh_aanmeldingen(w, cut),
        "sh_trajecten": snapshots.sh_trajecten(w, cut), "vroegsignalen": snapshots.vroegsignalen(w, cut),
        "ri_trajecten": snapshots.ri_trajecten(w, cut), "klantprofielen": snapshots.klantprofielen(w, cut),
        "plaatsingen": snapshots.plaatsingen(w, cut),
    }
    f = {name: snapshots.to_pandas(frame) for name, frame in f.items()}
    for name, df in f.items():
        for col in df.columns:
            if df[col].dtype.kind in "iu" and (df[col] == -1).any():
                f[name][col] = df[col].where(df[col] != -1)
        for col in df.columns:
            if df[col].dtype.kind == "M":
                f[name][col] = pd.to_datetime(df[col])
    return f


def payments_frame(w, last_delivery: date) -> pd.DataFrame:
    b = w.betalingen.frame(day(date(2015, 1, 1)), day(last_delivery))
    b["periode"] = pd.to_datetime(b["periode"].values.astype("datetime64[M]"))
    b["verrekende_inkomsten"] = b["verrekende_inkomsten"] / 100
    b["bedrag"] = b["bedrag"] / 100
    return b


class PaymentSummary:
    """Payment lines per municipality, payment month, regeling and soort, summed per delivery
    window as the deliveries are written (the full payment history never sits in memory)."""

    def __init__(self, w):
        self.d = w.dossiers
        self.parts: list[pd.DataFrame] = []

    def add(self, b: dict):
        if len(b["did"]) == 0:
            return
        did = b["did"]
        part = pd.DataFrame({
            "gemeente": self.d["gemeente"].values[did], "betaalmaand": b["betaaldatum"].astype("datetime64[M]"),
            "regeling": self.d["regeling"].values[did], "soort": b["soort"].to_numpy(zero_copy_only=False),
            "bedrag": b["bedrag"], "verrekende_inkomsten": b["verrekende_inkomsten"]})
        self.parts.append(part.groupby(["gemeente", "betaalmaand", "regeling", "soort"], as_index=False).agg(
            regels=("bedrag", "size"), bedrag=("bedrag", "sum"), verrekende_inkomsten=("verrekende_inkomsten", "sum")))

    def frame(self) -> pd.DataFrame:
        s = pd.concat(self.parts, ignore_index=True)
        s["gemeente"] = GEM_CBS[s["gemeente"].values]
        s["betaalmaand"] = pd.to_datetime(s["betaalmaand"].values).as_unit("ns")
        s = s.groupby(["gemeente", "betaalmaand", "regeling", "soort"], as_index=False).sum()
        s["bedrag"] = s["bedrag"] / 100
        s["verrekende_inkomsten"] = s["verrekende_inkomsten"] / 100
        return s[["gemeente", "betaalmaand", "regeling", "soort", "regels", "bedrag", "verrekende_inkomsten"]]


def write(w, out: Path, last_delivery: date, payments: PaymentSummary, progress) -> None:
    t = out / "truth"
    f = final_frames(w, last_delivery)
    d = w.dossiers
    dossiers = f["uitkeringen"].merge(
        pd.DataFrame({"dossiernummer": d["dossiernummer"].values, "spell_start": pd.to_datetime(d["spell_start"].values.astype("datetime64[D]")),
                      "besluitdatum": pd.to_datetime(d["besluit"].values.astype("datetime64[D]")),
                      "gemeente": GEM_CBS[d["gemeente"].values]}), on="dossiernummer", how="left")
    dossiers.to_parquet(t / "dossiers.parquet", index=False)
    f["aanvragen"].to_parquet(t / "meldingen.parquet", index=False)
    f["personen"].to_parquet(t / "personen.parquet", index=False)
    for name in ("sh_aanmeldingen", "sh_trajecten", "vroegsignalen"):
        f[name].to_parquet(t / f"schuldhulp_{name.removeprefix('sh_')}.parquet", index=False)
    f["ri_trajecten"].to_parquet(t / "reintegratie_trajecten.parquet", index=False)
    f["klantprofielen"].to_parquet(t / "klantprofielen.parquet", index=False)
    f["plaatsingen"].to_parquet(t / "plaatsingen.parquet", index=False)
    payments.frame().to_parquet(t / "betalingen_samenvatting.parquet", index=False)
    if w.scale == 1:
        b = payments_frame(w, last_delivery)
        f["betalingen"] = b[b["soort"] == "P"][["dossiernummer", "periode", "soort", "verrekende_inkomsten"]]
        rows = read_reference("kalibratie.csv")
        check = kpi.check(f, rows)
        check.to_csv(t / "kalibratie_check.csv", index=False)
        bad = check[~check["ok"]]
        progress(f"  kalibratie: {len(check) - len(bad)}/{len(check)} rijen binnen tolerantie")
        for _, r in bad.iterrows():
            progress(f"    AFWIJKING {r['organisatie']} {r['gemeente']} {r['kpi']} {r['periode']}: "
                     f"{r['berekend']} i.p.v. {r['waarde']}")
