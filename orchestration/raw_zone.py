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
-- zaken: the initiator's pseudonym of a lawfully destroyed zaak, where the FG lets it outlive the zaak
create schema if not exists raw_zaken;
create table if not exists raw_zaken.vernietigde_initiatoren (uuid varchar, pseudoniem varchar, levering date);
create table if not exists raw_meta.erp_watermerk (
    organisatie varchar, tabel varchar, max_entry_no bigint, max_last_modified timestamp,
    geladen_op timestamp);
alter table raw_meta.erp_watermerk add column if not exists kolommen varchar[];
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
    cols += [f"{name} {type_}" for name, type_ in contract.META_TYPES.items()]
    con.execute(f"create table if not exists {obj.raw_table} ({', '.join(cols)})")
    present = _columns(con, obj.raw_table)
    if "_levering_tot" not in present:
        _copies_to_versions(con, obj)
    # a column the contract gained since the table was made (maatregel_code) arrives empty in older rows
    added = [(c.name, contract.RAW_TYPES[c.type]) for c in obj.columns if c.name not in present]
    for name, type_ in added + [(name, "VARCHAR") for name in extra]:
        con.execute(f"alter table {obj.raw_table} add column if not exists {q(name)} {type_}")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f"select column_name from (describe {table})").fetchall()]


def store(con: duckdb.DuckDBPyConnection, obj: SourceObject, rows: str, levering: date) -> int:
    """Store one file's good rows (relation `rows`, the raw table's columns but `_levering_tot`) in
    the raw zone; returns how many rows were delivered.

    A delta object appends. A full snapshot keeps record versions: a delivered record (its natural
    key with its content; an exact duplicate once, at its first row) that is already current
    stays as it is, a new or changed one becomes a version from this delivery, and a current
    version that is not delivered again is closed at this delivery (deleted or replaced in the
    source). A file without one readable record changes nothing, as a missing file: the last
    snapshot stays current (its GX check `levering_leeg` blocks)."""
    table = obj.raw_table
    names = [n for n in _columns(con, table) if n != "_levering_tot"]
    listed = ", ".join(q(n) for n in names)
    delivered = con.execute(f"select count(*) from {rows}").fetchone()[0]
    if obj.delta:
        con.execute(f"insert into {table} ({listed}) select {listed} from {rows}")
        return delivered
    if delivered == 0:
        return 0
    content = [n for n in names if n not in contract.META_TYPES]
    same = " and ".join(f"v.{q(n)} is not distinct from n.{q(n)}" for n in content)
    current = f"(select rowid as _id, * from {table} where _levering_tot is null)"
    # uncorrelated anti joins: DuckDB hashes them; a correlated NOT EXISTS in the UPDATE does not.
    # Only what is not current yet is deduplicated: most of a snapshot is, and DISTINCT ON over it all was the cost.
    con.execute(f"""create or replace temp table _nieuw as
        select distinct on ({', '.join(q(n) for n in content)}) {', '.join(f'n.{q(c)}' for c in names)}
        from {rows} as n anti join {current} as v on {same} order by n._rij""")
    con.execute(f"""create or replace temp table _gesloten as
        select v._id as id from {current} as v anti join {rows} as n on {same}""")
    con.execute(f"update {table} set _levering_tot = ? from _gesloten as g where {table}.rowid = g.id", [levering])
    con.execute(f"insert into {table} ({listed}) select {listed} from _nieuw")
    con.execute("drop table _nieuw; drop table _gesloten")
    return delivered


def state_at(table: str, levering: date) -> str:
    """The rows of a file-object table as delivery `levering` held them (its record versions then)."""
    return (f"select * from {table} where _levering <= date '{levering}' "
            f"and (_levering_tot is null or _levering_tot > date '{levering}')")


def _copies_to_versions(con: duckdb.DuckDBPyConnection, obj: SourceObject) -> None:
    """A raw table from before record versions holds a full copy of every delivery: stored again,
    delivery by delivery, as versions."""
    table, copies = obj.raw_table, f"raw_{obj.system}._kopieen"
    if obj.delta:
        con.execute(f"alter table {table} add column _levering_tot DATE")
        return
    con.execute(f"alter table {table} rename to _kopieen")
    con.execute(f"create table {table} as select *, cast(null as date) as _levering_tot from {copies} limit 0")
    for (levering,) in con.execute(f"select distinct _levering from {copies} order by 1").fetchall():
        con.execute(f"create or replace temp view _kopie as select * from {copies} where _levering = date '{levering}'")
        store(con, obj, "_kopie", levering)
    con.execute(f"drop view if exists _kopie; drop table {copies}")


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
