"""A later run that meets a blocking problem stops, says why, and leaves the published copy alone."""
from __future__ import annotations

import hashlib
import shutil

from .conftest import pdw


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _drop_column(path, column: str) -> None:
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    index = lines[0].split(";").index(column)
    kept = [";".join(f for i, f in enumerate(line.split(";")) if i != index) if line else line for line in lines]
    path.write_bytes("\r\n".join(kept).encode("cp1252"))


def test_missing_column_in_new_delivery_keeps_published_warehouse(demo_world, tmp_path):
    world = tmp_path / "wereld"
    shutil.copytree(demo_world.settings.inbox, world / "inbox")
    shutil.copytree(demo_world.settings.warehouse.parent, world / "warehouse")
    published = world / "warehouse" / demo_world.settings.warehouse.name
    before = _digest(published)

    latest = sorted((world / "inbox" / "civision").iterdir())[-1]
    nieuw = latest.with_name("20250401")
    shutil.copytree(latest, nieuw)
    _drop_column(nieuw / "uitkeringen.csv", "regeling")

    erp = [a for org, url in demo_world.settings.erp.items() for a in ("--erp", f"{org}={url}")]
    result = pdw("run", "--inbox", str(world / "inbox"), *erp, "--warehouse", str(published))
    assert result.returncode == 1, result.stdout[-3000:]
    assert "civision/20250401/uitkeringen.csv" in result.stdout and "regeling" in result.stdout
    assert "NIET geslaagd" in result.stdout
    assert _digest(published) == before, "the previous published copy must stay in place"
    # the controllers' report is written also when the run stops, and says why
    report = (world / "warehouse" / "reports" / "datakwaliteit.html").read_text(encoding="utf-8")
    assert "de run is gestopt" in report and "civision/20250401/uitkeringen.csv" in report
