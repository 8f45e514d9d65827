"""The code location: one Definitions for all source systems, dbt, quality and publication,
built when Dagster loads it (not at import)."""
import dagster as dg

from . import cbs, civision, docs, erp, exports, hr, kcc, quality, reintegratie, schuldhulp, tevredenheid, zaken
from .dbt import build_dbt_assets, dbt_resource
from .jobs import pdw_all
from .publish import build_published_asset
from .rapport import bestuursrapportage
from .resources import WarehouseResource


@dg.definitions
def defs() -> dg.Definitions:
    dbt_modellen = build_dbt_assets()
    quality_assets = [quality.build_findings_asset()]
    upstream_of_publication = [key for a in [dbt_modellen, *quality_assets] for key in a.keys]
    return dg.Definitions(
        assets=[*civision.assets, *schuldhulp.assets, *reintegratie.assets, *cbs.assets, *hr.assets, *kcc.assets,
                *tevredenheid.assets, *erp.assets,
                *zaken.assets,
                dbt_modellen, *quality_assets, build_published_asset(upstream_of_publication), docs.docs, exports.exports,
                bestuursrapportage],
        asset_checks=quality.build_asset_checks(),
        jobs=[pdw_all],
        sensors=[*civision.sensors, *schuldhulp.sensors, *reintegratie.sensors, *cbs.sensors, *hr.sensors, *kcc.sensors,
                 *tevredenheid.sensors,
                 *zaken.sensors],
        schedules=[*erp.schedules],
        resources={
            "warehouse": WarehouseResource(inbox=dg.EnvVar("PDW_INBOX"), warehouse=dg.EnvVar("PDW_WAREHOUSE"),
                                           erp=dg.EnvVar("PDW_ERP")),
            "dbt": dbt_resource(),
        },
    )
