"""Publish a read-only copy for BI users, only after a run without blocking findings (a blocked
source does not count: it kept its last good raw state, so its marts stay as they were).

The working file is written by one process at a time; BI users and MetricFlow read
the published copy, which holds the modelled schemas (no raw zone, no views onto it).
The copy is written next to the target and moved into place in one rename, so a
reader sees either the old or the new version, never half of one. Table and column
comments (dbt's descriptions, persisted by `persist_docs`) are copied with the data, so
a BI tool shows what every column means.
"""

import os

import dagster as dg

from pdw.settings import Settings, connect

from .resources import WarehouseResource

PUBLISHED_SCHEMAS = ("core", "marts", "kwaliteit", "semantic")
PUBLISHED_KEY = dg.AssetKey(["publicatie", "published"])  # [group, name] for what is no table


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def copy_comments(con) -> None:
    """CREATE TABLE AS copies no comments: carry them over from the attached working file."""
    in_schemas = ", ".join(_literal(s) for s in PUBLISHED_SCHEMAS)
    for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            f"where database_name = 'bron' and schema_name in ({in_schemas}) and comment is not null").fetchall():
        con.execute(f'comment on table "{schema}"."{table}" is {_literal(comment)}')
    for schema, table, column, comment in con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            f"where database_name = 'bron' and schema_name in ({in_schemas}) and comment is not null").fetchall():
        con.execute(f'comment on column "{schema}"."{table}"."{column}" is {_literal(comment)}')


def publish(settings: Settings) -> dict[str, int]:
    target = settings.warehouse
    tmp = target.with_name(target.name + ".nieuw")
    tmp.unlink(missing_ok=True)
    con = connect(tmp)
    copied: dict[str, int] = {}
    try:
        con.execute(f"ATTACH '{settings.build_db}' AS bron (READ_ONLY)")
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'bron' and table_schema in ({}) order by 1, 2".format(
                ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
            )
        ).fetchall()
        for schema, table in relations:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(f'create table "{schema}"."{table}" as select * from bron."{schema}"."{table}"')
            copied[f"{schema}.{table}"] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
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
        context.log.info(f"Gepubliceerd: {settings.warehouse} ({len(copied)} tabellen)")
        return dg.MaterializeResult(
            metadata={"pad": dg.MetadataValue.path(str(settings.warehouse)), "tabellen": len(copied),
                      "rijen_marts_kpi": copied.get("marts.kpi", 0)}
        )

    return published
