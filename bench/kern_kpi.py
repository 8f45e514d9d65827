"""The core KPIs the bench computes by hand (DuckDB script, pandas script) and checks against `marts.kpi`.

Both scripts read the delivered files as an analyst would: the latest complete delivery of each
snapshot object, one row per natural key (latest version column, then the last row in the file),
rows whose key or dates do not parse left out. They answer per municipality (CBS code) and month;
the check compares them with the municipality and organisation rows of `marts.kpi` over its own
month grid (each organisation's data period), where a month the script has no row for counts 0.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.inbox import ready_folders

ROOT = Path(__file__).resolve().parent.parent
GEMEENTEN = ROOT / "seeds" / "gemeenten.csv"
# KPIS.md codes: benefits stock and flows, debt-assistance intakes and starts, assessments started
CORE_KPIS = ("uitkeringen_eindstand", "instroom", "uitstroom", "schuldhulp_intakes", "schuldregelingen_gestart",
             "assessment_gestart")
COLUMNS = ["gemeente", "kpi", "maand", "waarde"]


def latest_delivery(inbox: Path, system: str, filename: str) -> tuple[Path, date]:
    """The file in the newest complete delivery folder (`_READY`) of a system, and its extraction date."""
    levering, folder = [(d, f) for d, f in ready_folders(inbox, system) if (f / filename).exists()][-1]
    return folder / filename, levering


def gemeenten() -> list[dict[str, str]]:
    with open(GEMEENTEN, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def compare(result: pd.DataFrame, warehouse: Path) -> tuple[int, list[str]]:
    """The number of (organisation or municipality, kpi, month) rows of marts.kpi's month grid that
    were compared, and each where the script's count differs as a readable line (none: equal)."""
    organisatie = {g["cbs_code"]: g["organisatie"] for g in gemeenten()}
    per_gemeente = result.assign(maand=pd.to_datetime(result["maand"]).dt.strftime("%Y-%m"),
                                 waarde=result["waarde"].astype("int64"))
    per_organisatie = (per_gemeente.assign(gemeente=per_gemeente["gemeente"].map(organisatie))
                       .dropna(subset=["gemeente"]).groupby(["gemeente", "kpi", "maand"], as_index=False)["waarde"].sum())
    script = pd.concat([per_gemeente, per_organisatie]).rename(columns={"maand": "periode", "waarde": "script"})
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = con.execute(
            "select coalesce(gemeente, organisatie) as gemeente, kpi, periode, cast(waarde as bigint) as mart "
            "from marts.kpi where periode_soort = 'maand' and kpi in (select unnest($1))", [list(CORE_KPIS)]).df()
    both = mart.merge(script, on=["gemeente", "kpi", "periode"], how="left").fillna({"script": 0})
    wrong = both[both["mart"] != both["script"]].sort_values(["kpi", "gemeente", "periode"])
    return len(both), [f"{r.kpi} {r.gemeente} {r.periode}: marts.kpi {r.mart}, script {int(r.script)}" for r in wrong.itertuples()]
