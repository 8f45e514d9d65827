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

import codecs
import csv
import hashlib
import json
import logging
import re
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import dagster as dg
import duckdb

from pdw import contract, pseudonym
from pdw.contract import Column, FileFormat, SourceObject
from pdw.settings import Settings, SettingsError, pseudonym_key

from .resources import WarehouseResource

log = logging.getLogger(__name__)

READY = "_READY"
CHUNK = 16 * 1024 * 1024
TYPES = {
    "int": "BIGINT", "decimal": "DECIMAL(14,2)", "date": "DATE", "ts": "TIMESTAMP",
    "tstz": "TIMESTAMPTZ", "bool": "BOOLEAN", "yyyymm": "DATE",
}
META_DDL = """
create schema if not exists raw_meta;
create table if not exists raw_meta.leveringen (
    systeem varchar, levering date, map varchar, bestand varchar, object varchar, rijen bigint,
    gequarantaineerd bigint, gemarkeerd bigint, extra_kolommen varchar[], sha256 varchar,
    load_id varchar, geladen_op timestamp);
create table if not exists raw_meta.quarantaine (
    systeem varchar, object varchar, levering date, bestand varchar, rij bigint, sleutel varchar,
    veld varchar, controle varchar, omschrijving varchar, record varchar, load_id varchar,
    geladen_op timestamp);
create table if not exists raw_meta.markeringen (
    systeem varchar, object varchar, levering date, bestand varchar, rij bigint, sleutel varchar,
    veld varchar, controle varchar, omschrijving varchar, load_id varchar, geladen_op timestamp);
alter table raw_meta.leveringen add column if not exists regels bigint;
create table if not exists raw_meta.erp_watermerk (
    organisatie varchar, tabel varchar, max_entry_no bigint, max_last_modified timestamp,
    geladen_op timestamp);
"""
# Quarantine reason per column type when a non-empty value does not parse.
UNREADABLE = {
    "int": ("getal_onleesbaar", "is geen geheel getal"),
    "decimal": ("bedrag_onleesbaar", "is geen bedrag"),
    "date": ("datum_onleesbaar", "is geen geldige datum"),
    "ts": ("datum_onleesbaar", "is geen geldig tijdstip"),
    "tstz": ("datum_onleesbaar", "is geen geldig tijdstip"),
    "yyyymm": ("datum_onleesbaar", "is geen geldige periode (jjjjmm)"),
    "bool": ("waarde_onleesbaar", "is geen ja/nee-waarde"),
}
# Lines DuckDB's line reader cannot take (its rejects table `error_type`).
REJECTS = {
    "INVALID ENCODING": ("tekens_onleesbaar", "bevat tekens die niet in de codering van het bestand bestaan"),
    "INVALID UNICODE": ("tekens_onleesbaar", "bevat tekens die niet in de codering van het bestand bestaan"),
    "LINE SIZE OVER MAXIMUM": ("regel_onleesbaar", "is langer dan 10 MB"),
}


class LeveringFout(RuntimeError):
    """A delivery that cannot be loaded at all; the message (Dutch) names file and column.

    `results` holds the deliveries of the same system that were loaded before it.
    """

    def __init__(self, message: str, results: list["DeliveryResult"] | None = None):
        super().__init__(message)
        self.results = results or []


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


def new_load_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """Quote a string literal."""
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------- tables


def ensure_raw_zone(con: duckdb.DuckDBPyConnection) -> None:
    """Create raw_meta and every file-object table, so dbt sources exist before any delivery."""
    con.execute(META_DDL)
    for obj in contract.OBJECTS:
        ensure_table(con, obj)


def block_source(con: duckdb.DuckDBPyConnection, system: str, bron: str, omschrijving: str, load_id: str) -> None:
    """A source (one organisation's ERP) that cannot be read at all this run: a blocking finding
    (`bron_geblokkeerd`); its raw tables keep their last good state and the other sources go on."""
    con.execute("insert into raw_meta.quarantaine (systeem, object, levering, bestand, sleutel, controle, omschrijving, "
                "load_id, geladen_op) values (?, 'bron', current_date, ?, ?, 'bron_geblokkeerd', ?, ?, ?)",
                [system, bron, bron, omschrijving, load_id, now()])


