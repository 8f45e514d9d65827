"""ERP (Navision-like SQL database per organisation) into raw_erp.*, incrementally.

Extraction uses SQLAlchemy Core on reflected tables (no SQL text against the source), so
any SQLAlchemy database works (SQLite in the demo, PostgreSQL in production-like set-ups).

Rules (docs/ingestion.md):
- gl_entry: rows with entry_no > watermark, or last_modified > watermark (reversals and
  corrections change old rows); budget_entry: new entry_no; gl_account and
  dimension_value: the whole table, stored again only when it differs from the current version.
- every extracted version is kept (`_load_id`, `_geladen_op`); the latest per
  (organisatie, key) is current;
- one organisation's extraction is one DuckDB transaction, watermarks included;
- an optional column (contract.ERP_OPTIONAL: gl_entry.project_code) the source lacks loads as empty;
  the watermark keeps the source's columns (`kolommen`), so the KPIs that need it stay missing. A column
  that appears later fills only the rows extracted from then on (old rows are not re-read).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import sqlalchemy as sa

from pdw import contract
from pdw.settings import pseudonym_key

from .nieuw import SMALL_TABLES, differs_from_current, erp_typed, erp_unreadable, new_rows_condition, watermark
from .raw_zone import block_source, ensure_raw_zone, lit, new_load_id, now, q, unblock_sources
from .resources import WarehouseResource

log = logging.getLogger(__name__)

BATCH = 50_000


class ErpFout(RuntimeError):
    """An ERP database that cannot be read as the contract says; the message is Dutch."""


@dataclass
class ErpResult:
    organisatie: str
    rijen: dict[str, int] = field(default_factory=dict)  # rows stored per table this run


def ensure_erp_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw_erp")
    for table, types in contract.ERP_TYPES.items():
        cols = [f"{q(c)} {types[c]}" for c in contract.ERP_TABLES[table]]
        cols += ["organisatie VARCHAR", "_load_id VARCHAR", "_geladen_op TIMESTAMP"]
        con.execute(f"create table if not exists raw_erp.{table} ({', '.join(cols)})")
        for c in contract.ERP_OPTIONAL.get(table, ()):  # a raw zone from before the column
            con.execute(f"alter table raw_erp.{table} add column if not exists {q(c)} {types[c]}")


def _arrow(columns: tuple[str, ...], rows: list) -> pa.Table:
    """Rows as an Arrow table; a column whose Python values do not share one type goes as text."""
    arrays = []
    for i, _ in enumerate(columns):
        values = [r[i] for r in rows]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array([None if v is None else str(v) for v in values], pa.string()))
    return pa.Table.from_arrays(arrays, names=list(columns))


def _typed_batch(con, table: str, org: str, rows: list, load_id: str, geladen_op: datetime) -> None:
    """Temp table _erp_getypt: the rows typed by DuckDB. A row with a value that does not read as
    its type (text in an amount, an impossible date) goes to raw_meta.quarantaine instead, naming
    organisation, table, key and column: one bad entry never stops the extraction."""
    columns = contract.ERP_TABLES[table]
    con.register("_erp_batch", _arrow(columns, rows))
    try:
        con.execute(f"create or replace temp table _erp_ruw as select *, {erp_unreadable(table)} as _fout "
                    "from _erp_batch")
    finally:
        con.unregister("_erp_batch")
    key = " || '|' || ".join(f"coalesce({q(k)} :: VARCHAR, '')" for k in contract.ERP_KEYS[table])
    value = "case c " + " ".join(f"when {lit(c)} then {q(c)} :: VARCHAR" for c in columns) + " end"
    message = (f"{lit(f'ERP {org}, tabel {table}, sleutel ')} || {key} || ', veld ' || c || ': ' || "
               f"{lit(chr(39))} || {value} || {lit(chr(39) + ' is geen geldige waarde voor dit veld; regel niet geladen')}")
    con.execute(f"insert into raw_meta.quarantaine select 'erp', {lit(table)}, ?, {lit('erp/' + org)}, null, {key}, c, "
                f"'waarde_onleesbaar', {message}, to_json(r) :: VARCHAR, ?, ? "
                "from (select * exclude (_fout), unnest(_fout) as c from _erp_ruw) r",
                [geladen_op.date(), load_id, geladen_op])
    con.execute(f"create or replace temp table _erp_getypt as select {erp_typed(table)} from _erp_ruw "
                "where len(_fout) = 0")
    con.execute("drop table _erp_ruw")


def _store(con, table: str, org: str, rows: list, load_id: str, geladen_op: datetime) -> int:
    """Append the readable rows of one batch to raw_erp.<table>; returns how many."""
    if not rows:
        return 0
    _typed_batch(con, table, org, rows, load_id, geladen_op)
    stored = con.execute(f"insert into raw_erp.{table} by name select *, {lit(org)} as organisatie, ? as _load_id, "
                         "? as _geladen_op from _erp_getypt", [load_id, geladen_op]).fetchone()[0]
    con.execute("drop table _erp_getypt")
    return stored


def _reflect(engine: sa.Engine, org: str) -> dict[str, sa.Table]:
    meta = sa.MetaData()
    try:
        meta.reflect(bind=engine, only=list(contract.ERP_TABLES))
    except sa.exc.InvalidRequestError as e:
        raise ErpFout(f"ERP {org}: tabel ontbreekt in de database ({e}). Verwacht: {', '.join(contract.ERP_TABLES)}.") from e
    tables = {}
    for name, columns in contract.ERP_TABLES.items():
        table = meta.tables[name]
        missing = [c for c in columns if c not in table.c and c not in contract.ERP_OPTIONAL.get(name, ())]
        if missing:
            raise ErpFout(f"ERP {org}: tabel {name} mist kolom {', '.join(repr(m) for m in missing)}; "
                          "deze organisatie is niet bijgewerkt.")
        tables[name] = table
    return tables


def extract_organisation(con: duckdb.DuckDBPyConnection, org: str, url: str, load_id: str | None = None,
                         geladen_op: datetime | None = None) -> ErpResult:
    """Extract one organisation's ERP into raw_erp in one DuckDB transaction."""
    load_id = load_id or new_load_id()
    geladen_op = geladen_op or now()
    ensure_raw_zone(con)
    ensure_erp_tables(con)
    result = ErpResult(org)
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as e:
        raise ErpFout(f"ERP {org}: '{url}' is geen geldige SQLAlchemy-URL ({e})") from e
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():  # SQLite would silently create an empty database
        raise ErpFout(f"ERP {org}: databasebestand {parsed.database} bestaat niet")
    engine = sa.create_engine(parsed)
    try:
        source = engine.connect()
        if parsed.get_backend_name() == "postgresql":  # the four tables from one snapshot
            source = source.execution_options(isolation_level="REPEATABLE READ")
    except Exception as e:  # unreachable server, wrong credentials or driver: name the organisation
        engine.dispose()
        raise ErpFout(f"ERP {org}: geen verbinding met {parsed.render_as_string(hide_password=True)} "
                      f"({type(e).__name__}: {e})") from e
    try:
        _extract(con, source, engine, org, result, load_id, geladen_op)
    except sa.exc.SQLAlchemyError as e:  # the source broke off or refused mid-read
        raise ErpFout(f"ERP {org}: lezen mislukt ({type(e).__name__}: {str(e).splitlines()[0]}); "
                      "deze organisatie is niet bijgewerkt") from e
    finally:
        source.close()
        engine.dispose()
    log.info("ERP %s: %s", org, ", ".join(f"{k} {v}" for k, v in result.rijen.items()))
    return result


