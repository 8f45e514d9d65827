"""Dagster resources shared by every domain module."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pdw.settings import Settings, connect, parse_erp


class WarehouseResource(dg.ConfigurableResource):
    """The inbox, the published warehouse file and the ERP URLs (`SOW=url;IGSD=url`); the
    working file lies beside the published one (pdw.settings). The code location binds them to
    the variables PDW_INBOX, PDW_WAREHOUSE and PDW_ERP; a field left empty falls back to the
    environment and then to the demo world.

    One writer per DuckDB file: every asset opens its connection, writes and closes it
    before the next step (the job runs in-process, one step at a time; dbt in between).
    """

    inbox: str | None = None
    warehouse: str | None = None
    erp: str | None = None

    def settings(self) -> Settings:
        """The settings of this run, also exported for dbt (its profile reads PDW_BUILD_DB)."""
        default = Settings.from_env()
        settings = Settings(
            inbox=Path(self.inbox) if self.inbox else default.inbox,
            warehouse=Path(self.warehouse) if self.warehouse else default.warehouse,
            erp=parse_erp(self.erp) if self.erp else default.erp,
        )
        settings.export()
        return settings

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(self.settings().build_db, read_only=read_only)
        try:
            yield con
        finally:
            con.close()
