"""Readers: every delivered line of a file into a numbered temporary view `_src` of text fields,
or into quarantine when it is no record (broken quote, wrong field count, bad bytes, wrong JSON shape).

DuckDB reads each file (its `read_csv` splitting a quote-free CSV file itself, or as line
reader; its `read_json` reading a JSON-lines file whole beside the lines, or `json_transform`
parsing each line once when a line is bad), with its encodings and rejects table;
what it cannot do is done here: one line is one record, so a bad line is quarantined alone
(see docs/ingestion.md, "What is hand-written, and why")."""
from __future__ import annotations

import codecs
import csv
import dataclasses
import functools
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pdw import contract
from pdw.contract import FileFormat, SourceObject
from pdw.settings import memory_limit

from .inbox import CHUNK
from .raw_zone import lit, q

if TYPE_CHECKING:
    from .loading import DeliveryResult

REJECTS = {
    "INVALID ENCODING": ("tekens_onleesbaar", "bevat tekens die niet in de codering van het bestand bestaan"),
    "INVALID UNICODE": ("tekens_onleesbaar", "bevat tekens die niet in de codering van het bestand bestaan"),
    "LINE SIZE OVER MAXIMUM": ("regel_onleesbaar", "is langer dan 10 MB"),
}


class LeveringFout(RuntimeError):
    """A delivery that cannot be loaded at all; the message (Dutch) names file and column.

    `results` holds the deliveries of the same system that were loaded before it.
    """

    def __init__(self, message: str, bestand: str):
        super().__init__(message)
        self.bestand = bestand
        self.results: list[DeliveryResult] = []


def _missing(obj: SourceObject, delivered: list[str], bestand: str) -> None:
    missing = [c.name for c in obj.columns if c.name not in delivered]
    if missing:
        kolommen = ", ".join(f"'{m}'" for m in missing)
        raise LeveringFout(
            f"Bestand {bestand}: kolom {kolommen} ontbreekt in de levering. Deze levering en latere leveringen "
            f"van {obj.system} zijn niet geladen; eerdere leveringen blijven staan. Vraag de leverancier om "
            "een nieuwe levering volgens het contract (SOURCES.md).", bestand)


def _c1_passthrough(error: UnicodeDecodeError):
    """Bytes undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 control
    characters of the same number, as Windows itself does; nothing is lost or guessed."""
    return "".join(chr(b) for b in error.object[error.start:error.end]), error.end


codecs.register_error("pdw_c1", _c1_passthrough)
C1_BYTES = re.compile(rb"[\x80-\x9f]")


def scan(path: Path) -> tuple[bool, int, bool]:
    """Whether the file holds bytes 0x80-0x9F (where cp1252 and latin-1 differ), its number of
    physical lines (a last line without line break counts), and whether it holds a quote
    character anywhere."""
    has_c1 = has_quote = False
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            has_c1 = has_c1 or C1_BYTES.search(chunk) is not None
            has_quote = has_quote or b'"' in chunk
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return has_c1, lines + (last != b"\n"), has_quote


def count_lines(con, bestand: str, physical: int, header: int) -> int:
    """Delivered records (non-blank lines after the header); stops the file when DuckDB's line
    reader saw another number of lines than the file holds (e.g. a bare CR as line break)."""
    seen, regels = con.execute("select coalesce(max(rij), 0), count(*) from (select _rij as rij from _t "
                               "union all select rij from _rej)").fetchone()
    if seen + header > physical:
        raise LeveringFout(f"Bestand {bestand}: de regels zijn niet eenduidig te scheiden ({physical} regeleinden, "
                           f"{seen + header} regels gelezen); gebruik CRLF of LF als regeleinde", bestand)
    return regels


def _transcode(path: Path, encoding: str, target: Path) -> None:
    """Re-encode to UTF-8 in large chunks (single-byte encodings: chunk borders are safe)."""
    with open(path, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk.decode(encoding, errors="pdw_c1").encode("utf-8"))