def _extract(con, source: sa.Connection, engine: sa.Engine, org: str, result: ErpResult, load_id: str,
             geladen_op: datetime) -> None:
    """All four tables from one read of the source, into DuckDB in one transaction."""
    tables = _reflect(engine, org)
    with source.begin():  # one consistent read of the source
        con.execute("begin transaction")
        try:
            for name, table in tables.items():
                result.rijen[name] = _extract_table(con, source, org, name, table, load_id, geladen_op)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _extract_table(con, source: sa.Connection, org: str, name: str, table: sa.Table, load_id: str,
                   geladen_op: datetime) -> int:
    columns = contract.ERP_TABLES[name]
    # Values as the driver returns them, typed by DuckDB: SQLAlchemy's own conversion stops the
    # whole result on one unreadable value (a text in a Numeric column: a bare TypeError).
    # An optional column the source lacks reads as empty.
    query = sa.select(*[sa.type_coerce(table.c[c] if c in table.c else sa.null(), sa.types.NullType()).label(c)
                        for c in columns])
    if name in SMALL_TABLES:
        return _extract_small(con, source, org, table, query, load_id, geladen_op)
    max_no, max_modified = watermark(con, org, name)
    entry_no = table.c["entry_no"]
    if (condition := new_rows_condition(table, max_no, max_modified)) is not None:
        query = query.where(condition)
    stored = 0
    result = source.execution_options(yield_per=BATCH).execute(query.order_by(entry_no))
    for rows in result.partitions(BATCH):
        stored += _store(con, name, org, rows, load_id, geladen_op)
    modified = "max(last_modified)" if name == "gl_entry" else "null :: TIMESTAMP"
    new_max_no, new_max_modified = con.execute(
        f"select greatest(max(entry_no), ?), greatest({modified}, ?) from raw_erp.{name} "
        "where organisatie = ? and _load_id = ?", [max_no, max_modified, org, load_id]).fetchone()
    _set_watermark(con, org, table, new_max_no, new_max_modified, geladen_op)
    return stored


