"""Benchmark, one run per scale: the pipeline per stage, the KPI build against hand-written scripts,
the routine and the nothing-new run, and the loader against DuckDB's own readers.

Per scale (default S): simulate; a first `pdw run`, a routine run (one new delivery per source
system) and a nothing-new run, each in total and per stage (load per system, dbt build, checks,
publish, report) with the peak memory of its process tree (bench/pijplijn.py, bench/meting.py);
the core KPIs by a hand-written DuckDB script and a pandas script from the same delivered files,
checked against marts.kpi (bench/kern_kpi.py), with the ratios KPI build (dbt) / DuckDB script and
pipeline / pandas script; then the loader against DuckDB's own readers per source; once per bench, the
floor under the pipeline on this machine (bench/vloer.py).
A Markdown table per scale goes to bench/results/<date>-<scale>.md and is printed (docs/benchmark.md).

Loader baseline, measured in the same run on the same delivered files so that machine speed
cancels out: DuckDB's `read_csv` / `read_json` with the contract's column types (dates,
amounts, booleans typed, bad lines skipped), written into a table. Our loader does more
(one record per line, row numbers across rejects, quarantine and flags with Dutch messages,
raw_meta), so its time is reported as a ratio to that baseline, per source system (each
system is one format: civision CSV Windows-1252, schuldhulp CSV UTF-8, reintegratie JSON
lines), and per scale as load time per row relative to the first scale (1.0 = linear).
Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.meting import Meting, measure
from bench.pijplijn import bench_pipeline, loader_lines, markdown
from bench.vloer import floor_lines, measure_floor
from pdw import contract

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("civision", "schuldhulp", "reintegratie")


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _nested(obj: contract.SourceObject) -> set[str]:
    """JSON objects the contract flattens with `_`: a prefix shared by several columns (client_bsn, client_gemeente)."""
    prefixes = [c.name.split("_")[0] for c in obj.columns if "_" in c.name]
    return {p for p in prefixes if prefixes.count(p) > 1}


def _typed(col: contract.Column, field: str, fmt: contract.FileFormat) -> str:
    """SQL: one delivered text field as the contract's type, NULL when it does not parse."""
    if col.type in ("date", "yyyymm"):
        return f"cast(try_strptime({field}, '{fmt.date_format if col.type == 'date' else '%Y%m'}') as DATE)"
    if col.type == "ts":
        return f"try_strptime({field}, '{fmt.ts_format}')"
    if col.type == "decimal" and fmt.decimal_comma:
        return f"try_cast(replace({field}, ',', '.') as DECIMAL(14,2))"
    return f"try_cast({field} as {contract.RAW_TYPES[col.type]})"


def typed_reader(obj: contract.SourceObject, fmt: contract.FileFormat, encoding: str) -> str:
    """DuckDB's own reader of one object's files ($1: the file list), typed with the contract's types.
    It reads text and types with try_cast/try_strptime, leaving out a row with a value that does not
    parse, as a reader skips a bad row: DuckDB's typed readers keep such a row (JSON, as NULL) or stop
    on some bad dates."""
    if fmt.kind == "csv":
        source = (f"read_csv($1, delim = '{fmt.delimiter}', header = true, union_by_name = true, all_varchar = true, "
                  f"encoding = '{encoding}', ignore_errors = true)")
        fields = {c.name: f'"{c.name}"' for c in obj.columns}
    else:
        nested = _nested(obj)
        columns: dict[str, str] = {}
        fields = {}
        for c in obj.columns:
            parent = c.name.split("_")[0]
            if parent in nested:
                columns[parent] = columns.get(parent, "") + f", {c.name[len(parent) + 1:]} VARCHAR"
                fields[c.name] = f'"{parent}"."{c.name[len(parent) + 1:]}"'
            else:
                columns[c.name] = "VARCHAR"
                fields[c.name] = f'"{c.name}"'
        spec = ", ".join(f"'{n}': '{'STRUCT(' + t[2:] + ')' if n in nested else t}'" for n, t in columns.items())
        source = f"read_json($1, format = 'newline_delimited', columns = {{{spec}}}, ignore_errors = true)"
    typed = {c.name: _typed(c, fields[c.name], fmt) for c in obj.columns}
    readable = " and ".join(f"(nullif(trim({fields[n]}), '') is null or {t} is not null)" for n, t in typed.items())
    columns_sql = ", ".join(f'{t} as "{n}"' for n, t in typed.items())
    return f"(select {columns_sql} from {source} where {readable})"


def duckdb_read(inbox: Path, system: str, work: Path) -> int:
    """Every delivered file of one system through DuckDB's typed reader into a table. DuckDB
    reads no Windows-1252 offline: a file with bytes where it differs from latin-1 is
    transcoded first, as the loader does (readers._source), and that counts here too."""
    from orchestration.readers import _source, scan

    fmt = contract.FORMATS[system]
    rows = 0
    with duckdb.connect() as con:
        for obj in contract.objects(system):
            by_encoding: dict[str, list[str]] = {}
            for path in sorted((inbox / system).glob(f"*/{obj.filename}")):
                folder = work / system / path.parent.name
                folder.mkdir(parents=True, exist_ok=True)
                source, encoding = _source(path, fmt, folder, scan(path)[0]) if fmt.kind == "csv" else (path, "utf-8")
                by_encoding.setdefault(encoding, []).append(str(source))
            for encoding, files in by_encoding.items():
                con.execute(f"create or replace table t as select * from {typed_reader(obj, fmt, encoding)}", [files])
                rows += con.execute("select count(*) from t").fetchone()[0]
    return rows


