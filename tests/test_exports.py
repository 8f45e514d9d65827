"""The board tables for Excel and other tools: per organisation, the marts' figures, and an
openbaar variant without small cells."""
import re

import pandas as pd

from orchestration import exports
from pdw.settings import connect

from .conftest import pdw


def _published(demo_world, sql: str, params: list | None = None) -> pd.DataFrame:
    con = connect(demo_world.settings.warehouse, read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = list(a.columns)
    a = a.sort_values(key, na_position="first").reset_index(drop=True)
    b = b[key].sort_values(key, na_position="first").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_exports_per_organisation_equal_the_marts(demo_world):
    out = demo_world.settings.warehouse.parent / "exports"
    organisaties = _published(demo_world, "select organisatie from core.dim_organisatie")["organisatie"].tolist()
    assert sorted(organisaties) == ["IGSD", "SOW"]
    for organisatie in organisaties:
        for mart in exports.MARTS:
            parquet = pd.read_parquet(out / organisatie / f"{mart}.parquet")
            _same(parquet, _published(demo_world, f"select * from marts.{mart} where organisatie = ?", [organisatie]))
    kpi = _published(demo_world, "select * from marts.kpi where organisatie = 'SOW'")
    # the CSV is Excel's: semicolons, decimal comma, read back it holds the same figures
    csv = pd.read_csv(out / "SOW" / "kpi.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype={"periode": str})
    text = (out / "SOW" / "kpi.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("organisatie;gemeente;kpi;periode;") and re.search(r";0,\d+;", text)
    merged = kpi.merge(csv, on=["gemeente", "kpi", "periode"], how="outer", suffixes=("", "_csv"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert ((merged["waarde"] - merged["waarde_csv"]).abs().fillna(0) < 1e-9).all()
    assert (merged["waarde"].isna() == merged["waarde_csv"].isna()).all()
    # a saved query (through MetricFlow) gives the mart's figures
    table = pd.read_parquet(out / "SOW" / "uitkeringen_maandtabel.parquet")
    assert len(table) > 100
    table["periode"] = pd.to_datetime(table["metric_time__month"]).dt.strftime("%Y-%m")
    stands = table.dropna(subset=["uitkeringen_eindstand"])  # other rows: flows of months outside the data period
    mart = kpi[(kpi["kpi"] == "uitkeringen_eindstand") & kpi["gemeente"].notna() & (kpi["periode_soort"] == "maand")]
    eindstand = mart.merge(stands, on=["gemeente", "periode"])
    assert len(eindstand) == len(mart) == len(stands)
    assert (eindstand["waarde"] == eindstand["uitkeringen_eindstand"]).all()


def _count_cells(name: str, df: pd.DataFrame, kpi: pd.DataFrame) -> list[pd.Series]:
    """The cells of an export that count people or cases for one gemeente."""
    gemeente = df["gemeente"].notna()
    if name == "kpi":
        telling = ~df["berekening"].isin(exports.SHARES)
        return [df.loc[gemeente & telling, "waarde"], df.loc[gemeente, "teller"], df.loc[gemeente, "noemer"]]
    counts = set(kpi.loc[~kpi["berekening"].isin(exports.SHARES), "kpi"])
    return [df.loc[gemeente, c] for c in df.columns if c in counts]


def test_openbaar_exports_suppress_small_cells(demo_world, tmp_path):
    out = demo_world.settings.warehouse.parent / "exports" / "openbaar"
    kpi = _published(demo_world, "select distinct kpi, berekening from marts.kpi")
    suppressed = 0
    for organisatie in ("IGSD", "SOW"):
        for table in exports.NOT_PUBLIC:
            assert not (out / organisatie / f"{table}.parquet").exists()
        for path in sorted((out / organisatie).glob("*.csv")):
            df = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
            if "gemeente" not in df:
                continue
            for cells in _count_cells(path.stem, df, kpi):
                numbers = pd.to_numeric(cells.str.replace(",", "."), errors="coerce")
                assert not ((numbers >= 1) & (numbers <= 4)).any(), f"{path}: {cells[(numbers >= 1) & (numbers <= 4)].head()}"
                suppressed += int((cells == "<5").sum())
        openbaar = pd.read_parquet(out / organisatie / "kpi.parquet")
        share = openbaar["berekening"].isin(exports.SHARES)
        noemer = pd.to_numeric(openbaar["noemer"], errors="coerce")  # '<5' is a denominator under 10 too
        assert openbaar.loc[share & ~(noemer >= 10), "waarde"].isna().all()
    assert suppressed > 100, "the demo world has small municipalities: something must be suppressed"

    # the command line writes the same openbaar files
    cli = pdw("export", "--warehouse", str(demo_world.settings.warehouse), "--out", str(tmp_path), "--openbaar")
    assert cli.returncode == 0, cli.stdout[-3000:]
    _same(pd.read_parquet(tmp_path / "openbaar" / "SOW" / "schuldhulp_tabel.parquet"),
          pd.read_parquet(out / "SOW" / "schuldhulp_tabel.parquet"))