def _extract_small(con, source, org: str, table: sa.Table, query, load_id: str, geladen_op: datetime) -> int:
    """Whole table; stored again only when it differs from the current version in raw_erp."""
    name = table.name
    rows = source.execute(query).all()
    con.execute(f"create or replace temp table _erp_nieuw as select * exclude (organisatie, _load_id, _geladen_op) "
                f"from raw_erp.{name} where false")
    if rows:
        _typed_batch(con, name, org, rows, load_id, geladen_op)
        con.execute("insert into _erp_nieuw select * from _erp_getypt; drop table _erp_getypt")
    stored = 0
    if differs_from_current(con, org, name, "_erp_nieuw"):
        stored = con.execute(f"insert into raw_erp.{name} select *, ?, ?, ? from _erp_nieuw",
                             [org, load_id, geladen_op]).fetchone()[0]
    con.execute("drop table _erp_nieuw")
    _set_watermark(con, org, table, None, None, geladen_op)
    return stored


def _set_watermark(con, org: str, table: sa.Table, max_no, max_modified, geladen_op: datetime) -> None:
    """The table's watermark, with the source's columns of this extraction (which optional ones it has)."""
    con.execute("delete from raw_meta.erp_watermerk where organisatie = ? and tabel = ?", [org, table.name])
    con.execute("insert into raw_meta.erp_watermerk by name select ? as organisatie, ? as tabel, ? as max_entry_no, "
                "? :: TIMESTAMP as max_last_modified, ? as geladen_op, ? :: VARCHAR[] as kolommen",
                [org, table.name, max_no, max_modified, geladen_op, [c.name for c in table.columns]])


# ---------------------------------------------------------------- Dagster


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw_erp", t], group_name="erp", kinds={"duckdb"},
                        description=f"ERP-tabel {t} van alle organisaties, elke geëxtraheerde versie bewaard")
           for t in contract.ERP_TABLES],
    can_subset=False,
    name="raw_erp",
)
def raw_erp(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Extract every configured ERP database (PDW_ERP / --erp ORG=URL) incrementally."""
    try:
        pseudonym_key()
    except Exception as e:
        raise dg.Failure(description=str(e)) from e
    settings = warehouse.settings()
    totals = {t: {} for t in contract.ERP_TABLES}
    with warehouse.connect() as con:
        ensure_raw_zone(con)
        ensure_erp_tables(con)
        unblock_sources(con, "erp")
        for org, url in settings.erp.items():
            try:
                result = extract_organisation(con, org, url, context.run.run_id)
            except ErpFout as e:  # this organisation keeps its last extraction; the others go on
                context.log.error(str(e))
                block_source(con, "erp", f"erp/{org}", str(e), context.run.run_id)
                continue
            for t, n in result.rijen.items():
                totals[t][org] = n
        stored = {t: con.execute(f"select organisatie, count(*) from raw_erp.{t} group by all").fetchall()
                  for t in contract.ERP_TABLES}
    for t in contract.ERP_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw_erp", t],
            metadata={"geblokkeerd": sorted(set(settings.erp) - set(totals[t])),
                      "rijen_deze_run": sum(totals[t].values()),
                      "per_organisatie": dg.MetadataValue.json(totals[t]),
                      "rijen_totaal": dg.MetadataValue.json(dict(stored[t]))},
        )


assets = [raw_erp]
schedules = [dg.ScheduleDefinition(name="pdw_dagelijks", cron_schedule="0 6 * * *", job_name="pdw_all",
                                   execution_timezone="Europe/Amsterdam",
                                   description="Dagelijks: ERP incrementeel extraheren en alles bijwerken")]