def ensure_table(con: duckdb.DuckDBPyConnection, obj: SourceObject, extra: list[str] = ()) -> None:
    con.execute(f"create schema if not exists raw_{obj.system}")
    cols = [f"{q(c.name)} {TYPES.get(c.type, 'VARCHAR')}" for c in obj.columns]
    cols += ["_levering DATE", "_bestand VARCHAR", "_rij BIGINT", "_load_id VARCHAR", "_geladen_op TIMESTAMP"]
    con.execute(f"create table if not exists {obj.raw_table} ({', '.join(cols)})")
    for name in extra:
        con.execute(f"alter table {obj.raw_table} add column if not exists {q(name)} VARCHAR")


# ---------------------------------------------------------------- inbox


def _folder_date(folder: Path) -> date | None:
    try:
        return datetime.strptime(folder.name, "%Y%m%d").date() if re.fullmatch(r"\d{8}", folder.name) else None
    except ValueError:
        return None


def ready_folders(inbox: Path, system: str) -> list[tuple[date, Path]]:
    """Complete delivery folders (holding _READY, named by a valid date) of a system, oldest first."""
    base = Path(inbox) / system
    found = []
    if base.is_dir():
        for folder in base.iterdir():
            if folder.is_dir() and (folder / READY).exists() and (levering := _folder_date(folder)):
                found.append((levering, folder))
    return sorted(found)


def invalid_folders(inbox: Path, system: str) -> list[Path]:
    """Folders in a system's inbox whose name is not a valid extraction date: never loaded."""
    base = Path(inbox) / system
    return sorted(f for f in base.iterdir() if f.is_dir() and _folder_date(f) is None) if base.is_dir() else []


def loaded_folders(con: duckdb.DuckDBPyConnection, system: str) -> set[str]:
    return {r[0] for r in con.execute("select distinct map from raw_meta.leveringen where systeem = ?", [system]).fetchall()}


def loaded_hashes(con: duckdb.DuckDBPyConnection, system: str) -> set[str]:
    return {r[0] for r in con.execute("select distinct sha256 from raw_meta.leveringen where systeem = ?", [system]).fetchall()}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def pending(con: duckdb.DuckDBPyConnection | None, inbox: Path, system: str) -> list[str]:
    """Delivery names (run keys without system) waiting to be loaded; for cbs the file hash."""
    if system == "cbs":
        path = Path(inbox) / "cbs" / contract.get("cbs", "bevolking").filename
        if not path.exists():
            return []
        digest = sha256(path)
        return [] if con is not None and digest in loaded_hashes(con, system) else [digest[:16]]
    done = loaded_folders(con, system) if con is not None else set()
    return [f"{folder.name}" for _, folder in ready_folders(inbox, system) if f"{system}/{folder.name}" not in done]


# ---------------------------------------------------------------- loading


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
    ready = datetime.fromtimestamp((folder / "_READY").stat().st_mtime, timezone.utc).replace(tzinfo=None, microsecond=0)
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


def delivery_finding(con: duckdb.DuckDBPyConnection, system: str, object_: str, levering: date | None, bestand: str,
                     sleutel: str, controle: str, omschrijving: str, load_id: str, geladen_op: datetime) -> None:
    """A finding about a delivery as a whole (not one record): raw_meta.markeringen without row."""
    con.execute(
        "insert into raw_meta.markeringen (systeem, object, levering, bestand, rij, sleutel, veld, controle, "
        "omschrijving, load_id, geladen_op) values (?, ?, ?, ?, null, ?, null, ?, ?, ?, ?)",
        [system, object_, levering, bestand, sleutel, controle, omschrijving, load_id, geladen_op],
    )


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
    with _transaction(con) as work:
        for obj in contract.objects(system):
            path = folder / obj.filename
            if not path.exists():
                result.missing_files.append(obj.filename)
                omschrijving = (f"Levering {map_name} is compleet gemeld (_READY) maar mist {obj.filename}; de vorige "
                                f"levering van {obj.name} blijft gelden, dus cijfers op basis van {obj.name} kunnen "
                                "verouderd zijn. Vraag de leverancier het bestand na te leveren.")
                log.warning(omschrijving)
                delivery_finding(con, system, obj.name, levering, f"{map_name}/{obj.filename}", folder.name,
                                 "bestand_ontbreekt", omschrijving, load_id, geladen_op)
                continue
            result.files.append(load_file(con, inbox, path, obj, levering, map_name, load_id, geladen_op, work))
    return result


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[Path]:
    """One DuckDB transaction plus a scratch folder for transcoded files; rolled back on any error."""
    work = Path(tempfile.mkdtemp(prefix="pdw-load-"))
    con.execute("begin transaction")
    try:
        yield work
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load_cbs(con, inbox: Path, load_id: str, geladen_op: datetime) -> list[DeliveryResult]:
    obj = contract.get("cbs", "bevolking")
    path = inbox / "cbs" / obj.filename
    if not path.exists():
        return []
    levering = geladen_op.date()
    if sha256(path) in loaded_hashes(con, "cbs"):
        return [DeliveryResult("cbs", levering, "cbs", "overgeslagen")]
    result = DeliveryResult("cbs", levering, "cbs", "geladen")
    with _transaction(con) as work:
        result.files.append(load_file(con, inbox, path, obj, levering, "cbs", load_id, geladen_op, work))
    return [result]