def our_loader(inbox: Path, db: Path, system: str) -> int:
    """The product's loader (typing, quarantine, flags, metadata) into a fresh raw zone."""
    from orchestration.loading import load_system

    db.unlink(missing_ok=True)
    with duckdb.connect(str(db)) as con:
        return sum(f.rijen for r in load_system(con, inbox, system) for f in r.files)


def simulate(scale: str, out: Path) -> Meting | None:
    """A world per scale, timed with its peak memory; an existing <workdir>/<scale>/inbox is reused."""
    if (out / "inbox").exists():
        return None
    print(f"[bench] schaal {scale}: simuleren", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    m = measure([sys.executable, "-m", "pdw_cli", "simulate", "--out", str(out), "--scale", scale], out / "simulate.log")
    if not m.geslaagd:
        raise SystemExit(f"simuleren mislukt: zie {out / 'simulate.log'}")
    return m


def bench_scale(scale: str, work: Path) -> list[dict]:
    out = work / scale
    results = []
    # Imports are no reading or loading: the loader's module pulls in dbt's plugin base (pdw.pseudonym),
    # and DuckDB's client imports pandas at its first query with parameters; both before the clock.
    importlib.import_module("orchestration.loading")
    duckdb.connect().execute("select ?", [0])
    for system in SYSTEMS:
        print(f"[bench] schaal {scale}, {system}: DuckDB-lezers en onze lader", flush=True)
        t_base, rows = timed(lambda s=system: duckdb_read(out / "inbox", s, out / "utf8"))
        t_load, loaded = timed(lambda s=system: our_loader(out / "inbox", out / f"laden-{s}.duckdb", s))
        fmt = contract.FORMATS[system]
        results.append({"scale": scale, "bron": system, "formaat": f"{fmt.kind} {fmt.encoding}", "rijen": rows,
                        "rijen_geladen": loaded, "duckdb_s": round(t_base, 1), "laden_s": round(t_load, 1),
                        "laden_ratio_duckdb": round(t_load / max(t_base, 1e-9), 2), "geslaagd": True})
        print(f"[bench] {json.dumps(results[-1])}", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["S"], choices=["S", "M", "L", "XL"])
    parser.add_argument("--skip", nargs="+", default=[], choices=["pijplijn", "routine", "lader", "vloer"],
                        help="pijplijn: no pipeline runs and KPI scripts (the loader comparison only); "
                             "routine: no routine and nothing-new run; lader: no loader comparison; "
                             "vloer: no floor (dbt on a trivial project of the same shape, Dagster's imports)")
    parser.add_argument("--workdir", type=Path, default=None, help="reuses a simulated <workdir>/<scale>/inbox")
    args = parser.parse_args()
    os.environ.setdefault("PDW_PSEUDONYM_KEY", "bench-sleutel-" + "0123456789abcdef" * 2)
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="pdw-bench-"))).resolve()
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    results, ok = [], True
    floor = None
    for scale in args.scales:
        simulated = simulate(scale, work / scale)
        pipeline = None if "pijplijn" in args.skip else bench_pipeline(scale, work / scale,
                                                                      routine="routine" not in args.skip)
        loads = [] if "lader" in args.skip else bench_scale(scale, work)
        results += loads
        if pipeline is None:  # the loader comparison only
            report = "\n".join([f"# Bench schaal {scale}, lader, {time.strftime('%Y-%m-%d %H:%M %Z')}",
                                *loader_lines(loads)]) + "\n"
        else:
            if floor is None and "vloer" not in args.skip:  # after a run: the project's manifest exists
                floor = measure_floor()
            report = markdown(pipeline, simulated, loads) + "\n".join(floor_lines(floor)) + "\n"
            ok = ok and all(r["meting"].geslaagd for r in pipeline["runs"].values()) and all(
                not c["verschillen"] for c in pipeline["controle"].values())
        target = results_dir / f"{time.strftime('%Y%m%d-%H%M')}-{scale}{'' if pipeline else '-lader'}.md"
        target.write_text(report)
        print(f"\n{report}\n[bench] rapport: {target}", flush=True)
    loads = [r for r in results if "laden_s" in r]
    if loads:
        first = {r["bron"]: r for r in loads if r["scale"] == args.scales[0]}
        print(f"\n{'schaal':<6} {'bron':<13} {'formaat':<15} {'rijen':>11} {'DuckDB':>8} {'laden':>8} {'laden/DuckDB':>13} "
              f"{'per rij t.o.v. ' + args.scales[0]:>17}")
        for r in loads:
            base = first[r["bron"]]
            r["laden_per_rij_ratio"] = round((r["laden_s"] / r["rijen"]) / (base["laden_s"] / base["rijen"]), 2)
            print(f"{r['scale']:<6} {r['bron']:<13} {r['formaat']:<15} {r['rijen']:>11} {r['duckdb_s']:>7}s "
                  f"{r['laden_s']:>7}s {r['laden_ratio_duckdb']:>13} {r['laden_per_rij_ratio']:>17}")
        target = results_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
        target.write_text(json.dumps(loads, indent=2))
        print(f"\n[bench] lader: {target}")
    print(f"[bench] werkmap {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
