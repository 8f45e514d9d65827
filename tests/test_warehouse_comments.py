"""The published warehouse describes itself: every table and column of marts, core and semantic
carries its (Dutch) description as a comment, so DBeaver, Metabase and `duckdb` show what it means."""
from pdw.settings import connect


def test_every_published_table_and_column_of_marts_core_semantic_has_a_comment(demo_world):
    con = connect(demo_world.settings.warehouse, read_only=True)
    try:
        columns = con.execute("select schema_name, table_name, column_name, comment from duckdb_columns() "
                              "where schema_name in ('marts', 'core', 'semantic')").fetchall()
        tables = con.execute("select schema_name, table_name, comment from duckdb_tables() "
                             "where schema_name in ('marts', 'core', 'semantic')").fetchall()
    finally:
        con.close()
    assert len(tables) > 30 and len(columns) > 300
    assert [t[:2] for t in tables if not (t[2] or "").strip()] == []
    assert [c[:3] for c in columns if not (c[3] or "").strip()] == []
    comments = {(s, t, c): text for s, t, c, text in columns}
    assert comments[("marts", "kpi", "gemeente")].startswith("CBS-code")