def load_file(con, inbox: Path, path: Path, obj: SourceObject, levering: date, map_name: str, load_id: str,
              geladen_op: datetime, work: Path) -> FileResult:
    """Read, check and type one file into raw_<system>.<object>, raw_meta rows included.

    The file is read once, line by line, into a numbered temporary table, which is typed into
    another; raw rows, quarantine and flags all come from that one (typing happens once).
    Every delivered line ends up loaded or quarantined: checked here, shown in
    raw_meta.leveringen (`regels` = `rijen` + `gequarantaineerd`).
    """
    fmt = contract.FORMATS[obj.system]
    bestand = path.relative_to(inbox).as_posix()
    digest, has_c1, physical = _scan(path)
    if fmt.kind == "csv":
        reader = _CsvReader(con, path, obj, fmt, bestand, work, has_c1)
    else:
        reader = _JsonReader(con, path, obj, bestand)
    extra = reader.extra
    if extra:
        log.warning("Bestand %s: extra kolom(men) %s geleverd; bewaard als tekst", bestand, ", ".join(extra))
    ensure_table(con, obj, extra)
    checks = _Checks(obj, fmt, reader.fields, bestand, levering)
    params = [levering, load_id, geladen_op]
    head = f"{lit(obj.system)}, {lit(obj.name)}, ?, {lit(bestand)}"

    # One pass types every value; checks then compare delivered text with typed value.
    typed_cols = ", ".join(f"{checks.typed(c)} as {checks.alias(c)}" for c in obj.columns)
    con.execute(f"""create or replace temp table _t as
        select *, _fout is not null or {checks.bad()} as _bad from (select *, {typed_cols} from _src)""")
    con.execute("drop view _src; drop table if exists _lines")
    regels = _count_lines(con, bestand, physical, reader.header_lines)
    quarantine = f"{checks.quarantine_sql()} union all {unreadable_sql(reader, bestand)}"
    con.execute(f"""insert into raw_meta.quarantaine
        select {head}, rij, sleutel, veld, controle, omschrijving, record, ?, ? from ({quarantine}) order by rij, veld""",
                params)
    names = [c.name for c in obj.columns] + extra + list(contract.META_COLUMNS)
    typed = [checks.alias(c) for c in obj.columns] + [f"nullif({reader.fields[e]}, '')" for e in extra]
    rijen = con.execute(f"""insert into {obj.raw_table} ({', '.join(q(n) for n in names)})
        select {', '.join(typed)}, ?, {lit(bestand)}, _rij, ?, ? from _t where not _bad""",
                        params).fetchone()[0]
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
                [obj.system, levering, map_name, bestand, obj.name, rijen, gequarantaineerd, gemarkeerd, extra,
                 digest, load_id, geladen_op, regels])
    for name in ("_t", "_rej", "_rej_errors", "_rej_scans"):
        con.execute(f"drop table if exists {name}")
    log.info("%s: %d rijen geladen, %d gequarantaineerd, %d gemarkeerd", bestand, rijen, gequarantaineerd, gemarkeerd)
    return FileResult(obj.name, bestand, rijen, gequarantaineerd, gemarkeerd, extra)


# ---------------------------------------------------------------- reading


def _missing(obj: SourceObject, delivered: list[str], bestand: str) -> None:
    missing = [c.name for c in obj.columns if c.name not in delivered]
    if missing:
        kolommen = ", ".join(f"'{m}'" for m in missing)
        raise LeveringFout(
            f"Bestand {bestand}: kolom {kolommen} ontbreekt in de levering. Deze levering en latere leveringen "
            f"van {obj.system} zijn niet geladen; eerdere leveringen blijven staan. Vraag de leverancier om "
            "een nieuwe levering volgens het contract (SOURCES.md)."
        )


