"""The command line refuses clearly, before doing anything, when it cannot run."""
from __future__ import annotations

import os
import subprocess
import sys


def _pdw(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "PDW_PSEUDONYM_KEY"}
    return subprocess.run([sys.executable, "-m", "pdw_cli", *args], env={**clean, **env}, text=True,
                          capture_output=True)


def test_run_refuses_without_pseudonym_key(tmp_path):
    (tmp_path / "inbox").mkdir()
    result = _pdw("run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "w" / "pdw.duckdb"))
    assert result.returncode == 2
    assert "PDW_PSEUDONYM_KEY" in result.stderr
    assert not (tmp_path / "w").exists(), "nothing may be written before the key is checked"


def test_run_names_a_malformed_erp_argument(tmp_path):
    (tmp_path / "inbox").mkdir()
    result = _pdw("run", "--inbox", str(tmp_path / "inbox"), "--erp", "sqlite:///x.sqlite",
                  "--warehouse", str(tmp_path / "pdw.duckdb"), PDW_PSEUDONYM_KEY="k" * 32)
    assert result.returncode == 2
    assert "ORG=URL" in result.stderr and "sqlite:///x.sqlite" in result.stderr


def test_run_names_a_missing_inbox(tmp_path):
    result = _pdw("run", "--inbox", str(tmp_path / "nergens"), "--warehouse", str(tmp_path / "pdw.duckdb"),
                  PDW_PSEUDONYM_KEY="k" * 32)
    assert result.returncode == 2
    assert "nergens" in result.stderr


def test_run_refuses_a_guessable_pseudonym_key(tmp_path):
    (tmp_path / "inbox").mkdir()
    for key in (" " * 16, "ab" * 16, "0123456789abcde" * 3):
        result = _pdw("run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "w" / "pdw.duckdb"),
                      PDW_PSEUDONYM_KEY=key)
        assert result.returncode == 2, key
        assert "PDW_PSEUDONYM_KEY" in result.stderr and "te voorspelbaar" in result.stderr
        assert not (tmp_path / "w").exists()


def test_second_run_on_the_same_warehouse_stops_with_a_clear_message(tmp_path):
    """A run holding the warehouse (here: this test process holding the run lock) stops a second
    `pdw run` at once, with exit 2 and a Dutch message naming the holder."""
    from pdw.settings import Settings, run_lock

    (tmp_path / "inbox").mkdir()
    warehouse = tmp_path / "w" / "pdw.duckdb"
    with run_lock(Settings(inbox=tmp_path / "inbox", warehouse=warehouse, erp={})):
        result = _pdw("run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(warehouse),
                      PDW_PSEUDONYM_KEY="test-sleutel-voor-de-cli-0123456789")
    assert result.returncode == 2
    assert "Er loopt al een run op dit warehouse" in result.stderr and f"proces {os.getpid()}" in result.stderr
    assert not warehouse.parent.joinpath("build", "pdw.duckdb").exists()
