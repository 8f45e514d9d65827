"""Benchmark: how the pipeline scales, as ratios measured in one run on this machine.

Baselines, measured in the same run so that machine speed cancels out:
- loading: DuckDB's own `read_csv` of the same delivery files into a table (the floor
  for any loader that must read every byte); our loader's time is reported as a ratio to it.
- scaling: each scale's time per row relative to scale S (1.0 = linear).
Nothing here asserts a time; the output is a table to compare between commits.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def baseline_read_csv(inbox: Path, con: duckdb.DuckDBPyConnection) -> int:
    """Plain DuckDB read of every civision betalingen file: the floor for loading."""
    files = sorted(str(p) for p in (inbox / "civision").glob("*/betalingen.csv"))
    con.execute(
        "create or replace table baseline as select * from read_csv(?, delim=';', header=true, all_varchar=true, "
        "encoding='latin-1')", [files]
    )
    return con.execute("select count(*) from baseline").fetchone()[0]


def bench_scale(scale: str, work: Path, key: str) -> dict:
    out = work / scale
    env = {**os.environ, "PDW_PSEUDONYM_KEY": key}
    pdw = [sys.executable, "-m", "pdw.cli"]
    print(f"[bench] scale {scale}: simulate", flush=True)
    t_sim, _ = timed(lambda: subprocess.run([*pdw, "simulate", "--out", str(out), "--scale", scale], check=True, env=env))
    with duckdb.connect() as con:
        t_base, rows = timed(lambda: baseline_read_csv(out / "inbox", con))
    print(f"[bench] scale {scale}: full pipeline (pdw run)", flush=True)
    warehouse = out / "warehouse" / "pdw.duckdb"
    erp = [a for org in ("SOW", "IGSD") for a in ("--erp", f"{org}=sqlite:///{out / 'erp' / f'{org}.sqlite'}")]
    t_run, result = timed(lambda: subprocess.run(
        [*pdw, "run", "--inbox", str(out / "inbox"), *erp, "--warehouse", str(warehouse)],
        env=env, text=True, capture_output=True))
    (out / "run.log").write_text(result.stdout + result.stderr)
    with duckdb.connect(str(warehouse.parent / "build" / warehouse.name), read_only=True) as con:
        t_load = con.execute(
            "select epoch(max(geladen_op) - min(geladen_op)) from raw_meta.leveringen where systeem <> 'erp'"
        ).fetchone()[0]
        months = con.execute("select count(*) from raw_civision.betalingen").fetchone()[0]
    return {"scale": scale, "betalingen_rijen": rows, "uitkeringsmaanden": months, "simulate_s": round(t_sim, 1),
            "baseline_read_csv_s": round(t_base, 2), "bestanden_laden_s": round(t_load or 0, 1),
            "pdw_run_s": round(t_run, 1), "geslaagd": result.returncode == 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["S", "M"], choices=["S", "M", "L", "XL"])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="pdw-bench-"))
    key = os.environ.get("PDW_PSEUDONYM_KEY") or "bench-sleutel-" + "0" * 32
    results = [bench_scale(s, work, key) for s in args.scales]
    base = results[0]
    print(f"\n{'schaal':<6} {'betalingen':>11} {'simulate':>9} {'laden':>8} {'laden/baseline':>15} {'pdw run':>8} {'tijd per rij t.o.v. ' + base['scale']:>24}")
    for r in results:
        r["laden_ratio_baseline"] = round(r["bestanden_laden_s"] / max(r["baseline_read_csv_s"], 1e-9), 2)
        r["run_per_rij_ratio"] = round((r["pdw_run_s"] / r["betalingen_rijen"]) / (base["pdw_run_s"] / base["betalingen_rijen"]), 2)
        print(f"{r['scale']:<6} {r['betalingen_rijen']:>11} {r['simulate_s']:>8}s {r['bestanden_laden_s']:>7}s "
              f"{r['laden_ratio_baseline']:>15} {r['pdw_run_s']:>7}s {r['run_per_rij_ratio']:>24}")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    target = results_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, indent=2))
    print(f"\n[bench] resultaten: {target} (werkmap {work})")
    return 0 if all(r["geslaagd"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
