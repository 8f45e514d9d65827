"""Every figure of seeds/kalibratie.csv (from the board reports) reproduced by marts.kpi in the
published warehouse of the demo world, within its tolerance."""
from __future__ import annotations

import csv

import duckdb
import pytest

from pdw.contract import kpi_bron
from pdw.settings import PROJECT_DIR
from simulator.kpi import SIMULATED

KALIBRATIE = list(csv.DictReader((PROJECT_DIR / "seeds" / "kalibratie.csv").open(encoding="utf-8")))


def _id(rij: dict) -> str:
    return "-".join(filter(None, (rij["organisatie"], rij["gemeente"], rij["kpi"], rij["periode"])))


@pytest.fixture(scope="module")
def published(demo_world):
    con = duckdb.connect(str(demo_world.settings.warehouse), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("rij", KALIBRATIE, ids=_id)
def test_kalibratie(published, rij):
    bron = kpi_bron(rij["kpi"])
    # a source the simulator already calibrates must be in marts.kpi: no skip for it
    if bron and bron not in SIMULATED and not published.execute("select count(*) from marts.kpi where kpi = ?", [rij["kpi"]]).fetchone()[0]:
        pytest.skip(f"marts.kpi heeft nog geen {rij['kpi']}: bron {bron} nog niet (volledig) gebouwd")
    rows = published.execute(
        "select waarde from marts.kpi where organisatie = ? and gemeente is not distinct from ? and kpi = ? and periode = ?",
        [rij["organisatie"], rij["gemeente"] or None, rij["kpi"], rij["periode"]],
    ).fetchall()
    assert len(rows) == 1, f"marts.kpi heeft {len(rows)} rijen voor {_id(rij)}"
    waarde = rows[0][0]
    assert waarde is not None, f"geen waarde voor {_id(rij)}"
    assert abs(waarde - float(rij["waarde"])) <= float(rij["tolerantie"]) + 1e-9, (
        f"{_id(rij)}: {waarde} wijkt meer dan {rij['tolerantie']} af van {rij['waarde']} ({rij['toelichting']})")


def test_eindstand_per_gemeente_elke_maand(published):
    """`select * from marts.kpi where kpi='uitkeringen_eindstand'` answers per municipality for every
    month of the data period: SOW from 2015-07 to 2024-12, IGSD up to its last payment month 2017-12."""
    rows = published.execute(
        "select * from marts.kpi where kpi = 'uitkeringen_eindstand' and periode_soort = 'maand'").df()
    sow = rows[(rows.organisatie == "SOW") & rows.gemeente.notna()]
    maanden = [f"{j}-{m:02d}" for j in range(2015, 2025) for m in range(1, 13) if f"{j}-{m:02d}" >= "2015-07"]
    for gemeente in ("GM0556", "GM0622", "GM0606"):
        reeks = sow[sow.gemeente == gemeente].set_index("periode").waarde
        assert sorted(reeks.index) == maanden, gemeente
        assert reeks.notna().all() and (reeks > 0).all(), gemeente
    igsd = rows[rows.organisatie == "IGSD"]
    assert igsd.periode.min() == "2015-01" and igsd.periode.max() == "2017-12"
