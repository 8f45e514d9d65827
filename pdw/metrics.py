"""`pdw metrics`: MetricFlow's CLI (`mf`) on the published warehouse.

BI users read the published copy (Settings.warehouse); the pipeline owns the working
file. MetricFlow reads dbt's profile and `target/semantic_manifest.json` of the project
it is pointed at, so this module keeps a small shadow project per warehouse catalog
under `.pdw/metricflow/<catalog>/`: the real `dbt_project.yml`, a generated
`profiles.yml` that opens the given file read-only, and a semantic manifest parsed
from `dbt_project/` (again only when a model file changed). The project's own
profiles.yml and target/ are never touched.

    pdw metrics query --metrics uitkeringen_eindstand --group-by gemeente \
        --where "metric_time__month = '2018-02-01'" [--warehouse FILE] [--csv FILE]
    pdw metrics list [metrics|dimensions|entities|saved-queries|dimension-values ...]
    pdw metrics validate [--skip-dw]
    pdw metrics export [--saved-query NAME ...] [--out DIR]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from pdw.settings import PROJECT_DIR, Settings

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
CACHE_DIR = PROJECT_DIR / ".pdw" / "metricflow"
COMMANDS = ("query", "list", "validate", "export")
# Folders and files whose change means the semantic manifest must be parsed again.
PARSE_INPUTS = ("dbt_project.yml", "models", "macros", "seeds", "snapshots")
GRAINS = ("day", "week", "month", "quarter", "year")
ENTITIES = ("gemeente", "organisatie")  # shared by every semantic model


class MetricsError(RuntimeError):
    """A problem the user can fix; the message says what (in Dutch)."""


def profile_name() -> str:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["profile"]


def shadow_project(warehouse: Path) -> Path:
    """The directory MetricFlow runs in for this warehouse file (its catalog = the file's stem)."""
    shadow = CACHE_DIR / warehouse.stem
    shadow.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DBT_PROJECT_DIR / "dbt_project.yml", shadow / "dbt_project.yml")
    profile = {
        profile_name(): {
            "target": "metricflow",
            "outputs": {
                "metricflow": {
                    "type": "duckdb",
                    "path": str(warehouse),
                    "threads": 1,
                    # Several readers may share the published file; nobody writes through MetricFlow.
                    "config_options": {"access_mode": "READ_ONLY"},
                }
            },
        }
    }
    (shadow / "profiles.yml").write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return shadow


def newest_input() -> float:
    newest = 0.0
    for name in PARSE_INPUTS:
        path = DBT_PROJECT_DIR / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if p.is_file())])
    return newest


def ensure_semantic_manifest(shadow: Path) -> Path:
    """`dbt parse` into the shadow project when the manifest is missing or older than a model file."""
    manifest = shadow / "target" / "semantic_manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= newest_input():
        return manifest
    parse_dir = shadow / f"parse-{os.getpid()}"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(shadow),
         "--target-path", str(parse_dir), "--log-path", str(shadow / "logs"), "--no-partial-parse"],
        env=environment(shadow), capture_output=True, text=True,
    )
    try:
        if result.returncode != 0 or not (parse_dir / "semantic_manifest.json").exists():
            raise MetricsError(
                f"dbt parse van {DBT_PROJECT_DIR} is mislukt; de semantische laag kan niet worden gelezen:\n"
                f"{result.stdout}{result.stderr}"
            )
        manifest.parent.mkdir(exist_ok=True)
        os.replace(parse_dir / "semantic_manifest.json", manifest)
    finally:
        shutil.rmtree(parse_dir, ignore_errors=True)
    return manifest


def environment(shadow: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DBT_PROFILES_DIR=str(shadow), DBT_PROJECT_DIR=str(shadow), DBT_LOG_PATH=str(shadow / "logs"))
    # dbt may read the working file's variables while parsing; the shadow profile does not need them.
    env.setdefault("PDW_BUILD_DB", str(shadow / "ongebruikt.duckdb"))
    return env


