"""Shared fixtures: the default demo world, simulated and run through the whole pipeline once.

`make test` runs the suite on two pytest-xdist workers (`-n 2 --dist loadgroup`, docs/testing.md):
every module that uses the demo world is one group on one worker, so the world is built once;
every other module is a group of its own, so its module fixtures are built once too."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pdw.settings import Settings

TEST_KEY = "test-sleutel-alleen-voor-de-testsuite-0123456789"


@dataclass(frozen=True)
class DemoWorld:
    settings: Settings
    truth: Path
    log: Path


def pdw(*args: str, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `pdw` command line as a user would."""
    full_env = {**os.environ, "PDW_PSEUDONYM_KEY": TEST_KEY, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "pdw_cli", *args], env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if log:
        log.write_text(result.stdout)
    return result


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    """A real headless Chromium (Debian's package), e.g. `--dump-dom URL` or `--screenshot=FILE URL`."""
    return subprocess.run(
        [shutil.which("chromium") or "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={tmp / 'chromium'}", *args],
        text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=180)


def hand_made_build(tmp: Path, systems: tuple[str, ...], write: Callable[[Path, str], None], *select: str):
    """For tests with a hand-made inbox: returns `run(folder)`, which writes the deliveries up to `folder`
    (by `write(inbox, folder)`), loads those of `systems` into a raw zone in `tmp` with the real loader and
    builds `select` with a real `dbt build`; it returns a function answering a query on the result.

    The ERP tables are there empty, as an organisation without ERP has them (marts.kpi holds the
    finance KPIs too)."""
    from orchestration import loading
    from orchestration.erp import ensure_erp_tables
    from orchestration.raw_zone import ensure_raw_zone
    from tests.test_dbt import dbt

    db, inbox = tmp / "pdw.duckdb", tmp / "inbox"
    con = duckdb.connect(str(db))
    ensure_raw_zone(con)
    ensure_erp_tables(con)
    con.close()

    def run(folder: str):
        write(inbox, folder)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
            con = duckdb.connect(str(db))
            try:
                for system in systems:
                    loading.load_system(con, inbox, system, f"test-{folder}")
            finally:
                con.close()
            mp.setenv("PDW_BUILD_DB", str(db))
            mp.setenv("PDW_DBT_TARGET", str(tmp / "target"))
            dbt("build", "--select", *select)

        def query(sql: str):
            con = duckdb.connect(str(db), read_only=True)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()
        return query
    return run


def kpi_waarde(query: Callable[[str], list], code: str, periode: str, gemeente: str | None = None):
    """SOW's value of one KPI in marts.kpi through `query` (SQL -> rows); None when it has no row."""
    rows = query(f"select waarde from marts.kpi where organisatie = 'SOW' and kpi = '{code}' and periode = '{periode}' "
                 f"and gemeente is not distinct from {repr(gemeente) if gemeente else 'null'}")
    return rows[0][0] if rows else None


DEMO_GROUP = "demo_world"
SHARED_WORLDS = (DEMO_GROUP, "kleine_wereld")  # session fixtures, each built once: its modules are one xdist group


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test's xdist group: a shared world's for every test of a module that uses it, else its module's.

    The demo world's group, the longest, comes first (`make test` keeps this order: --no-loadscope-reorder),
    so one worker starts on it at once and the other takes the remaining modules one by one."""
    group = {}
    for item in items:
        for world in SHARED_WORLDS:
            if world in item.fixturenames:
                group.setdefault(item.module, world)
    items.sort(key=lambda item: group.get(item.module) != DEMO_GROUP)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group.get(item.module, item.module.__name__)))


@pytest.hookimpl(trylast=True)  # after xdist's hook has put each group in its test's id
def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop when xdist ignored the groups (it does on pytest 9.2, pytest-xdist#1386): the demo world
    would be built on every worker."""
    if getattr(session.config.option, "loadgroup", False) and not all("@" in item.nodeid for item in session.items):
        raise pytest.UsageError("pytest-xdist --dist loadgroup negeert de groepen (pytest-xdist#1386)")


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory) -> Path:
    """A Dagster instance of this worker's own (`pdw run` takes DAGSTER_HOME from the environment):
    runs of the tests stay out of the project's `.dagster`, and two workers never share one."""
    home = tmp_path_factory.mktemp("dagster")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory) -> DemoWorld:
    out = tmp_path_factory.mktemp("demo")
    simulated = pdw("simulate", "--out", str(out), log=out / "simulate.log")
    assert simulated.returncode == 0, simulated.stdout[-5000:]
    settings = Settings(
        inbox=out / "inbox",
        warehouse=out / "warehouse" / "pdw.duckdb",
        erp={org: f"sqlite:///{out / 'erp' / f'{org}.sqlite'}" for org in ("SOW", "IGSD")},
    )
    ran = pdw("run", "--inbox", str(settings.inbox), "--erp", f"SOW={settings.erp['SOW']}",
              "--erp", f"IGSD={settings.erp['IGSD']}", "--warehouse", str(settings.warehouse), log=out / "run.log")
    assert ran.returncode == 0, ran.stdout[-8000:]
    return DemoWorld(settings=settings, truth=out / "truth", log=out / "run.log")


@pytest.fixture(scope="session")
def kleine_wereld(tmp_path_factory) -> Path:
    """The hand-made civision delivery of `tests/test_dataperiode.py` after its first `pdw run`
    (folders `inbox` and `warehouse`): a run costs minutes of fixed cost, so the modules that start
    from this world share one. A test that runs again copies it first (`copy_world`)."""
    from tests.test_dataperiode import write_delivery

    root = tmp_path_factory.mktemp("kleine_wereld")
    write_delivery(root / "inbox")
    result = pdw("run", "--inbox", str(root / "inbox"), "--warehouse", str(root / "warehouse" / "pdw.duckdb"),
                 log=root / "run.log")
    assert result.returncode == 0, result.stdout[-5000:]
    return root


def copy_world(root: Path, to: Path, parts: tuple[str, ...] = ("inbox", "warehouse")) -> Path:
    """A copy of a shared world's folders, files with their times (what `pdw run` takes as new
    depends on them), so runs on the copy leave the shared world alone."""
    for part in parts:
        shutil.copytree(root / part, to / part)
    return to
