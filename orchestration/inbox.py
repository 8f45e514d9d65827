"""Inbox discovery: which delivery folders are complete (`_READY`), valid and not yet loaded."""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from pathlib import Path

import duckdb

from pdw import contract

from .raw_zone import lit

READY = "_READY"
CHUNK = 16 * 1024 * 1024


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
    return {r[0] for r in con.execute(f"select distinct map from raw_meta.leveringen where systeem = {lit(system)}").fetchall()}


def loaded_hashes(con: duckdb.DuckDBPyConnection, system: str) -> set[str]:
    return {r[0] for r in con.execute(f"select distinct sha256 from raw_meta.leveringen where systeem = {lit(system)}"
                                      ).fetchall()}


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
