"""`pdw`: simulate a demo world, run the pipeline, query metrics, export board tables, write the board report,
open the docs and the Dagster UI."""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pdw.settings import (
    DEMO_DIR,
    KEY_VARIABLE,
    PROJECT_DIR,
    Settings,
    SettingsError,
    connect,
    parse_erp,
    pseudonym_key,
    run_lock,
)

if TYPE_CHECKING:
    from orchestration.nieuw import Nieuw

DAGSTER_HOME = PROJECT_DIR / ".dagster"


def _say(message: str) -> None:
    print(f"[pdw] {message}", flush=True)


def simulate(out: Path, scale: str, seed: int, through: date, faults: bool) -> dict:
    from simulator import simulate as run_simulator

    _say(f"Demo-bronsystemen schrijven naar {out} (schaal {scale}, seed {seed}, t/m {through})")
    summary = run_simulator(out, scale=scale, seed=seed, through=through, faults=faults, progress=_say)
    _say(f"Klaar: inbox {out / 'inbox'}, ERP {out / 'erp'}, grondwaarheid {out / 'truth'}")
    return summary


def run_pipeline(settings: Settings) -> bool:
    """Run job pdw_all in this process through Dagster; True when it succeeded."""
    if not settings.inbox.is_dir():
        raise SettingsError(f"Inbox {settings.inbox} bestaat niet.")
    pseudonym_key()
    with run_lock(settings):
        from orchestration.nieuw import find_new

        nieuw = find_new(settings)
        if not nieuw:
            _say(f"Niets nieuws: geen nieuwe leveringen in {settings.inbox}, ERP ({', '.join(settings.erp) or 'geen'}) "
                 "ongewijzigd, alles al gepubliceerd; er is niets gedraaid.")
            _say_where(settings)
            return True
        return _run_job(settings, nieuw)


