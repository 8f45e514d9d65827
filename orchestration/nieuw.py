"""What a run would find new, asked before Dagster or dbt is imported: `pdw run` with nothing new
stops here in a few seconds, and with something new runs only what is downstream of it.

New for a source system: a complete inbox delivery not yet loaded, a loaded folder delivered
again or an invalid folder name not yet reported, a cbs file with new content, ERP rows past the
watermarks or changed master data (gl_account, dimension_value), and anything loaded after the
last publication (a run that stopped before publishing). Everything is new when there is no
published warehouse yet or the dbt project changed after it was published.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pdw import contract
from pdw.settings import Settings, connect, newest_dbt_input

from .inbox import READY, invalid_folders, pending, ready_folders
from .raw_zone import lit, q

ERP = "erp"
SMALL_TABLES = ("gl_account", "dimension_value")  # extracted whole, stored again only when they differ


@dataclass
class Nieuw:
    """Per source system why it must run (Dutch); `alles` says why everything must."""

    systemen: dict[str, str] = field(default_factory=dict)
    alles: str | None = None

    def __bool__(self) -> bool:
        return bool(self.systemen or self.alles)


def find_new(settings: Settings) -> Nieuw:
    published = settings.warehouse
    if not published.exists() or not settings.build_db.exists():
        return Nieuw(alles="nog niets gepubliceerd")
    published_at = datetime.fromtimestamp(published.stat().st_mtime, timezone.utc).replace(tzinfo=None)
    if newest_dbt_input() > published.stat().st_mtime:
        return Nieuw(alles="dbt-project gewijzigd na de laatste publicatie")
    nieuw = Nieuw()
    with connect(settings.build_db, read_only=True) as con:
        try:
            for system in contract.FORMATS:
                if reden := _file_system(con, settings.inbox, system, published_at):
                    nieuw.systemen[system] = reden
            if reden := _erp(con, settings.erp, published_at):
                nieuw.systemen[ERP] = reden
        except duckdb.CatalogException:  # a working file without raw zone
            return Nieuw(alles="werkbestand zonder raw zone")
    return nieuw


def _file_system(con: duckdb.DuckDBPyConnection, inbox: Path, system: str, published_at: datetime) -> str | None:
    waiting = pending(con, inbox, system)
    if waiting:
        return f"{len(waiting)} nieuwe levering(en) ({', '.join(waiting[:3])}{' ...' if len(waiting) > 3 else ''})"
    s = lit(system)
    last_seen = dict(con.execute(
        f"select map, max(geladen_op) from (select map, geladen_op from raw_meta.leveringen where systeem = {s} "
        f"union all select bestand, geladen_op from raw_meta.markeringen where systeem = {s} and object = 'levering') "
        "group by map").fetchall())
    for _, folder in ready_folders(inbox, system):
        ready = datetime.fromtimestamp((folder / READY).stat().st_mtime, timezone.utc).replace(tzinfo=None)
        if ready.replace(microsecond=0) > last_seen.get(f"{system}/{folder.name}", ready):
            return f"levering {system}/{folder.name} opnieuw aangeleverd"
    reported = {r[0] for r in con.execute(f"select bestand from raw_meta.markeringen where systeem = {s} "
                                          "and controle = 'map_naam_ongeldig'").fetchall()}
    if any(f"{system}/{folder.name}" not in reported for folder in invalid_folders(inbox, system)):
        return "map met ongeldige naam nog niet gemeld"
    return _unpublished(con, f"select max(geladen_op) from (select geladen_op from raw_meta.leveringen where systeem = {s} "
                             f"union all select geladen_op from raw_meta.quarantaine where systeem = {s})",
                        published_at)


def _unpublished(con: duckdb.DuckDBPyConnection, query: str, published_at: datetime) -> str | None:
    """Query literals are inlined on this path: a Python parameter makes DuckDB import pandas (~1 s)."""
    loaded = con.execute(query).fetchone()[0]
    return "geladen na de laatste publicatie" if loaded is not None and loaded > published_at else None


def watermark(con: duckdb.DuckDBPyConnection, org: str, table: str) -> tuple[int | None, datetime | None]:
    row = con.execute("select max_entry_no, max_last_modified from raw_meta.erp_watermerk "
                      f"where organisatie = {lit(org)} and tabel = {lit(table)}").fetchone()
    return (row[0], row[1]) if row else (None, None)


def new_rows_condition(table, max_no: int | None, max_modified: datetime | None):
    """The ERP rows an extraction takes (SQLAlchemy condition on a reflected table; None: all):
    past the entry_no watermark, and for gl_entry also rows changed since (reversals, corrections)."""
    import sqlalchemy as sa

    if max_no is None:
        return None
    condition = table.c["entry_no"] > max_no
    if table.name == "gl_entry" and max_modified is not None:
        condition = sa.or_(condition, table.c["last_modified"] > max_modified)
    return condition


def _erp(con: duckdb.DuckDBPyConnection, erp: dict[str, str], published_at: datetime) -> str | None:
    if unpublished := _unpublished(con, "select max(geladen_op) from (select geladen_op from raw_meta.erp_watermerk "
                                        f"union all select geladen_op from raw_meta.quarantaine where systeem = {lit(ERP)})",
                                   published_at):
        return unpublished
    import sqlalchemy as sa

    for org, url in erp.items():
        engine = None
        try:
            engine = sa.create_engine(url)
            meta = sa.MetaData()
            meta.reflect(bind=engine, only=list(contract.ERP_TABLES))
            with engine.connect() as source:
                for name, table in meta.tables.items():
                    if name in SMALL_TABLES:
                        if _differs(con, org, name, source.execute(sa.select(*[
                                sa.type_coerce(table.c[c], sa.types.NullType()) for c in contract.ERP_TABLES[name]
                        ])).all()):
                            return f"{org}: {name} gewijzigd"
                        continue
                    condition = new_rows_condition(table, *watermark(con, org, name))
                    query = sa.select(sa.func.count()).select_from(table)
                    if condition is not None:
                        query = query.where(condition)
                    if new := source.execute(query).scalar():
                        return f"{org}: {new} nieuwe of gewijzigde regels in {name}"
        except Exception as e:  # the run itself reports (and blocks) a source it cannot read
            return f"{org}: bron niet te lezen ({type(e).__name__})"
        finally:
            if engine is not None:
                engine.dispose()
    return None


def _differs(con: duckdb.DuckDBPyConnection, org: str, name: str, rows: list) -> bool:
    """The source's rows of a small table, typed as the extraction types them (a row that does not
    type is quarantined there, so left out here), against the current version in raw_erp."""
    columns = contract.ERP_TABLES[name]
    values = ", ".join("(" + ", ".join("null" if v is None else lit(str(v)) for v in row) + ")" for row in rows)
    text = (f"(values {values}) as t({', '.join(q(c) for c in columns)})" if rows
            else f"(select {', '.join(f'null :: varchar as {q(c)}' for c in columns)} where false)")
    con.execute(f"create or replace temp table _bron as select * from {text}")
    con.execute(f"create or replace temp table _bron_getypt as select {erp_typed(name)} from _bron "
                f"where len({erp_unreadable(name)}) = 0")
    return differs_from_current(con, org, name, "_bron_getypt")


def erp_typed(name: str) -> str:
    """Select list typing an ERP table's text columns as the contract types them."""
    types = contract.ERP_TYPES[name]
    return ", ".join(f"try_cast({q(c)} as {types[c]}) as {q(c)}" for c in contract.ERP_TABLES[name])


def erp_unreadable(name: str) -> str:
    """List expression: the columns of a row whose value does not read as its contract type."""
    types = contract.ERP_TYPES[name]
    failed = ", ".join(f"case when {q(c)} is not null and try_cast({q(c)} as {types[c]}) is null then {lit(c)} end"
                       for c in contract.ERP_TABLES[name])
    return f"list_filter([{failed}], c -> c is not null)"


def differs_from_current(con: duckdb.DuckDBPyConnection, org: str, name: str, relation: str) -> bool:
    """Whether `relation` (a small table's typed rows) differs from its current version in raw_erp."""
    columns = ", ".join(q(c) for c in contract.ERP_TABLES[name])
    current = (f"select {columns} from raw_erp.{name} where organisatie = {lit(org)} and _geladen_op = "
               f"(select max(_geladen_op) from raw_erp.{name} where organisatie = {lit(org)})")
    source = f"select {columns} from {relation}"
    return con.execute(f"select exists ({current} except all {source}) or exists ({source} except all {current})"
                       ).fetchone()[0]
