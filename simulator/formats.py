"""Turn typed frames into delivered text exactly as SOURCES.md describes (via pdw.contract)."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pdw.contract import FORMATS, SourceObject

NULLABLE_INT_MISSING = -1


_BASE = np.datetime64("1900-01-01", "D")
_NDAYS = 200 * 366
_TABLES: dict[str, pa.Array] = {}


def _table(kind: str) -> pa.Array:
    """Formatted text for every day (or second of the day): formatting becomes a lookup (fast at any scale)."""
    if kind not in _TABLES:
        if kind == "time":
            secs = np.arange(86400)
            values = [f"{h:02d}:{m:02d}:{x:02d}" for h, m, x in zip(secs // 3600, secs // 60 % 60, secs % 60)]
        elif kind == "offset":
            noon = pd.DatetimeIndex((_BASE + np.arange(_NDAYS)).astype("datetime64[s]") + np.timedelta64(12, "h"))
            local = noon.tz_localize("Europe/Amsterdam")
            hours = (local.tz_localize(None) - local.tz_convert("UTC").tz_localize(None)) / pd.Timedelta(hours=1)
            values = np.where(hours == 2, "+02:00", "+01:00").tolist()
        else:
            d = _BASE + np.arange(_NDAYS)
            values = pd.Series(pd.to_datetime(d)).dt.strftime(kind).tolist()
        _TABLES[kind] = pa.array(values, type=pa.string())
    return _TABLES[kind]


def _day_index(values) -> tuple[np.ndarray, np.ndarray]:
    v = np.asarray(values, dtype="datetime64[s]")
    nat = np.isnat(v)
    days = (v.astype("datetime64[D]") - _BASE).astype(np.int64)
    return np.where(nat, 0, days), nat


def _dates(values, fmt: str) -> pa.Array:
    """Dates or timestamps (naive) formatted with a strftime-style format via lookup tables."""
    days, nat = _day_index(values)
    if "%H" in fmt:
        date_fmt, sep, _ = fmt.partition(" " if " " in fmt else "T")
        v = np.asarray(values, dtype="datetime64[s]")
        secs = np.where(nat, 0, (v - v.astype("datetime64[D]")).astype(np.int64))
        out = pc.binary_join_element_wise(pc.take(_table(date_fmt), pa.array(days)), pc.take(_table("time"), pa.array(secs)),
                                          sep)
    else:
        out = pc.take(_table(fmt), pa.array(days))
    return pc.if_else(pa.array(nat), "", out)


def _offsets(values) -> pa.Array:
    days, _ = _day_index(values)
    return pc.take(_table("offset"), pa.array(days))


def _ints(values) -> pa.Array:
    v = np.asarray(values)
    if v.dtype.kind == "f":
        s = pa.array(np.where(np.isnan(v), 0, v).astype(np.int64)).cast(pa.string())
        return pc.if_else(pa.array(np.isnan(v)), "", s)
    v = v.astype(np.int64)
    s = pa.array(v).cast(pa.string())
    return pc.if_else(pa.array(v == NULLABLE_INT_MISSING), "", s)


def _cents(values, comma: bool) -> pa.Array:
    """Integer cents -> '1234,56' / '1234.56'; NaN/None -> empty."""
    v = np.asarray(values, dtype=np.float64)
    missing = np.isnan(v)
    c = np.where(missing, 0, v).astype(np.int64)
    neg = pa.array(np.where(c < 0, "-", ""))
    a = np.abs(c)
    units = pa.array(a // 100).cast(pa.string())
    cents = pc.utf8_lpad(pa.array(a % 100).cast(pa.string()), width=2, padding="0")
    out = pc.binary_join_element_wise(neg, units, "," if comma else ".", cents, "")
    return pc.if_else(pa.array(missing), "", out)


def _texts(values) -> pa.Array:
    if isinstance(values, pa.Array):
        return pc.fill_null(values.cast(pa.string()), "")
    s = pd.Series(values, dtype=object)
    return pa.array(s.where(s.notna(), "").astype(str).values, type=pa.string())


def _bools(values, missing: str = "") -> pa.Array:
    v = np.asarray(values)
    if v.dtype == bool:
        return pa.array(np.array(["false", "true"])[v.astype(np.int64)])
    v = pd.Series(v, dtype=object)
    return pa.array(np.where(v.isna(), missing, np.where(v.astype(bool), "true", "false")))


def _months(values) -> pa.Array:
    """Month index (months since 1970-01) -> 'jjjjmm' via a lookup table."""
    if "yyyymm" not in _TABLES:
        mi = np.arange(12 * 200)
        _TABLES["yyyymm"] = pa.array([f"{1970 + m // 12}{m % 12 + 1:02d}" for m in mi])
    return pc.take(_TABLES["yyyymm"], pa.array(np.asarray(values, dtype=np.int64)))


def patch(arr: pa.Array, rows, values) -> pa.Array:
    """Replace the text of some rows (faults) without leaving arrow."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return arr
    order = np.argsort(rows, kind="stable")
    mask = np.zeros(len(arr), bool)
    mask[rows] = True
    new = pa.array([str(v) if v is not None else None for v in np.asarray(values, dtype=object)[order]], pa.string())
    return pc.replace_with_mask(arr.cast(pa.string()), pa.array(mask), new)


