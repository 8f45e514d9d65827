"""The code location: one Definitions for all source systems, dbt, quality and publication."""
import dagster as dg

from . import cbs, civision, docs, erp, exports, quality, reintegratie, schuldhulp
from .dbt import dbt_modellen, dbt_resource
from .jobs import pdw_all
from .publish import build_published_asset
from .resources import WarehouseResource

source_assets = [*civision.assets, *schuldhulp.assets, *reintegratie.assets, *cbs.assets, *erp.assets]
upstream_of_publication = [key for a in [dbt_modellen, *quality.assets] for key in a.keys]

defs = dg.Definitions(
    assets=[*source_assets, dbt_modellen, *quality.assets, build_published_asset(upstream_of_publication),
            docs.docs, exports.exports],
    asset_checks=quality.asset_checks,
    jobs=[pdw_all],
    sensors=[*civision.sensors, *schuldhulp.sensors, *reintegratie.sensors, *cbs.sensors],
    schedules=[*erp.schedules],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource},
)
