"""Data quality: Great Expectations suites as Dagster asset checks, and the findings table.

The suites live as GX JSON in `expectations/` (generated from pdw.contract by
expectations/generate.py). GX's SQL datasource returns no rows on DuckDB (the result is
read after the connection closes), so every check reads its batch from the working
DuckDB file into pandas (the latest delivery, or a bounded sample) and validates it with
an ephemeral GX context. Results go to `kwaliteit.gx_resultaten` (one row per
expectation) and `kwaliteit.gx_afwijkingen` (one row per failing record, by natural key).

Every check is `blocking=True`: it fails with severity ERROR when a `critical`
expectation fails (Dagster then stops everything downstream, so nothing is published and
the previous published copy stays), with WARN when only `warning` expectations fail.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import great_expectations as gx
import pandas as pd
from dagster_dbt import DbtCliResource, dbt_assets
from great_expectations.core import ExpectationSuite
from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from pdw import contract, pseudonym
from pdw.pseudonym import pseudoniem
from pdw.settings import PROJECT_DIR, Settings, connect

from . import report, trends
from .dbt import FINDINGS_MODEL, PdwTranslator, dbt_project, dbt_resource, ensure_manifest, set_run_id, target_path
from .raw_zone import state_at
from .resources import WarehouseResource

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
MAX_ROWS = 250_000  # larger batches are validated on a reproducible sample (national scale)
MAX_AFWIJKINGEN = 1_000  # failing records kept per expectation and run
ERNST = {"critical": "blokkerend", "warning": "waarschuwing", "info": "info"}

logging.getLogger("great_expectations").setLevel(logging.WARNING)

RESULT_TABLES = """
create schema if not exists kwaliteit;
create table if not exists kwaliteit.gx_resultaten (
    run_id varchar, suite varchar, asset varchar, bron varchar, object varchar, expectation varchar,
    kolom varchar, controle varchar, ernst varchar, geslaagd boolean, fout varchar, rijen bigint,
    afwijkend bigint, voorbeelden varchar, levering date, steekproef boolean, gevalideerd_op timestamp);
create table if not exists kwaliteit.gx_afwijkingen (
    run_id varchar, suite varchar, bron varchar, object varchar, sleutel varchar, controle varchar,
    ernst varchar, omschrijving varchar, levering date);
