"""Load file deliveries from the inbox into the raw zone of the working DuckDB file.

Plain functions (usable without Dagster): `load_system(con, inbox, system, load_id)`.
Parsing and typing happen in DuckDB SQL so that a national-size delivery (tens of
millions of payment lines) loads in minutes on a small machine; Python only reads the
header, transcodes Windows-1252 to UTF-8 in large chunks and writes SQL.

Rules (see docs/ingestion.md):
- a delivery folder `<system>/<YYYYMMDD>/` is loaded once it holds `_READY`, in date
  order, in one transaction together with its raw_meta rows (whole or not at all);
  a folder already in raw_meta.leveringen is skipped (a re-sent delivery changes nothing);
- a record that cannot be read goes to raw_meta.quarantaine, a doubtful one loads and
  gets a row in raw_meta.markeringen;
- a missing contract column stops the system's load at that delivery (LeveringFout).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from pdw import contract, pseudonym
from pdw.contract import SourceObject

from .checks import Checks
from .inbox import READY, invalid_folders, loaded_folders, loaded_hashes, ready_folders, sha256
from .raw_zone import delivery_finding, ensure_raw_zone, ensure_table, lit, new_load_id, now, q, store, transaction
from .readers import CsvReader, JsonReader, LeveringFout, as_utf8, count_lines, scan, unreadable_sql
from .zaken_dump import join_pages, purge_destroyed

log = logging.getLogger(__name__)
_HASHING = ThreadPoolExecutor(1, thread_name_prefix="sha256")


@dataclass
class FileResult:
    object: str
    bestand: str
    rijen: int = 0
    gequarantaineerd: int = 0
    gemarkeerd: int = 0
    extra_kolommen: list[str] = field(default_factory=list)


@dataclass
class DeliveryResult:
    system: str
    levering: date
    map: str
    status: str  # "geladen" or "overgeslagen"
    files: list[FileResult] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


def load_system(con: duckdb.DuckDBPyConnection, inbox: Path, system: str, load_id: str | None = None,
                geladen_op: datetime | None = None,
                on_delivery: Callable[[DeliveryResult], None] | None = None) -> list[DeliveryResult]:
    """Load every complete, not yet loaded delivery of one system, oldest first.

    `on_delivery` hears about each delivery as soon as it landed (or was skipped): progress
    for long loads, instead of one report at the end."""
    inbox = Path(inbox)
    load_id = load_id or new_load_id()
    geladen_op = geladen_op or now()
    ensure_raw_zone(con)
    pseudonym.register(con)
    # _rij relies on DuckDB reading in file order; no progress bars in run logs.
    con.execute("set preserve_insertion_order = true; set enable_progress_bar = false")
    if system == "cbs":
        return _load_cbs(con, inbox, load_id, geladen_op)
    results: list[DeliveryResult] = []
    tell = on_delivery or (lambda result: None)
    _report_invalid_folders(con, inbox, system, load_id, geladen_op)
    done = loaded_folders(con, system)
    for levering, folder in ready_folders(inbox, system):
        map_name = f"{system}/{folder.name}"
        if map_name in done:
            results.append(DeliveryResult(system, levering, map_name, "overgeslagen"))
            log.info("Levering %s is al geladen; overgeslagen", map_name)
            _report_resent(con, inbox, system, folder, levering, load_id, geladen_op)
            tell(results[-1])
            continue
        try:
            results.append(load_delivery(con, inbox, system, folder, levering, load_id, geladen_op))
            tell(results[-1])
        except LeveringFout as fout:
            fout.results = results
            raise
    return results


def _report_resent(con: duckdb.DuckDBPyConnection, inbox: Path, system: str, folder: Path, levering: date,
                   load_id: str, geladen_op: datetime) -> None:
    """A loaded folder whose `_READY` is newer than when we last saw it was delivered again.

    Its content is never loaded twice; the controller sees that it came again, and whether
    the content differs from what was loaded (a correction must come as a later delivery).
    """
    map_name = f"{system}/{folder.name}"
    ready = datetime.fromtimestamp((folder / READY).stat().st_mtime, timezone.utc).replace(tzinfo=None, microsecond=0)
    last_seen = con.execute(
        "select max(t) from (select geladen_op as t from raw_meta.leveringen where map = $map "
        "union all select geladen_op from raw_meta.markeringen where object = 'levering' and bestand = $map)",
        {"map": map_name},
    ).fetchone()[0]
    if last_seen is None or ready <= last_seen:
        return
    loaded = con.execute("select bestand, sha256 from raw_meta.leveringen where map = ?", [map_name]).fetchall()
    changed = [bestand for bestand, digest in loaded if not (inbox / bestand).exists() or sha256(inbox / bestand) != digest]
    if changed:
        controle = "levering_gewijzigd"
        omschrijving = (f"Levering {map_name} is opnieuw aangeleverd met andere inhoud ({', '.join(changed)}); "
                        "de eerder geladen inhoud blijft gelden. Een correctie hoort in een latere levering.")
        log.warning(omschrijving)
    else:
        controle = "levering_herhaald"
        omschrijving = f"Levering {map_name} is opnieuw aangeleverd met dezelfde inhoud; niets veranderd."
        log.info(omschrijving)
    delivery_finding(con, system, "levering", levering, map_name, folder.name, controle, omschrijving, load_id,
                     geladen_op)


def _report_invalid_folders(con: duckdb.DuckDBPyConnection, inbox: Path, system: str, load_id: str,
                            geladen_op: datetime) -> None:
    """A folder whose name is not a valid date is never loaded; reported once, naming it."""
    reported = {r[0] for r in con.execute("select bestand from raw_meta.markeringen where systeem = ? "
                                          "and controle = 'map_naam_ongeldig'", [system]).fetchall()}
    for folder in invalid_folders(inbox, system):
        map_name = f"{system}/{folder.name}"
        if map_name not in reported:
            omschrijving = (f"Map {map_name} heeft geen geldige extractiedatum (jjjjmmdd) als naam en is niet geladen; "
                            "geef de levering opnieuw aan in een map met de extractiedatum als naam.")
            log.warning(omschrijving)
            delivery_finding(con, system, "levering", None, map_name, folder.name, "map_naam_ongeldig", omschrijving,
                             load_id, geladen_op)


def load_delivery(con: duckdb.DuckDBPyConnection, inbox: Path, system: str, folder: Path, levering: date,
                  load_id: str, geladen_op: datetime) -> DeliveryResult:
    """One folder in one transaction: all its files and raw_meta rows, or nothing."""
    map_name = f"{system}/{folder.name}"
    result = DeliveryResult(system, levering, map_name, "geladen")
    with transaction(con) as work:
        for obj in contract.objects(system):
            path = folder / obj.filename
            if contract.FORMATS[system].pages:
                path = join_pages(con, folder, obj, work) or path
            if not path.exists():
                result.missing_files.append(obj.filename)
                omschrijving = (f"Levering {map_name} is compleet gemeld (_READY) maar mist {obj.filename}; de vorige "
                                f"levering van {obj.name} blijft gelden, dus cijfers op basis van {obj.name} kunnen "
                                "verouderd zijn. Vraag de leverancier het bestand na te leveren.")
                log.warning(omschrijving)
                delivery_finding(con, system, obj.name, levering, f"{map_name}/{obj.filename}", folder.name,
                                 "bestand_ontbreekt", omschrijving, load_id, geladen_op)
                continue
            bestand = f"{map_name}/{obj.filename}" if contract.FORMATS[system].pages else None
            result.files.append(load_file(con, inbox, path, obj, levering, map_name, load_id, geladen_op, work,
                                          bestand))
            if contract.FORMATS[system].pages:
                vernietigd = purge_destroyed(con, obj, levering)
                if vernietigd:
                    log.info("%s: van %d vernietigde zaken de initiator uit de ruwe zone verwijderd", map_name, vernietigd)
    return result


def _load_cbs(con, inbox: Path, load_id: str, geladen_op: datetime) -> list[DeliveryResult]:
    obj = contract.get("cbs", "bevolking")
    path = inbox / "cbs" / obj.filename
    if not path.exists():
        return []
    levering = geladen_op.date()
    if sha256(path) in loaded_hashes(con, "cbs"):
        return [DeliveryResult("cbs", levering, "cbs", "overgeslagen")]
    result = DeliveryResult("cbs", levering, "cbs", "geladen")
    with transaction(con) as work:
        result.files.append(load_file(con, inbox, path, obj, levering, "cbs", load_id, geladen_op, work))
    return [result]


def load_file(con, inbox: Path, path: Path, obj: SourceObject, levering: date, map_name: str, load_id: str,
              geladen_op: datetime, work: Path, bestand: str | None = None) -> FileResult:
    """Read, check and type one file into raw_<system>.<object>, raw_meta rows included.

    The file is read once, line by line, into a numbered temporary table, which is typed into
    another; raw rows, quarantine and flags all come from that one (typing happens once).
    Every delivered line ends up loaded or quarantined: checked here, shown in
    raw_meta.leveringen (`regels` = `rijen` + `gequarantaineerd`). `bestand` names a file the loader
    made from the delivery (the joined pages of zaken).
    """
    fmt = contract.FORMATS[obj.system]
    bestand = bestand or path.relative_to(inbox).as_posix()
    digest = _HASHING.submit(sha256, path)  # beside DuckDB's work: hashlib lets go of the GIL
    has_c1, physical, has_quote = scan(path)
    source, fmt = as_utf8(path, fmt, work)
    if source != path:
        has_c1, physical, has_quote = scan(source)
    if fmt.kind == "csv":
        reader = CsvReader(con, source, obj, fmt, bestand, work, has_c1, physical, has_quote)
    else:
        reader = JsonReader(con, path, obj, bestand)
    extra = reader.extra
    outside = obj.outside(extra)
    if outside:
        log.warning("Bestand %s: extra kolom(men) %s geleverd; bewaard als tekst", bestand, ", ".join(outside))
    ensure_table(con, obj, extra)
    checks = Checks(obj, fmt, reader.fields, bestand, levering)
    params = [levering, load_id, geladen_op]
    head = f"{lit(obj.system)}, {lit(obj.name)}, ?, {lit(bestand)}"

    # One pass types every value; checks then compare delivered text with typed value.
    typed_cols = ", ".join(f"{checks.typed(c)} as {checks.alias(c)}" for c in obj.columns)
    typed_table = f"""create or replace temp table _t as
        select *, _fout is not null or {checks.bad()} as _bad from (select *, {typed_cols} from _src)"""
    con.execute(typed_table)
    if not reader.settle(con):
        con.execute(typed_table)
    reader.drop(con)
    regels = count_lines(con, bestand, physical, reader.header_lines)
    quarantine = f"{checks.quarantine_sql()} union all {unreadable_sql(reader, bestand)}"
    con.execute(f"""insert into raw_meta.quarantaine
        select {head}, rij, sleutel, veld, controle, omschrijving, record, ?, ? from ({quarantine}) order by rij, veld""",
                params)
    names = [c.name for c in obj.columns] + extra
    typed = [checks.alias(c) for c in obj.columns] + [f"nullif({reader.fields[e]}, '')" for e in extra]
    con.execute(f"""create or replace temp view _goed as select {', '.join(f"{t} as {q(n)}" for t, n in zip(
        typed, names))}, date '{levering}' as _levering, {lit(bestand)} as _bestand, _rij, {lit(load_id)} as _load_id,
        timestamp '{geladen_op}' as _geladen_op from _t where not _bad""")
    rijen = store(con, obj, "_goed", levering)
    con.execute("drop view _goed")
    flags = checks.flag_sql()
    con.execute(f"""insert into raw_meta.markeringen
        select {head}, rij, sleutel, veld, controle, omschrijving, ?, ? from ({flags}) order by rij, veld""", params)
    gequarantaineerd, gemarkeerd = con.execute(
        """select (select count(distinct rij) from raw_meta.quarantaine where bestand = $1 and load_id = $2),
                  (select count(distinct rij) from raw_meta.markeringen where bestand = $1 and load_id = $2)""",
        [bestand, load_id]).fetchone()
    if rijen + gequarantaineerd != regels:
        raise RuntimeError(f"Bestand {bestand}: {regels} regels geleverd, maar {rijen} geladen en {gequarantaineerd} "
                           "gequarantaineerd; de levering is niet geladen (fout in de lader, meld dit)")
    con.execute("insert into raw_meta.leveringen (systeem, levering, map, bestand, object, rijen, gequarantaineerd, "
                "gemarkeerd, extra_kolommen, sha256, load_id, geladen_op, regels) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [obj.system, levering, map_name, bestand, obj.name, rijen, gequarantaineerd, gemarkeerd, outside,
                 digest.result(), load_id, geladen_op, regels])
    for name in ("_t", "_rej", "_rej_errors", "_rej_scans"):
        con.execute(f"drop table if exists {name}")
    log.info("%s: %d rijen geladen, %d gequarantaineerd, %d gemarkeerd", bestand, rijen, gequarantaineerd, gemarkeerd)
    return FileResult(obj.name, bestand, rijen, gequarantaineerd, gemarkeerd, outside)
