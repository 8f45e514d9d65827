"""Benchmark: how the pipeline scales, as ratios measured in one run on this machine.

Baselines, measured in the same run so that machine speed cancels out:
- loading: DuckDB's own readers (`read_csv`, `read_json`) over the same delivery files,
  untyped (the floor for any loader that must read every byte); our loader's time
  (decoding, typing, quarantine, flags, metadata) is reported as a ratio to it.
- scaling: each scale's load time per row relative to the first scale (1.0 = linear).
`--full` also times the whole pipeline (`pdw run`: loads, dbt, checks, report, publish).
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


def baseline_read(inbox: Path, con: duckdb.DuckDBPyConnection) -> int:
    """DuckDB's own readers over every delivered file, untyped: the floor for any loader."""
    rows = 0
    for system, pattern, reader in (
        ("civision", "*/*.csv", "read_csv(?, delim=';', header=true, all_varchar=true, encoding='latin-1', union_by_name=true)"),
        ("schuldhulp", "*/*.csv", "read_csv(?, delim=',', header=true, all_varchar=true, union_by_name=true)"),
        ("reintegratie", "*/*.jsonl", "read_json(?, format='newline_delimited', union_by_name=true)"),
    ):
        for stem in sorted({p.name for p in (inbox / system).glob(pattern)}):
            files = sorted(str(p) for p in (inbox / system).glob(f"*/{stem}"))
            con.execute(f"create or replace table t as select * from {reader}", [files])
            rows += con.execute("select count(*) from t").fetchone()[0]
    return rows


def our_loader(inbox: Path, db: Path) -> int:
    """The product's loader (typing, quarantine, flags, metadata) into a fresh raw zone."""
    from orchestration.loading import load_system

    with duckdb.connect(str(db)) as con:
        return sum(f.rijen for system in ("civision", "schuldhulp", "reintegratie")
                   for r in load_system(con, inbox, system) for f in r.files)


def bench_scale(scale: str, work: Path, full: bool) -> dict:
    out = work / scale
    pdw = [sys.executable, "-m", "pdw_cli"]
    print(f"[bench] scale {scale}: simulate", flush=True)
    t_sim, _ = timed(lambda: subprocess.run([*pdw, "simulate", "--out", str(out), "--scale", scale], check=True))
    print(f"[bench] scale {scale}: baseline (DuckDB readers) and our loader", flush=True)
    with duckdb.connect() as con:
        t_base, rows = timed(lambda: baseline_read(out / "inbox", con))
    t_load, loaded = timed(lambda: our_loader(out / "inbox", out / "laden.duckdb"))
    result = {"scale": scale, "rijen": rows, "rijen_geladen": loaded, "simulate_s": round(t_sim, 1),
              "baseline_s": round(t_base, 1), "laden_s": round(t_load, 1), "geslaagd": True}
    if full:
        print(f"[bench] scale {scale}: full pipeline (pdw run)", flush=True)
        warehouse = out / "warehouse" / "pdw.duckdb"
        erp = [a for org in ("SOW", "IGSD") for a in ("--erp", f"{org}=sqlite:///{out / 'erp' / f'{org}.sqlite'}")]
        t_run, run = timed(lambda: subprocess.run(
            [*pdw, "run", "--inbox", str(out / "inbox"), *erp, "--warehouse", str(warehouse)],
            text=True, capture_output=True))
        (out / "run.log").write_text(run.stdout + run.stderr)
        result.update(pdw_run_s=round(t_run, 1), geslaagd=run.returncode == 0)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["S", "M"], choices=["S", "M", "L", "XL"])
    parser.add_argument("--full", action="store_true", help="also time the whole pipeline (pdw run) per scale")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("PDW_PSEUDONYM_KEY", "bench-sleutel-" + "0123456789abcdef" * 2)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="pdw-bench-"))
    results = [bench_scale(s, work, args.full) for s in args.scales]
    base = results[0]
    print(f"\n{'schaal':<6} {'rijen':>11} {'simulate':>9} {'baseline':>9} {'laden':>8} {'laden/baseline':>15} "
          f"{'laadtijd per rij t.o.v. ' + base['scale']:>27}" + (f" {'pdw run':>8}" if args.full else ""))
    for r in results:
        r["laden_ratio_baseline"] = round(r["laden_s"] / max(r["baseline_s"], 1e-9), 2)
        r["laden_per_rij_ratio"] = round((r["laden_s"] / r["rijen"]) / (base["laden_s"] / base["rijen"]), 2)
        print(f"{r['scale']:<6} {r['rijen']:>11} {r['simulate_s']:>8}s {r['baseline_s']:>8}s {r['laden_s']:>7}s "
              f"{r['laden_ratio_baseline']:>15} {r['laden_per_rij_ratio']:>27}"
              + (f" {r['pdw_run_s']:>7}s" if args.full else ""))
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    target = results_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, indent=2))
    print(f"\n[bench] resultaten: {target} (werkmap {work})")
    return 0 if all(r["geslaagd"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
