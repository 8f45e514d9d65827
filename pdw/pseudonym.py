"""Keyed pseudonym of a bsn, and the dbt-duckdb plugin that offers it as SQL function.

The pseudonym is the hex HMAC-SHA256 of the normalised bsn under a key that is given at
run time (PDW_PSEUDONYM_KEY) and never stored: without the key nobody can recompute the
link between bsn and pseudonym, with another key every pseudonym differs.

dbt uses it through profiles.yml: `plugins: [{module: pdw.pseudonym}]`; dbt-duckdb imports
this module and instantiates `Plugin`, which registers `pseudoniem(VARCHAR) -> VARCHAR`.
"""
from __future__ import annotations

import hashlib
import hmac

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from dbt.adapters.duckdb.plugins import BasePlugin

from pdw.settings import pseudonym_key

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
MEMO_SIZE = 2_000_000


def normalise_bsn(bsn: str | None) -> str | None:
    """Strip spaces; an 8-digit value lost its leading zero in a spreadsheet, so pad it."""
    if bsn is None:
        return None
    value = str(bsn).strip()
    if not value:
        return None
    if len(value) == 8 and value.isdigit():
        return "0" + value
    return value


def is_valid_bsn(bsn: str | None) -> bool:
    """The 11-proef on the normalised value: 9 digits, weighted sum divisible by 11 and not 0."""
    value = normalise_bsn(bsn)
    if value is None or len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = sum(w * int(d) for w, d in zip(WEIGHTS, value))
    return total != 0 and total % 11 == 0


def _hasher(key: bytes):
    base = hmac.new(key, digestmod=hashlib.sha256)

    def pseudonymise(value: str) -> str:
        h = base.copy()
        h.update(value.encode("utf-8"))
        return h.hexdigest()

    return pseudonymise


def pseudoniem(bsn: str | None, key: bytes | None = None) -> str | None:
    """Hex HMAC-SHA256 of the normalised bsn; None for an empty value."""
    value = normalise_bsn(bsn)
    if value is None:
        return None
    return _hasher(key if key is not None else pseudonym_key())(value)


def pseudoniem_arrow(key: bytes):
    """A vectorised version for DuckDB: each distinct value is hashed once per batch and
    remembered (a person appears in many rows), the memo bounded to keep memory flat."""
    pseudonymise = _hasher(key)
    memo: dict[str, str | None] = {}

    def one(value: str | None) -> str | None:
        if value is None:
            return None
        found = memo.get(value, memo)
        if found is memo:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            normalised = normalise_bsn(value)
            found = memo[value] = None if normalised is None else pseudonymise(normalised)
        return found

    def apply(values: pa.Array) -> pa.Array:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        encoded = pc.dictionary_encode(values.cast(pa.string()))
        dictionary = [one(s) for s in encoded.dictionary.to_pylist()]
        return pc.take(pa.array(dictionary, pa.string()), encoded.indices)

    return apply


def register(con: duckdb.DuckDBPyConnection, key: bytes | None = None) -> None:
    """Register SQL function `pseudoniem(VARCHAR) -> VARCHAR` on a DuckDB connection."""
    fn = pseudoniem_arrow(key if key is not None else pseudonym_key())
    try:
        con.remove_function("pseudoniem")
    except duckdb.InvalidInputException:
        pass
    con.create_function("pseudoniem", fn, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                        type="arrow", null_handling="special", side_effects=False)


class Plugin(BasePlugin):
    """dbt-duckdb plugin: every dbt connection gets `pseudoniem()`; refuses to run without key."""

    def initialize(self, plugin_config):
        self.key = pseudonym_key()

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register(conn, self.key)
