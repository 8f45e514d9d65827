"""The code location loads as `dagster dev` loads it, and the asset graph joins the parts."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import TEST_KEY

GRAPH = """
import json
from orchestration.definitions import defs
definitions = defs()
graph = definitions.resolve_asset_graph()
print(json.dumps({
    "upstream": {"/".join(k.path): sorted("/".join(p.path) for p in graph.get(k).parent_keys) for k in graph.get_all_asset_keys()},
    "jobs": [j.name for j in definitions.resolve_all_job_defs()],
    "sensors": [s.name for s in definitions.sensors or []],
    "schedules": [s.name for s in definitions.schedules or []],
    "checks": len(list(graph.asset_check_keys)),
}))
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PDW_PSEUDONYM_KEY": TEST_KEY}
    return subprocess.run(args, env=env, text=True, capture_output=True)


def test_code_location_validates_like_dagster_dev():
    result = _run(sys.executable, "-m", "dagster", "definitions", "validate", "-m", "orchestration.definitions")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_asset_graph_joins_loads_dbt_quality_and_publication():
    result = _run(sys.executable, "-c", GRAPH)
    assert result.returncode == 0, result.stderr[-3000:]
    info = json.loads(result.stdout.strip().splitlines()[-1])
    upstream = info["upstream"]
    assert "raw_civision/uitkeringen" in upstream["staging/stg_civision__uitkeringen"]
    assert "raw_erp/gl_entry" in upstream["staging/stg_erp__gl_entry"]
    assert "raw_reintegratie/klantprofielen" in upstream["staging/stg_reintegratie__klantprofielen"]
    assert upstream["raw_civision/uitkeringen"] == [], "load assets are roots of the graph"
    assert "staging/stg_civision__uitkeringen" in upstream["core/fct_uitkeringen"] or any("staging/stg_civision__uitkeringen" in v for v in upstream.values())
    assert "marts/kpi" in upstream, "marts.kpi is an asset"
    publication_inputs = set(upstream["publicatie/published"])
    assert {"marts/kpi", "marts/financien"} <= publication_inputs
    assert upstream["publicatie/bestuursrapportage"] == ["publicatie/published"], "the board report is built from the published warehouse"
    assert "pdw_all" in info["jobs"]
    assert len(info["sensors"]) >= 3 and info["schedules"], "a sensor per file system and an ERP schedule"
    assert info["checks"] > 20, "GX suites and dbt tests surface as asset checks"
