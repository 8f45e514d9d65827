"""History as record versions: three real deliveries of uitkeringen.csv with a deletion, a
correction and a reopened dossier, loaded by the real loader, read back per delivery and through
the real staging model (dbt), against what a full copy of each snapshot holds."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration import loading
from orchestration.raw_zone import ensure_table, state_at
from pdw import contract
from pdw.settings import PROJECT_DIR

KEY = "test-sleutel-voor-de-versietests-0123456789"
HEADER = ("dossiernummer;persoonsnummer;partner_persoonsnummer;regeling;leefvorm;gemeentecode;ingangsdatum;"
          "einddatum;reden_instroom;reden_beeindiging;instroomroute;ontheffing_arbeidsplicht;laatst_gewijzigd")
# (dossiernummer, einddatum, laatst_gewijzigd) per delivery, as delivered (an exact duplicate included)
DELIVERIES = {
    "20180131": [(1, "", "02-01-2018 09:00:00"), (2, "", "02-01-2018 09:00:00"), (2, "", "02-01-2018 09:00:00"),
                 (3, "31-01-2018", "31-01-2018 09:00:00"), (4, "", "02-01-2018 09:00:00")],
    # 2 corrected (its end filled in), 4 deleted
    "20180228": [(1, "", "02-01-2018 09:00:00"), (2, "31-03-2018", "15-02-2018 09:00:00"),
                 (3, "31-01-2018", "31-01-2018 09:00:00")],
    # 3 reopened (end cleared), 5 new and delivered twice (a paging export: the latest counts)
    "20180331": [(1, "", "02-01-2018 09:00:00"), (2, "31-03-2018", "15-02-2018 09:00:00"),
                 (3, "", "20-03-2018 09:00:00"), (5, "", "01-03-2018 09:00:00"), (5, "", "10-03-2018 09:00:00")],
}


def line(dossier: int, einde: str, gewijzigd: str) -> str:
    return f"{dossier};{dossier + 1000};;PW;AS;0622;01-01-2018;{einde};01;{'10' if einde else ''};B;N;{gewijzigd}"


def parsed(einde: str, gewijzigd: str) -> tuple[date | None, datetime]:
    return (datetime.strptime(einde, "%d-%m-%Y").date() if einde else None,
            datetime.strptime(gewijzigd, "%d-%m-%Y %H:%M:%S"))


@pytest.fixture
def loaded(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", KEY)
    inbox = tmp_path / "inbox"
    for folder, records in DELIVERIES.items():
        path = inbox / "civision" / folder
        path.mkdir(parents=True)
        text = "\r\n".join([HEADER, *(line(*r) for r in records)]) + "\r\n"
        (path / "uitkeringen.csv").write_bytes(text.encode("cp1252"))
        (path / "_READY").touch()
    db = tmp_path / "pdw.duckdb"
    con = duckdb.connect(str(db))
    try:
        loading.load_system(con, inbox, "civision", "test")
    finally:
        con.close()
    return db


def delivered(folder: str) -> set[tuple]:
    """What a full copy of the delivery holds, an exact duplicate once."""
    return {(d, *parsed(e, g)) for d, e, g in DELIVERIES[folder]}


def test_the_raw_table_holds_versions_and_each_delivery_reads_back_whole(loaded):
    con = duckdb.connect(str(loaded), read_only=True)
    try:
        versions = con.execute("select dossiernummer, _levering, _levering_tot, _bestand, _rij "
                               "from raw_civision.uitkeringen order by all").fetchall()
        rijen = con.execute("select sum(rijen) from raw_meta.leveringen where object = 'uitkeringen'").fetchone()[0]
        states = {folder: set(con.execute(f"select dossiernummer, einddatum, laatst_gewijzigd from "
                                          f"({state_at('raw_civision.uitkeringen', datetime.strptime(folder, '%Y%m%d').date())})"
                                          ).fetchall()) for folder in DELIVERIES}
    finally:
        con.close()
    jan, feb, mar = date(2018, 1, 31), date(2018, 2, 28), date(2018, 3, 31)
    assert rijen == 13  # a full copy of every delivery
    assert versions == [
        (1, jan, None, "civision/20180131/uitkeringen.csv", 1),  # unchanged: one version
        (2, jan, feb, "civision/20180131/uitkeringen.csv", 2),  # the duplicate (row 3) once
        (2, feb, None, "civision/20180228/uitkeringen.csv", 2),  # corrected
        (3, jan, mar, "civision/20180131/uitkeringen.csv", 4),
        (3, mar, None, "civision/20180331/uitkeringen.csv", 3),  # reopened
        (4, jan, feb, "civision/20180131/uitkeringen.csv", 5),  # deleted
        (5, mar, None, "civision/20180331/uitkeringen.csv", 4),
        (5, mar, None, "civision/20180331/uitkeringen.csv", 5),
    ]
    assert states == {folder: delivered(folder) for folder in DELIVERIES}


def test_a_table_of_full_copies_converts_to_the_same_versions(loaded):
    con = duckdb.connect(str(loaded))
    try:
        obj = contract.get("civision", "uitkeringen")
        versions = con.execute("select * from raw_civision.uitkeringen").fetchall()
        copies = " union all ".join(
            f"select * exclude (_levering_tot) replace (date '{d}' as _levering) from ({state_at(obj.raw_table, d)})"
            for d in (date(2018, 1, 31), date(2018, 2, 28), date(2018, 3, 31)))
        con.execute(f"create table raw_civision.kopie as {copies}")
        con.execute(f"drop table {obj.raw_table}")
        con.execute("alter table raw_civision.kopie rename to uitkeringen")
        ensure_table(con, obj)
        columns = [r[0] for r in con.execute("select column_name from (describe raw_civision.uitkeringen)").fetchall()]
        assert columns[-1] == "_levering_tot"
        converted = con.execute(f"select {', '.join(columns[:-6])}, _levering, _levering_tot "
                                "from raw_civision.uitkeringen").fetchall()
    finally:
        con.close()
    assert sorted(converted, key=repr) == sorted(((*v[:-6], v[-6], v[-1]) for v in versions), key=repr)


def test_staging_reads_the_current_state_a_full_copy_gives(loaded, tmp_path):
    env = {**os.environ, "PDW_BUILD_DB": str(loaded), "PDW_PSEUDONYM_KEY": KEY}
    dbt_dir = PROJECT_DIR / "dbt_project"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--select", "gemeenten", "stg_civision__uitkeringen", "--indirect-selection", "cautious",
         "--project-dir", str(dbt_dir), "--profiles-dir", str(dbt_dir), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "target")],
        env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert result.returncode == 0, result.stdout[-6000:]
    con = duckdb.connect(str(loaded), read_only=True)
    try:
        current = con.execute("select dossiernummer, einddatum, laatst_gewijzigd from staging.stg_civision__uitkeringen "
                              "order by 1").fetchall()
    finally:
        con.close()
    latest = {}
    for dossier, einde, gewijzigd in sorted(delivered("20180331"), key=lambda r: r[2]):
        latest[dossier] = (dossier, einde, gewijzigd)
    assert current == sorted(latest.values())
    assert [d for d, *_ in current] == [1, 2, 3, 5]
