"""The dbt project as Dagster assets: one cached DbtProject, one translator, `dbt build` in a subprocess.

Nothing happens at import: the project is made (and, under `dagster dev`, prepared) when the
code location loads its definitions (orchestration/definitions.py).
"""

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from pdw.settings import PROJECT_DIR, Settings, newest_dbt_input, pseudonym_key

from .resources import WarehouseResource


@cache
def dbt_project() -> DbtProject:
    # dbt is installed beside this Python: dagster-dbt (also its manifest preparer) finds it
    # on the PATH, with or without an activated virtual environment
    if not shutil.which("dbt"):
        os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    project = DbtProject(project_dir=PROJECT_DIR / "dbt_project")
    project.prepare_if_dev()
    return project


class PdwDbtCliResource(DbtCliResource):
    """dagster-dbt learns dbt's version by starting `dbt --version`, and builds a dbt adapter in
    this process on every call, for row counts and column metadata that this project does not
    fetch: a dbt import and a parse of every macro, seconds per step (docs/benchmark.md). The
    version comes from the installed package instead, and no adapter is made."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: list[str]) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    return PdwDbtCliResource(project_dir=dbt_project())


FINDINGS_MODEL = "dq_bevindingen"  # built after the GX checks (orchestration/quality.py), not with the others


class PdwTranslator(DagsterDbtTranslator):
    """One key shape for every asset, [schema, name]: a source is the load asset of the same
    table (raw_civision/uitkeringen), a model or seed its relation (staging/stg_civision__uitkeringen,
    marts/kpi, core/gemeenten); models are grouped by their layer folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            fqn = dbt_resource_props.get("fqn", [])
            return "seeds" if dbt_resource_props["resource_type"] == "seed" else (fqn[1] if len(fqn) > 2 else "dbt")
        return super().get_group_name(dbt_resource_props)


def ensure_manifest() -> Path:
    """`pdw run` and the tests run outside `dagster dev`: parse when the manifest is missing or
    older than any file of the dbt project (or the seeds), so the assets match the models."""
    project = dbt_project()
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < newest_dbt_input():
        Settings.from_env().export()  # the profile reads PDW_BUILD_DB, also when dbt parses
        project.preparer.prepare(project)
    return manifest


def target_path() -> Path:
    """dbt's target folder of the working file being built: `dbt/` beside it, reused by every run.

    dbt parses everything again when the profile differs from its last parse, and the profile
    holds the working file's path (PDW_BUILD_DB): one folder shared by several warehouses (demo,
    tests, production) would parse the whole project on every switch. One folder per working
    file keeps the partial parse valid between runs, and no folder per run piles up."""
    return Settings.from_env().build_db.parent / "dbt"


def set_run_id(run_id: str) -> None:
    """The Dagster run that builds marts.dq_bevindingen (its column run_id). An environment
    variable, not a dbt var: a new var value makes dbt parse the whole project again."""
    os.environ["PDW_RUN_ID"] = run_id


def build_dbt_assets() -> dg.AssetsDefinition:
    @dbt_assets(manifest=ensure_manifest(), project=dbt_project(), dagster_dbt_translator=PdwTranslator(),
                exclude=FINDINGS_MODEL)
    def dbt_modellen(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """Seeds, staging, facts and marts with their dbt tests (as asset checks)."""
        warehouse.settings()
        pseudonym_key()
        # unit tests test the SQL, not the data: tests/test_dbt.py runs them, a run of the pipeline does not
        yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context,
                           target_path=target_path()).stream()

    return dbt_modellen
