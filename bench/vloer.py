"""The floor under the pipeline on this machine: what no change to our SQL or Python can go below.

- dbt: `dbt build` of a project of the same shape as ours (as many table, view and incremental
  models, seeds and data tests, from the manifest) whose every model is `select` of one row, on
  dbt-duckdb with our profile's threads. Measured twice; the second run reuses the partial parse,
  as a routine run does. What our build takes above this is our SQL and our data.
- Dagster: starting Python with `dagster` and `dagster_dbt` imported, before any run is planned.

It says whether a bound of issue 10 is reachable at all with this stack (docs/benchmark.md).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from pdw.settings import PROJECT_DIR

ROW = "(select 1 as x, 'a' as y)"
TESTS = [("x", "not_null"), ("y", "not_null"), ("x", "unique"), ("y", "unique")]


def shape(manifest: Path) -> Counter:
    """Nodes of the project by kind: `table`, `view`, `incremental`, `seed`, `test`."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return Counter(n["config"]["materialized"] if n["resource_type"] == "model" else n["resource_type"] for n in nodes
                   if n["resource_type"] in ("model", "seed", "test"))


def write_project(root: Path, kinds: Counter) -> None:
    """A chain of trivial models (each reads the one before), data tests spread over them, tiny seeds."""
    (root / "models").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "dbt_project.yml").write_text("name: vloer\nversion: '1.0'\nprofile: vloer\n")
    (root / "profiles.yml").write_text(
        f"vloer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: {root / 'vloer.duckdb'}\n"
        "      threads: 1\n")
    models = [m for m in ("table", "view", "incremental") for _ in range(kinds[m])]
    tests: list[dict[str, list[str]]] = [{} for _ in models]
    for i in range(min(kinds["test"], len(TESTS) * len(models))):
        column, test = TESTS[i // len(models)]
        tests[i % len(models)].setdefault(column, []).append(test)
    yml = ["version: 2", "models:"]
    for i, materialized in enumerate(models):
        source = f"{{{{ ref('m{i - 1}') }}}}" if i else ROW
        (root / "models" / f"m{i}.sql").write_text(
            f"{{{{ config(materialized='{materialized}') }}}}\nselect x, y from {source} as s\n")
        if tests[i]:
            yml += [f"  - name: m{i}", "    columns:"] + [
                f"      - name: {column}\n        data_tests: [{', '.join(names)}]" for column, names in tests[i].items()]
    (root / "models" / "modellen.yml").write_text("\n".join(yml) + "\n")
    for i in range(kinds["seed"]):
        (root / "seeds" / f"s{i}.csv").write_text("a,b\n1,x\n")


def _seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def measure_floor(manifest: Path = PROJECT_DIR / "dbt_project" / "target" / "manifest.json") -> dict:
    kinds = shape(manifest)
    dbt = str(Path(sys.executable).parent / "dbt")
    with tempfile.TemporaryDirectory(prefix="pdw-vloer-") as folder:
        root = Path(folder)
        write_project(root, kinds)
        build = [dbt, "build", "--profiles-dir", str(root), "--quiet"]
        first = _seconds(build, root)
        again = _seconds(build, root)
        nodes = len(json.loads((root / "target" / "run_results.json").read_text())["results"])
    imports = _seconds([sys.executable, "-c", "import dagster, dagster_dbt"], Path.cwd())
    return {"vorm": dict(kinds), "knopen": nodes, "dbt_eerste_s": round(first, 1), "dbt_opnieuw_s": round(again, 1),
            "dagster_import_s": round(imports, 1)}


def floor_lines(floor: dict | None) -> list[str]:
    if not floor:
        return []
    vorm = ", ".join(f"{n} {k}" for k, n in sorted(floor["vorm"].items()))
    return ["", "## Vloer: wat deze machine kost zonder ons werk (bench/vloer.py)", "",
            f"- `dbt build` van een project met dezelfde vorm ({vorm}; {floor['knopen']} knopen), elk model één "
            f"rij: {floor['dbt_eerste_s']} s, opnieuw (partial parse) {floor['dbt_opnieuw_s']} s.",
            f"- Python starten met `dagster` en `dagster_dbt`: {floor['dagster_import_s']} s."]


if __name__ == "__main__":
    result = measure_floor()
    print("\n".join(floor_lines(result)))