"""


@dataclass(frozen=True)
class Batch:
    frame: pd.DataFrame
    levering: date | None
    steekproef: bool


@cache
def load_suites() -> tuple[dict, ...]:
    """The committed GX suites (JSON as GX serialises them), in file-name order."""
    return tuple(json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTATIONS_DIR.glob("*.json")))


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, name]).fetchone()[0])


def _bounded(con: duckdb.DuckDBPyConnection, select: str) -> tuple[pd.DataFrame, bool, int]:
    """The rows of `select`, a reproducible sample of MAX_ROWS when there are more; whether sampled; how many."""
    rows = con.execute(f"select count(*) from ({select})").fetchone()[0]
    if rows <= MAX_ROWS:
        return con.execute(select).df(), False, rows
    sample = con.execute(f"select * from ({select}) using sample reservoir({MAX_ROWS} rows) repeatable (42)").df()
    return sample, True, rows


def _latest_delivery(con: duckdb.DuckDBPyConnection, meta: dict) -> date | None:
    """The latest delivery of the object: from raw_meta.leveringen when the loader registered
    it (a delivered file without rows has no rows in the raw table), else from the table."""
    found = [con.execute(f"select max(_levering) from {meta['tabel']}").fetchone()[0]]
    if _table_exists(con, "raw_meta.leveringen"):
        found.append(con.execute("select max(levering) from raw_meta.leveringen where systeem = ? and object = ?",
                                 [meta["bron"], meta["object"]]).fetchone()[0])
    return max((d for d in found if d is not None), default=None)


def _delivery_rows(con: duckdb.DuckDBPyConnection, meta: dict, levering: date | None) -> str:
    """The rows delivery `levering` held: a delta file's own lines, a snapshot's record versions
    then. A file without one readable row changes no version (orchestration.raw_zone.store), so
    its batch is empty rather than the versions it left current."""
    table = meta["tabel"]
    if levering is None:
        return f"select * from {table} where false"
    if meta["delta"]:
        return f"select * from {table} where _levering = date '{levering}'"
    if _table_exists(con, "raw_meta.leveringen") and con.execute(
            "select sum(rijen) = 0 from raw_meta.leveringen where systeem = ? and object = ? and levering = ?",
            [meta["bron"], meta["object"], levering]).fetchone()[0]:
        return f"select * from {table} where false"
    return state_at(table, levering)


def read_batch(con: duckdb.DuckDBPyConnection, meta: dict) -> Batch | None:
    """The rows a suite validates (None: nothing delivered yet); computed columns `_dq_*`
    carry what the pandas expectations cannot express."""
    table = meta["tabel"]
    if meta["batch"] == "schema":
        schema, name = table.split(".")
        frame = con.execute(
            "select column_name as kolom, data_type as type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).df()
        if "getypeerde_kolommen" in meta:  # the type check's column: empty for a column outside the contract
            frame["_dq_contractkolom"] = frame["kolom"].where(frame["kolom"].isin(meta["getypeerde_kolommen"]))
        return Batch(frame, None, False)
    if meta["batch"] == "levering":
        levering = _latest_delivery(con, meta)
        if levering is None:
            return None
        rows_sql = _delivery_rows(con, meta, levering)
        frame, sampled, rows = _bounded(con, rows_sql)
        # exact duplicate rows count once; the loader reports them (raw_meta.markeringen)
        frame = frame.drop_duplicates(subset=meta["contract_kolommen"])
        for column in meta["sleutel"]:
            if column.startswith("_dq_pseudoniem_"):
                source = column.removeprefix("_dq_pseudoniem_")
                prefix = contract.pseudonym_prefix(contract.get(meta["bron"], meta["object"]), source)
                frame[column] = frame[source].map(lambda v, p=prefix: pseudoniem(p + str(v).strip() if p and v else v))
        earlier = con.execute(f"select max(d) from (select _levering as d from {table} union all select _levering_tot "
                              f"from {table}) where d < date '{levering}'").fetchone()[0]
        previous = con.execute(f"select count(*) from ({_delivery_rows(con, meta, earlier)})").fetchone()[0]
        # a window snapshot's window moves a year ahead at the year's first delivery (SOURCES.md), so
        # its count then drops by design: compared only with a delivery of the same year
        moved = contract.get(meta["bron"], meta["object"]).window and earlier and earlier.year != levering.year
        frame["_dq_volume_verhouding"] = rows / previous if previous and not moved else 1.0
        return Batch(frame, levering, sampled)
    if meta["batch"] == "erp_extractie":
        frame, sampled, _ = _bounded(con, f"""
            select * from {table} where (organisatie, _geladen_op) in
            (select (organisatie, max(_geladen_op)) from {table} group by organisatie)""")
        return Batch(frame, None, sampled)
    frame, sampled, _ = _bounded(con, f"select * from {table}")
    return Batch(frame, None, sampled)


def _key_text(row: dict, columns: list[str]) -> str:
    parts = []
    for column in columns:
        value = row.get(column)
        if isinstance(value, (pd.Timestamp, datetime)):
            value = value.date().isoformat() if value == value.normalize() else value.isoformat()
        elif hasattr(value, "item"):
            value = value.item()
        parts.append(f"rij {value}" if column == "_rij" else str(value))
    return "|".join(parts)


def _gx_context() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(suite_json: dict, batch: Batch, run_id: str) -> tuple[list[dict], dict]:
    """Run one suite on one batch (GX pandas path): one dict per expectation, plus GX's own
    validation result (JSON) for Data Docs."""
    meta = suite_json["meta"]
    context = _gx_context()
    asset = context.data_sources.add_pandas("pdw").add_dataframe_asset(meta["tabel"])
    batch_definition = asset.add_batch_definition_whole_dataframe("laatste_levering")
    suite = context.suites.add(ExpectationSuite(**{k: v for k, v in suite_json.items() if k != "id"}))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=suite))
    sleutel = [c for c in meta["sleutel"] if c in batch.frame.columns]
    validation = definition.run(
        batch_parameters={"dataframe": batch.frame}, run_id=RunIdentifier(run_name=run_id),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": sleutel})
    results = []
    for r in validation.results:
        config = r.expectation_config
        result = r.result or {}
        keys = [_key_text(row, sleutel) for row in (result.get("unexpected_index_list") or [])
                if isinstance(row, dict)]
        error = (r.exception_info or {}).get("exception_message") if (r.exception_info or {}).get("raised_exception") else None
        kwargs = config.kwargs
        if config.type == "expect_column_distinct_values_to_contain_set" and not r.success and not error:
            keys = list(result.get("partial_missing_list") or [])
        column = kwargs.get("column") or "+".join(kwargs.get("column_list") or [])
        if config.type == "expect_column_pair_values_a_to_be_greater_than_b":
            column = f"{kwargs['column_A']}>={kwargs['column_B']}"
        elif config.type == "expect_column_pair_values_to_be_in_set":  # column_B per column_A (the key)
            column = kwargs["column_B"]
        results.append({
            "expectation": config.type, "kolom": column, "controle": config.meta.get("controle", config.type),
            "omschrijving": config.meta.get("omschrijving", ""),
            "ernst": ERNST[getattr(config.severity, "value", config.severity)],
            "geslaagd": bool(r.success), "fout": error, "rijen": result.get("element_count", len(batch.frame)),
            "afwijkend": result.get("unexpected_count"), "sleutels": list(dict.fromkeys(keys)),
            "waargenomen": result.get("observed_value"),
        })
    return results, validation.to_json_dict()


def store(con: duckdb.DuckDBPyConnection, run_id: str, suite_json: dict, batch: Batch, results: list[dict]) -> None:
    meta = suite_json["meta"]
    con.execute(RESULT_TABLES)
    con.execute("delete from kwaliteit.gx_resultaten where run_id = ? and suite = ?", [run_id, suite_json["name"]])
    con.execute("delete from kwaliteit.gx_afwijkingen where run_id = ? and suite = ?", [run_id, suite_json["name"]])
    now = datetime.now()
    for r in results:
        con.execute("insert into kwaliteit.gx_resultaten values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            run_id, suite_json["name"], "/".join(meta["asset_key"]), meta["bron"], meta["object"], r["expectation"],
            r["kolom"], r["controle"], r["ernst"], r["geslaagd"], r["fout"], r["rijen"], r["afwijkend"],
            json.dumps(r["sleutels"][:10]), batch.levering, batch.steekproef, now])
        if r["geslaagd"]:
            continue
        waarde = f" (waargenomen: {r['waargenomen']})" if r["waargenomen"] is not None and not r["sleutels"] else ""
        fout = f" (controle kon niet worden uitgevoerd: {r['fout']})" if r["fout"] else ""
        where = f"{meta['tabel']}" + (f", levering {batch.levering}" if batch.levering else "")
        keys = r["sleutels"][:MAX_AFWIJKINGEN] or [None]
        con.executemany("insert into kwaliteit.gx_afwijkingen values (?,?,?,?,?,?,?,?,?)", [
            [run_id, suite_json["name"], meta["bron"], meta["object"], key, r["controle"], r["ernst"],
             f"{r['omschrijving']}{waarde}{fout} [{where}]", batch.levering] for key in keys])


def _register_pseudonym(con: duckdb.DuckDBPyConnection) -> None:
    """Staging views call pseudoniem() (the dbt-duckdb plugin's SQL function); reading them
    from another connection needs the same function, with the run's key."""
    if not con.execute("select count(*) from duckdb_functions() where function_name = 'pseudoniem'").fetchone()[0]:
        pseudonym.register(con)


def run_suite(con: duckdb.DuckDBPyConnection, suite_json: dict, run_id: str, reports_dir: Path | None) -> list[dict]:
    """Read, validate and store one suite; GX's result is kept for Data Docs (latest per suite).
    A table that does not exist (yet), or holds no delivery, is not validated."""
    if not _table_exists(con, suite_json["meta"]["tabel"]):
        return []
    if suite_json["meta"]["laag"] == "staging":
        _register_pseudonym(con)
    batch = read_batch(con, suite_json["meta"])
    if batch is None:
        return []
    results, validation = validate(suite_json, batch, run_id)
    store(con, run_id, suite_json, batch, results)
    if reports_dir is not None:
        kept = reports_dir / "gx_resultaten"
        kept.mkdir(parents=True, exist_ok=True)
        (kept / f"{suite_json['name']}.json").write_text(json.dumps(validation, default=str), encoding="utf-8")
    return results


def build_data_docs(reports_dir: Path) -> Path:
    """GX's own Data Docs at <reports_dir>/gx/ from the latest validation result of every suite."""
    context = _gx_context()
    context.add_data_docs_site(site_name="pdw", site_config={
        "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(reports_dir / "gx")}})
    schema = ExpectationSuiteValidationResultSchema()
    for path in sorted((reports_dir / "gx_resultaten").glob("*.json")):
        result = schema.load(json.loads(path.read_text(encoding="utf-8")))
        run = result.meta["run_id"]
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
            run_id=RunIdentifier(run_name=run["run_name"], run_time=run["run_time"]),
            batch_identifier=result.meta["active_batch_definition"]["data_asset_name"])
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=["pdw"])  # not the ephemeral default site in a temp dir
    return reports_dir / "gx" / "index.html"


def check_outcome(suite_name: str, results: list[dict], key: dg.AssetCheckKey | None = None) -> dg.AssetCheckResult:
    failed = [r for r in results if not r["geslaagd"]]
    blocking = [r for r in failed if r["ernst"] == "blokkerend"]
    severity = dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(
        asset_key=key.asset_key if key else None, check_name=key.name if key else None,
        passed=not [r for r in failed if r["ernst"] != "info"], severity=severity,
        description="; ".join(f"{r['controle']} {r['kolom']}: {r['afwijkend'] if r['afwijkend'] is not None else r['fout'] or r['waargenomen']}"
                              for r in failed)[:2000] or None,
        metadata={"suite": suite_name, "verwachtingen": len(results), "mislukt": len(failed),
                  "blokkerend": len(blocking),
                  "voorbeelden": dg.MetadataValue.json({f"{r['controle']} {r['kolom']}": r["sleutels"][:5] for r in failed})})


def _check_name(suite_json: dict) -> str:
    return "gx_schema" if suite_json["meta"]["batch"] == "schema" else "gx_inhoud"


def _check_key(suite_json: dict) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(dg.AssetKey(suite_json["meta"]["asset_key"]), _check_name(suite_json))


def build_check(*suites: dict) -> dg.AssetChecksDefinition:
    """The suites of one source system in one layer as one Dagster step that gives each suite its
    own blocking check (`gx_schema` or `gx_inhoud` on its asset): a step per suite cost Dagster's
    per-step overhead about 80 times a run. A failing blocking check fails the step, so what is
    downstream of its assets is skipped, as it was with one step per suite (the dbt build and the
    findings model wait for all of them anyway)."""
    meta = suites[0]["meta"]
    by_key = {_check_key(s): s for s in suites}
    specs = [dg.AssetCheckSpec(name=key.name, asset=key.asset_key, blocking=True,
                               description=f"Great Expectations-suite {s['name']} ({s['meta']['batch']})")
             for key, s in by_key.items()]

    @dg.multi_asset_check(specs=specs, name=f"gx_{meta['laag']}_{meta['bron']}", can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        settings = warehouse.settings()
        blocked = False
        with warehouse.connect() as con:
            for key, suite_json in by_key.items():
                if key not in context.selected_asset_check_keys:
                    continue
                outcome = check_outcome(suite_json["name"], run_suite(con, suite_json, context.run.run_id,
                                                                      settings.reports_dir), key)
                blocked |= not outcome.passed and outcome.severity == dg.AssetCheckSeverity.ERROR
                yield outcome
        if blocked:
            # Dagster stops downstream steps: the report is the only place controllers see why.
            build_findings(settings, context.run.run_id, geblokkeerd=True)

    return _checks


def build_asset_checks() -> list[dg.AssetChecksDefinition]:
    """One step per source system and layer (raw, staging), in the suites' order."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for suite_json in load_suites():
        groups.setdefault((suite_json["meta"]["laag"], suite_json["meta"]["bron"]), []).append(suite_json)
    return [build_check(*suites) for suites in groups.values()]


def build_findings(settings: Settings, run_id: str, geblokkeerd: bool = False, reden: str | None = None) -> None:
    """A blocking check or a failed step stops everything downstream, the findings model too:
    it is built here (dbt run, no tests), so that the report shows this run's findings. Should
    that fail as well, the report still comes, with the findings of the previous run."""
    settings.export()  # dbt's profile reads PDW_BUILD_DB
    set_run_id(run_id)
    with connect(settings.build_db) as con:
        trends.keep_previous(con, run_id)
    built = dbt_resource().cli(["run", "--select", FINDINGS_MODEL], manifest=ensure_manifest(),
                               target_path=target_path(), raise_on_error=False)
    built.wait()
    with connect(settings.build_db) as con:
        if built.is_successful():
            report.record_history(con, run_id)
        report.write_report(con, settings.reports_dir, run_id, geblokkeerd=geblokkeerd, reden=reden)
    build_data_docs(settings.reports_dir)


class FindingsTranslator(PdwTranslator):
    """marts.dq_bevindingen reads the GX results: besides its dbt lineage it waits for the
    staging models, and so for every GX check (raw checks sit upstream of them)."""

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if manifest["nodes"].get(unique_id, {}).get("name") != FINDINGS_MODEL:
            return spec
        staging = {tuple(s["meta"]["asset_key"]) for s in load_suites() if s["meta"]["laag"] == "staging"}
        return spec.merge_attributes(deps=[dg.AssetKey(list(k)) for k in sorted(staging)])


def build_findings_asset() -> dg.AssetsDefinition:
    """marts.dq_bevindingen (a dbt model) after the GX checks, then the report; its dbt test
    `geen_blokkerende_bevindingen` fails the step, so nothing is published."""

    @dbt_assets(manifest=ensure_manifest(), project=dbt_project(), select=FINDINGS_MODEL, name="dq_bevindingen",
                dagster_dbt_translator=FindingsTranslator())
    def dq_bevindingen(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        settings = warehouse.settings()
        run_id = context.run.run_id
        set_run_id(run_id)
        with warehouse.connect() as con:
            trends.keep_previous(con, run_id)
        invocation = dbt.cli(["build"], context=context, target_path=target_path(), raise_on_error=False)
        yield from invocation.stream()
        with warehouse.connect() as con:
            counts = report.record_history(con, run_id)
            path = report.write_report(con, settings.reports_dir, run_id)
        build_data_docs(settings.reports_dir)
        context.log.info(f"Bevindingen: {counts}; rapport {path}")
        if not invocation.is_successful():
            raise dg.Failure("Blokkerende bevinding of mislukte dbt-stap in marts.dq_bevindingen: niet gepubliceerd "
                             f"(zie {path})")

    return dq_bevindingen