def _c1_passthrough(error: UnicodeDecodeError):
    """Bytes undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 control
    characters of the same number, as Windows itself does; nothing is lost or guessed."""
    return "".join(chr(b) for b in error.object[error.start:error.end]), error.end


codecs.register_error("pdw_c1", _c1_passthrough)
C1_BYTES = re.compile(rb"[\x80-\x9f]")


def _scan(path: Path) -> tuple[str, bool, int]:
    """sha256 of the file, whether it holds bytes 0x80-0x9F (where cp1252 and latin-1 differ),
    and its number of physical lines (a last line without line break counts)."""
    h = hashlib.sha256()
    has_c1 = False
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            has_c1 = has_c1 or C1_BYTES.search(chunk) is not None
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return h.hexdigest(), has_c1, lines + (last != b"\n")


def _count_lines(con, bestand: str, physical: int, header: int) -> int:
    """Delivered records (non-blank lines after the header); stops the file when DuckDB's line
    reader saw another number of lines than the file holds (e.g. a bare CR as line break)."""
    seen, regels = con.execute("select coalesce(max(rij), 0), count(*) from (select _rij as rij from _t "
                               "union all select rij from _rej)").fetchone()
    if seen + header > physical:
        raise LeveringFout(f"Bestand {bestand}: de regels zijn niet eenduidig te scheiden ({physical} regeleinden, "
                           f"{seen + header} regels gelezen); gebruik CRLF of LF als regeleinde")
    return regels


def _transcode(path: Path, encoding: str, target: Path) -> None:
    """Re-encode to UTF-8 in large chunks (single-byte encodings: chunk borders are safe)."""
    with open(path, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk.decode(encoding, errors="pdw_c1").encode("utf-8"))


def _read_lines(con, source: Path, encoding: str, header: int) -> None:
    """Temp table _lines(_rij, _line): every non-blank physical line after the `header` lines,
    numbered as in the file; lines DuckDB cannot decode go to temp table _rej(rij, error_type, regel).

    DuckDB's CSV parser is used as a line reader only (no quote, no delimiter): one line is one
    record in every file source of the contract, so a broken quote or a wrong field count can
    never swallow the lines after it, and CRLF and LF may be mixed."""
    for name in ("_rej_errors", "_rej_scans"):
        con.execute(f"drop table if exists {name}")
    read = (f"read_csv({lit(str(source))}, header = false, columns = {{'l': 'VARCHAR'}}, delim = chr(0), "
            # new_line '\\r\\n' ends a line at CRLF and at LF alike (mixed files)
            f"quote = '', escape = '', new_line = '\\r\\n', auto_detect = false, strict_mode = false, "
            f"null_padding = false, encoding = {lit(encoding)}, max_line_size = 10000000, "
            "store_rejects = true, rejects_table = '_rej_errors', rejects_scan = '_rej_scans')")
    con.execute(f"create or replace temp table _lines as select row_number() over () as _ord, l as _line from {read}")
    con.execute(f"""create or replace temp table _rej as
        select line - {header} as rij, line - 1 - row_number() over (order by line) as voor,
               row_number() over (order by line) as n, error_type, trim(csv_line, chr(13) || chr(10)) as regel
        from (select line, first(error_type) as error_type, first(csv_line) as csv_line
              from _rej_errors group by line)""")
    # The k-th decoded line comes after every rejected line that had fewer than k decoded lines
    # before it (DuckDB reads in file order).
    rejects = con.execute("select count(*) from _rej").fetchone()[0]
    number = ("l._ord + coalesce(r.n, 0)", "_lines l asof left join _rej r on l._ord > r.voor") if rejects \
        else ("_ord", "_lines")
    con.execute(f"""create or replace temp table _lines as
        select {number[0]} - {header} as _rij, _line from {number[1]}
        order by 1""")
    con.execute(f"delete from _lines where _rij < 1 or _line is null or trim(_line) = ''")
    con.execute("delete from _rej where rij < 1")


def _source(path: Path, fmt: FileFormat, work: Path, has_c1: bool) -> tuple[Path, str]:
    """The file DuckDB reads and its encoding name: Windows-1252 differs from latin-1 only in
    0x80-0x9F, so a file without those bytes is read as latin-1, one with them is transcoded."""
    if fmt.encoding != "cp1252":
        return path, "utf-8"
    if not has_c1:
        return path, "latin-1"
    target = work / (path.name + ".utf8")
    _transcode(path, fmt.encoding, target)
    return target, "utf-8"