def format_columns(df: pd.DataFrame, obj: SourceObject, system: str) -> dict[str, pa.Array]:
    """Column name -> string array in the delivered notation. Decimal columns hold cents (civision
    betalingen) or plain floats (schuldhulp/reintegratie); yyyymm columns hold a month index."""
    fmt = FORMATS[system]
    out = {}
    for col in obj.columns:
        v = df[col.name]
        if col.type in ("date",):
            out[col.name] = _dates(v, fmt.date_format)
        elif col.type == "ts":
            out[col.name] = _dates(v, fmt.ts_format)
        elif col.type == "int":
            out[col.name] = _ints(v)
        elif col.type == "decimal":
            if np.asarray(v).dtype.kind == "f" and system != "civision":
                out[col.name] = _cents(np.round(np.asarray(v, dtype=float) * 100), fmt.decimal_comma)
            else:
                out[col.name] = _cents(v, fmt.decimal_comma)
        elif col.type == "yyyymm":
            out[col.name] = _months(v)
        elif col.type == "bool":
            out[col.name] = _bools(v)
        else:
            out[col.name] = _texts(v)
    return out


def csv_bytes(cols: dict[str, pa.Array], system: str, first: bool = True) -> bytes:
    """CSV text of some rows; `first`: the start of the file (byte order mark, header)."""
    fmt = FORMATS[system]
    table = pa.table(cols)
    buf = io.BytesIO()
    pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=first, delimiter=fmt.delimiter, eol=fmt.newline,
                                                   quoting_style="none", quoting_header="none", batch_size=65536))
    data = buf.getvalue()
    if fmt.encoding == "cp1252":
        return to_cp1252(data)
    if fmt.encoding == "utf-8-sig" and first:
        return b"\xef\xbb\xbf" + data
    return data


def _cp1252_table() -> np.ndarray:
    """Code point (< 0x800) -> Windows-1252 byte, -1 where it has none."""
    if "cp1252" not in _TABLES:
        t = np.full(0x800, -1, dtype=np.int16)
        for cp in range(0x800):
            try:
                t[cp] = chr(cp).encode("cp1252")[0]
            except UnicodeEncodeError:
                pass
        _TABLES["cp1252"] = t
    return _TABLES["cp1252"]


