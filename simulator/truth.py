"""Ground truth: the world as the latest snapshot shows it (plus world-only columns) and a
calibration check of every kalibratie.csv row computed on it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import kpi, snapshots
from .common import GEMEENTEN, day, read_reference

GEM_CBS = np.array([g.cbs for g in GEMEENTEN])


TRUTH_FILES = {"uitkeringen": "dossiers", "aanvragen": "meldingen", "personen": "personen",
               "sh_aanmeldingen": "schuldhulp_aanmeldingen", "sh_trajecten": "schuldhulp_trajecten",
               "vroegsignalen": "schuldhulp_vroegsignalen", "ri_trajecten": "reintegratie_trajecten",
               "klantprofielen": "klantprofielen", "plaatsingen": "plaatsingen"}
SNAPSHOT_OF = {"personen": snapshots.personen, "uitkeringen": snapshots.uitkeringen, "aanvragen": snapshots.aanvragen,
               "sh_aanmeldingen": snapshots.sh_aanmeldingen, "sh_trajecten": snapshots.sh_trajecten,
               "vroegsignalen": snapshots.vroegsignalen, "ri_trajecten": snapshots.ri_trajecten,
               "klantprofielen": snapshots.klantprofielen, "plaatsingen": snapshots.plaatsingen}


def final_frame(w, name: str, last_delivery: date) -> pd.DataFrame:
    """Contract-form frame of the final snapshot without faults (nullable ints as NaN)."""
    return _typed(snapshots.to_pandas(SNAPSHOT_OF[name](w, day(last_delivery))))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if df[col].dtype.kind in "iu" and (df[col] == -1).any():
            df[col] = df[col].where(df[col] != -1)
        elif df[col].dtype.kind == "M":
            df[col] = pd.to_datetime(df[col])
    return df


def final_table(w, name: str, last_delivery: date) -> pa.Table:
    """What the truth file holds: `final_frame` with the dossier's own dates beside uitkeringen, its text
    kept as Arrow text. At national scale the Python strings of a frame take gigabytes (they were the
    simulator's peak), and they are only written."""
    f = SNAPSHOT_OF[name](w, day(last_delivery))
    text = {k: v.dictionary_decode() if pa.types.is_dictionary(v.type) else v
            for k, v in f.items() if isinstance(v, pa.Array)}
    df = _typed(pd.DataFrame({k: v for k, v in f.items() if k not in text}))
    if name == "uitkeringen":
        d = w.dossiers
        df = df.merge(pd.DataFrame({
            "dossiernummer": d["dossiernummer"].values,
            "spell_start": pd.to_datetime(d["spell_start"].values.astype("datetime64[D]")),
            "besluitdatum": pd.to_datetime(d["besluit"].values.astype("datetime64[D]")),
            "gemeente": GEM_CBS[d["gemeente"].values]}), on="dossiernummer", how="left", validate="many_to_one")
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    for i, k in enumerate(f):  # a left merge keeps the rows in order, so the text lines up
        if k in text:
            table = table.add_column(i, k, text[k])
    return table


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
    """One table at a time (memory); the frames are made only for the calibration check (scale S)."""
    t = out / "truth"
    keep = w.scale == 1
    f = {name: final_frame(w, name, last_delivery) for name in TRUTH_FILES} if keep else {}
    for name, file in TRUTH_FILES.items():
        pq.write_table(final_table(w, name, last_delivery), t / f"{file}.parquet")
    payments.frame().to_parquet(t / "betalingen_samenvatting.parquet", index=False)
    if keep:
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