class _CsvReader:
    """View _src(_rij, _line, _fout, c0..cn) over the delivered lines; _fout names what makes a
    line unreadable as a record (broken quote, wrong field count), else NULL."""

    def __init__(self, con, path: Path, obj: SourceObject, fmt: FileFormat, bestand: str, work: Path, has_c1: bool):
        self.fmt = fmt
        self.header = self._header(path, fmt)
        _missing(obj, self.header, bestand)
        known = {c.name for c in obj.columns}
        self.extra = [h for h in dict.fromkeys(self.header) if h and h not in known and h not in contract.META_COLUMNS]
        self.header_lines = 1
        _read_lines(con, *_source(path, fmt, work, has_c1), header=1)
        d = fmt.delimiter
        field = f'(?:"(?:[^"]|"")*"|[^{re.escape(d)}"]*)'
        record = f"{field}(?:{re.escape(d)}{field})*"
        # Lines without a quote split on the delimiter; quoted fields are unquoted (RFC 4180).
        fields = (f"case when not contains(_line, '\"') then string_split(_line, {lit(d)}) "
                  f"when regexp_full_match(_line, {lit(record)}) then list_transform("
                  f"regexp_extract_all({lit(d)} || _line, {lit(re.escape(d) + '(' + field + ')')}, 1), "
                  "f -> case when starts_with(f, '\"') then replace(f[2:-2], '\"\"', '\"') else f end) end")
        n = len(self.header)
        con.execute(f"create or replace temp table _lines as select _rij, _line, {fields} as _v from _lines")
        fout = (f"case when _v is null then 'aanhalingsteken' when len(_v) < {n} then 'te_weinig' "
                f"when len(_v) > {n} then 'te_veel' end")
        cols = ", ".join(f"nullif(_v[{i + 1}], '') as c{i}" for i in range(n))
        con.execute(f"create or replace temp view _src as select _rij, _line, {fout} as _fout, null :: VARCHAR as _veld, "
                    f"{cols} from _lines")
        self.fields = {name: f"c{i}" for name, i in reversed([(h, i) for i, h in enumerate(self.header)])}
        self.fields["__record__"] = "json_object(" + ", ".join(
            f"{lit(h)}, c{i}" for i, h in enumerate(self.header) if h) + ") :: VARCHAR"
        self.fields["__cols__"] = ", ".join(f"c{i}" for i in range(n))
        hint = f" (verwacht {n} velden, gescheiden door {d})"
        self.unreadable = {
            "aanhalingsteken": ("regel_onleesbaar", "heeft een aanhalingsteken dat niet goed is afgesloten" + hint),
            "te_weinig": ("aantal_velden", "heeft te weinig velden" + hint),
            "te_veel": ("aantal_velden", "heeft te veel velden" + hint),
        }

    @staticmethod
    def _header(path: Path, fmt: FileFormat) -> list[str]:
        with open(path, "rb") as f:
            first = f.readline()
        text = first.decode(fmt.encoding, errors="pdw_c1" if fmt.encoding == "cp1252" else "replace")
        row = next(csv.reader([text.lstrip("\ufeff").rstrip("\r\n")], delimiter=fmt.delimiter), [])
        return [name.strip().lower() for name in row]