def as_utf8(path: Path, fmt: FileFormat, work: Path) -> tuple[Path, FileFormat]:
    """A UTF-16 file (kcc) as a UTF-8 copy and the format it then has: DuckDB's reader and the
    byte scans (line breaks, quotes) expect one byte per ASCII character. The codec reads the BOM."""
    if not fmt.encoding.startswith("utf-16"):
        return path, fmt
    target = work / (path.name + ".utf8")
    with open(path, encoding=fmt.encoding, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    return target, dataclasses.replace(fmt, encoding="utf-8")


def _numbered(con, read: str, header: int, skipped: int, columns: str, keep: str, kind: str = "table") -> None:
    """Temp table (or view) _lines(_rij, <columns>) from DuckDB's reader `read` (which skipped `skipped` of
    the `header` lines), numbered as in the file minus the `header` lines, with only the rows where
    `keep` holds. A table is settled at once (`_settle`); a view is read when the typed table is made
    from it, and settled then."""
    con.execute(f"""create or replace temp {kind} _lines as
        select _ord - {header - skipped} as _rij, {columns}
        from (select row_number() over () as _ord, * from {read}) where {keep}""")
    if kind == "table":
        _settle(con, "_lines", header, skipped)


def _settle(con, target: str, header: int, skipped: int) -> None:
    """Lines DuckDB rejected to temp table _rej(rij, error_type, regel), and the rows of `target`
    numbered as in the file again: DuckDB drops rejected lines from its output, so the k-th row
    comes after every rejected line that had fewer than k rows before it (it reads in file order)."""
    con.execute(f"""create or replace temp table _rej as
        select line - {header} as rij, line - 1 - {skipped} - row_number() over (order by line) as voor,
               row_number() over (order by line) as n, error_type, trim(csv_line, chr(13) || chr(10)) as regel
        from (select line, first(error_type) as error_type, first(csv_line) as csv_line
              from _rej_errors group by line)""")
    if con.execute("select count(*) from _rej").fetchone()[0]:
        con.execute(f"""create or replace temp table {target} as
            select l.* replace (l._rij + coalesce(r.n, 0) as _rij)
            from {target} l asof left join _rej r on l._rij + {header - skipped} > r.voor order by l._rij""")
    con.execute("delete from _rej where rij < 1")


def _drop_rejects(con) -> None:
    for name in ("_rej_errors", "_rej_scans"):
        con.execute(f"drop table if exists {name}")


# Options of every DuckDB read: new_line '\r\n' ends a line at CRLF and at LF alike (mixed files);
# no quote character, so a line is never continued on the next one.
READ_OPTIONS = ("quote = '', escape = '', new_line = '\\r\\n', auto_detect = false, strict_mode = false, "
                "max_line_size = 10000000, store_rejects = true, rejects_table = '_rej_errors', "
                "rejects_scan = '_rej_scans'")


def _read_lines(con, source: Path, encoding: str, header: int, derived: str) -> None:
    """Temp table _lines(_rij, _line, <derived>): every non-blank physical line, numbered as in the
    file minus the `header` lines (so header lines have _rij < 1), read and derived in one pass;
    lines DuckDB cannot decode go to temp table _rej(rij, error_type, regel).

    DuckDB's CSV parser is used as a line reader only (no quote, no delimiter): one line is one
    record in every file source of the contract, so a broken quote or a wrong field count can
    never swallow the lines after it, and CRLF and LF may be mixed."""
    _drop_rejects(con)
    read = (f"read_csv({lit(str(source))}, header = false, columns = {{'l': 'VARCHAR'}}, delim = chr(0), "
            f"null_padding = false, encoding = {lit(encoding)}, {READ_OPTIONS})")
    _numbered(con, f"(select l as _line from {read})", header, 0, f"_line{derived}",
              "_line is not null and trim(_line) <> ''")


def _read_fields(con, source: Path, encoding: str, delimiter: str, n: int) -> None:
    """Temp view _lines(_rij, _line, _fout, c0..c<n-1>) straight from DuckDB's CSV parser, for a
    file without any quote character (the usual case): the delimiter alone splits the fields.
    The file is read once, when the typed table is made from the view (`CsvReader.settle`).

    Declared wider than the header, with null padding, so a missing field is NULL and a surplus
    one lands in x0..: both are seen per line (`te_weinig`, `te_veel`) instead of being padded or
    dropped silently; no field can be a line feed, so that is the (never matching) null string
    and an empty field stays ''."""
    _drop_rejects(con)
    names = [f"c{i}" for i in range(n)] + [f"x{i}" for i in range(n)]
    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in names)
    read = (f"read_csv({lit(str(source))}, header = false, skip = 1, columns = {{{spec}}}, delim = {lit(delimiter)}, "
            f"null_padding = true, nullstr = chr(10), encoding = {lit(encoding)}, {READ_OPTIONS})")
    line = f"concat_ws({lit(delimiter)}, {', '.join(names)})"
    fout = f"case when c{n - 1} is null then 'te_weinig' when x0 is not null then 'te_veel' end"
    # A blank line (spaces only) is one field: no records, but it keeps its number.
    _numbered(con, read, 1, 1, f"case when {fout} is not null then {line} end as _line, {fout} as _fout, "
              + ", ".join(f"c{i}" for i in range(n)), f"{names[1]} is not null or trim(c0) <> ''", kind="view")


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