def to_cp1252(data: bytes) -> bytes:
    """UTF-8 -> Windows-1252. ASCII is the same in both; only the two-byte sequences of the few
    accented names are rewritten (vectorised), instead of decoding and encoding the whole file."""
    if data.isascii():
        return data
    a = np.frombuffer(data, dtype=np.uint8)
    lead = np.flatnonzero(a >= 0xC0)
    if len(lead) == 0 or (a[lead] >= 0xE0).any():
        return data.decode("utf-8").encode("cp1252")
    cp = ((a[lead].astype(np.int64) & 0x1F) << 6) | (a[lead + 1] & 0x3F)
    byte = _cp1252_table()[cp]
    if (byte < 0).any():
        return data.decode("utf-8").encode("cp1252")  # raises for text Windows-1252 cannot hold
    out = a.copy()
    out[lead] = byte
    keep = np.ones(len(a), bool)
    keep[lead + 1] = False
    return out[keep].tobytes()


def _json_str(arr: pa.Array) -> pa.Array:
    quoted = pc.binary_join_element_wise('"', arr, '"', "")
    return pc.if_else(pc.is_null(arr), "null", quoted)


def jsonl_bytes(df, obj: SourceObject, patches=()) -> bytes:
    """JSON lines with nested client / werkgever objects; dates ISO, timestamps with offset.
    `patches`: (column, rows, text) replacing a field's value by a JSON string (faults)."""
    if len(df[obj.columns[0].name]) == 0:
        return b""
    names = set(df.column_names) if isinstance(df, pa.Table) else set(df.keys())
    columns = [c for c in obj.columns if c.name in names or not c.optional]  # an optional member may be absent
    fields: dict[str, pa.Array] = {}
    for col in columns:
        v = df[col.name]
        if col.type == "date":
            txt = _dates(v, "%Y-%m-%d")
            fields[col.name] = pc.if_else(pc.equal(txt, ""), "null", pc.binary_join_element_wise('"', txt, '"', ""))
        elif col.type == "tstz":
            txt = pc.binary_join_element_wise(_dates(v, "%Y-%m-%dT%H:%M:%S"), _offsets(v), "")
            fields[col.name] = pc.binary_join_element_wise('"', txt, '"', "")
        elif col.type == "int":
            iv = np.asarray(v, dtype=np.int64)
            fields[col.name] = pc.if_else(pa.array(iv == NULLABLE_INT_MISSING), "null", pa.array(iv).cast(pa.string()))
        elif col.type == "code" and col.name == "klantgroep":
            fields[col.name] = v.cast(pa.string()) if isinstance(v, pa.Array) else pa.array(np.asarray(v).astype(str))
        elif col.type == "decimal":
            fv = np.asarray(v, dtype=float)
            txt = pa.array(fv).cast(pa.string())
            fields[col.name] = pc.if_else(pa.array(np.isnan(fv)), "null", txt)
        elif col.type == "bool":
            fields[col.name] = _bools(v, "null")
        elif isinstance(v, pa.Array):
            fields[col.name] = _json_str(v.cast(pa.string()))
        else:
            sv = pd.Series(v, dtype=object)
            fields[col.name] = _json_str(pa.array(sv.where(sv.notna(), None).values, type=pa.string(), from_pandas=True))
    for name, rows, texts in patches:
        fields[name] = patch(fields[name], rows, [f'"{t}"' for t in texts])
    parts = []
    nested_done = set()
    for col in columns:
        name = col.name
        prefix = name.split("_", 1)[0]
        if "_" in name and prefix in ("client", "werkgever"):
            if prefix in nested_done:
                continue
            nested_done.add(prefix)
            subs = [c.name for c in columns if c.name.startswith(prefix + "_")]
            inner = [pc.binary_join_element_wise(f'"{s.split("_", 1)[1]}": ', fields[s], "") for s in subs]
            parts.append(pc.binary_join_element_wise(f'"{prefix}": {{', pc.binary_join_element_wise(*inner, ", "), "}", ""))
        else:
            parts.append(pc.binary_join_element_wise(f'"{name}": ', fields[name], ""))
    line = pc.binary_join_element_wise("{", pc.binary_join_element_wise(*parts, ", "), "}\n", "")
    return _concat_bytes(line)


def _concat_bytes(arr: pa.Array) -> bytes:
    """All strings of an array back to back: the data buffer between the first and last offset."""
    arr = pa.concat_arrays([arr.cast(pa.large_string())])
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
    return arr.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]]
