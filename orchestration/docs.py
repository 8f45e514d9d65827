"""The dbt docs site (lineage, definitions, tests) beside the published warehouse.

`dbt docs generate --static` writes one self-contained `static_index.html` (manifest and
catalog inside), which opens from file:// as well as from a web server; it is copied to
`<warehouse dir>/docs/index.html` after each publication, so the site describes the
warehouse BI users read. The page shows the dbt project and the published tables' columns,
so it is generated again only when one of them changed since it was written. It shows every model's
own SQL, compiled SQL only where the run's last dbt call compiled it (`--no-compile`).
"""

import hashlib
import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from pdw.settings import Settings, connect, newest_dbt_input, pseudonym_key

from .dbt import dbt_project, target_path
from .publish import PUBLISHED_KEY
from .resources import WarehouseResource


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"


def _invoer(settings: Settings) -> str:
    """Key of what the page shows: the dbt project's last change and the published columns."""
    with connect(settings.warehouse, read_only=True) as con:
        columns = con.execute("select schema_name, table_name, column_name, data_type, comment from duckdb_columns() "
                              "order by all").fetchall()
    return hashlib.sha256(repr((newest_dbt_input(), columns)).encode()).hexdigest()


def generate_docs(dbt: DbtCliResource, settings: Settings) -> tuple[Path, bool]:
    """Generate in the run's dbt target (its partial parse reused) and move the page into place
    in one rename; (page, whether it was generated)."""
    target = docs_dir(settings)
    invoer, stamp = _invoer(settings), target / ".invoer"
    if (target / "index.html").exists() and stamp.exists() and stamp.read_text() == invoer:
        return target / "index.html", False
    pseudonym_key()  # the profile's plugin needs it, also when only the catalog is read
    target.mkdir(parents=True, exist_ok=True)
    # --no-compile: the page embeds the manifest the run's dbt calls left (compiled SQL where they compiled
    # it); compiling the whole project again for the page took two thirds of its time
    dbt.cli(["docs", "generate", "--static", "--no-compile"], manifest=dbt_project().manifest_path,
            target_path=target_path()).wait()
    page = target / "index.html.nieuw"
    shutil.copyfile(target_path() / "static_index.html", page)
    os.replace(page, target / "index.html")
    stamp.write_text(invoer)
    return target / "index.html", True


@dg.asset(key=["publicatie", "docs"], deps=[PUBLISHED_KEY], group_name="publicatie", kinds={"dbt"})
def docs(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Runs after the publication, so the site describes the published models."""
    path, generated = generate_docs(dbt, warehouse.settings())
    context.log.info(f"dbt-documentatie: {path}" + ("" if generated else " (ongewijzigd: project en kolommen gelijk)"))
    return dg.MaterializeResult(metadata={"pad": dg.MetadataValue.path(str(path))})