class CsvReader:
    """View _src(_rij, _line, _fout, c0..cn) over the delivered lines; _fout names what makes a
    line unreadable as a record (broken quote, wrong field count), else NULL.

    A file without quote characters is split by DuckDB's CSV parser itself (`_read_fields`);
    one with quotes, or whose rows do not line up with its lines, is read as lines and split
    here, so a broken quote costs only its own line."""

    def __init__(self, con, path: Path, obj: SourceObject, fmt: FileFormat, bestand: str, work: Path, has_c1: bool,
                 physical: int, has_quote: bool):
        self.fmt = fmt
        self.header = self._header(path, fmt, obj)
        _missing(obj, self.header, bestand)
        known = {c.name for c in obj.columns}
        self.extra = [h for h in dict.fromkeys(self.header) if h and h not in known and h not in contract.META_COLUMNS]
        self.header_lines = 1
        d = fmt.delimiter
        n = len(self.header)
        self.source, self.encoding, self.physical = *_source(path, fmt, work, has_c1), physical
        self.lazy = not has_quote  # _lines a view over DuckDB's CSV parser, read when _t is made
        if self.lazy:
            _read_fields(con, self.source, self.encoding, d, n)
        else:
            self._split_lines(con, self.source, self.encoding, d, n)
        self._view(con)
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

    def _view(self, con) -> None:
        n = len(self.header)
        con.execute("create or replace temp view _src as select _rij, _line, _fout, null :: VARCHAR as _veld, "
                    + ", ".join(f"nullif(c{i}, '') as c{i}" for i in range(n)) + " from _lines where _rij >= 1")

    def settle(self, con) -> bool:
        """After the typed table _t was made from a file read by DuckDB's CSV parser: its rejects
        numbered and _t's rows numbered as in the file. DuckDB skips empty lines, which would
        misnumber the rows after them: False when rows and lines do not line up, and the file is
        then read as lines (`_split_lines`), for _t to be made again."""
        if not self.lazy:
            return True
        _settle(con, "_t", 1, 1)
        seen = con.execute("select coalesce(max(rij), 0) from (select _rij as rij from _t union all "
                           "select rij from _rej)").fetchone()[0]
        if seen + 1 == self.physical:
            return True
        self.drop(con)
        self.lazy = False
        self._split_lines(con, self.source, self.encoding, self.fmt.delimiter, len(self.header))
        self._view(con)
        return False

    def drop(self, con) -> None:
        con.execute(f"drop view _src; drop {'view' if self.lazy else 'table'} _lines")

    @staticmethod
    def _split_lines(con, source: Path, encoding: str, d: str, n: int) -> None:
        """_lines(_rij, _line, _fout, c0..) from DuckDB's line reader, fields split in SQL: lines
        without a quote on the delimiter, quoted fields unquoted (RFC 4180)."""
        field = f'(?:"(?:[^"]|"")*"|[^{re.escape(d)}"]*)'
        record = f"{field}(?:{re.escape(d)}{field})*"
        fields = (f"case when not contains(_line, '\"') then string_split(_line, {lit(d)}) "
                  f"when regexp_full_match(_line, {lit(record)}) then list_transform("
                  f"regexp_extract_all({lit(d)} || _line, {lit(re.escape(d) + '(' + field + ')')}, 1), "
                  "f -> case when starts_with(f, '\"') then replace(f[2:-2], '\"\"', '\"') else f end) end")
        _read_lines(con, source, encoding, header=1, derived=f", {fields} as _v")
        fout = (f"case when _v is null then 'aanhalingsteken' when len(_v) < {n} then 'te_weinig' "
                f"when len(_v) > {n} then 'te_veel' end")
        con.execute(f"create or replace temp table _lines as select _rij, _line, {fout} as _fout, "
                    + ", ".join(f"_v[{i + 1}] as c{i}" for i in range(n)) + " from _lines")

    @staticmethod
    def _header(path: Path, fmt: FileFormat, obj: SourceObject) -> list[str]:
        """Column names of the header row; an export with Dutch labels (FileFormat.labels) has them
        mapped to the contract's names, an unknown label is kept (an extra column)."""
        with open(path, "rb") as f:
            first = f.readline()
        text = first.decode(fmt.encoding, errors="pdw_c1" if fmt.encoding == "cp1252" else "replace")
        row = next(csv.reader([text.lstrip("\ufeff").rstrip("\r\n")], delimiter=fmt.delimiter), [])
        names = {c.label.lower(): c.name for c in obj.columns if c.label} if fmt.labels else {}
        return [names.get(name.strip().lower(), name.strip().lower()) for name in row]