def _run_job(settings: Settings, nieuw: Nieuw) -> bool:
    """Everything when `nieuw.alles`, else the load assets of the systems with new data and
    what is downstream of them."""
    settings.export()
    DAGSTER_HOME.mkdir(exist_ok=True)
    os.environ.setdefault("DAGSTER_HOME", str(DAGSTER_HOME))

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.jobs import downstream_of

    _say(f"Pijplijn starten: inbox {settings.inbox}, ERP {', '.join(settings.erp)}, werkbestand {settings.build_db}")
    definitions = defs()
    selection = None
    if nieuw.alles:
        _say(f"Alles draait: {nieuw.alles}")
    else:
        for system, reden in nieuw.systemen.items():
            _say(f"Nieuw in {system}: {reden}")
        graph = definitions.resolve_asset_graph()
        selection = sorted(downstream_of(list(nieuw.systemen)).resolve(graph))
        _say(f"Alleen wat daarvan afhangt draait: {len(selection)} van {len(graph.get_all_asset_keys())} assets")
    started = time.monotonic()
    result = definitions.resolve_job_def("pdw_all").execute_in_process(
        instance=dg.DagsterInstance.get(),
        raise_on_error=False,
        asset_selection=selection,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    seconds = time.monotonic() - started
    failures = [f"stap {event.step_key}: {event.event_specific_data.error.message.strip()}"
                for event in result.all_events if event.is_step_failure]
    for failure in failures:
        _say(f"MISLUKT: {failure}")
    if failures:
        _report_stop(settings, result.run_id, "; ".join(failures))
    built = {e.asset_key for e in result.get_asset_materialization_events()}
    _say(f"Bijgewerkt: {len(built)} assets ({', '.join(sorted({k.path[0] for k in built}))})")
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if skipped:
        _say(f"Overgeslagen door blokkerende bevinding of fout: {', '.join(skipped)}")
    blocked = _blocked_sources(settings)
    for b in blocked:
        stand = (f"laatst bijgewerkt {b['laatst_bijgewerkt']:%d-%m-%Y}, {b['dagen_oud']} dagen oud"
                 if b["laatst_bijgewerkt"] else "nog nooit bijgewerkt")
        _say(f"BRON GEBLOKKEERD: {b['bestand']}: {b['omschrijving']} ({stand})")
    _summarise(settings)
    if result.success and blocked:
        _say(f"Gepubliceerd in {seconds:.0f} s (run {result.run_id}), maar NIET geslaagd: {len(blocked)} bron(nen) "
             "geblokkeerd; hun cijfers blijven op de laatste goede stand.")
    else:
        _say(f"{'Geslaagd' if result.success else 'NIET geslaagd'} in {seconds:.0f} s (run {result.run_id}).")
    return result.success and not blocked


def _blocked_sources(settings: Settings) -> list[dict]:
    """Sources this run could not read at all: the warehouse was published without them, yet the
    run must not look successful."""
    from orchestration.report import blocked_sources

    if not settings.build_db.exists():
        return []
    with connect(settings.build_db, read_only=True) as con:
        return blocked_sources(con)


def _report_stop(settings: Settings, run_id: str, reden: str) -> None:
    """A run that stops still leaves the controllers' report, saying why it stopped."""
    from orchestration.quality import build_findings

    build_findings(settings, run_id, geblokkeerd=True, reden=f"de run is gestopt ({reden})")


def _summarise(settings: Settings) -> None:
    import duckdb

    if not settings.build_db.exists():
        return
    con = connect(settings.build_db, read_only=True)
    try:
        rows = con.execute(
            "select systeem, count(distinct levering), sum(rijen), sum(gequarantaineerd), sum(gemarkeerd) "
            "from raw_meta.leveringen group by 1 order by 1"
        ).fetchall()
        for systeem, leveringen, rijen, quarantaine, markering in rows:
            _say(f"  {systeem:<13} {leveringen:>4} leveringen  {rijen:>10} rijen geladen  "
                 f"{quarantaine:>6} in quarantaine  {markering:>6} gemarkeerd")
        for organisatie, posten in con.execute(
            "select organisatie, count(distinct entry_no) from raw_erp.gl_entry group by 1 order by 1"
        ).fetchall():
            _say(f"  erp {organisatie:<9} {posten:>10} grootboekposten")
        bevindingen = con.execute("select ernst, count(*) from marts.dq_bevindingen group by 1 order by 1").fetchall()
        _say("  bevindingen: " + ", ".join(f"{n} {ernst}" for ernst, n in bevindingen))
    except duckdb.Error:
        pass
    finally:
        con.close()
    _say_where(settings)


def _say_where(settings: Settings) -> None:
    report = settings.reports_dir / "datakwaliteit.html"
    _say(f"Gepubliceerd warehouse (voor BI):   {settings.warehouse}" + ("" if settings.warehouse.exists() else " (nog niet gepubliceerd)"))
    _say(f"Datakwaliteitsrapport:              {report}" + ("" if report.exists() else " (niet geschreven)"))
    newest: dict[str, Path] = {}  # per organisation its latest report (name: bestuursrapportage_<ORG>_<peilmaand>)
    for pdf in sorted(settings.reports_dir.glob("bestuursrapportage_*[0-9].pdf"), key=lambda p: p.stat().st_mtime):
        newest[pdf.stem.split("_")[1]] = pdf
    for organisatie, pdf in sorted(newest.items()):
        _say(f"{'Bestuursrapportage ' + organisatie + ':':<36}{pdf} (en .html)")
    _say(f"Werkbestand (alleen de pijplijn):   {settings.build_db}")
    _say(f"Dagster-UI met deze runs:           pdw dev   (DAGSTER_HOME={os.environ.get('DAGSTER_HOME', DAGSTER_HOME)})")


def _demo_key(directory: Path) -> None:
    """The demo works without set-up: a random key, kept beside the demo world, never in the repo."""
    if os.environ.get(KEY_VARIABLE):
        return
    key_file = directory / "pseudonym.key"
    if not key_file.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(32))
        key_file.chmod(0o600)
        _say(f"Demo: geen {KEY_VARIABLE} gezet; willekeurige sleutel aangemaakt in {key_file}. "
             f"Zet in productie zelf {KEY_VARIABLE}.")
    os.environ[KEY_VARIABLE] = key_file.read_text().strip()


