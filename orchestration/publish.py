"""Publish a read-only copy for BI users, only after a run without blocking findings (a blocked
source does not count: it kept its last good raw state, so its marts stay as they were).

The working file is written by one process at a time; BI users and MetricFlow read
the published copy, which holds the modelled schemas (no raw zone, no views onto it).
The copy is written next to the target and moved into place in one rename, so a
reader sees either the old or the new version, never half of one. It starts as a copy of
the published file, and only tables whose fingerprint (columns, rows, a hash of the rows)
differs from the working file's are written again: a run that changed one source rewrites
the tables downstream of it, not the whole warehouse. Table and column
comments (dbt's descriptions, persisted by `persist_docs`) are copied with the data, so
a BI tool shows what every column means.
"""

import os
import shutil

import dagster as dg

from pdw.settings import Settings, connect

from .raw_zone import lit, q
from .resources import WarehouseResource

PUBLISHED_SCHEMAS = ("core", "marts", "kwaliteit", "semantic")
PUBLISHED_KEY = dg.AssetKey(["publicatie", "published"])  # [group, name] for what is no table


def copy_comments(con) -> None:
    """CREATE TABLE AS copies no comments: carry them over from the attached working file."""
    in_schemas = ", ".join(lit(s) for s in PUBLISHED_SCHEMAS)
    for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            f"where database_name = 'bron' and schema_name in ({in_schemas}) and comment is not null").fetchall():
        con.execute(f'comment on table "{schema}"."{table}" is {lit(comment)}')
    for schema, table, column, comment in con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            f"where database_name = 'bron' and schema_name in ({in_schemas}) and comment is not null").fetchall():
        con.execute(f'comment on column "{schema}"."{table}"."{column}" is {lit(comment)}')


def _fingerprints(con, catalog: str) -> dict[str, tuple]:
    """Per published table of a catalog: its columns with their types, its row count and the sum
    of its rows' hashes (order-free, and a duplicated row counts)."""
    in_schemas = ", ".join(lit(s) for s in PUBLISHED_SCHEMAS)
    columns: dict[str, list] = {}
    for schema, table, column, data_type in con.execute(
            "select schema_name, table_name, c.column_name, c.data_type from duckdb_columns() as c "
            "join duckdb_tables() using (database_name, schema_name, table_name) "
            f"where database_name = {lit(catalog)} and schema_name in ({in_schemas}) "
            "order by schema_name, table_name, c.column_index").fetchall():
        columns.setdefault(f"{schema}.{table}", []).append((column, data_type))
    return {name: (tuple(cols), *con.execute(f'select count(*), sum(hash(t)) from "{catalog}".{_quoted(name)} as t')
                   .fetchone()) for name, cols in columns.items()}


def _quoted(name: str) -> str:
    """`schema.table` as a qualified identifier."""
    return ".".join(q(part) for part in name.split("."))


def publish(settings: Settings) -> dict[str, int]:
    """Copy only what changed: the new file starts as a copy of the published one, tables whose
    fingerprint differs from the working file's are replaced, tables gone from it dropped. Returns
    the rows of every table copied this time."""
    target = settings.warehouse
    tmp = target.with_name(target.name + ".nieuw")
    tmp.unlink(missing_ok=True)
    if target.exists():
        shutil.copyfile(target, tmp)
    con = connect(tmp)
    copied: dict[str, int] = {}
    try:
        con.execute(f"ATTACH {lit(str(settings.build_db))} AS bron (READ_ONLY)")
        catalog = con.execute("select current_database()").fetchone()[0]
        wanted, present = _fingerprints(con, "bron"), _fingerprints(con, catalog)
        for name in sorted(set(present) - set(wanted)):
            con.execute(f"drop table {_quoted(name)}")
        for name, fingerprint in sorted(wanted.items()):
            if present.get(name) == fingerprint:
                continue
            con.execute(f'create schema if not exists "{name.split(".")[0]}"')
            con.execute(f"create or replace table {_quoted(name)} as select * from bron.{_quoted(name)}")
            copied[name] = fingerprint[1]
        copy_comments(con)
        con.execute("DETACH bron")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    return copied


def build_published_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The publish step depends on everything it copies, so it runs last and is skipped
    (the old copy stays) when a blocking check or a failed step stops anything upstream."""

    @dg.asset(key=PUBLISHED_KEY, deps=upstream, group_name="publicatie", kinds={"duckdb"})
    def published(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        settings = warehouse.settings()
        copied = publish(settings)
        context.log.info(f"Gepubliceerd: {settings.warehouse} ({len(copied)} tabellen gewijzigd en gekopieerd: "
                         f"{', '.join(copied) or 'geen'})")
        return dg.MaterializeResult(
            metadata={"pad": dg.MetadataValue.path(str(settings.warehouse)), "tabellen_gekopieerd": len(copied),
                      "gekopieerd": dg.MetadataValue.json(copied)}
        )

    return published
