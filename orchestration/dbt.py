"""The dbt project as Dagster assets: one cached DbtProject, one translator, `dbt build` in a subprocess.

Nothing happens at import: the project is made (and, under `dagster dev`, prepared) when the
code location loads its definitions (orchestration/definitions.py).
"""

import json
import os
import shutil
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

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


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project())


class PdwTranslator(DagsterDbtTranslator):
    """Sources keep the default key [source, table] so they join the load assets
    (raw_civision/uitkeringen); a model's key is its name (stg_civision__uitkeringen, kpi),
    unique in the project, and models are grouped by their layer folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["name"]])

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


def models_in(folder: str) -> list[str]:
    """The models of one folder of the dbt project, from the manifest."""
    nodes = json.loads(ensure_manifest().read_text(encoding="utf-8"))["nodes"].values()
    return sorted(n["name"] for n in nodes
                  if n["resource_type"] == "model" and n["original_file_path"].startswith(f"models/{folder}/"))


def build_dbt_assets() -> dg.AssetsDefinition:
    @dbt_assets(manifest=ensure_manifest(), project=dbt_project(), dagster_dbt_translator=PdwTranslator())
    def dbt_modellen(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """Seeds, staging, facts and marts with their dbt tests (as asset checks)."""
        warehouse.settings()
        pseudonym_key()
        # one target folder for every run: dbt reuses its partial parse and no folder per run piles up
        project = dbt_project()
        yield from dbt.cli(["build"], context=context, target_path=project.project_dir / project.target_path).stream()

    return dbt_modellen