# A JSON object whose keys are unique parses into a map; a line with a key twice would stop
# DuckDB's map cast for the whole file, so it is left unparsed and quarantined as unreadable.
_UNIQUE_OBJECT = "json_valid({v}) and json_type({v}) = 'OBJECT' and len(json_keys({v})) = len(list_distinct(json_keys({v})))"
_AS_MAP = "json_transform({v}, '\"MAP(VARCHAR, JSON)\"')"
# Objects to depth 2: a top-level member and the members of an object in it (client.bsn).
JSON_OPTIONS = "format = 'newline_delimited', records = true, maximum_depth = 2"
_NOT_SCALAR = ("struct", "list", "map", "array", "union")


class JsonReader:
    """View _src(_rij, _line, _fout, _veld, f_<name>...) over the delivered lines; nested objects
    are flattened with `_` (client.bsn -> client_bsn). _fout: not a JSON object, or a value of the
    wrong shape (an object where text is expected or the reverse), with its key in _veld.

    A file whose every line DuckDB's `read_json` reads as one object (the usual case) is read by
    it: its structure detected once over all lines, then one read of those members as text
    (`_read_objects`). Otherwise each line is parsed once, by DuckDB's `json_transform`, into a
    map of its top-level keys to their JSON values (`_parse_lines`), so a bad line costs only
    itself."""

    def __init__(self, con, path: Path, obj: SourceObject, bestand: str):
        self.header_lines = 0
        _read_lines(con, path, "utf-8", header=0, derived="")
        flat, shape, source, parsed = _read_objects(con, path) or self._parse_lines(con, obj)
        if not flat and not con.execute("select count(*) from _lines").fetchone()[0]:
            # no line at all: an empty snapshot (JSON lines have no header that names the columns)
            flat = {c.name: "null :: VARCHAR" for c in obj.columns}
        known = {c.name for c in obj.columns}
        absent = [c.name for c in obj.columns if c.optional and c.name not in flat]
        _missing(obj, list(flat) + absent, bestand)
        self.extra = [n for n in flat if n not in known and n not in contract.META_COLUMNS]
        select = "".join(f", {v} as {q('f_' + n)}" for n, v in flat.items())
        select += "".join(f", null :: VARCHAR as {q('f_' + n)}" for n in absent)
        con.execute(f"""create or replace temp view _src as
            select _rij, _line, case when not {parsed} then 'geen_object' when _veld is not null then 'vorm' end as _fout,
                   _veld{select}
            from (select *, {shape} as _veld from {source})""")
        self.fields = {n: q("f_" + n) for n in [*flat, *absent]}
        self.fields["__record__"] = "_line"
        self.fields["__cols__"] = "_line"
        self.unreadable = {"geen_object": ("json_onleesbaar", "is geen geldig JSON-object"),
                           "vorm": ("json_vorm", "heeft een waarde van de verkeerde vorm "
                                                 "(een object waar tekst hoort, of andersom)")}

    @staticmethod
    def settle(con) -> bool:
        """Read and numbered when the reader was made: nothing left to do."""
        return True

    @staticmethod
    def drop(con) -> None:
        con.execute("drop view _src; drop view if exists _vals; drop table _lines")

    def _parse_lines(self, con, obj: SourceObject) -> tuple[dict[str, str], str, str, str]:
        """Each line parsed into a map `_m` of _lines: the flattened names with their values, the
        shape check (the key of a wrong-shaped value), the relation and its parsed condition."""
        con.execute(f"create or replace temp table _lines as select *, case when {_UNIQUE_OBJECT.format(v='_line')} "
                    f"then {_AS_MAP.format(v='_line')} end as _m from _lines")
        known = {c.name for c in obj.columns}
        flat: dict[str, tuple[str, str | None]] = {}  # flattened name -> (top-level key, key inside it)
        shapes: list[tuple[str, bool]] = []  # (top-level key, nested)
        for key, objects, others, sub in self._keys(con):
            # An object in every line that has a value; when mixed, an object where the contract nests.
            nested = objects and (not others or (key.lower() not in known
                                                 and any(c.startswith(key.lower() + "_") for c in known)))
            shapes.append((key, nested))
            for name in (sub if nested else [None]):
                flat.setdefault(f"{key}_{name}".strip().lower() if nested else key.strip().lower(), (key, name))
        # Minified JSON from the parse: its first character tells an object or a list.
        wrong = {False: "left(_m[{k}], 1) in ('{{', '[')", True: "left(_m[{k}], 1) <> '{{'"}
        shape = "coalesce(" + ", ".join(f"case when {wrong[nested].format(k=lit(k))} then {lit(k)} end"
                                        for k, nested in shapes) + ")" if shapes else "null"
        values = {n: f"json_extract_string(_m[{lit(key)}], {lit(f'$.{json.dumps(name)}' if name is not None else '$')})"
                  for n, (key, name) in flat.items()}
        return values, shape, "_lines", "(_m is not null)"

    @staticmethod
    def _keys(con) -> list[tuple[str, bool, bool, list[str]]]:
        """Every top-level key in the order of first appearance: whether it holds an object in
        some line, another value in some line, and the keys inside its objects. Grouped by the
        lines' key lists and value kinds first, so Python sees a handful of groups, not lines."""
        groups = con.execute(f"""
            select ks, kinds, subs from (
                select _rij, map_keys(_m) as ks, list_transform(map_values(_m), v -> left(v, 1)) as kinds,
                       list_transform(map_values(_m), v -> case when left(v, 1) = '{{'
                           and {_UNIQUE_OBJECT.format(v='v')} then map_keys({_AS_MAP.format(v='v')}) end) as subs
                from _lines where _m is not null)
            group by all order by min(_rij)""").fetchall()
        keys: dict[str, tuple[bool, bool, list[str]]] = {}
        for ks, kinds, subs in groups:
            for k, kind, sub in zip(ks, kinds, subs):
                objects, others, names = keys.get(k, (False, False, []))
                keys[k] = (objects or kind == "{", others or kind not in (None, "{"),
                           names + [n for n in sub or [] if n not in names])
        return [(k, *v) for k, v in keys.items()]


