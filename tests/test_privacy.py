"""Citizen identifiers never leave the raw zone, and the pseudonym key is never stored."""
from __future__ import annotations

import duckdb

from pdw import pseudonym
from pdw.contract import OBJECTS

from .conftest import TEST_KEY

IDENTIFIER_NAMES = {c.name for o in OBJECTS for c in o.columns if c.identifier} | {"bsn", "client_bsn"}


def _identifier_values(con: duckdb.DuckDBPyConnection) -> None:
    """All identifier values found in the raw zone, plus 8/9-digit variants of every bsn."""
    parts = []
    for obj in OBJECTS:
        for col in obj.columns:
            # surnames and initials are also ordinary words (a sector "Groen", a person Groen): their
            # columns are checked by name; values are checked for bsn, street and full postcode
            if col.identifier and (col.type == "bsn" or col.name in ("straat", "postcode")):
                parts.append(f"select trim({col.name}) as v from {obj.raw_table} where {col.name} is not null")
    con.execute(f"create temp table ids as select distinct v from ({' union all '.join(parts)}) where length(v) >= 5")
    con.execute("insert into ids select lpad(v, 9, '0') from ids where regexp_full_match(v, '[0-9]{8}')")
    con.execute("insert into ids select ltrim(v, '0') from ids where regexp_full_match(v, '0[0-9]{8}')")


def _leaks(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    columns = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema not like 'raw%' and table_schema not in ('information_schema', 'pg_catalog')",
        [catalog],
    ).fetchall()
    assert columns, f"no tables outside the raw zone in {catalog}"
    leaks = []
    for schema, table, column, data_type in columns:
        if column.lower() in IDENTIFIER_NAMES:
            leaks.append(f"{catalog}.{schema}.{table}.{column}: identifier column name")
        if data_type == "VARCHAR":
            hits = con.execute(
                f'select count(*) from "{catalog}"."{schema}"."{table}" where trim("{column}") in (select v from ids)'
            ).fetchone()[0]
            if hits:
                leaks.append(f"{catalog}.{schema}.{table}.{column}: {hits} identifier values")
    return leaks


def test_no_identifier_outside_raw_zone(demo_world):
    con = duckdb.connect(str(demo_world.settings.build_db), read_only=True)
    try:
        pseudonym.register(con, TEST_KEY.encode())  # staging views compute the pseudonym as they are read
        _identifier_values(con)
        assert con.execute("select count(*) from ids").fetchone()[0] > 1000, "the scan found no identifiers to look for"
        con.execute(f"attach '{demo_world.settings.warehouse}' as published (read_only)")
        build_catalog = con.execute("select current_database()").fetchone()[0]
        leaks = _leaks(con, build_catalog) + _leaks(con, "published")
        assert not leaks, "\n".join(leaks)
        raw_schemas = con.execute(
            "select count(*) from information_schema.schemata where catalog_name = 'published' and schema_name like 'raw%'"
        ).fetchone()[0]
        assert raw_schemas == 0, "the published copy must not hold the raw zone"
    finally:
        con.close()


def test_pseudonym_key_is_not_stored(demo_world):
    warehouse_dir = demo_world.settings.warehouse.parent
    files = [p for p in warehouse_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert TEST_KEY.encode() not in path.read_bytes(), f"pseudonym key found in {path}"
