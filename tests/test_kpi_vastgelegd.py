"""marts.kpi of the default demo world is the recorded one, KPI by KPI, so a reshaping of the
models that changes a figure is noticed as such. When a change of figures is intended (a new
KPI, a fixed rule), record it anew: PDW_RECORD_WORLD=1 pytest tests/test_kpi_vastgelegd.py"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

RECORDED = Path(__file__).resolve().parent / "kpi_default_world.sha256"


def kpi_digests(warehouse: Path) -> list[str]:
    """One digest per KPI over all its rows; values rounded to 9 decimals (summation order)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select kpi, organisatie, gemeente, periode, periode_soort, berekening, round(waarde, 9), teller, noemer, "
            "norm, richting, op_koers from marts.kpi order by all").fetchall()
    per_kpi = {}
    for row in rows:
        per_kpi.setdefault(row[0], hashlib.sha256()).update(repr(row).encode())
    return [f"{digest.hexdigest()}  {kpi}" for kpi, digest in sorted(per_kpi.items())]


def test_marts_kpi_is_the_recorded_one(demo_world):
    lines = kpi_digests(demo_world.settings.warehouse)
    if os.environ.get("PDW_RECORD_WORLD") == "1":
        RECORDED.write_text("\n".join(lines) + "\n")
    changed = sorted({line.split("  ")[1] for line in set(lines) ^ set(RECORDED.read_text().splitlines())})
    assert not changed, f"marts.kpi differs from the recorded figures for: {', '.join(changed)}"
