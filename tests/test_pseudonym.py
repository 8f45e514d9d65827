"""The keyed pseudonym: normalisation, 11-proef, HMAC, and the dbt-duckdb plugin in a real dbt run."""
from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pdw import pseudonym
from pdw.settings import SettingsError

KEY = "test-sleutel-voor-pseudoniemen-0123456789"


def test_normalise_bsn():
    assert pseudonym.normalise_bsn(" 12345678 ") == "012345678"
    assert pseudonym.normalise_bsn("123456782") == "123456782"
    assert pseudonym.normalise_bsn("  ") is None
    assert pseudonym.normalise_bsn(None) is None
    assert pseudonym.normalise_bsn("abc") == "abc"


@pytest.mark.parametrize("bsn,valid", [
    ("123456782", True), ("111222333", True), ("100000010", True), ("10000021", True),
    ("123456789", False), ("000000000", False), ("12345678", False), ("abc", False), ("1234567", False),
    ("1234567890", False), ("", False), (None, False), ("１２３４５６７８２", False),
])
def test_elfproef(bsn, valid):
    assert pseudonym.is_valid_bsn(bsn) is valid


def test_pseudoniem_is_keyed_hmac_of_normalised_bsn():
    expected = hmac.new(KEY.encode(), b"012345678", hashlib.sha256).hexdigest()
    assert pseudonym.pseudoniem("12345678", KEY.encode()) == expected
    assert pseudonym.pseudoniem(" 012345678", KEY.encode()) == expected
    assert pseudonym.pseudoniem("012345678", b"another-key-of-enough-length") != expected
    assert pseudonym.pseudoniem("", KEY.encode()) is None


def test_refuses_without_key(monkeypatch):
    monkeypatch.delenv("PDW_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SettingsError, match="PDW_PSEUDONYM_KEY"):
        pseudonym.pseudoniem("123456782")
    with pytest.raises(SettingsError, match="PDW_PSEUDONYM_KEY"):
        pseudonym.register(duckdb.connect())


def test_sql_function_on_duckdb_connection(monkeypatch):
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)
    con = duckdb.connect()
    pseudonym.register(con)
    got = con.execute("select pseudoniem(v) from (values ('12345678'), (null), ('  '), ('123456782')) t(v)").fetchall()
    assert got == [(pseudonym.pseudoniem("012345678"),), (None,), (None,), (pseudonym.pseudoniem("123456782"),)]
    # many rows, few persons: one value per person, consistent across batches
    count = con.execute("select count(distinct pseudoniem(lpad((i % 5000)::varchar, 9, '0'))) "
                        "from range(200000) t(i)").fetchone()[0]
    assert count == 5000


DBT_PROJECT = """
name: pseudoniem_test
version: "1.0"
profile: pseudoniem_test
model-paths: ["models"]
"""
PROFILES = """
pseudoniem_test:
  target: test
  outputs:
    test:
      type: duckdb
      path: "{db}"
      threads: 2
      plugins:
        - module: pdw.pseudonym
"""


def _dbt(project: Path, env: dict) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run([str(dbt), "run", "--project-dir", str(project), "--profiles-dir", str(project)],
                          capture_output=True, text=True, env=env, cwd=project)


def test_dbt_duckdb_plugin_registers_pseudoniem(tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    db = tmp_path / "dbt.duckdb"
    (project / "dbt_project.yml").write_text(DBT_PROJECT)
    (project / "profiles.yml").write_text(PROFILES.format(db=db))
    (project / "models" / "personen.sql").write_text(
        "{{ config(materialized='table') }} select v as nummer, pseudoniem(v) as persoon from (values ('12345678'), ('123456782'), (null)) t(v)")
    (project / "models" / "tweede.sql").write_text(
        "{{ config(materialized='table') }} select pseudoniem('100000010') as persoon")
    env = {k: v for k, v in os.environ.items() if k != "PDW_PSEUDONYM_KEY"}

    refused = _dbt(project, env)
    assert refused.returncode != 0 and "PDW_PSEUDONYM_KEY" in refused.stdout + refused.stderr

    ran = _dbt(project, {**env, "PDW_PSEUDONYM_KEY": KEY})
    assert ran.returncode == 0, ran.stdout[-4000:]
    con = duckdb.connect(str(db), read_only=True)
    key = KEY.encode()
    assert con.execute("select nummer, persoon from personen order by nummer nulls last").fetchall() == [
        ("12345678", pseudonym.pseudoniem("012345678", key)),
        ("123456782", pseudonym.pseudoniem("123456782", key)),
        (None, None)]
    assert con.execute("select persoon from tweede").fetchall() == [(pseudonym.pseudoniem("100000010", key),)]