def template_where(where: str) -> str:
    """Accept the short form `metric_time__month = '2018-02-01'` next to MetricFlow's Jinja form.

    Names outside quotes are wrapped: `metric_time__<grain>` becomes a TimeDimension, `a__b`
    a Dimension, `gemeente` and `organisatie` an Entity. A filter that already holds `{{` is
    MetricFlow's own form and is left alone.
    """
    if "{{" in where:
        return where

    def wrap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token
        if token in ENTITIES:
            return f"{{{{ Entity('{token}') }}}}"
        name, _, grain = token.rpartition("__")
        if grain in GRAINS:
            return f"{{{{ TimeDimension('{name}', '{grain}') }}}}"
        return f"{{{{ Dimension('{token}') }}}}"

    entities = "|".join(ENTITIES)
    return re.sub(rf"'(?:[^']|'')*'|\b[a-z_][a-z0-9_]*__[a-z0-9_]+\b|\b(?:{entities})\b", wrap, where)


def mf(args: list[str], warehouse: Path, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `mf ARGS` against the warehouse file; the caller sees mf's exit code."""
    if not warehouse.exists():
        raise MetricsError(
            f"Warehouse {warehouse} bestaat niet. Draai eerst `pdw run` (of `pdw demo`), "
            "of geef het gepubliceerde bestand met --warehouse."
        )
    shadow = shadow_project(warehouse)
    ensure_semantic_manifest(shadow)
    return subprocess.run(
        [sys.executable, "-m", "dbt_metricflow.cli.main", *args],
        cwd=shadow, env=environment(shadow), text=True, capture_output=capture,
    )


def saved_query_names(shadow: Path) -> list[str]:
    import json

    manifest = json.loads((shadow / "target" / "semantic_manifest.json").read_text(encoding="utf-8"))
    return [q["name"] for q in manifest.get("saved_queries", [])]


def export(warehouse: Path, names: list[str], out: Path) -> int:
    """Every (or the named) saved query as `<out>/<name>.csv`: the board tables."""
    shadow = shadow_project(warehouse)
    ensure_semantic_manifest(shadow)
    known = saved_query_names(shadow)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise MetricsError(f"Onbekende saved query {', '.join(unknown)}; bekend: {', '.join(known)}")
    out.mkdir(parents=True, exist_ok=True)
    for name in names or known:
        target = out / f"{name}.csv"
        code = mf(["query", "--saved-query", name, "--csv", str(target), "--quiet"], warehouse).returncode
        if code != 0:
            return code
        print(f"{target}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pdw metrics",
        description="MetricFlow (mf) op het gepubliceerde warehouse. Overige opties gaan ongewijzigd naar mf.",
    )
    p.add_argument("command", choices=COMMANDS)
    p.add_argument("--warehouse", type=Path, help="DuckDB-bestand (standaard: het gepubliceerde warehouse, PDW_WAREHOUSE)")
    p.add_argument("--out", type=Path, help="export: map voor de CSV-bestanden (standaard <warehouse>/../exports)")
    return p


def main(argv: list[str]) -> int:
    args, rest = parser().parse_known_args(argv)
    warehouse = (args.warehouse or Settings.from_env().warehouse).resolve()
    try:
        if args.command == "export":
            names = [v for flag, v in zip(rest, rest[1:]) if flag == "--saved-query"]
            return export(warehouse, names, args.out or warehouse.parent / "exports")
        if args.command == "validate":
            mf_args = ["validate-configs", *rest]
        elif args.command == "list":
            mf_args = ["list", *(rest or ["metrics"])]
        else:
            mf_args = ["query", *rest]
            mf_args = [
                template_where(v) if i > 0 and mf_args[i - 1] == "--where" else v for i, v in enumerate(mf_args)
            ]
        return mf(mf_args, warehouse).returncode
    except MetricsError as e:
        print(str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
