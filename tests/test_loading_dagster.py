"""The load assets, sensors and schedule in real Dagster materialisations."""
from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import cbs, civision, erp, reintegratie, schuldhulp
from orchestration.resources import WarehouseResource

EXTRACTS = Path(__file__).parent / "extracts" / "inbox"
KEY = "test-sleutel-voor-dagster-laadtests-0123456789"
FILE_ASSETS = [*civision.assets, *schuldhulp.assets, *reintegratie.assets, *cbs.assets]


@pytest.fixture
def world(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXTRACTS, inbox)
    monkeypatch.setenv("PDW_INBOX", str(inbox))
    monkeypatch.setenv("PDW_WAREHOUSE", str(tmp_path / "warehouse" / "pdw.duckdb"))
    monkeypatch.setenv("PDW_ERP", "")  # no ERP organisations here: see test_erp.py
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)
    return tmp_path


def _materialize(assets, raise_on_error=True):
    return dg.materialize(assets, resources={"warehouse": WarehouseResource()}, raise_on_error=raise_on_error)


def _metadata(result, key: list[str]) -> dict:
    [event] = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey(key)]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_materialize_all_sources(world):
    result = _materialize([*FILE_ASSETS, *erp.assets])
    assert result.success
    betalingen = _metadata(result, ["raw_civision", "betalingen"])
    assert betalingen["rijen_geladen"] == 5 and betalingen["gequarantaineerd"] == 1 and betalingen["gemarkeerd"] == 1
    assert betalingen["leveringen_geladen"] == 2 and betalingen["leveringen_overgeslagen"] == 0
    assert _metadata(result, ["raw_reintegratie", "plaatsingen"])["rijen_in_tabel"] == 2
    assert _metadata(result, ["raw_cbs", "bevolking"])["rijen_geladen"] == 3
    assert _metadata(result, ["raw_erp", "gl_entry"])["rijen_deze_run"] == 0
    keys = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
    assert "raw_schuldhulp/vroegsignalen" in keys and "raw_erp/budget_entry" in keys

    again = _materialize([*FILE_ASSETS, *erp.assets])
    meta = _metadata(again, ["raw_civision", "betalingen"])
    assert meta["rijen_geladen"] == 0 and meta["leveringen_overgeslagen"] == 2 and meta["rijen_in_tabel"] == 5

    build = world / "warehouse" / "build" / "pdw.duckdb"
    con = duckdb.connect(str(build), read_only=True)
    assert con.execute("select count(*) from raw_erp.gl_entry").fetchone()[0] == 0  # tables exist for dbt
    assert con.execute("select count(distinct load_id) from raw_meta.leveringen").fetchone()[0] == 1


def test_asset_specs():
    [asset] = civision.assets
    assert {k.to_user_string() for k in asset.keys} == {
        "raw_civision/personen", "raw_civision/uitkeringen", "raw_civision/aanvragen", "raw_civision/betalingen"}
    assert set(asset.group_names_by_key.values()) == {"civision"}
    assert {k.to_user_string() for k in erp.assets[0].keys} == {
        "raw_erp/gl_account", "raw_erp/dimension_value", "raw_erp/gl_entry", "raw_erp/budget_entry"}
    assert erp.schedules[0].job_name == "pdw_all"


def test_run_refuses_without_key(world, monkeypatch):
    monkeypatch.delenv("PDW_PSEUDONYM_KEY")
    result = _materialize(civision.assets, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "PDW_PSEUDONYM_KEY" in failure.step_failure_data.error.message + str(failure.step_failure_data.user_failure_data)


def test_missing_column_blocks_only_its_system(world):
    """A file without a contract column: a blocking finding naming file and column; the asset
    succeeds (the other sources go on) and loads nothing of the delivery; once repaired, the next
    run loads it and the block is gone."""
    path = world / "inbox" / "schuldhulp" / "20180131" / "aanmeldingen.csv"
    good = path.read_bytes()
    path.write_bytes(good.replace(b"crisis,", b"crises,"))
    result = _materialize(schuldhulp.assets)
    assert _metadata(result, ["raw_schuldhulp", "aanmeldingen"])["geblokkeerd"] == ["schuldhulp/20180131/aanmeldingen.csv"]
    build = world / "warehouse" / "build" / "pdw.duckdb"
    with duckdb.connect(str(build), read_only=True) as con:
        [(bestand, omschrijving)] = con.execute("select bestand, omschrijving from raw_meta.quarantaine "
                                                "where controle = 'bron_geblokkeerd'").fetchall()
        assert con.execute("select count(*) from raw_schuldhulp.trajecten").fetchone()[0] == 0
    assert bestand == "schuldhulp/20180131/aanmeldingen.csv" and "kolom 'crisis' ontbreekt" in omschrijving

    path.write_bytes(good)
    again = _materialize(schuldhulp.assets)
    assert _metadata(again, ["raw_schuldhulp", "aanmeldingen"])["geblokkeerd"] == []
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select count(*) from raw_meta.quarantaine where controle = 'bron_geblokkeerd'").fetchone() == (0,)
        assert con.execute("select count(*) from raw_schuldhulp.trajecten").fetchone()[0] > 0


def test_sensor_requests_run_for_ready_delivery(world):
    [sensor] = civision.sensors
    assert sensor.job_name == "pdw_all"
    request = sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest) and request.run_key == "civision/20180228"
    _materialize(civision.assets)
    assert isinstance(sensor(dg.build_sensor_context()), dg.SkipReason)
    new = world / "inbox" / "civision" / "20180331"
    shutil.copytree(world / "inbox" / "civision" / "20180228", new)
    (new / "_READY").unlink()
    assert isinstance(sensor(dg.build_sensor_context()), dg.SkipReason)
    (new / "_READY").touch()
    assert sensor(dg.build_sensor_context()).run_key == "civision/20180331"


def test_cbs_sensor_requests_run_for_new_content(world):
    [sensor] = cbs.sensors
    request = sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest) and request.run_key.startswith("cbs/")
    _materialize(cbs.assets)
    assert isinstance(sensor(dg.build_sensor_context()), dg.SkipReason)
    path = world / "inbox" / "cbs" / "bevolking.csv"
    path.write_bytes(path.read_bytes() + b"GM0622,2019,0,18,15100\n")
    assert sensor(dg.build_sensor_context()).run_key not in (None, request.run_key)
