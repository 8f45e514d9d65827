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
    s = pd.Series(values, dtype=object)
    return pa.array(s.where(s.notna(), "").astype(str).values, type=pa.string())


def _bools(values) -> pa.Array:
    v = pd.Series(values, dtype=object)
    return pa.array(np.where(v.isna(), "", np.where(v.astype(bool), "true", "false")))


def format_columns(df: pd.DataFrame, obj: SourceObject, system: str) -> dict[str, pa.Array]:
    """Column name -> string array in the delivered notation. Decimal columns hold cents (civision
    betalingen) or plain floats (schuldhulp/reintegratie); yyyymm columns hold a month index."""
    fmt = FORMATS[system]
    out = {}
    for col in obj.columns:
        v = df[col.name].values
        if col.type in ("date",):
            out[col.name] = _dates(v, fmt.date_format)
        elif col.type == "ts":
            out[col.name] = _dates(v, fmt.ts_format)
        elif col.type == "int":
            out[col.name] = _ints(v)
        elif col.type == "decimal":
            if df[col.name].dtype.kind == "f" and system != "civision":
                out[col.name] = _cents(np.round(v.astype(float) * 100), fmt.decimal_comma)
            else:
                out[col.name] = _cents(v, fmt.decimal_comma)
        elif col.type == "yyyymm":
            mi = np.asarray(v, dtype=np.int64)
            out[col.name] = pa.array([f"{1970 + m // 12}{m % 12 + 1:02d}" for m in mi] if len(mi) < 1000 else
                                     np.char.add((1970 + mi // 12).astype(str), np.char.zfill((mi % 12 + 1).astype(str), 2)))
        elif col.type == "bool":
            out[col.name] = _bools(v)
        else:
            out[col.name] = _texts(v)
    return out


def csv_bytes(cols: dict[str, pa.Array], system: str) -> bytes:
    fmt = FORMATS[system]
    table = pa.table(cols)
    buf = io.BytesIO()
    pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=True, delimiter=fmt.delimiter, eol=fmt.newline,
                                                   quoting_style="none", quoting_header="none", batch_size=65536))
    data = buf.getvalue()
    if fmt.encoding == "cp1252":
        return data.decode("utf-8").encode("cp1252")
    if fmt.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + data
    return data


def _json_str(arr: pa.Array) -> pa.Array:
    quoted = pc.binary_join_element_wise('"', arr, '"', "")
    return pc.if_else(pc.is_null(arr), "null", quoted)


def jsonl_bytes(df: pd.DataFrame, obj: SourceObject) -> bytes:
    """JSON lines with nested client / werkgever objects; dates ISO, timestamps with offset."""
    if len(df) == 0:
        return b""
    fields: dict[str, pa.Array] = {}
    for col in obj.columns:
        v = df[col.name].values
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
            fields[col.name] = pa.array(np.asarray(v).astype(str))
        elif col.type == "decimal":
            fv = np.asarray(v, dtype=float)
            txt = pa.array(fv).cast(pa.string())
            fields[col.name] = pc.if_else(pa.array(np.isnan(fv)), "null", txt)
        elif col.type == "bool":
            bv = pd.Series(v, dtype=object)
            fields[col.name] = pa.array(np.where(bv.isna(), "null", np.where(bv.astype(bool), "true", "false")))
        else:
            sv = pd.Series(v, dtype=object)
            fields[col.name] = _json_str(pa.array(sv.where(sv.notna(), None).values, type=pa.string(), from_pandas=True))
    parts = []
    nested_done = set()
    for col in obj.columns:
        name = col.name
        prefix = name.split("_", 1)[0]
        if "_" in name and prefix in ("client", "werkgever"):
            if prefix in nested_done:
                continue
            nested_done.add(prefix)
            subs = [c.name for c in obj.columns if c.name.startswith(prefix + "_")]
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
