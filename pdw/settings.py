"""Where things are: inbox, ERP URLs, the working and the published warehouse.

Everything is passed through the environment so that Dagster, dbt (a subprocess) and
the CLI see the same paths. `pdw` sets the variables from its flags; `dagster dev`
falls back to the demo world under `.pdw/demo`.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = PROJECT_DIR / ".pdw" / "demo"
KEY_VARIABLE = "PDW_PSEUDONYM_KEY"
MEMORY_VARIABLE = "PDW_DUCKDB_MEMORY_LIMIT"
MAX_MEMORY = 8 * 2**30


def memory_limit() -> str:
    """DuckDB's memory_limit for every connection: PDW_DUCKDB_MEMORY_LIMIT (e.g. `4GB`), else 60%
    of this machine's memory and at most 8 GiB, so a national-scale run spills to disk instead of
    taking the machine."""
    if os.environ.get(MEMORY_VARIABLE):
        return os.environ[MEMORY_VARIABLE]
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(min(total * 0.6, MAX_MEMORY)) // 2**20}MiB"


def connect(path: Path, read_only: bool = False, temp_directory: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Every DuckDB connection of the product: bounded memory, spilling beside the file."""
    temp = temp_directory or Path(path).parent / ".tmp"
    try:
        return duckdb.connect(str(path), read_only=read_only,
                              config={"memory_limit": memory_limit(), "temp_directory": str(temp)})
    except duckdb.IOException as e:
        if "lock" not in str(e).lower():
            raise
        raise SettingsError(f"Het warehousebestand {path} is in gebruik door een ander proces (een andere run "
                            "of een open verbinding); probeer het opnieuw als dat klaar is.") from e


def newest_dbt_input() -> float:
    """When the dbt project (models, macros, tests, yml, seeds) last changed: a manifest older
    than this must be parsed again."""
    folders = (PROJECT_DIR / "dbt_project", PROJECT_DIR / "seeds")
    return max(p.stat().st_mtime for d in folders for p in d.rglob("*")
               if p.is_file() and not p.name.startswith(".") and not {"target", "logs", "dbt_packages"} & set(p.parts))


class SettingsError(RuntimeError):
    """A problem with how the run is configured; the message says what to do."""


def parse_erp(value: str) -> dict[str, str]:
    """`SOW=sqlite:///a.sqlite;IGSD=postgresql+psycopg://...` -> {"SOW": url, ...}."""
    result: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        org, sep, url = part.partition("=")
        if not sep or not org.strip() or not url.strip():
            raise SettingsError(f"ERP-verbinding '{part}' heeft niet de vorm ORG=URL (bijv. SOW=sqlite:///SOW.sqlite)")
        result[org.strip().upper()] = url.strip()
    return result


@dataclass(frozen=True)
class Settings:
    inbox: Path
    warehouse: Path  # the published copy BI users read
    erp: dict[str, str]

    @property
    def build_db(self) -> Path:
        """The working file: raw zone and all models; only the pipeline writes it."""
        return self.warehouse.parent / "build" / self.warehouse.name

    @property
    def reports_dir(self) -> Path:
        return self.warehouse.parent / "reports"

    @classmethod
    def from_env(cls) -> "Settings":
        erp_default = ";".join(f"{org}=sqlite:///{DEMO_DIR / 'erp' / f'{org}.sqlite'}" for org in ("SOW", "IGSD"))
        return cls(
            inbox=Path(os.environ.get("PDW_INBOX", DEMO_DIR / "inbox")).resolve(),
            warehouse=Path(os.environ.get("PDW_WAREHOUSE", DEMO_DIR / "warehouse" / "pdw.duckdb")).resolve(),
            erp=parse_erp(os.environ.get("PDW_ERP", erp_default)),
        )

    def export(self) -> None:
        """Put these settings in the environment, for dbt and for Dagster code that reads it."""
        os.environ["PDW_INBOX"] = str(self.inbox)
        os.environ["PDW_WAREHOUSE"] = str(self.warehouse)
        os.environ["PDW_BUILD_DB"] = str(self.build_db)
        os.environ["PDW_ERP"] = ";".join(f"{k}={v}" for k, v in self.erp.items())
        os.environ[MEMORY_VARIABLE] = memory_limit()
        os.environ["PDW_DUCKDB_TEMP"] = str(self.build_db.parent / ".tmp")
        # dbt's own log file at info, not debug: a debug line per query made it 10 MB and a tenth of a
        # build's time; DBT_LOG_LEVEL_FILE=debug in the environment still gets every line
        os.environ.setdefault("DBT_LOG_LEVEL_FILE", "info")
        self.build_db.parent.mkdir(parents=True, exist_ok=True)


def pseudonym_key() -> bytes:
    """The pseudonym key; refused when it is guessable (short, only spaces, few distinct bytes)."""
    key = os.environ.get(KEY_VARIABLE, "")
    if len(key) < 16 or not key.strip() or len(set(key.encode())) < 16:
        raise SettingsError(
            f"{KEY_VARIABLE} ontbreekt, is korter dan 16 tekens of te voorspelbaar (alleen spaties, of minder "
            "dan 16 verschillende tekens). Zet een geheime sleutel in de omgeving, "
            f"bijv. `export {KEY_VARIABLE}=$(python -c 'import secrets; print(secrets.token_urlsafe(32))')`. "
            "De sleutel staat nooit in de repository of het warehouse; met een andere sleutel "
            "krijgt iedereen een ander pseudoniem."
        )
    return key.encode()


@contextmanager
def run_lock(settings: "Settings") -> Iterator[None]:
    """One run at a time per warehouse: a second run stops at once with a Dutch message saying
    which run holds the warehouse, since when and in which state (instead of DuckDB's lock error)."""
    settings.build_db.parent.mkdir(parents=True, exist_ok=True)
    path = settings.build_db.parent / "run.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "onbekend"
            raise SettingsError(f"Er loopt al een run op dit warehouse ({settings.warehouse}): {holder}. "
                                "Wacht tot die klaar is; het gepubliceerde warehouse blijft intussen leesbaar.") \
                from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"proces {os.getpid()}, gestart {datetime.now().isoformat(timespec='seconds')}, "
                     "bezig met laden, bouwen en controleren (publiceren gebeurt pas als alles slaagt)")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
