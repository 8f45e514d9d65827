"""The board tables for other tools: Parquet and Excel CSV per organisation, beside the warehouse.

Board tables are the MetricFlow saved queries (answered by `pdw metrics export` on the
published file) and the planning & control marts. Each is split per organisation into
`<warehouse dir>/exports/<ORG>/<table>.parquet` and `.csv`; the CSV is what Dutch Excel
opens with a double click: `;` between fields, decimal comma, UTF-8 with BOM.

`openbaar` (for publication) writes `exports/openbaar/<ORG>/` with small cells suppressed:
a count from 1 to 4 for one gemeente becomes `<5`, a share whose denominator is under 10
is left out, and so is an absence figure (health data, SOURCES.md) of a population of fewer
than 10 employees (`marts.kpi.medewerkers`), with its teller and noemer; the kpi table says
in `onderdrukt` why a value is empty. Which column is a count and which a share, with its
denominator, comes from `marts.kpi` (`berekening`, `noemer`): the saved queries' columns are KPI codes.
"""

import tempfile
from pathlib import Path

import dagster as dg
import pandas as pd

from pdw import metrics
from pdw.settings import Settings, connect

from .publish import PUBLISHED_KEY
from .resources import WarehouseResource

MARTS = ("kpi", "kpi_prognose", "doelen_stand", "financien", "buig", "kostenverdeling",
         "begroting_versies", "financien_peil", "benchmark_landelijk", "bbv_beleidsindicatoren")
# count columns of marts that are not saved queries; a rate per inhabitants gives its count back
COUNTS = {"benchmark_landelijk": ("uitkeringen_eindstand", "basis_eindstand"), "bbv_beleidsindicatoren": ("teller",)}
SHARES = ("aandeel", "stand_aandeel", "gemiddeld_aandeel")
NOT_PUBLIC = ("kpi_prognose", "doelen_stand", "doelen_tabel")
MIN_COUNT, MIN_DENOMINATOR, MIN_EMPLOYEES = 5, 10, 10
SUPPRESSED = f"<{MIN_COUNT}"
ABSENCE = ("verzuimpercentage_", "verzuimfrequentie_")


