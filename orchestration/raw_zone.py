"""The raw zone of the working DuckDB file: its DDL (raw_meta, one table per file object) and
the small SQL helpers every loader shares (quoting, load ids, one transaction per delivery)."""
from __future__ import annotations

import shutil
import tempfile
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from pdw import contract
from pdw.contract import SourceObject

META_DDL = """
create schema if not exists raw_meta;
create table if not exists raw_meta.leveringen (
    systeem varchar, levering date, map varchar, bestand varchar, object varchar, rijen bigint,
    gequarantaineerd bigint, gemarkeerd bigint, extra_kolommen varchar[], sha256 varchar,
    load_id varchar, geladen_op timestamp);
create table if not exists raw_meta.quarantaine (
    systeem varchar, object varchar, levering date, bestand varchar, rij bigint, sleutel varchar,
    veld varchar, controle varchar, omschrijving varchar, record varchar, load_id varchar,
    geladen_op timestamp);
create table if not exists raw_meta.markeringen (
    systeem varchar, object varchar, levering date, bestand varchar, rij bigint, sleutel varchar,
    veld varchar, controle varchar, omschrijving varchar, load_id varchar, geladen_op timestamp);
alter table raw_meta.leveringen add column if not exists regels bigint;
create table if not exists raw_meta.erp_watermerk (
    organisatie varchar, tabel varchar, max_entry_no bigint, max_last_modified timestamp,
    geladen_op timestamp);
"""
# Quarantine reason per column type when a non-empty value does not parse.


def new_load_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """Quote a string literal."""
    return "'" + value.replace("'", "''") + "'"


def ensure_raw_zone(con: duckdb.DuckDBPyConnection) -> None:
    """Create raw_meta and every file-object table, so dbt sources exist before any delivery."""
    con.execute(META_DDL)
    for obj in contract.OBJECTS:
        ensure_table(con, obj)


def ensure_table(con: duckdb.DuckDBPyConnection, obj: SourceObject, extra: list[str] = ()) -> None:
    con.execute(f"create schema if not exists raw_{obj.system}")
    cols = [f"{q(c.name)} {contract.RAW_TYPES[c.type]}" for c in obj.columns]
    cols += ["_levering DATE", "_bestand VARCHAR", "_rij BIGINT", "_load_id VARCHAR", "_geladen_op TIMESTAMP"]
    con.execute(f"create table if not exists {obj.raw_table} ({', '.join(cols)})")
    for name in extra:
        con.execute(f"alter table {obj.raw_table} add column if not exists {q(name)} VARCHAR")


def unblock_sources(con: duckdb.DuckDBPyConnection, system: str) -> None:
    """A blocked source is a state, not history: every run tries the system again and blocks
    it anew if it still cannot be read, so a repaired source stops blocking."""
    con.execute("delete from raw_meta.quarantaine where systeem = ? and controle = 'bron_geblokkeerd'", [system])


def block_source(con: duckdb.DuckDBPyConnection, system: str, bron: str, omschrijving: str, load_id: str) -> None:
    """A source (one organisation's ERP, one delivery file) that cannot be read at all this run: a
    blocking finding (`bron_geblokkeerd`); its raw tables keep their last good state, the other
    sources go on and publish (raw_meta.quarantaine: `bestand` = `bron`)."""
    con.execute("insert into raw_meta.quarantaine (systeem, object, levering, bestand, sleutel, controle, omschrijving, "
                "load_id, geladen_op) values (?, 'bron', current_date, ?, ?, 'bron_geblokkeerd', ?, ?, ?)",
                [system, bron, bron, omschrijving, load_id, now()])


def delivery_finding(con: duckdb.DuckDBPyConnection, system: str, object_: str, levering: date | None, bestand: str,
                     sleutel: str, controle: str, omschrijving: str, load_id: str, geladen_op: datetime) -> None:
    """A finding about a delivery as a whole (not one record): raw_meta.markeringen without row."""
    con.execute(
        "insert into raw_meta.markeringen (systeem, object, levering, bestand, rij, sleutel, veld, controle, "
        "omschrijving, load_id, geladen_op) values (?, ?, ?, ?, null, ?, null, ?, ?, ?, ?)",
        [system, object_, levering, bestand, sleutel, controle, omschrijving, load_id, geladen_op],
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[Path]:
    """One DuckDB transaction plus a scratch folder for transcoded files; rolled back on any error."""
    work = Path(tempfile.mkdtemp(prefix="pdw-load-"))
    con.execute("begin transaction")
    try:
        yield work
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
