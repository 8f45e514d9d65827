"""The job that runs everything in dependency order: loads, dbt, checks, report, publish."""
import dagster as dg

pdw_all = dg.define_asset_job(
    "pdw_all",
    selection=dg.AssetSelection.all(),
    description="Alle bronnen laden, dbt bouwen, controles, rapport en publicatie.",
    executor_def=dg.in_process_executor,  # one writer per DuckDB file: steps run one at a time
)


def downstream_of(systems: list[str]) -> dg.AssetSelection:
    """What a run with new data from these source systems must do: their load assets (keys
    `raw_<system>/...`) and everything downstream, the dbt models of those sources with their
    tests, the checks on them, the findings model, the report and the publication."""
    return dg.AssetSelection.key_prefixes(*[f"raw_{s}" for s in systems]).downstream()
