"""Where things are: inbox, ERP URLs, the working and the published warehouse.

Everything is passed through the environment so that Dagster, dbt (a subprocess) and
the CLI see the same paths. `pdw` sets the variables from its flags; `dagster dev`
falls back to the demo world under `.pdw/demo`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = PROJECT_DIR / ".pdw" / "demo"
KEY_VARIABLE = "PDW_PSEUDONYM_KEY"


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
        self.build_db.parent.mkdir(parents=True, exist_ok=True)


def pseudonym_key() -> bytes:
    key = os.environ.get(KEY_VARIABLE, "")
    if len(key) < 16:
        raise SettingsError(
            f"{KEY_VARIABLE} ontbreekt of is korter dan 16 tekens. Zet een geheime sleutel in de omgeving, "
            f"bijv. `export {KEY_VARIABLE}=$(python -c 'import secrets; print(secrets.token_hex(32))')`. "
            "De sleutel staat nooit in de repository of het warehouse; met een andere sleutel "
            "krijgt iedereen een ander pseudoniem."
        )
    return key.encode()


def connect(path: Path, read_only: bool = False):
    """A DuckDB connection with a bounded memory and a spill folder beside the file, so three
    engineers' runs and a BI user's query share the machine without one taking all memory."""
    import duckdb

    spill = path.parent / ".duckdb_tmp"
    spill.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only,
                          config={"memory_limit": os.environ.get("PDW_DUCKDB_MEMORY", "4GB"),
                                  "temp_directory": str(spill)})
