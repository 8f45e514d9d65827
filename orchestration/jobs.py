"""The job that runs everything in dependency order: loads, dbt, checks, report, publish."""
import dagster as dg

pdw_all = dg.define_asset_job(
    "pdw_all",
    selection=dg.AssetSelection.all(),
    description="Alle bronnen laden, dbt bouwen, controles, rapport en publicatie.",
    executor_def=dg.in_process_executor,  # one writer per DuckDB file: steps run one at a time
)
