"""The core KPIs (bench/kern_kpi.py) by hand in pandas, straight from the delivered files.

What an analyst who knows pandas writes: the latest snapshot of each object read as text, dates
parsed with errors='coerce' (a row whose key or dates do not parse is skipped), one row per key
(latest version, then the last row in the file), and a month count per municipality. The benefit
stock on a month end is the cumulative inflow minus the cumulative outflow.
`python -m bench.kpi_pandas INBOX OUT.parquet` runs it alone (the bench times it that way).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from bench.kern_kpi import COLUMNS, gemeenten, latest_delivery


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("M").dt.to_timestamp()


def _count(frame: pd.DataFrame, kpi: str, dates: str) -> pd.DataFrame:
    rows = frame.dropna(subset=["gemeente", dates])
    counted = rows.groupby(["gemeente", _month(rows[dates]).rename("maand")]).size().rename("waarde").reset_index()
    return counted.assign(kpi=kpi)


def _text(path: Path, **read) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], **read)


def _last_per_key(frame: pd.DataFrame, key: str, version: str | None = None) -> pd.DataFrame:
    """One row per key: the latest version (missing last), then the last row in the file."""
    frame = frame.assign(_rij=range(len(frame)))
    order = ([version] if version else []) + ["_rij"]
    return frame.sort_values(order, na_position="first").drop_duplicates(key, keep="last")


def uitkeringen(inbox: Path) -> tuple[pd.DataFrame, pd.Timestamp]:
    path, laatste = latest_delivery(inbox, "civision", "uitkeringen.csv")
    raw = _text(path, sep=";", encoding="cp1252",
                usecols=["dossiernummer", "gemeentecode", "ingangsdatum", "einddatum", "laatst_gewijzigd"])
    frame = pd.DataFrame({
        "dossiernummer": pd.to_numeric(raw["dossiernummer"], errors="coerce"),
        "gemeente": "GM" + raw["gemeentecode"].str.strip().str.zfill(4),
        "ingangsdatum": pd.to_datetime(raw["ingangsdatum"], format="%d-%m-%Y", errors="coerce"),
        "einddatum": pd.to_datetime(raw["einddatum"], format="%d-%m-%Y", errors="coerce"),
        "laatst_gewijzigd": pd.to_datetime(raw["laatst_gewijzigd"], format="%d-%m-%Y %H:%M:%S", errors="coerce").fillna(
            pd.to_datetime(raw["laatst_gewijzigd"], format="%d-%m-%Y %H:%M", errors="coerce")),
    })
    readable = frame["dossiernummer"].notna() & frame["ingangsdatum"].notna() & (
        frame["einddatum"].notna() | raw["einddatum"].isna())
    return _last_per_key(frame[readable], "dossiernummer", "laatst_gewijzigd"), pd.Timestamp(laatste)


def benefit_kpis(inbox: Path) -> list[pd.DataFrame]:
    dossiers, laatste = uitkeringen(inbox)
    geldig = dossiers[dossiers["einddatum"].isna() | (dossiers["einddatum"] >= dossiers["ingangsdatum"])]
    instroom = _count(geldig, "instroom", "ingangsdatum")
    uitstroom = _count(geldig, "uitstroom", "einddatum")
    maanden = pd.date_range(_month(geldig["ingangsdatum"]).min(), laatste, freq="MS")
    flows = pd.concat([instroom.set_index(["gemeente", "maand"])["waarde"],
                       -uitstroom.set_index(["gemeente", "maand"])["waarde"]]).groupby(level=[0, 1]).sum()
    grid = pd.MultiIndex.from_product([sorted(geldig["gemeente"].unique()), maanden], names=["gemeente", "maand"])
    stand = flows.reindex(grid, fill_value=0).groupby(level=0).cumsum().rename("waarde").reset_index()
    return [stand.assign(kpi="uitkeringen_eindstand"), instroom, uitstroom]


def debt_kpis(inbox: Path) -> list[pd.DataFrame]:
    codes = {g["naam"].lower(): g["cbs_code"] for g in gemeenten()}
    raw = _text(latest_delivery(inbox, "schuldhulp", "aanmeldingen.csv")[0], encoding="utf-8-sig")
    aanmeldingen = raw.assign(
        gemeente=raw["gemeente"].str.strip().str.lower().map(codes),
        datum_aanmelding=pd.to_datetime(raw["datum_aanmelding"], format="%Y-%m-%d", errors="coerce"),
        datum_eerste_gesprek=pd.to_datetime(raw["datum_eerste_gesprek"], format="%Y-%m-%d", errors="coerce"),
    ).dropna(subset=["datum_aanmelding"]).pipe(_last_per_key, "aanmelding_id")
    raw = _text(latest_delivery(inbox, "schuldhulp", "trajecten.csv")[0], encoding="utf-8-sig")
    trajecten = (raw.assign(startdatum=pd.to_datetime(raw["startdatum"], format="%Y-%m-%d", errors="coerce"))
                 .dropna(subset=["startdatum"]).pipe(_last_per_key, "traject_id"))
    msnp = trajecten[trajecten["soort"].isin(["SCHULDBEMIDDELING", "SANERINGSKREDIET"])].merge(
        aanmeldingen[["aanmelding_id", "gemeente"]], on="aanmelding_id")
    return [_count(aanmeldingen, "schuldhulp_intakes", "datum_eerste_gesprek"),
            _count(msnp, "schuldregelingen_gestart", "startdatum")]


def reintegration_kpis(inbox: Path) -> list[pd.DataFrame]:
    raw = pd.read_json(latest_delivery(inbox, "reintegratie", "trajecten.jsonl")[0], lines=True, dtype=False)
    trajecten = pd.DataFrame({
        "traject_id": raw["traject_id"],
        "gemeente": raw["client"].str["gemeente"].str.strip().str.upper(),
        "soort": raw["soort"],
        "aangemeld_op": pd.to_datetime(raw["aangemeld_op"], format="%Y-%m-%d", errors="coerce"),
        "startdatum": pd.to_datetime(raw["start"], format="%Y-%m-%d", errors="coerce"),
        "gewijzigd_op": pd.to_datetime(raw["gewijzigd_op"], format="ISO8601", utc=True, errors="coerce"),
    })
    readable = (trajecten["aangemeld_op"].notna() | raw["aangemeld_op"].isna()) & (
        trajecten["startdatum"].notna() | raw["start"].isna())
    trajecten = _last_per_key(trajecten[readable], "traject_id", "gewijzigd_op")
    return [_count(trajecten[trajecten["soort"] == "ASSESSMENT"], "assessment_gestart", "startdatum")]


def kpis(inbox: Path) -> pd.DataFrame:
    return pd.concat([*benefit_kpis(inbox), *debt_kpis(inbox), *reintegration_kpis(inbox)])[COLUMNS]


if __name__ == "__main__":
    kpis(Path(sys.argv[1])).to_parquet(sys.argv[2])