@functools.cache
def _scratch() -> duckdb.DuckDBPyConnection:
    """An in-memory database of this process for reads that may fail (a cursor each): a new database
    per file costs more than the read of a small file."""
    return duckdb.connect(config={"memory_limit": memory_limit()})


def _read_objects(con, path: Path) -> tuple[dict[str, str], str, str, str] | None:
    """The file by DuckDB's `read_json` as temp view _vals (v0, v1, ...), row for row beside _lines:
    the members and their shapes detected once over every line, then read as text (an object's
    members as a struct of text). Returns the flattened names with their values, the shape check,
    the relation and its parsed condition, as `JsonReader._parse_lines`.

    None when a line is not one JSON object DuckDB reads as the others: not JSON or no object (also
    `null`), a key twice, an object where another line has a value (or the reverse), a byte-order mark, a
    line that is only tabs, an undecodable line, a key in capitals. DuckDB stops the read then,
    so it reads first on a connection of its own: a failed read would abort the delivery's
    transaction."""
    # read_json takes a line `null` for a record without members
    # (a CASE, so that only short lines are trimmed: an AND in a filter evaluates both sides)
    lines, nulls, rejected = con.execute("select count(*), count(*) filter (case when strlen(_line) < 32 then trim(_line, "
                                         "chr(32) || chr(9) || chr(13)) = 'null' end), (select count(*) from _rej) "
                                         "from _lines").fetchone()
    with open(path, "rb") as f:
        bom = f.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if not lines or nulls or rejected or bom:
        return None
    read = f"read_json({lit(str(path))}, {JSON_OPTIONS}"
    with _scratch().cursor() as own:
        try:
            detected = own.sql(f"select * from {read}, sample_size = -1)")
            columns: dict[str, str] = {}  # read_json's columns
            values: list[tuple[str, str]] = []  # (flattened name, value in v)
            as_json: list[int] = []
            for i, (key, type_) in enumerate(zip(detected.columns, detected.types)):
                if type_.id == "struct":
                    subs = [name for name, _ in type_.children]
                    columns[key] = "STRUCT(" + ", ".join(f"{q(s)} VARCHAR" for s in subs) + ")"
                    values += [(f"{key}_{s}", f"v{i}.{q(s)}") for s in subs]
                elif type_.id in _NOT_SCALAR or str(type_) == "JSON":  # a list, null in every line, or mixed
                    columns[key] = "JSON"
                    values.append((key, f"json_extract_string(v{i}, '$')"))
                    as_json.append(i)
                else:
                    columns[key] = "VARCHAR"
                    values.append((key, f"v{i}"))
            flat = dict(values)
            # names as the line parser makes them (trimmed, lower case, the first of equal ones): else it decides
            if len(flat) != len(values) or any(n != n.strip().lower() for n in flat):
                return None
            spec = ", ".join(f"{lit(k)}: {lit(t)}" for k, t in columns.items())
            select = (f"select {', '.join(f'{q(k)} as v{i}' for i, k in enumerate(columns))} "
                      f"from {read}, columns = {{{spec}}})")
            objects = " or ".join(f"bool_or(left(v{i}, 1) = '{{')" for i in as_json) or "false"
            # every value counted, so every member is read (and a key twice found)
            rows, mixed, *_ = own.execute(f"select count(*), coalesce({objects}, false), count(columns(*)) "
                                          f"from ({select})").fetchone()
        except duckdb.Error:
            return None
    if rows != lines or mixed:
        return None
    # the same read again, now known to succeed (copying the rows over costs more than reading twice),
    # as a view: the file is parsed while the typed table is made
    con.execute(f"create or replace temp view _vals as {select}")
    shape = "coalesce(" + ", ".join(f"case when left(v{i}, 1) in ('{{', '[') then {lit(k)} end"
                                    for i, k in enumerate(columns) if i in as_json) + ")" if as_json else "null :: VARCHAR"
    return flat, shape, "_lines positional join _vals", "true"


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
