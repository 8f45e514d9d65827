"""Dagster: one multi-asset per file system (each object one asset key) and its inbox sensor."""
from __future__ import annotations

import dagster as dg
import duckdb

from pdw import contract
from pdw.settings import Settings, SettingsError, connect, pseudonym_key

from .inbox import pending
from .loading import DeliveryResult, LeveringFout, load_system
from .raw_zone import block_source, ensure_raw_zone, unblock_sources
from .resources import WarehouseResource


def file_system_assets(system: str) -> list[dg.AssetsDefinition]:
    """One multi-asset per file system: every object of the system is one asset key."""
    objects = contract.objects(system)

    @dg.multi_asset(
        specs=[dg.AssetSpec([f"raw_{system}", o.name], group_name=system, kinds={"duckdb"},
                            description=f"{o.filename} uit {system}: alle geladen leveringen (historie), "
                                        f"{'delta' if o.delta else 'volledige stand'} per levering")
               for o in objects],
        can_subset=False,
        name=f"raw_{system}",
    )
    def load(context, warehouse: WarehouseResource):
        try:
            pseudonym_key()
        except SettingsError as e:
            raise dg.Failure(description=str(e)) from e
        settings = warehouse.settings()
        geblokkeerd = []
        with warehouse.connect() as con:
            ensure_raw_zone(con)
            unblock_sources(con, system)
            try:
                results = load_system(con, settings.inbox, system, context.run.run_id,
                                      on_delivery=lambda result: _log_results(context, [result]))
            except LeveringFout as fout:  # this system keeps its last good deliveries; the others go on
                context.log.error(str(fout))
                block_source(con, system, fout.bestand, str(fout), context.run.run_id)
                results, geblokkeerd = fout.results, [fout.bestand]
            _log_skipped(context, results)
            totals = {o.name: con.execute(f"select count(*) from {o.raw_table}").fetchone()[0] for o in objects}
        for obj in objects:
            files = [(r, f) for r in results for f in r.files if f.object == obj.name]
            yield dg.MaterializeResult(asset_key=[f"raw_{system}", obj.name], metadata={
                "rijen_geladen": sum(f.rijen for _, f in files),
                "gequarantaineerd": sum(f.gequarantaineerd for _, f in files),
                "gemarkeerd": sum(f.gemarkeerd for _, f in files),
                "leveringen_geladen": len(files),
                "leveringen_overgeslagen": sum(r.status == "overgeslagen" for r in results),
                "extra_kolommen": sorted({c for _, f in files for c in f.extra_kolommen}),
                "per_levering": dg.MetadataValue.json({
                    r.map: {"rijen": f.rijen, "gequarantaineerd": f.gequarantaineerd, "gemarkeerd": f.gemarkeerd}
                    for r, f in files}),
                "rijen_in_tabel": totals[obj.name],
                "geblokkeerd": geblokkeerd,
            })

    return [load]


def _log_skipped(context, results: list[DeliveryResult]) -> None:
    """One line for the deliveries loaded before: every log line is a write to Dagster's event log."""
    skipped = [r.map for r in results if r.status == "overgeslagen"]
    if skipped:
        context.log.info(f"{len(skipped)} levering(en) al geladen, overgeslagen: {skipped[0]}"
                         + (f" t/m {skipped[-1]}" if len(skipped) > 1 else ""))


def _log_results(context, results: list[DeliveryResult]) -> None:
    for r in results:
        if r.status == "overgeslagen":
            continue
        for f in r.files:
            context.log.info(f"{f.bestand}: {f.rijen} rijen geladen, {f.gequarantaineerd} gequarantaineerd, "
                             f"{f.gemarkeerd} gemarkeerd")
            if f.extra_kolommen:
                context.log.warning(f"{f.bestand}: extra kolom(men) {', '.join(f.extra_kolommen)} bewaard als tekst")
        for name in r.missing_files:
            context.log.warning(f"Levering {r.map}: bestand {name} ontbreekt; de vorige levering blijft gelden")


def ready_sensor(system: str) -> dg.SensorDefinition:
    """Start pdw_all when a complete delivery (folder with _READY; for cbs a new file) waits."""

    @dg.sensor(name=f"levering_{system}", job_name="pdw_all", minimum_interval_seconds=60,
               description=f"Nieuwe levering van {system} in de inbox: alles bijwerken")
    def sensor(context):
        settings = Settings.from_env()
        con = None
        try:
            if settings.build_db.exists():
                con = connect(settings.build_db, read_only=True)
            try:
                waiting = pending(con, settings.inbox, system)
            except duckdb.CatalogException:  # warehouse without raw zone yet
                waiting = pending(None, settings.inbox, system)
        except SettingsError:  # the working file is held by a run
            return dg.SkipReason("Het werkbestand is in gebruik door een run; volgende keer opnieuw")
        finally:
            if con is not None:
                con.close()
        if not waiting:
            return dg.SkipReason(f"Geen nieuwe levering van {system}")
        # One run loads every waiting delivery; its key is the newest one.
        return dg.RunRequest(run_key=f"{system}/{waiting[-1]}",
                             tags={"pdw/levering": f"{system}/{waiting[-1]}", "pdw/wachtend": str(len(waiting))})

    return sensor
