"""The dbt docs site (lineage, definitions, tests) beside the published warehouse.

`dbt docs generate --static` writes one self-contained `static_index.html` (manifest and
catalog inside), which opens from file:// as well as from a web server; it is copied to
`<warehouse dir>/docs/index.html` after each publication, so the site describes the
warehouse BI users read.
"""

import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pdw.settings import Settings, pseudonym_key

from .dbt import dbt_project, target_path
from .publish import PUBLISHED_KEY
from .resources import WarehouseResource


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"


def generate_docs(dbt: DbtCliResource, settings: Settings) -> Path:
    """Generate in the run's dbt target (its partial parse reused) and move the page into place
    in one rename."""
    pseudonym_key()  # the profile's plugin needs it, also when only the catalog is read
    target = docs_dir(settings)
    target.mkdir(parents=True, exist_ok=True)
    dbt.cli(["docs", "generate", "--static"], manifest=dbt_project().manifest_path, target_path=target_path()).wait()
    page = target / "index.html.nieuw"
    shutil.copyfile(target_path() / "static_index.html", page)
    os.replace(page, target / "index.html")
    return target / "index.html"


@dg.asset(key=["publicatie", "docs"], deps=[PUBLISHED_KEY], group_name="publicatie", kinds={"dbt"})
def docs(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Runs after the publication, so the site describes the published models."""
    path = generate_docs(dbt, warehouse.settings())
    context.log.info(f"dbt-documentatie: {path}")
    return dg.MaterializeResult(metadata={"pad": dg.MetadataValue.path(str(path))})