class _JsonReader:
    """View _src(_rij, _line, _fout, f_<name>...) over the delivered lines; nested objects are
    flattened with `_` (client.bsn -> client_bsn). _fout: not a JSON object, or a value of the
    wrong shape (an object where text is expected or the reverse)."""

    def __init__(self, con, path: Path, obj: SourceObject, bestand: str):
        self.header_lines = 0
        _read_lines(con, path, "utf-8", header=0)
        con.execute("""create or replace temp table _lines as
            select _rij, _line, json_valid(_line) and starts_with(ltrim(_line), '{') as _ok from _lines""")
        structure = con.execute("select json_group_structure(_line :: JSON) from _lines where _ok").fetchone()[0]
        flat: dict[str, str] = {}
        shapes: list[str] = []  # SQL: the name of a top-level key holding the wrong shape, else NULL
        known = {c.name for c in obj.columns}
        for key, value in (json.loads(structure) if structure else {}).items():
            path_ = f"$.{json.dumps(key)}"
            # Mixed shapes ("JSON"): an object where the contract nests, else a scalar.
            nested = isinstance(value, dict) or (value == "JSON" and key.lower() not in known
                                                 and any(c.startswith(key.lower() + "_") for c in known))
            if not nested:
                flat.setdefault(key.strip().lower(), path_)
                shapes.append(f"case when json_type(_line, {lit(path_)}) in ('OBJECT', 'ARRAY') then {lit(key)} end")
                continue
            # An object in most lines (mixed shapes give "JSON"): its keys from the lines where it is one.
            sub = value if isinstance(value, dict) else json.loads(con.execute(
                f"select json_group_structure(json_extract(_line, {lit(path_)})) from _lines "
                f"where _ok and json_type(_line, {lit(path_)}) = 'OBJECT'").fetchone()[0] or "{}")
            for name in sub:
                flat.setdefault(f"{key}_{name}".strip().lower(), f"{path_}.{json.dumps(name)}")
            shapes.append(f"case when json_type(_line, {lit(path_)}) not in ('OBJECT', 'NULL') then {lit(key)} end")
        _missing(obj, list(flat), bestand)
        self.extra = [n for n in flat if n not in known and n not in contract.META_COLUMNS]
        paths = "[" + ", ".join(lit(p) for p in flat.values()) + "]"
        shape = f"coalesce({', '.join(shapes)})" if shapes else "null"
        con.execute(f"""create or replace temp table _lines as
            select _rij, _line, case when not _ok then 'geen_object' end as _fout, case when _ok then {shape} end as _veld,
                   case when _ok then json_extract_string(_line, {paths}) end as _v from _lines""")
        select = ", ".join(f"_v[{i + 1}] as {q('f_' + n)}" for i, n in enumerate(flat))
        con.execute(f"create or replace temp view _src as select _rij, _line, "
                    f"coalesce(_fout, case when _veld is not null then 'vorm' end) as _fout, _veld, {select} from _lines")
        self.fields = {n: q("f_" + n) for n in flat}
        self.fields["__record__"] = "_line"
        self.fields["__cols__"] = "_line"
        self.unreadable = {"geen_object": ("json_onleesbaar", "is geen geldig JSON-object"),
                           "vorm": ("json_vorm", "heeft een waarde van de verkeerde vorm "
                                                 "(een object waar tekst hoort, of andersom)")}


def unreadable_sql(reader, bestand: str) -> str:
    """Quarantine rows for lines that are no record: undecodable (_rej) or malformed (_fout)."""
    cases = {**reader.unreadable, **REJECTS}
    controle = " ".join(f"when _fout = {lit(k)} then {lit(v[0])}" for k, v in cases.items())
    why = " ".join(f"when _fout = {lit(k)} then {lit(v[1])}" for k, v in cases.items())
    return (f"select _rij as rij, null as sleutel, _veld as veld, case {controle} else 'regel_onleesbaar' end as controle, "
            f"{lit(bestand + ' rij ')} || _rij || coalesce(', veld ' || _veld, '') || ': de regel ' "
            f"|| case {why} else 'is onleesbaar' end as omschrijving, "
            "to_json({'regel': _line}) :: VARCHAR as record "
            "from (select _rij, _line, _fout, _veld from _t where _fout is not null "
            "union all select rij, regel, error_type, null from _rej)")


# ---------------------------------------------------------------- checks and typing


def bsn_invalid_sql(x: str) -> str:
    """SQL: true when a (non-empty) bsn fails the 11-proef after normalisation (see pdw.pseudonym)."""
    v = f"lpad(trim({x}), 9, '0')"
    total = " + ".join(f"{w} * cast(substr({v}, {i + 1}, 1) as integer)" for i, w in enumerate(pseudonym.WEIGHTS))
    digits = f"regexp_full_match(trim({x}), '[0-9]{{8,9}}')"
    return f"(not {digits} or coalesce((case when {digits} then {total} end) % 11 <> 0 or (case when {digits} then {total} end) = 0, true))"


@dataclass
class _Check:
    veld: str | None
    controle: str
    cond: str  # SQL: true when the record fails
    text: str  # SQL: Dutch explanation after "<bestand> rij <n>, veld <veld>: "


