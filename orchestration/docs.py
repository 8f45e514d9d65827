"""The dbt docs site (lineage, definitions, tests) beside the published warehouse.

`dbt docs generate --static` writes one self-contained `static_index.html` (manifest and
catalog inside), which opens from file:// as well as from a web server; it is copied to
`<warehouse dir>/docs/index.html` after each publication, so the site describes the
warehouse BI users read.
"""

import os
import tempfile
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pdw.settings import Settings, pseudonym_key

from .dbt import dbt_project
from .publish import PUBLISHED_KEY
from .resources import WarehouseResource


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"


def generate_docs(dbt: DbtCliResource, settings: Settings) -> Path:
    """Generate in a scratch target and move the page into place in one rename."""
    pseudonym_key()  # the profile's plugin needs it, also when only the catalog is read
    target = docs_dir(settings)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".dbt-docs-", dir=target.parent) as tmp:
        dbt.cli(["docs", "generate", "--static"], manifest=dbt_project().manifest_path, target_path=Path(tmp)).wait()
        os.replace(Path(tmp) / "static_index.html", target / "index.html")
    return target / "index.html"


@dg.asset(key=["publicatie", "docs"], deps=[PUBLISHED_KEY], group_name="publicatie", kinds={"dbt"})
def docs(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Runs after the publication, so the site describes the published models."""
    path = generate_docs(dbt, warehouse.settings())
    context.log.info(f"dbt-documentatie: {path}")
    return dg.MaterializeResult(metadata={"pad": dg.MetadataValue.path(str(path))})
