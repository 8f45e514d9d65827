"""The pipeline bench of one scale on a simulated world: a first run, a routine run, a nothing-new run, the
hand-written KPI scripts against the KPI build, per stage in time and peak memory.

The routine run needs the world of the month before: the newest delivery folder of every source
system is held back (moved aside) for the first run, and the ERP copy it reads lacks the ledger
entries changed on or after that delivery's extraction date (the watermark picks them up after).
The first run loads all other deliveries; then the held-back folders return (one new delivery
per system) and the routine run follows; then the nothing-new run. The KPI scripts read the same
files as the first run, so their times compare with it; their answers are checked against
marts.kpi of the published warehouse after the first and after the routine run.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from bench.kern_kpi import compare
from bench.meting import Meting, measure, stage, steps

ROOT = Path(__file__).resolve().parent.parent
RUNS = ("eerste", "routine", "niets_nieuw")


def _systems(inbox: Path) -> list[Path]:
    """Source systems delivering in dated folders (cbs is one file, not a delivery)."""
    return sorted(p for p in inbox.iterdir() if p.is_dir() and any(f.name.isdigit() for f in p.iterdir()))


def hold_back(inbox: Path, aside: Path) -> str:
    """Move the newest delivery folder of every system to `aside`; the newest date left (YYYYMMDD)."""
    left = []
    for system in _systems(inbox):
        folders = sorted(f for f in system.iterdir() if f.name.isdigit())
        (aside / system.name).mkdir(parents=True, exist_ok=True)
        shutil.move(folders[-1], aside / system.name / folders[-1].name)
        left.append(folders[-2].name)
    return max(left)


def restore(inbox: Path, aside: Path) -> None:
    for system in aside.iterdir():
        for folder in system.iterdir():
            shutil.move(folder, inbox / system.name / folder.name)
    shutil.rmtree(aside)


def erp_before(erp: Path, target: Path, cut: str) -> None:
    """A copy of each ERP database without the ledger entries changed on or after `cut`."""
    target.mkdir(parents=True, exist_ok=True)
    for db in sorted(erp.glob("*.sqlite")):
        shutil.copy(db, target / db.name)
        with sqlite3.connect(target / db.name) as con:
            con.execute("delete from gl_entry where last_modified >= ?", [f"{cut[:4]}-{cut[4:6]}-{cut[6:]}"])


def _run(out: Path, erp: Path, name: str) -> dict:
    """One `pdw run` with its stages."""
    env = {**os.environ, "DAGSTER_HOME": str(out / ".dagster")}
    (out / ".dagster").mkdir(exist_ok=True)
    orgs = [a for db in sorted(erp.glob("*.sqlite")) for a in ("--erp", f"{db.stem}=sqlite:///{db}")]
    print(f"[bench] {out.name}: pdw run ({name})", flush=True)
    since = time.time()
    m = measure([sys.executable, "-m", "pdw_cli", "run", "--inbox", str(out / "inbox"), *orgs,
                 "--warehouse", str(out / "warehouse" / "pdw.duckdb")], out / f"run-{name}.log", env)
    per_stage: dict[str, list[float]] = {}
    for key, start, end in steps(out / ".dagster", since):
        seconds, peak = per_stage.get(stage(key), [0.0, 0])
        per_stage[stage(key)] = [seconds + end - start, max(peak, m.piek_tussen(start, end))]
    print(f"[bench] {out.name}: pdw run ({name}) {'geslaagd' if m.geslaagd else 'MISLUKT'} in {m.seconden:.1f} s, "
          f"piek {_gb(m.piek)}; " + ", ".join(f"{s} {v[0]:.1f} s {_gb(v[1])}" for s, v in per_stage.items()), flush=True)
    return {"meting": m, "stappen": per_stage}


def _script(out: Path, module: str, name: str) -> tuple[Meting, pd.DataFrame]:
    result = out / f"kpi-{name}.parquet"
    print(f"[bench] {out.name}: KPI-script {module}", flush=True)
    m = measure([sys.executable, "-m", module, str(out / "inbox"), str(result)], out / f"kpi-{name}.log",
                {**os.environ, "PYTHONPATH": str(ROOT)})
    print(f"[bench] {out.name}: {module} {'geslaagd' if m.geslaagd else 'MISLUKT'} in {m.seconden:.1f} s, "
          f"piek {_gb(m.piek)}", flush=True)
    return m, (pd.read_parquet(result) if m.geslaagd else pd.DataFrame())


def _check(frame: pd.DataFrame, warehouse: Path) -> dict:
    compared, wrong = compare(frame, warehouse) if len(frame) and warehouse.exists() else (0, ["geen uitkomst"])
    return {"vergeleken": compared, "verschillen": wrong}


def bench_pipeline(scale: str, out: Path, routine: bool = True) -> dict:
    """Everything of one scale on a simulated world in `out` (its inbox is changed and restored)."""
    result: dict = {"scale": scale, "runs": {}, "controle": {}}
    warehouse = out / "warehouse" / "pdw.duckdb"
    shutil.rmtree(out / "warehouse", ignore_errors=True)
    shutil.rmtree(out / ".dagster", ignore_errors=True)
    aside = out / "achtergehouden"
    if aside.exists():
        restore(out / "inbox", aside)
    erp = out / "erp"
    if routine:
        cut = hold_back(out / "inbox", aside)
        erp_before(out / "erp", out / "erp-vorige", cut)
        erp = out / "erp-vorige"
        result["achtergehouden_na"] = cut
    result["runs"]["eerste"] = _run(out, erp, "eerste")
    for name, module in (("duckdb", "bench.kpi_duckdb"), ("pandas", "bench.kpi_pandas")):
        result[name], frame = _script(out, module, name)
        result["controle"][f"{name} eerste"] = _check(frame, warehouse)
    if routine:
        restore(out / "inbox", aside)
        result["runs"]["routine"] = _run(out, out / "erp", "routine")
        result["runs"]["niets_nieuw"] = _run(out, out / "erp", "niets_nieuw")
        for name, module in (("duckdb", "bench.kpi_duckdb"), ("pandas", "bench.kpi_pandas")):
            _, frame = _script(out, module, f"{name}-alles")
            result["controle"][f"{name} na routine"] = _check(frame, warehouse)
    return result


def _gb(n: int) -> str:
    return f"{n / 2**30:.2f} GB" if n else ""


def _s(seconds: float | None) -> str:
    return f"{seconds:.1f} s" if seconds is not None else ""


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else ""


def markdown(result: dict, simulate: Meting | None, loads: list[dict]) -> str:
    """The report of one scale: stages per run, hand-written scripts against the pipeline, the check, the loader."""
    runs = result["runs"]
    names = [n for n in RUNS if n in runs]
    order = list(dict.fromkeys(s for n in names for s in runs[n]["stappen"]))
    lines = [f"# Bench schaal {result['scale']}, {time.strftime('%Y-%m-%d %H:%M %Z')}", "",
             f"Machine: {os.cpu_count()} kernen, {psutil.virtual_memory().total / 2**30:.0f} GB geheugen, belasting bij het einde "
             f"{os.getloadavg()[0]:.1f} (gedeelde machine: tijden wisselen); "
             f"PDW_DUCKDB_MEMORY_LIMIT={os.environ.get('PDW_DUCKDB_MEMORY_LIMIT', '(standaard)')}."]
    if "achtergehouden_na" in result:
        lines.append(f"Eerste run: alle leveringen t/m {result['achtergehouden_na']}; routine run: daarna de nieuwste "
                     "levering van elk bronsysteem en de ERP-mutaties vanaf die datum; niets nieuw: nog eens.")
    lines += ["", "## Pijplijn per stap (tijd, piekgeheugen van de procesboom)", "",
              "| stap | " + " | ".join(f"{n.replace('_', ' ')} | piek" for n in names) + " |",
              "|---|" + "---:|---:|" * len(names)]
    if simulate:
        lines.append(f"| simuleren | {_s(simulate.seconden)} | {_gb(simulate.piek)} |" + " | |" * (len(names) - 1))
    for s in order:
        cells = [(_s(runs[n]["stappen"][s][0]), _gb(runs[n]["stappen"][s][1])) if s in runs[n]["stappen"] else ("", "")
                 for n in names]
        lines.append(f"| {s} | " + " | ".join(f"{a} | {b}" for a, b in cells) + " |")
    rest = [runs[n]["meting"].seconden - sum(v[0] for v in runs[n]["stappen"].values()) for n in names]
    lines.append("| opstart, plannen en afsluiten | " + " | ".join(f"{_s(r)} | " for r in rest) + " |")
    lines.append("| **totaal** | " + " | ".join(
        f"**{_s(runs[n]['meting'].seconden)}**{'' if runs[n]['meting'].geslaagd else ' (mislukt)'} | "
        f"{_gb(runs[n]['meting'].piek)}" for n in names) + " |")
    dbt = runs["eerste"]["stappen"].get("dbt build", [None])[0]
    pipeline = runs["eerste"]["meting"].seconden
    duck, pand = result.get("duckdb"), result.get("pandas")
    lines += ["", "## Met de hand tegen de pijplijn (eerste run, dezelfde bestanden)", "",
              "| | tijd | piek | verhouding |", "|---|---:|---:|---|",
              f"| KPI-build (stap dbt build) | {_s(dbt)} | | dbt / DuckDB-script = {_ratio(dbt, duck and duck.seconden)} |",
              f"| DuckDB-script (bench/kpi_duckdb.py) | {_s(duck and duck.seconden)} | {_gb(duck and duck.piek)} | |",
              f"| pijplijn (pdw run, totaal) | {_s(pipeline)} | {_gb(runs['eerste']['meting'].piek)} | "
              f"pijplijn / pandas-script = {_ratio(pipeline, pand and pand.seconden)} |",
              f"| pandas-script (bench/kpi_pandas.py) | {_s(pand and pand.seconden)} | {_gb(pand and pand.piek)} | |",
              "", "## Controle: scripts tegen marts.kpi (gepubliceerd warehouse)", ""]
    for name, c in result["controle"].items():
        state = "gelijk" if not c["verschillen"] else f"**{len(c['verschillen'])} verschillen**"
        lines.append(f"- {name}: {state} ({c['vergeleken']} rijen gemeente/organisatie x kpi x maand vergeleken)")
        lines += [f"  - {v}" for v in c["verschillen"][:10]]
    return "\n".join(lines + loader_lines(loads)) + "\n"


def loader_lines(loads: list[dict]) -> list[str]:
    """The loader against DuckDB's own readers, per source system (none when it was skipped)."""
    if not loads:
        return []
    return ["", "## Lader tegen DuckDB's eigen lezers", "",
            "| bron | formaat | rijen | DuckDB | laden | laden/DuckDB |", "|---|---|---:|---:|---:|---:|"] + [
        f"| {r['bron']} | {r['formaat']} | {r['rijen']} | {r['duckdb_s']} s | {r['laden_s']} s | "
        f"{r['laden_ratio_duckdb']} |" for r in loads]
