"""Generate the Great Expectations suites in this folder from pdw.contract.

The committed JSON files are what runs (orchestration/quality.py reads them); this module
writes them, so a change to the contract is one `python expectations/generate.py` away
and tests/test_quality.py fails when the JSON and the contract disagree.

Per raw object two suites: `<raw table>.schema` validates the DuckDB column list
(name and type) and `<raw table>` the rows of the latest delivery. Per staging model
one suite `<model>`. Expectation `severity` carries the consequence: critical =
blokkerend (downstream marts are not published), warning = waarschuwing, info = info.
`meta.controle` is the check code in marts.dq_bevindingen, `meta.omschrijving` the Dutch
text for a controller.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from great_expectations.core import ExpectationSuite
from great_expectations.expectations.row_conditions import Column as Col
from great_expectations.expectations.row_conditions import Condition

from pdw.contract import (
    DATE_ORDER,
    ERP_DIMENSIES,
    ERP_KEYS,
    ERP_TABLES,
    META_TYPES,
    OBJECTS,
    RANGES,
    RAW_TYPES,
    SourceObject,
)

HERE = Path(__file__).resolve().parent

VOLUME_MARGIN = 0.5  # rows of a delivery within +-50% of the previous delivery of that object
IDENTIFIER_COLUMNS = sorted({c.name for o in OBJECTS for c in o.columns if c.identifier})
MUNICIPALITY_COLUMNS = ("gemeentecode", "gemeente", "client_gemeente")
CBS_CODES_FILE = HERE.parent / "seeds" / "gemeenten.csv"


def _exp(type_: str, severity: str, controle: str, omschrijving: str, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs, "severity": severity,
            "meta": {"controle": controle, "omschrijving": omschrijving}}


def _unique(columns: list[str], severity: str, omschrijving: str) -> dict:
    """GX has one expectation for a single column and another for a compound key."""
    if len(columns) == 1:
        return _exp("expect_column_values_to_be_unique", severity, "sleutel_dubbel", omschrijving, column=columns[0])
    return _exp("expect_compound_columns_to_be_unique", severity, "sleutel_dubbel", omschrijving, column_list=columns)


def _condition(condition: Condition) -> dict:
    """A GX row condition (Condition object, serialised by GX itself)."""
    return {"row_condition": condition}


def report_key(obj: SourceObject) -> list[str]:
    """Columns that name a record in findings, as the loader does (raw_meta.*.sleutel):
    the natural key, a bsn part replaced by its pseudonym (a computed column)."""
    return [pseudonym_column(k) if obj.column(k).identifier else k for k in obj.key]


def pseudonym_column(column: str) -> str:
    """Computed column (orchestration/quality.py) holding the pseudonym of a bsn key column."""
    return f"_dq_pseudoniem_{column}"


VOLUME_COLUMN = "_dq_volume_verhouding"
CONTRACT_COLUMN = "_dq_contractkolom"


def _extra_column(obj: SourceObject, columns: list[str]) -> dict:
    """A column outside the contract; where the contract allows further columns by a pattern
    (tevredenheid `v_<vraagcode>`), those are contract columns too."""
    omschrijving = f"{obj.raw_table} heeft een kolom die niet in het contract staat (toegevoegd als tekst)"
    if obj.extra_columns is None:
        return _exp("expect_column_values_to_be_in_set", "warning", "extra_kolom", omschrijving,
                    column="kolom", value_set=columns)
    regex = "^(?:" + "|".join(re.escape(c) for c in columns) + f"|{obj.extra_columns})$"
    return _exp("expect_column_values_to_match_regex", "warning", "extra_kolom", omschrijving, column="kolom", regex=regex)


def raw_schema_suite(obj: SourceObject) -> ExpectationSuite:
    columns = {c.name: RAW_TYPES[c.type] for c in obj.columns} | META_TYPES
    expectations = [
        _exp("expect_column_distinct_values_to_contain_set", "critical", "kolom_ontbreekt",
             f"{obj.raw_table} mist een kolom van het contract", column="kolom", value_set=list(columns)),
        _extra_column(obj, list(columns)),
    ]
    # One expectation over (kolom, type) pairs, not one per column: GX's per-expectation overhead made
    # the schema suites the slowest checks of a run (about 0.25 s per column). A column outside the
    # contract has no `_dq_contractkolom` (orchestration/quality.py) and is skipped: GX's row_condition
    # filters a pair expectation's row count but not its unexpected rows.
    expectations.append(_exp(
        "expect_column_pair_values_to_be_in_set", "critical", "kolomtype",
        f"kolom van {obj.raw_table} heeft niet het type van het contract (SOURCES.md)",
        column_A=CONTRACT_COLUMN, column_B="type", value_pairs_set=[[name, type_] for name, type_ in columns.items()],
        ignore_row_if="either_value_is_missing"))
    return _suite(f"{obj.raw_table}.schema", expectations, {
        "laag": "raw", "batch": "schema", "bron": obj.system, "object": obj.name,
        "tabel": obj.raw_table, "asset_key": [f"raw_{obj.system}", obj.name], "sleutel": ["kolom"],
        "getypeerde_kolommen": list(columns)})


def raw_data_suite(obj: SourceObject) -> ExpectationSuite:
    contract = [c.name for c in obj.columns]
    unique = [*obj.key, obj.version] if obj.version else list(obj.key)
    expectations = [
        _exp("expect_table_row_count_to_be_between", "warning" if obj.may_be_empty else "critical", "levering_leeg",
             f"de laatste levering van {obj.name} is leeg", min_value=1),
        _exp("expect_column_max_to_be_between", "warning", "volume_afwijking",
             f"aantal rijen van {obj.name} wijkt meer dan {VOLUME_MARGIN:.0%} af van de vorige levering",
             column=VOLUME_COLUMN, min_value=1 - VOLUME_MARGIN, max_value=1 + VOLUME_MARGIN),
    ]
    # A required field, a code and a bsn are the loader's (quarantine, flag): only a key part
    # the loader lets through empty is checked here.
    for k in obj.key:
        if not obj.column(k).required:
            expectations.append(_exp("expect_column_values_to_not_be_null", "critical", "sleutel_leeg",
                                     f"sleutelveld {k} is leeg", column=k))
    expectations.append(_unique(unique, "warning",
                                f"sleutel {'+'.join(unique)} komt vaker voor in één levering (niet exact dubbel)"))
    for later, earlier in DATE_ORDER.get((obj.system, obj.name), ()):
        expectations.append(_exp("expect_column_pair_values_a_to_be_greater_than_b", "warning", "datumvolgorde",
                                 f"{later} ligt vóór {earlier}", column_A=later, column_B=earlier, or_equal=True,
                                 ignore_row_if="either_value_is_missing"))
    for column, low, high, condition, why in RANGES.get((obj.system, obj.name), ()):
        extra = _condition(Col(condition[0]).is_in(list(condition[1]))) if condition else {}
        expectations.append(_exp("expect_column_values_to_be_between", "warning", "waarde_buiten_bereik", why,
                                 column=column, min_value=low, max_value=high, **extra))
    return _suite(obj.raw_table, expectations, {
        "laag": "raw", "batch": "levering", "bron": obj.system, "object": obj.name, "tabel": obj.raw_table,
        "asset_key": [f"raw_{obj.system}", obj.name], "sleutel": report_key(obj), "contract_kolommen": contract,
        "delta": obj.delta})


def erp_schema_suite(table: str) -> ExpectationSuite:
    columns = [*ERP_TABLES[table], "organisatie", "_load_id", "_geladen_op"]
    expectations = [
        _exp("expect_column_distinct_values_to_contain_set", "critical", "kolom_ontbreekt",
             f"raw_erp.{table} mist een kolom van het contract", column="kolom", value_set=columns),
    ]
    return _suite(f"raw_erp.{table}.schema", expectations, {
        "laag": "raw", "batch": "schema", "bron": "erp", "object": table, "tabel": f"raw_erp.{table}",
        "asset_key": ["raw_erp", table], "sleutel": ["kolom"]})


def erp_data_suite(table: str) -> ExpectationSuite:
    key = ["organisatie", *ERP_KEYS[table]]
    expectations = [
        _exp("expect_column_values_to_not_be_null", "critical", "sleutel_leeg", f"sleutelveld {k} is leeg", column=k)
        for k in key
    ]
    expectations.append(_unique(key, "critical", f"sleutel {'+'.join(key)} komt vaker voor in één extractie"))
    if table == "gl_entry":
        expectations += [
            _exp("expect_column_values_to_not_be_null", "critical", "verplicht_veld_leeg", "bedrag (amount) is leeg",
                 column="amount"),
            _exp("expect_column_values_to_not_be_null", "critical", "verplicht_veld_leeg", "boekdatum is leeg",
                 column="posting_date"),
            _exp("expect_column_values_to_not_be_null", "warning", "verplicht_veld_leeg", "grootboekrekening is leeg",
                 column="gl_account_no"),
        ]
    if table == "gl_account":
        expectations += [
            _exp("expect_column_values_to_be_in_set", "warning", "code_onbekend", "onbekend rekeningtype",
                 column="account_type", value_set=["Posting", "Heading", "Total"]),
            _exp("expect_column_values_to_be_in_set", "warning", "code_onbekend", "onbekende balans/resultaat-soort",
                 column="income_balance", value_set=["Income Statement", "Balance Sheet"]),
        ]
    if table == "dimension_value":
        expectations.append(_exp("expect_column_values_to_be_in_set", "warning", "code_onbekend", "onbekende dimensie",
                                 column="dimension_code", value_set=list(ERP_DIMENSIES)))
    return _suite(f"raw_erp.{table}", expectations, {
        "laag": "raw", "batch": "erp_extractie", "bron": "erp", "object": table, "tabel": f"raw_erp.{table}",
        "asset_key": ["raw_erp", table], "sleutel": key})


def staging_model(obj: SourceObject) -> str:
    return f"stg_{obj.system}__{obj.name}"


def staging_key(obj: SourceObject) -> list[str]:
    """The natural key in staging: a bsn part becomes the citizen pseudonym `pseudoniem`, another
    identifier (hr's personeelsnummer) the employee pseudonym `medewerker` (macro medewerker)."""
    return [("pseudoniem" if obj.column(k).type == "bsn" else "medewerker") if obj.column(k).identifier else k
            for k in obj.key]


def has_gemeente(obj: SourceObject) -> bool:
    """Staging normalises a delivered municipality to column `gemeente` (CBS code)."""
    return obj.system != "cbs" and any(c.name in MUNICIPALITY_COLUMNS for c in obj.columns)


def staging_schema_suite(obj: SourceObject) -> ExpectationSuite:
    """No identifier column may leave raw (blocking: privacy); the key and gemeente exist."""
    model = staging_model(obj)
    needed = staging_key(obj) + (["gemeente"] if has_gemeente(obj) else [])
    expectations = [
        _exp("expect_column_values_to_not_be_in_set", "critical", "identificerende_kolom",
             f"{model} bevat een identificerende kolom (alleen toegestaan in raw)", column="kolom",
             value_set=IDENTIFIER_COLUMNS),
        _exp("expect_column_distinct_values_to_contain_set", "critical", "kolom_ontbreekt",
             f"{model} mist een sleutel- of gemeentekolom", column="kolom", value_set=needed),
    ]
    return _suite(f"{model}.schema", expectations, {
        "laag": "staging", "batch": "schema", "bron": obj.system, "object": obj.name, "tabel": f"staging.{model}",
        "asset_key": ["staging", model], "sleutel": ["kolom"]})


def staging_suite(obj: SourceObject, gemeenten: list[str]) -> ExpectationSuite:
    """Staging: one row per natural key (blocking), municipalities normalised to a known CBS code;
    codes were checked by the loader (quarantine), so staging holds no unknown code."""
    model = staging_model(obj)
    key = staging_key(obj)
    expectations = []
    for k in key:
        expectations.append(_exp("expect_column_values_to_not_be_null", "critical", "sleutel_leeg",
                                 f"sleutelveld {k} is leeg in {model}", column=k))
    expectations.append(_unique(key, "critical", f"{model} heeft meer dan één rij per {'+'.join(key)}"))
    # A municipality delivered by name (schuldhulp) is kwaliteit.dq_controle_schuldhulp's, per delivery.
    if has_gemeente(obj) and obj.system == "tevredenheid":
        expectations.append(_exp("expect_column_values_to_not_be_null", "warning", "gemeente_onbekend",
                                 f"gemeentenaam in {model} is geen bekende gemeente (telt alleen voor de organisatie)",
                                 column="gemeente", **_condition(Col("gemeente_naam_geleverd").is_not_null())))
    elif has_gemeente(obj) and obj.system != "schuldhulp":
        expectations.append(_exp("expect_column_values_to_be_in_set", "warning", "gemeente_onbekend",
                                 f"gemeente in {model} is geen bekende CBS-code", column="gemeente",
                                 value_set=gemeenten))
    return _suite(model, expectations, {
        "laag": "staging", "batch": "model", "bron": obj.system, "object": obj.name, "tabel": f"staging.{model}",
        "asset_key": ["staging", model], "sleutel": key})


def _suite(name: str, expectations: list[dict], meta: dict) -> ExpectationSuite:
    return ExpectationSuite(name=name, expectations=expectations, meta=meta)


def all_suites() -> list[ExpectationSuite]:
    gemeenten = [line.split(",")[0] for line in CBS_CODES_FILE.read_text().splitlines()[1:] if line.strip()]
    suites: list[ExpectationSuite] = []
    for obj in OBJECTS:
        suites += [raw_schema_suite(obj), raw_data_suite(obj), staging_schema_suite(obj), staging_suite(obj, gemeenten)]
    for table in ERP_TABLES:
        suites += [erp_schema_suite(table), erp_data_suite(table)]
    return suites


def serialise(suite: ExpectationSuite) -> str:
    data = suite.to_json_dict()
    data.pop("id", None)
    for e in data["expectations"]:
        e.pop("id", None)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(directory: Path = HERE) -> list[Path]:
    paths = []
    for suite in all_suites():
        path = directory / f"{suite.name}.json"
        path.write_text(serialise(suite), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    written = write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"{len(written)} suites geschreven naar {written[0].parent}")
