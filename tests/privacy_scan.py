"""The privacy scan: identifier values of the raw zone found outside it.

A value outside the raw zone is a leak when it equals an identifier value of the raw zone
(a bsn, also with its leading zero dropped or added, a street, a full postcode or an employee number) and is not
explained by a non-identifier field: the raw zone holds the same value in a non-identifier
column of the same name (an employer's KvK number that happens to equal a bsn with its
leading zero dropped is carried through as `werkgever_kvk`, not leaked). Text and integer
columns are scanned, so a bsn cast to a number is caught too.
"""
from __future__ import annotations

import duckdb

from pdw.contract import OBJECTS

IDENTIFIER_NAMES = {c.name for o in OBJECTS for c in o.columns if c.identifier} | {"bsn", "client_bsn"}
SCANNED_TYPES = ("VARCHAR", "BIGINT", "INTEGER", "HUGEINT", "UBIGINT", "UINTEGER")


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, raw: bool) -> list[tuple[str, str, str, str]]:
    return con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and (table_schema like 'raw%') = ? "
        "and table_schema not in ('information_schema', 'pg_catalog')",
        [catalog, raw],
    ).fetchall()


def collect_identifiers(con: duckdb.DuckDBPyConnection) -> int:
    """Fill temp tables `ids` (identifier values) and `verklaard` (identifier values that a
    non-identifier raw column of a given name also holds); returns the number of ids."""
    catalog = con.execute("select current_database()").fetchone()[0]
    raw_tables = {f"{s}.{t}" for s, t, _, _ in _columns(con, catalog, raw=True)}
    parts = [
        f"select trim({col.name}) as v from {obj.raw_table} where {col.name} is not null"
        for obj in OBJECTS if obj.raw_table in raw_tables
        for col in obj.columns
        # surnames and initials are also ordinary words (a sector "Groen", a person Groen): their
        # columns are checked by name; values are checked for bsn, street and full postcode
        if col.identifier and (col.type == "bsn" or col.name in ("straat", "postcode", "personeelsnummer"))
    ]
    con.execute(f"create or replace temp table ids as select distinct v from ({' union all '.join(parts)}) "
                "where length(v) >= 5")
    con.execute("insert into ids select lpad(v, 9, '0') from ids where regexp_full_match(v, '[0-9]{8}')")
    con.execute("insert into ids select ltrim(v, '0') from ids where regexp_full_match(v, '0[0-9]{8}')")
    con.execute("create or replace temp table verklaard (kolom varchar, v varchar)")
    for schema, table, column, data_type in _columns(con, catalog, raw=True):
        # raw_meta holds quarantined and flagged values, not fields of a record: it explains nothing
        if schema == "raw_meta" or column.lower() in IDENTIFIER_NAMES or data_type not in SCANNED_TYPES:
            continue
        con.execute(
            f"insert into verklaard select distinct '{column.lower()}', trim(cast(\"{column}\" as varchar)) "
            f'from "{schema}"."{table}" where trim(cast("{column}" as varchar)) in (select v from ids)'
        )
    return con.execute("select count(*) from ids").fetchone()[0]


def leaks(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """Every column of `catalog` outside the raw zone with an identifier name or an unexplained identifier value."""
    columns = _columns(con, catalog, raw=False)
    assert columns, f"no tables outside the raw zone in {catalog}"
    found = []
    for schema, table, column, data_type in columns:
        if column.lower() in IDENTIFIER_NAMES:
            found.append(f"{catalog}.{schema}.{table}.{column}: identifier column name")
        if data_type in SCANNED_TYPES:
            value = f'trim(cast("{column}" as varchar))'
            hits = con.execute(
                f'select count(*) from "{catalog}"."{schema}"."{table}" where {value} in (select v from ids) '
                f"and {value} not in (select v from verklaard where kolom = ?)",
                [column.lower()],
            ).fetchone()[0]
            if hits:
                found.append(f"{catalog}.{schema}.{table}.{column}: {hits} identifier values")
    return found
