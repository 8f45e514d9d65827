"""`pdw run` does nothing when nothing is new, and with something new only what is downstream of
it: real runs of the command line on a copy of the default world."""
from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pytest

from pdw.settings import PROJECT_DIR

from .conftest import DemoWorld, copy_world, pdw


@pytest.fixture
def world(demo_world: DemoWorld, tmp_path) -> Path:
    """A copy of the default world, so runs here leave the shared one alone."""
    return copy_world(demo_world.settings.inbox.parent, tmp_path, ("inbox", "erp", "warehouse"))


def _run(world: Path):
    return pdw("run", "--inbox", str(world / "inbox"), "--warehouse", str(world / "warehouse" / "pdw.duckdb"),
               *[a for org in ("SOW", "IGSD") for a in ("--erp", f"{org}=sqlite:///{world / 'erp' / f'{org}.sqlite'}")])


def _instance() -> dg.DagsterInstance:
    """The instance `pdw run` records its runs in: this worker's (conftest's dagster_home)."""
    return dg.DagsterInstance.get()


def _resend(world: Path, system: str) -> None:
    """The latest delivery of a system comes again (its _READY is written anew)."""
    ready = sorted((world / "inbox" / system).glob("*/_READY"))[-1]
    ready.write_text("")


def test_nothing_new_runs_nothing(world):
    published = world / "warehouse" / "pdw.duckdb"
    stamp = published.stat().st_mtime_ns
    runs = _instance().get_runs_count()
    targets = sorted((PROJECT_DIR / "dbt_project" / "target").glob("*"))

    ran = _run(world)

    assert ran.returncode == 0, ran.stdout[-3000:]
    assert "[pdw] Niets nieuws:" in ran.stdout and str(published) in ran.stdout
    assert "Pijplijn starten" not in ran.stdout
    assert _instance().get_runs_count() == runs, "no Dagster run"
    assert published.stat().st_mtime_ns == stamp, "nothing published again"
    assert sorted((PROJECT_DIR / "dbt_project" / "target").glob("*")) == targets, "no new target folder"


def test_something_new_runs_only_what_is_downstream(world):
    targets = sorted((PROJECT_DIR / "dbt_project" / "target").glob("*"))
    _resend(world, "schuldhulp")
    ran = _run(world)
    assert ran.returncode == 0, ran.stdout[-5000:]
    assert "Nieuw in schuldhulp" in ran.stdout and "Alleen wat daarvan afhangt draait" in ran.stdout

    run_id = re.search(r"\(run ([0-9a-f-]{36})\)", ran.stdout).group(1)
    built = {"/".join(e.dagster_event.asset_key.path)
             for e in _instance().all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)}
    assert {key.split("/")[0] for key in built if key.startswith("raw_")} == {"raw_schuldhulp"}, \
        "only the system with something new loads"
    assert {"publicatie/published", "marts/dq_bevindingen"} <= built, "findings and publication always run"
    assert any(key.startswith("staging/stg_schuldhulp") for key in built)
    assert not any(key.startswith(("staging/stg_civision", "staging/stg_erp")) for key in built), \
        "models that do not depend on schuldhulp are not built again"

    target = world / "warehouse" / "build" / "dbt"
    (target / "dbt.log").unlink()
    _resend(world, "schuldhulp")
    again = _run(world)
    assert again.returncode == 0, again.stdout[-5000:]
    assert "Unable to do partial parsing" not in (target / "dbt.log").read_text(), "dbt reuses its partial parse"
    assert sorted((PROJECT_DIR / "dbt_project" / "target").glob("*")) == targets, "no target folder per run"