def board_tables(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The saved queries (through MetricFlow, read-only on the published file) and the marts."""
    tables: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="pdw-export-") as tmp:
        if metrics.export(warehouse, [], Path(tmp)) != 0:
            raise RuntimeError(f"MetricFlow kon de saved queries niet uitvoeren op {warehouse}")
        con = connect(Path(tmp) / "lezen.duckdb")
        try:
            for csv in sorted(Path(tmp).glob("*.csv")):
                tables[csv.stem] = con.execute("select * from read_csv(?) order by all", [str(csv)]).df()
        finally:
            con.close()
    con = connect(warehouse, read_only=True)
    try:
        for mart in MARTS:
            tables[mart] = con.execute(f"select * from marts.{mart} order by all").df()
    finally:
        con.close()
    return tables


def _periode(df: pd.DataFrame) -> pd.Series:
    """A saved query's time column as marts.kpi's `periode` ('YYYY-MM' or 'YYYY')."""
    if "metric_time__month" in df:
        return pd.to_datetime(df["metric_time__month"]).dt.strftime("%Y-%m")
    return pd.to_datetime(df["metric_time__year"]).dt.strftime("%Y")


def is_small_count(count) -> bool:
    """The rule for one count of one gemeente: 1 to 4 is shown as `<5` (0 reveals no person)."""
    return not pd.isna(count) and 1 <= float(count) < MIN_COUNT


def hides_share(noemer) -> bool:
    """The rule for one share: left out when its denominator is under 10 (or unknown)."""
    return pd.isna(noemer) or float(noemer) < MIN_DENOMINATOR


def hides_absence(kpi: str, medewerkers) -> bool:
    """The rule for one absence figure: left out when its population has fewer than 10 employees (or unknown)."""
    return kpi.startswith(ABSENCE) and (pd.isna(medewerkers) or float(medewerkers) < MIN_EMPLOYEES)


def _small(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").map(is_small_count).astype(bool)


def _text(value) -> str | None:
    """A count as text beside `<5` (the column can no longer be numeric)."""
    if pd.isna(value):
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _mark_small(out: pd.DataFrame, df: pd.DataFrame, column: str, rows: pd.Series) -> None:
    small = rows & _small(df[column])
    if small.any():
        out[column] = out[column].map(_text).where(~small, SUPPRESSED)


def suppress(name: str, df: pd.DataFrame, kpi: pd.DataFrame) -> pd.DataFrame | None:
    """The openbaar variant of one board table; None when the table cannot be judged cell by
    cell (kpi_prognose, doelen_stand and its saved query carry no denominator) and so is not published."""
    if name in NOT_PUBLIC:
        return None
    out = df.copy()
    per_gemeente = df["gemeente"].notna() if "gemeente" in df else pd.Series(False, index=df.index)
    if name == "kpi":
        share = df["berekening"].isin(SHARES)
        shown = df["waarde"].notna()  # a value already missing needs no reason
        hidden = shown & share & df["noemer"].map(hides_share).astype(bool)
        absence = shown & pd.Series([hides_absence(k, m) for k, m in zip(df["kpi"], df["medewerkers"])],
                                    index=df.index, dtype=bool)
        out.loc[hidden, "waarde"] = None
        for column, rows in (("waarde", per_gemeente & ~share), ("teller", per_gemeente), ("noemer", per_gemeente)):
            _mark_small(out, df, column, rows)
        out.loc[absence, ["waarde", "teller", "noemer"]] = None
        out["onderdrukt"] = None
        out.loc[hidden, "onderdrukt"] = f"aandeel op minder dan {MIN_DENOMINATOR} gevallen"
        out.loc[absence, "onderdrukt"] = f"verzuim van een populatie van minder dan {MIN_EMPLOYEES} medewerkers"
        return out
    if {"metric_time__month", "metric_time__year"} & set(df.columns):  # a saved query: KPI codes as columns
        keys = pd.DataFrame({"organisatie": df["organisatie"], "periode": _periode(df),
                             "gemeente": df["gemeente"] if "gemeente" in df else None})
        for column in df.columns.intersection(kpi["kpi"].unique()):
            info = keys.assign(kpi=column).merge(kpi, how="left", on=["organisatie", "gemeente", "kpi", "periode"])
            share = pd.Series(info["berekening"].isin(SHARES).to_numpy(), index=df.index)
            hidden = pd.Series(info["noemer"].map(hides_share).astype(bool).to_numpy(), index=df.index)
            out.loc[share & hidden, column] = None
            _mark_small(out, df, column, per_gemeente & ~share)
        return out
    for column in COUNTS.get(name, ()):
        _mark_small(out, df, column, per_gemeente)
    if name == "bbv_beleidsindicatoren":
        out.loc[per_gemeente & _small(df["teller"]), "waarde"] = None
    return out  # the rest: euro amounts, which count no people


def _excel(value) -> object:
    """Dutch Excel reads `1234,5` and `2018-04-01`; whole numbers (counts held as float beside
    empty cells) as `1234`."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return value


def write(tables: dict[str, pd.DataFrame], out: Path, openbaar: bool) -> list[Path]:
    """Every table per organisation as Parquet and CSV under `out` (or `out/openbaar`)."""
    kpi = tables["kpi"][["organisatie", "gemeente", "kpi", "periode", "berekening", "noemer"]]
    target = out / "openbaar" if openbaar else out
    written: list[Path] = []
    organisaties = sorted(kpi["organisatie"].unique())  # every table for every organisation, empty or not
    for name, df in tables.items():
        table = suppress(name, df, kpi) if openbaar else df
        if table is None:
            continue
        for organisatie in organisaties:
            folder = target / organisatie
            folder.mkdir(parents=True, exist_ok=True)
            part = table[table["organisatie"] == organisatie].reset_index(drop=True)
            part.to_parquet(folder / f"{name}.parquet", index=False)
            part.map(_excel).to_csv(folder / f"{name}.csv", sep=";", index=False, encoding="utf-8-sig")
            written += [folder / f"{name}.parquet", folder / f"{name}.csv"]
    return written


def export(warehouse: Path, out: Path | None = None, variants: tuple[bool, ...] = (False,)) -> list[Path]:
    """Write the board tables of the published `warehouse`; `variants` holds False (internal) and/or True (openbaar)."""
    tables = board_tables(warehouse)
    return [path for openbaar in variants for path in write(tables, out or warehouse.parent / "exports", openbaar)]


@dg.asset(key=["publicatie", "exports"], deps=[PUBLISHED_KEY], group_name="publicatie", kinds={"parquet", "csv"})
def exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """After the publication: the exports always show the published figures, in both variants."""
    settings: Settings = warehouse.settings()
    written = export(settings.warehouse, variants=(False, True))
    context.log.info(f"Exports: {len(written)} bestanden in {settings.warehouse.parent / 'exports'}")
    return dg.MaterializeResult(metadata={"pad": dg.MetadataValue.path(str(settings.warehouse.parent / "exports")),
                                          "bestanden": len(written)})
