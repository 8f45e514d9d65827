"""ERP extraction against a real PostgreSQL server (and SQLite): incremental, every version kept."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import sqlalchemy as sa

from orchestration import erp
from orchestration.resources import WarehouseResource


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` OS user."""
    if os.geteuid() == 0:
        runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
        return [runuser, "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="module")
def postgres_url():
    """A throw-away PostgreSQL server on a free localhost port, stopped afterwards."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        reason = "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); apt-get install postgresql"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    bindir = Path(found[-1]).parent
    datadir = Path(tempfile.mkdtemp(prefix="pdw-pg-"))
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l",
                                 str(datadir / "server.log"), "-w", "start"]), check=True, capture_output=True)
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        engine = sa.create_engine(url)
        for _ in range(50):
            try:
                with engine.connect():
                    break
            except sa.exc.OperationalError:
                time.sleep(0.2)
        engine.dispose()
        yield url
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(datadir, ignore_errors=True)


def _schema(meta: sa.MetaData) -> dict[str, sa.Table]:
    return {
        "gl_account": sa.Table("gl_account", meta, sa.Column("no", sa.String(20), primary_key=True),
                               sa.Column("name", sa.String(100)), sa.Column("account_type", sa.String(20)),
                               sa.Column("income_balance", sa.String(30))),
        "dimension_value": sa.Table("dimension_value", meta, sa.Column("dimension_code", sa.String(20), primary_key=True),
                                    sa.Column("code", sa.String(20), primary_key=True), sa.Column("name", sa.String(100)),
                                    sa.Column("parent_code", sa.String(20)),
                                    sa.Column("valid_from_year", sa.Integer, primary_key=True),
                                    sa.Column("valid_to_year", sa.Integer)),
        "gl_entry": sa.Table("gl_entry", meta, sa.Column("entry_no", sa.Integer, primary_key=True),
                             sa.Column("posting_date", sa.Date), sa.Column("document_no", sa.String(30)),
                             sa.Column("gl_account_no", sa.String(20)), sa.Column("description", sa.String(100)),
                             sa.Column("amount", sa.Numeric(14, 2)), sa.Column("programma_code", sa.String(20)),
                             sa.Column("product_code", sa.String(20)), sa.Column("gemeente_code", sa.String(10)),
                             sa.Column("source_code", sa.String(20)), sa.Column("user_id", sa.String(50)),
                             sa.Column("reversed", sa.Boolean), sa.Column("reversed_entry_no", sa.Integer),
                             sa.Column("last_modified", sa.DateTime)),
        "budget_entry": sa.Table("budget_entry", meta, sa.Column("entry_no", sa.Integer, primary_key=True),
                                 sa.Column("budget_name", sa.String(20)), sa.Column("gl_account_no", sa.String(20)),
                                 sa.Column("programma_code", sa.String(20)), sa.Column("product_code", sa.String(20)),
                                 sa.Column("gemeente_code", sa.String(10)), sa.Column("budget_date", sa.Date),
                                 sa.Column("amount", sa.Numeric(14, 2))),
    }


def _entry(no: int, amount: str, modified: datetime, programma: str | None = "WI", reversed_: bool = False) -> dict:
    return dict(entry_no=no, posting_date=date(2018, 1, no % 28 + 1), document_no=f"D{no:05d}", gl_account_no="4200",
                description=f"Boeking {no} – €", amount=Decimal(amount), programma_code=programma,
                product_code="WI-UIT", gemeente_code="VLD", source_code="PURCHASES", user_id="SOW\\JDEVRIES",
                reversed=reversed_, reversed_entry_no=None, last_modified=modified)


def _fill(url: str) -> tuple[sa.Engine, dict[str, sa.Table]]:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    tables = _schema(meta)
    meta.drop_all(engine)
    meta.create_all(engine)
    with engine.begin() as c:
        c.execute(tables["gl_account"].insert(), [
            dict(no="4200", name="Uitkeringen", account_type="Posting", income_balance="Income Statement"),
            dict(no="8110", name="Bijdrage gemeenten", account_type="Posting", income_balance="Income Statement")])
        c.execute(tables["dimension_value"].insert(), [
            dict(dimension_code="PROGRAMMA", code="WI", name="Werk en inkomen", parent_code=None,
                 valid_from_year=2015, valid_to_year=9999),
            dict(dimension_code="GEMEENTE", code="VLD", name="Vlaardingen", parent_code=None,
                 valid_from_year=2015, valid_to_year=9999)])
        c.execute(tables["gl_entry"].insert(), [
            _entry(1, "1000.00", datetime(2018, 1, 5, 10, 0)),
            _entry(2, "-250.50", datetime(2018, 1, 6, 11, 0), programma=None),
            _entry(3, "99.99", datetime(2018, 1, 7, 12, 0))])
        c.execute(tables["budget_entry"].insert(), [
            dict(entry_no=1, budget_name="B2018", gl_account_no="4200", programma_code="WI", product_code="WI-UIT",
                 gemeente_code="VLD", budget_date=date(2018, 1, 1), amount=Decimal("12000000.00"))])
    return engine, tables


def _run_incremental(url: str, db: Path) -> None:
    engine, tables = _fill(url)
    con = duckdb.connect(str(db))
    first = erp.extract_organisation(con, "SOW", url, "run1", datetime(2018, 2, 1, 6, 0))
    assert first.rijen == {"gl_account": 2, "dimension_value": 2, "gl_entry": 3, "budget_entry": 1}
    assert con.execute("select entry_no, amount, reversed, posting_date, last_modified, description "
                       "from raw_erp.gl_entry where entry_no = 2").fetchall() == [
        (2, Decimal("-250.50"), False, date(2018, 1, 3), datetime(2018, 1, 6, 11, 0), "Boeking 2 – €")]
    assert con.execute("select max_entry_no, max_last_modified from raw_meta.erp_watermerk "
                       "where organisatie = 'SOW' and tabel = 'gl_entry'").fetchall() == [(3, datetime(2018, 1, 7, 12))]

    # the source moves on: new entries, an old one reversed (changes reversed + last_modified), a new budget
    # line and a renamed account
    with engine.begin() as c:
        c.execute(tables["gl_entry"].insert(), [
            _entry(4, "250.50", datetime(2018, 2, 2, 9, 0), programma=None),
            _entry(5, "10.00", datetime(2018, 2, 2, 9, 5))])
        c.execute(tables["gl_entry"].update().where(tables["gl_entry"].c.entry_no == 2)
                  .values(reversed=True, reversed_entry_no=4, last_modified=datetime(2018, 2, 2, 9, 0)))
        c.execute(tables["budget_entry"].insert(), [
            dict(entry_no=2, budget_name="B2018-W1", gl_account_no="4200", programma_code="WI",
                 product_code="WI-UIT", gemeente_code="VLD", budget_date=date(2018, 1, 1), amount=Decimal("-500.00"))])
        c.execute(tables["gl_account"].update().where(tables["gl_account"].c.no == "4200")
                  .values(name="Uitkeringen Participatiewet"))
    second = erp.extract_organisation(con, "SOW", url, "run2", datetime(2018, 3, 1, 6, 0))
    assert second.rijen == {"gl_account": 2, "dimension_value": 0, "gl_entry": 3, "budget_entry": 1}
    assert con.execute("select _load_id, reversed, reversed_entry_no from raw_erp.gl_entry where entry_no = 2 "
                       "order by _geladen_op").fetchall() == [("run1", False, None), ("run2", True, 4)]
    assert con.execute("select list(entry_no order by entry_no) from raw_erp.gl_entry where _load_id = 'run2'"
                       ).fetchall() == [([2, 4, 5],)]
    assert con.execute("select count(*) from raw_erp.budget_entry").fetchone()[0] == 2
    current = con.execute("""select name from raw_erp.gl_account where no = '4200' and organisatie = 'SOW'
                             order by _geladen_op desc limit 1""").fetchone()[0]
    assert current == "Uitkeringen Participatiewet"
    assert con.execute("select max_entry_no, max_last_modified from raw_meta.erp_watermerk "
                       "where organisatie = 'SOW' and tabel = 'gl_entry'").fetchall() == [(5, datetime(2018, 2, 2, 9, 5))]

    # nothing changed: nothing stored
    third = erp.extract_organisation(con, "SOW", url, "run3", datetime(2018, 4, 1, 6, 0))
    assert third.rijen == {"gl_account": 0, "dimension_value": 0, "gl_entry": 0, "budget_entry": 0}
    assert con.execute("select count(*) from raw_erp.gl_entry").fetchone()[0] == 6
    assert con.execute("select distinct organisatie from raw_erp.gl_entry").fetchall() == [("SOW",)]
    con.close()
    engine.dispose()


def test_postgres_incremental_extraction(postgres_url, tmp_path):
    _run_incremental(postgres_url, tmp_path / "pg.duckdb")


def test_sqlite_incremental_extraction(tmp_path):
    _run_incremental(f"sqlite:///{tmp_path / 'SOW.sqlite'}", tmp_path / "lite.duckdb")


def test_failed_extraction_leaves_previous_state(postgres_url, tmp_path):
    """One organisation's extraction is atomic: a table missing a column rolls everything back."""
    engine, tables = _fill(postgres_url)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    erp.extract_organisation(con, "SOW", postgres_url, "run1")
    before = con.execute("select count(*) from raw_erp.gl_entry").fetchone()[0]
    with engine.begin() as c:
        c.execute(tables["gl_entry"].insert(), [_entry(7, "1.00", datetime(2018, 3, 1))])
        c.execute(sa.text("alter table budget_entry drop column budget_name"))
    with pytest.raises(erp.ErpFout, match="budget_entry mist kolom 'budget_name'"):
        erp.extract_organisation(con, "SOW", postgres_url, "run2")
    assert con.execute("select count(*) from raw_erp.gl_entry").fetchone()[0] == before
    assert con.execute("select max(max_entry_no) from raw_meta.erp_watermerk where tabel = 'gl_entry'"
                       ).fetchone()[0] == 3
    engine.dispose()


def test_unreachable_erp_names_organisation(tmp_path):
    con = duckdb.connect()
    with pytest.raises(erp.ErpFout, match="ERP IGSD: geen verbinding"):
        erp.extract_organisation(con, "IGSD", "postgresql+psycopg://nobody:geheim@127.0.0.1:1/none")
    with pytest.raises(erp.ErpFout, match="ERP SOW: databasebestand .* bestaat niet"):
        erp.extract_organisation(con, "SOW", f"sqlite:///{tmp_path / 'ontbreekt.sqlite'}")
    assert not (tmp_path / "ontbreekt.sqlite").exists()


def test_erp_asset_materializes_every_organisation(postgres_url, tmp_path, monkeypatch):
    _fill(postgres_url)[0].dispose()
    sqlite_url = f"sqlite:///{tmp_path / 'IGSD.sqlite'}"
    _fill(sqlite_url)[0].dispose()
    monkeypatch.setenv("PDW_ERP", f"SOW={postgres_url};IGSD={sqlite_url}")
    monkeypatch.setenv("PDW_WAREHOUSE", str(tmp_path / "warehouse" / "pdw.duckdb"))
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", "test-sleutel-voor-erp-asset-0123456789")
    result = dg.materialize(erp.assets, resources={"warehouse": WarehouseResource()})
    [event] = [m for m in result.get_asset_materialization_events()
               if m.asset_key == dg.AssetKey(["raw_erp", "gl_entry"])]
    metadata = event.materialization.metadata
    assert metadata["rijen_deze_run"].value == 6
    assert metadata["per_organisatie"].value == {"SOW": 3, "IGSD": 3}
    con = duckdb.connect(str(tmp_path / "warehouse" / "build" / "pdw.duckdb"), read_only=True)
    assert con.execute("select organisatie, count(*) from raw_erp.gl_entry group by 1 order by 1").fetchall() == [
        ("IGSD", 3), ("SOW", 3)]


def test_unreadable_erp_value_quarantines_that_entry_only(tmp_path):
    """A text in an amount and an impossible date (SQLite stores anything) quarantine their own
    entry, naming organisation, table, entry and column; the other entries load."""
    url = f"sqlite:///{tmp_path / 'SOW.sqlite'}"
    engine, tables = _fill(url)
    with engine.begin() as c:
        c.execute(sa.text("update gl_entry set amount = 'twaalf' where entry_no = 2"))
        c.execute(sa.text("update gl_entry set posting_date = '2018-13-45' where entry_no = 3"))
    engine.dispose()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    result = erp.extract_organisation(con, "SOW", url, "run1", datetime(2018, 2, 1, 6, 0))
    assert result.rijen["gl_entry"] == 1 and result.rijen["budget_entry"] == 1
    assert con.execute("select entry_no, amount from raw_erp.gl_entry").fetchall() == [(1, Decimal("1000.00"))]
    assert con.execute("select systeem, object, bestand, sleutel, veld, controle, omschrijving from raw_meta.quarantaine "
                       "order by sleutel").fetchall() == [
        ("erp", "gl_entry", "erp/SOW", "2", "amount", "waarde_onleesbaar",
         "ERP SOW, tabel gl_entry, sleutel 2, veld amount: 'twaalf' is geen geldige waarde voor dit veld; "
         "regel niet geladen"),
        ("erp", "gl_entry", "erp/SOW", "3", "posting_date", "waarde_onleesbaar",
         "ERP SOW, tabel gl_entry, sleutel 3, veld posting_date: '2018-13-45' is geen geldige waarde voor dit veld; "
         "regel niet geladen")]


def test_broken_erp_blocks_only_its_organisation(tmp_path, monkeypatch):
    """One ERP lacking a column and one unreachable: each a blocking finding naming it; the good
    organisation is extracted and the asset succeeds, so the other sources go on to publish."""
    good = f"sqlite:///{tmp_path / 'IGSD.sqlite'}"
    _fill(good)[0].dispose()
    broken = f"sqlite:///{tmp_path / 'SOW.sqlite'}"
    _fill(broken)[0].dispose()
    engine = sa.create_engine(broken)
    with engine.begin() as c:
        c.execute(sa.text("alter table gl_entry drop column amount"))
    engine.dispose()
    monkeypatch.setenv("PDW_ERP", f"SOW={broken};IGSD={good};MVS=postgresql+psycopg://niemand@127.0.0.1:1/geen")
    monkeypatch.setenv("PDW_WAREHOUSE", str(tmp_path / "warehouse" / "pdw.duckdb"))
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", "test-sleutel-voor-erp-asset-0123456789")
    result = dg.materialize(erp.assets, resources={"warehouse": WarehouseResource()})
    assert result.success
    [event] = [m for m in result.get_asset_materialization_events()
               if m.asset_key == dg.AssetKey(["raw_erp", "gl_entry"])]
    assert event.materialization.metadata["per_organisatie"].value == {"IGSD": 3}
    assert event.materialization.metadata["geblokkeerd"].value == ["MVS", "SOW"]
    con = duckdb.connect(str(tmp_path / "warehouse" / "build" / "pdw.duckdb"), read_only=True)
    assert con.execute("select distinct organisatie from raw_erp.gl_entry").fetchall() == [("IGSD",)]
    findings = dict(con.execute("select bestand, omschrijving from raw_meta.quarantaine "
                                "where controle = 'bron_geblokkeerd'").fetchall())
    assert "tabel gl_entry mist kolom 'amount'" in findings["erp/SOW"]
    assert "ERP MVS: geen verbinding" in findings["erp/MVS"]


def _with_project_code(url: str) -> None:
    """The same ERP with the optional column gl_entry.project_code: entry 1 on a measure."""
    engine, _ = _fill(url)
    with engine.begin() as c:
        c.execute(sa.text("alter table gl_entry add column project_code varchar(20)"))
        c.execute(sa.text("update gl_entry set project_code = 'EI19-ABC' where entry_no = 1"))
    engine.dispose()


def _project_codes(con) -> list:
    return con.execute("select entry_no, project_code from raw_erp.gl_entry order by entry_no").fetchall()


def _columns_seen(con) -> bool:
    return con.execute("select list_contains(kolommen, 'project_code') from raw_meta.erp_watermerk "
                       "where organisatie = 'SOW' and tabel = 'gl_entry'").fetchone()[0]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_project_code_is_optional(database, request, tmp_path):
    """An ERP without gl_entry.project_code loads with the column empty, and the watermark says the
    source lacks it (maatregel_kosten_X missing, not 0); with the column its codes arrive. A raw zone
    from before the column gets it."""
    url = request.getfixturevalue("postgres_url") if database == "postgres" else f"sqlite:///{tmp_path / 'SOW.sqlite'}"
    _fill(url)[0].dispose()
    con = duckdb.connect(str(tmp_path / "zonder.duckdb"))
    con.execute("create schema raw_erp")
    before = {c: t for c, t in erp.contract.ERP_TYPES["gl_entry"].items() if c != "project_code"}
    con.execute(f"create table raw_erp.gl_entry ({', '.join(f'{c} {t}' for c, t in before.items())}, "
                "organisatie VARCHAR, _load_id VARCHAR, _geladen_op TIMESTAMP)")
    assert erp.extract_organisation(con, "SOW", url, "run1").rijen["gl_entry"] == 3
    assert _project_codes(con) == [(1, None), (2, None), (3, None)]
    assert _columns_seen(con) is False
    con.close()

    _with_project_code(url)
    con = duckdb.connect(str(tmp_path / "met.duckdb"))
    assert erp.extract_organisation(con, "SOW", url, "run1").rijen["gl_entry"] == 3
    assert _project_codes(con) == [(1, "EI19-ABC"), (2, None), (3, None)]
    assert _columns_seen(con) is True
    con.close()