class _Checks:
    """SQL for typing, quarantine checks and flags of one object in one file format."""

    def __init__(self, obj: SourceObject, fmt: FileFormat, fields: dict[str, str], bestand: str, levering: date):
        self.obj, self.fmt, self.fields, self.bestand, self.levering = obj, fmt, fields, bestand, levering

    def typed(self, col: Column) -> str:
        x = self.fields[col.name]
        t = f"trim({x})"
        if col.type == "int":
            return f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+') then {t} end as BIGINT)"
        if col.type == "decimal":
            if self.fmt.decimal_comma:
                return (f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+(,[0-9]+)?') "
                        f"then replace({t}, ',', '.') end as DECIMAL(14,2))")
            return f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+(\\.[0-9]+)?') then {t} end as DECIMAL(14,2))"
        if col.type == "date":
            return f"cast(try_strptime({t}, {lit(self.fmt.date_format)}) as DATE)"
        if col.type == "yyyymm":
            return f"cast(try_strptime(case when regexp_full_match({t}, '[0-9]{{6}}') then {t} end, '%Y%m') as DATE)"
        if col.type == "ts":
            if self.fmt.ts_format.startswith("%d"):
                formats = f"[{lit(self.fmt.ts_format)}, {lit(self.fmt.ts_format.replace(':%S', ''))}]"
                return f"try_strptime({t}, {formats})"
            return f"try_cast({t} as TIMESTAMP)"
        if col.type == "tstz":
            return f"try_cast({t} as TIMESTAMPTZ)"
        if col.type == "bool":
            return (f"case when lower({t}) in ('true', '1', 'j', 'ja', 'y', 'yes') then true "
                    f"when lower({t}) in ('false', '0', 'n', 'nee', 'no') then false end")
        return f"nullif({x}, '')"

    @staticmethod
    def alias(col: Column) -> str:
        return q("t_" + col.name)

    def _value(self, col: Column) -> str:
        """The delivered value for a message; identifiers are never repeated in messages."""
        return "'waarde'" if col.identifier else f"'''' || {self.fields[col.name]} || ''''"

    def quarantine_checks(self) -> list[_Check]:
        checks = []
        for col in self.obj.columns:
            x = self.fields[col.name]
            empty = f"({x} is null or trim({x}) = '')"
            if col.required:
                checks.append(_Check(col.name, "verplicht_veld_leeg", empty, "'verplicht veld is leeg'"))
            if col.type in UNREADABLE:
                controle, why = UNREADABLE[col.type]
                hint = {"date": self.fmt.date_format, "ts": self.fmt.ts_format}.get(col.type)
                why += f" (verwacht {_human(hint)})" if hint else ""
                checks.append(_Check(col.name, controle, f"(not {empty} and {self.alias(col)} is null)",
                                     f"{self._value(col)} || {lit(' ' + why)}"))
            if col.type == "code":
                codes = ", ".join(lit(c) for c in col.codes)
                checks.append(_Check(col.name, "code_onbekend", f"(not {empty} and {x} not in ({codes}))",
                                     f"'code ' || {self._value(col)} || ' staat niet in de codelijst'"))
            checks += self._plausibility(col)
        return checks

    def _plausibility(self, col: Column) -> list[_Check]:
        """A date that parses but cannot be true: before 1900, or (for what happened) after the
        extraction date; a timezone offset beyond +-14:00 (the instant is unknown)."""
        if col.type not in ("date", "ts", "tstz", "yyyymm"):
            return []
        day = f"cast({self.alias(col)} as DATE)"
        latest = f"date {lit(self.levering.isoformat())}"
        if col.type == "yyyymm":
            latest = f"date_trunc('month', {latest}) + interval {contract.PERIOD_MONTHS_AHEAD} month"
        cond = f"{day} < date {lit(contract.EARLIEST_DATE)}"
        if col.past:
            cond += f" or {day} > {latest}"
        checks = [_Check(col.name, "datum_onmogelijk", f"coalesce({cond}, false)",
                         f"{self._value(col)} || {lit(' kan niet kloppen: vóór 1900' + (' of na de extractiedatum ' + self.levering.strftime('%d-%m-%Y') if col.past else ''))}")]
        if col.type == "tstz":
            offset = f"regexp_extract(trim({self.fields[col.name]}), '([+-])([0-9]{{2}}):?([0-9]{{2}})$', ['s', 'h', 'm'])"
            minutes = f"(try_cast({offset}.h as INTEGER) * 60 + try_cast({offset}.m as INTEGER))"
            checks.append(_Check(col.name, "tijdzone_onmogelijk",
                                 f"coalesce({minutes} > {contract.MAX_TZ_OFFSET_MINUTES} or try_cast({offset}.m as INTEGER) > 59, false)",
                                 f"{self._value(col)} || ' heeft een tijdzone buiten -12:00 tot +14:00'"))
        return checks

    def bad(self) -> str:
        return " or ".join(c.cond for c in self.quarantine_checks()) or "false"

    def sleutel(self) -> str:
        """The natural key as text; an identifier in the key is replaced by its pseudonym."""
        parts = [f"pseudoniem({self.fields[n]})" if self.obj.column(n).identifier else f"trim({self.fields[n]})"
                 for n in self.obj.key]
        return "nullif(concat_ws('|', " + ", ".join(parts) + "), '')"

    def _rows(self, checks: list[_Check], where: str, record: bool, source: str = "_t") -> str:
        """Failing (row, check) pairs in one pass: a list of failed checks per failing row, unnested."""
        items = []
        for c in checks:
            plaats = f", veld {c.veld}: " if c.veld else ": "
            text = f"{lit(self.bestand + ' rij ')} || _rij || {lit(plaats)} || {c.text}"
            veld = lit(c.veld) if c.veld else "null :: VARCHAR"
            items.append(f"case when {c.cond} then {{'veld': {veld}, 'controle': {lit(c.controle)}, "
                         f"'omschrijving': {text}}} end")
        record_sql = f"{self.fields['__record__']} as record" if record else "null :: VARCHAR as record"
        return (f"select rij, sleutel, f.veld as veld, f.controle as controle, f.omschrijving as omschrijving, record "
                f"from (select _rij as rij, {self.sleutel()} as sleutel, {record_sql}, "
                f"unnest(list_filter([{', '.join(items)}], f -> f is not null)) as f from {source} where {where})")

    def quarantine_sql(self) -> str:
        checks = self.quarantine_checks()
        if not checks:
            return "select null :: BIGINT as rij, null as sleutel, null as veld, null as controle, null as omschrijving, null as record where false"
        return self._rows(checks, "_bad and _fout is null", True)

    def flag_sql(self) -> str:
        """bsn flags and exact duplicate rows, on every readable record: a record quarantined for
        another reason gets its flag too, so every finding is reported."""
        checks = []
        for col in self.obj.columns:
            if col.type != "bsn":
                continue
            x = self.fields[col.name]
            filled = f"({x} is not null and trim({x}) <> '')"
            checks.append(_Check(col.name, "bsn_8_cijfers", f"({filled} and regexp_full_match(trim({x}), '[0-9]{{8}}'))",
                                 "'bsn heeft 8 cijfers; aangevuld met een voorloopnul'"))
            checks.append(_Check(col.name, "bsn_ongeldig", f"({filled} and {bsn_invalid_sql(x)})",
                                 "'bsn voldoet niet aan de 11-proef of bestaat niet uit 9 cijfers'"))
        parts = []
        if checks:
            parts.append(self._rows(checks, f"_fout is null and ({' or '.join(c.cond for c in checks)})", False))
        # Exact duplicates: hash every delivered field in one pass, compare candidates in full.
        cols = self.fields["__cols__"]
        dup = _Check(None, "exacte_dubbele_rij", "_nr > 1", "'exact dezelfde regel als rij ' || _eerste || ' (telt één keer)'")
        candidates = (f"(select *, row_number() over (partition by {cols} order by _rij) as _nr, "
                      f"min(_rij) over (partition by {cols}) as _eerste from _t where _fout is null "
                      f"and hash({cols}) in (select h from (select hash({cols}) as h from _t where _fout is null) "
                      "group by h having count(*) > 1))")
        parts.append(self._rows([dup], "_nr > 1", False, candidates))
        return " union all ".join(parts)


def _human(fmt: str) -> str:
    return (fmt.replace("%d", "dd").replace("%m", "mm").replace("%Y", "jjjj").replace("%H", "uu")
            .replace("%M", "mm").replace("%S", "ss").replace("%z", "+hh:mm"))


# ---------------------------------------------------------------- Dagster


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
        with warehouse.connect() as con:
            try:
                results = load_system(con, settings.inbox, system, context.run.run_id,
                                      on_delivery=lambda result: _log_results(context, [result]))
            except LeveringFout as fout:
                context.log.error(str(fout))
                raise dg.Failure(description=str(fout), metadata={
                    "leveringen_geladen": sum(r.status == "geladen" for r in fout.results)}) from fout
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
            })

    return [load]


def _log_results(context, results: list[DeliveryResult]) -> None:
    for r in results:
        if r.status == "overgeslagen":
            context.log.info(f"Levering {r.map} was al geladen; overgeslagen")
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
                con = duckdb.connect(str(settings.build_db), read_only=True)
            try:
                waiting = pending(con, settings.inbox, system)
            except duckdb.CatalogException:  # warehouse without raw zone yet
                waiting = pending(None, settings.inbox, system)
        except duckdb.IOException:
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
