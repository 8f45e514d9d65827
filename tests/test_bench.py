"""The bench's hand-written KPI scripts answer what marts.kpi answers on the demo world, so the
comparison of the pipeline with them (bench/run.py) compares equal work."""
from __future__ import annotations

import pytest

from bench import kpi_duckdb, kpi_pandas
from bench.kern_kpi import CORE_KPIS, compare


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
