"""Dagster resources shared by every domain module."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import dagster as dg
import duckdb

from pdw.settings import Settings, connect


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB file and the source locations, from the environment (see pdw.settings).

    One writer per DuckDB file: every asset opens its connection, writes and closes it
    before the next step (the job runs in-process, one step at a time; dbt in between).
    """

    def settings(self) -> Settings:
        settings = Settings.from_env()
        settings.export()
        return settings

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.settings().build_db, read_only=read_only)
        try:
            yield con
        finally:
            con.close()
