"""The bench's hand-written KPI scripts answer what marts.kpi answers on the demo world, so the
comparison of the pipeline with them (bench/run.py) compares equal work."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import kpi_duckdb, kpi_pandas
from bench.kern_kpi import CORE_KPIS, compare
from bench.vloer import shape, write_project


@pytest.mark.parametrize("script", [kpi_duckdb, kpi_pandas], ids=["duckdb", "pandas"])
def test_script_equals_marts_kpi(demo_world, script):
    result = script.kpis(demo_world.settings.inbox)
    assert set(result["kpi"]) == set(CORE_KPIS)
    compared, wrong = compare(result, demo_world.settings.warehouse)
    # every municipality and organisation, every core KPI, every month of the data period
    assert compared > 10 * len(CORE_KPIS) * 12
    assert not wrong, "\n".join(wrong[:20])
    one_more = result.assign(waarde=result["waarde"] + (result["kpi"] == "instroom"))
    _, wrong = compare(one_more, demo_world.settings.warehouse)
    assert wrong and all(w.startswith("instroom ") for w in wrong)


def test_floor_project_has_the_shape_of_ours(tmp_path):
    """bench/vloer.py's trivial project builds, with as many nodes of each kind as it was asked for."""
    kinds = Counter(table=2, view=1, incremental=1, seed=1, test=7)
    write_project(tmp_path, kinds)
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([dbt, "build", "--profiles-dir", tmp_path, "--quiet"], cwd=tmp_path, check=True)
    assert shape(tmp_path / "target" / "manifest.json") == kinds
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert len(results) == sum(kinds.values()) and {r["status"] for r in results} == {"success", "pass"}
