"""Publication in proportion: only changed tables are written again, and the published file is
always a complete copy of the modelled schemas (real DuckDB files, the product's publish step)."""
from __future__ import annotations

import duckdb
import pytest

from orchestration.publish import PUBLISHED_SCHEMAS, publish
from pdw.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    settings = Settings(inbox=tmp_path / "inbox", warehouse=tmp_path / "warehouse" / "pdw.duckdb", erp={})
    settings.build_db.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.build_db)) as con:
        con.execute("""
            create schema raw_civision; create schema core; create schema marts;
            create table raw_civision.uitkeringen as select range as id, 'bsn' || range as bsn from range(100);
            create table core.dim_gemeente as select range as id, 'GM' || range as gemeente from range(1000);
            create table marts.kpi as select range as id, range * 1.5 as waarde from range(1000);
            create table marts.verdwijnt as select 1 as id;
            comment on table marts.kpi is 'De kengetallen';
            comment on column marts.kpi.waarde is 'Waarde van het kengetal';
        """)
    return settings


def _blocks(path, table: str) -> list[int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [r[0] for r in con.execute(f"select block_id from pragma_storage_info('{table}') "
                                          "where block_id is not null order by all").fetchall()]


def _assert_complete(settings: Settings) -> None:
    """Every modelled table of the working file is in the published file with the same rows, and
    nothing else is."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        con.execute(f"attach '{settings.build_db}' as bron (read_only)")
        in_schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
        tables = {catalog: {f"{s}.{t}" for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() "
            f"where database_name = ? and schema_name in ({in_schemas})", [catalog]).fetchall()}
            for catalog in ("pdw", "bron")}
        assert tables["pdw"] == tables["bron"]
        for table in tables["bron"]:
            assert con.execute(f"select count(*) from ((from pdw.{table} except all from bron.{table}) "
                               f"union all (from bron.{table} except all from pdw.{table}))").fetchone()[0] == 0, table
        assert con.execute("select comment from duckdb_tables() where database_name = 'pdw' "
                           "and table_name = 'kpi'").fetchone()[0] == "De kengetallen"


def test_only_changed_tables_are_written_again(settings):
    first = publish(settings)
    assert set(first) == {"core.dim_gemeente", "marts.kpi", "marts.verdwijnt"}, "the first publication copies all"
    _assert_complete(settings)
    unchanged_blocks = _blocks(settings.warehouse, "core.dim_gemeente")

    with duckdb.connect(str(settings.build_db)) as con:
        con.execute("update marts.kpi set waarde = waarde + 1 where id = 7; drop table marts.verdwijnt; "
                    "create table marts.nieuw as select 2 as id")
    second = publish(settings)

    assert set(second) == {"marts.kpi", "marts.nieuw"}
    assert _blocks(settings.warehouse, "core.dim_gemeente") == unchanged_blocks, "an unchanged table is not rewritten"
    _assert_complete(settings)
    assert publish(settings) == {}, "nothing changed, nothing copied"
    assert not settings.warehouse.with_name("pdw.duckdb.nieuw").exists()


def test_a_failed_publication_leaves_the_published_file_as_it_was(settings):
    publish(settings)
    settings.build_db.rename(settings.build_db.with_name("weg.duckdb"))
    with pytest.raises(duckdb.Error):
        publish(settings)
    settings.build_db.with_name("weg.duckdb").rename(settings.build_db)
    _assert_complete(settings)