def demo(directory: Path, scale: str, seed: int, fresh: bool) -> bool:
    _demo_key(directory)
    if fresh or not (directory / "inbox").is_dir():
        simulate(directory, scale, seed, date(2024, 12, 31), True)
    erp = {p.stem: f"sqlite:///{p}" for p in sorted((directory / "erp").glob("*.sqlite"))}
    settings = Settings(inbox=directory / "inbox", warehouse=directory / "warehouse" / "pdw.duckdb", erp=erp)
    return run_pipeline(settings)


STOP_GRACE_SECONDS = 3


def dev(port: int) -> int:
    """Dagster's UI on the demo world (or whatever PDW_* variables say).

    `dagster dev` lets its webserver, daemon and code server wind down for minutes; a service
    manager (and Ctrl-C) wants seconds. So it runs in its own process group, and SIGTERM or
    SIGINT stops the whole group: politely first, after STOP_GRACE_SECONDS for good.
    """
    import signal
    import subprocess

    DAGSTER_HOME.mkdir(exist_ok=True)
    env = {**os.environ, "DAGSTER_HOME": str(DAGSTER_HOME)}
    _demo_key(DEMO_DIR)
    env.setdefault(KEY_VARIABLE, os.environ[KEY_VARIABLE])
    Settings.from_env().export()
    env.update({k: v for k, v in os.environ.items() if k.startswith("PDW_")})
    child = subprocess.Popen([sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions", "-p", str(port)],
                             env=env, cwd=PROJECT_DIR, start_new_session=True)
    stop_asked: list[float] = []

    def signal_group(signum: int) -> None:
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            pass

    def stop(signum, frame) -> None:
        if not stop_asked:
            stop_asked.append(time.monotonic())
            signal_group(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while child.poll() is None:
        if stop_asked and time.monotonic() > stop_asked[0] + STOP_GRACE_SECONDS:
            signal_group(signal.SIGKILL)
        time.sleep(0.1)
    signal_group(signal.SIGKILL)  # whatever of the group outlived dagster dev itself
    return 0 if stop_asked else child.returncode


def export(warehouse: Path, out: Path | None, openbaar: bool) -> None:
    from orchestration.exports import export as write_exports

    written = write_exports(warehouse, out, variants=(openbaar,))
    _say(f"{len(written)} bestanden geschreven in {(out or warehouse.parent / 'exports') / ('openbaar' if openbaar else '')}")


def rapport(warehouse: Path, organisatie: str, peildatum: date, out: Path | None, openbaar: bool) -> None:
    from orchestration.rapport import build

    for path in build(warehouse, organisatie, peildatum, out, openbaar):
        print(path)


def docs(warehouse: Path, port: int, serve: bool) -> int:
    """The dbt docs site is one self-contained page: open it from disk, or serve it to colleagues."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    folder = warehouse.parent / "docs"
    if not (folder / "index.html").exists():
        raise SettingsError(f"Geen documentatie in {folder}: draai eerst `pdw run` (of `pdw demo`).")
    _say(f"dbt-documentatie: {(folder / 'index.html').as_uri()}")
    if not serve:
        return 0
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    _say(f"Bereikbaar op http://127.0.0.1:{port}/ (Ctrl-C stopt)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["metrics"]:
        from pdw.metrics import main as metrics_main

        return metrics_main(argv[1:])

    parser = argparse.ArgumentParser(prog="pdw", description="Participatie data warehouse")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("simulate", help="demo-bronsystemen schrijven (inbox + ERP-databases)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--scale", choices=["S", "M", "L", "XL"], default="S")
    p.add_argument("--seed", type=int, default=2015)
    p.add_argument("--through", type=date.fromisoformat, default=date(2024, 12, 31), metavar="YYYY-MM-DD")
    p.add_argument("--no-faults", action="store_true", help="geen fouten injecteren")

    p = sub.add_parser("run", help="alles laden, bouwen, controleren en publiceren")
    p.add_argument("--inbox", type=Path, required=True)
    p.add_argument("--erp", action="append", default=[], metavar="ORG=URL", help="SQLAlchemy-URL per organisatie")
    p.add_argument("--warehouse", type=Path, required=True, help="gepubliceerd DuckDB-bestand voor BI")

    p = sub.add_parser("demo", help="demowereld maken (als die er nog niet is) en de hele pijplijn draaien")
    p.add_argument("--dir", type=Path, default=DEMO_DIR)
    p.add_argument("--scale", choices=["S", "M", "L", "XL"], default="S")
    p.add_argument("--seed", type=int, default=2015)
    p.add_argument("--fresh", action="store_true", help="demowereld opnieuw simuleren")

    p = sub.add_parser("dev", help="Dagster-UI (dagster dev) op de demowereld")
    p.add_argument("--port", type=int, default=3000)

    p = sub.add_parser("export", help="bestuurstabellen als Parquet en Excel-CSV per organisatie")
    p.add_argument("--warehouse", type=Path, help="gepubliceerd DuckDB-bestand (standaard PDW_WAREHOUSE of de demo)")
    p.add_argument("--out", type=Path, help="map (standaard <warehouse-map>/exports)")
    p.add_argument("--openbaar", action="store_true", help="kleine aantallen onderdrukken (voor publicatie)")

    p = sub.add_parser("docs", help="dbt-documentatie van het gepubliceerde warehouse tonen of serveren")
    p.add_argument("--warehouse", type=Path, help="gepubliceerd DuckDB-bestand (standaard PDW_WAREHOUSE of de demo)")
    p.add_argument("--serve", action="store_true", help="serveren via http://127.0.0.1:PORT/")
    p.add_argument("--port", type=int, default=8580)
    p = sub.add_parser("rapport", help="bestuursrapportage (HTML en PDF) van een organisatie op een peildatum")
    p.add_argument("--warehouse", type=Path, help="gepubliceerd DuckDB-bestand (standaard PDW_WAREHOUSE of de demo)")
    p.add_argument("--organisatie", required=True, help="organisatiecode, bijv. SOW of IGSD")
    p.add_argument("--peildatum", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=Path, help="map (standaard <warehouse-map>/reports)")
    p.add_argument("--openbaar", action="store_true", help="kleine aantallen onderdrukken (voor publicatie)")
    sub.add_parser("metrics", help="MetricFlow-vragen op het gepubliceerde warehouse (zie pdw metrics --help)")

    args = parser.parse_args(argv)
    try:
        if args.command == "simulate":
            simulate(args.out.resolve(), args.scale, args.seed, args.through, not args.no_faults)
            return 0
        if args.command == "run":
            settings = Settings(inbox=args.inbox.resolve(), warehouse=args.warehouse.resolve(),
                                erp=parse_erp(";".join(args.erp)))
            return 0 if run_pipeline(settings) else 1
        if args.command == "demo":
            return 0 if demo(args.dir.resolve(), args.scale, args.seed, args.fresh) else 1
        if args.command == "dev":
            return dev(args.port)
        if args.command in ("export", "docs", "rapport"):
            warehouse = (args.warehouse or Settings.from_env().warehouse).resolve()
            if not warehouse.exists():
                raise SettingsError(f"Warehouse {warehouse} bestaat niet: draai eerst `pdw run` (of `pdw demo`).")
            if args.command == "docs":
                return docs(warehouse, args.port, args.serve)
            if args.command == "rapport":
                rapport(warehouse, args.organisatie.upper(), args.peildatum, args.out.resolve() if args.out else None,
                        args.openbaar)
                return 0
            export(warehouse, args.out.resolve() if args.out else None, args.openbaar)
    except SettingsError as error:
        print(f"pdw: {error}", file=sys.stderr)
        return 2
    return 0
