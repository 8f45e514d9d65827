"""`pdw metrics`: MetricFlow's CLI (`mf`) on the published warehouse.

BI users read the published copy (Settings.warehouse); only the pipeline writes the
working file. MetricFlow reads dbt's profile and `target/semantic_manifest.json` of the
project it runs in, so every call runs `mf` in a throw-away shadow project: the real
`dbt_project.yml`, a generated `profiles.yml` that opens the given file read-only, and
the semantic manifest. The manifest is parsed from `dbt_project/` once per catalog (the
file's stem, `pdw`) and again only when a project file changed; it is cached under
`.pdw/metricflow/<catalog>/` with MetricFlow's log. The project's own profiles.yml and
target/ are never touched, and concurrent calls on different files do not meet. `export` starts
MetricFlow only to make the saved queries' SQL, once per semantic manifest (cached beside it).

    pdw metrics query --metrics uitkeringen_eindstand --group-by gemeente \
        --where "metric_time__month = '2018-02-01'" [--warehouse FILE] [--csv FILE]
    pdw metrics list [metrics|dimensions|entities|saved-queries|dimension-values ...]
    pdw metrics validate [--skip-dw]
    pdw metrics export [--saved-query NAME ...] [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import yaml

from pdw.settings import PROJECT_DIR, Settings, connect, memory_limit, newest_dbt_input

DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
CACHE_DIR = PROJECT_DIR / ".pdw" / "metricflow"
COMMANDS = ("query", "list", "validate", "export")
GRAINS = ("day", "week", "month", "quarter", "year")
ENTITIES = ("gemeente", "organisatie")  # shared by every semantic model


class MetricsError(RuntimeError):
    """A problem the user can fix; the message says what (in Dutch)."""


def write_shadow_project(shadow: Path, warehouse: Path) -> Path:
    """dbt_project.yml and a profile with the project's profile name that opens `warehouse` read-only."""
    project = DBT_PROJECT_DIR / "dbt_project.yml"
    shutil.copyfile(project, shadow / "dbt_project.yml")
    profile_name = yaml.safe_load(project.read_text(encoding="utf-8"))["profile"]
    profile = {
        profile_name: {
            "target": "metricflow",
            "outputs": {
                "metricflow": {
                    "type": "duckdb",
                    "path": str(warehouse),
                    "threads": 1,
                    # Several readers may share the published file; nobody writes through MetricFlow.
                    # set once, when the file opens (dbt_project/profiles.yml says why)
                    "config_options": {"access_mode": "READ_ONLY", "memory_limit": memory_limit(),
                                       "temp_directory": str(warehouse.parent / ".tmp")},
                }
            },
        }
    }
    (shadow / "profiles.yml").write_text(yaml.safe_dump(profile, sort_keys=False), encoding="utf-8")
    return shadow


def semantic_manifest(shadow: Path, catalog: str) -> Path:
    """The cached semantic manifest of this catalog; `dbt parse` first when missing or stale."""
    cache = CACHE_DIR / catalog
    manifest = cache / "semantic_manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= newest_dbt_input():
        return manifest
    cache.mkdir(parents=True, exist_ok=True)
    parse_dir = shadow / "parse"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(shadow),
         "--target-path", str(parse_dir), "--log-path", str(cache / "logs"), "--no-partial-parse"],
        env=environment(shadow, catalog), capture_output=True, text=True,
    )
    if result.returncode != 0 or not (parse_dir / "semantic_manifest.json").exists():
        raise MetricsError(
            f"dbt parse van {DBT_PROJECT_DIR} is mislukt; de semantische laag (models/semantic) "
            f"kan niet worden gelezen:\n{result.stdout}{result.stderr}"
        )
    os.replace(parse_dir / "semantic_manifest.json", manifest)
    return manifest


def environment(shadow: Path, catalog: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DBT_PROFILES_DIR=str(shadow), DBT_PROJECT_DIR=str(shadow), DBT_LOG_PATH=str(CACHE_DIR / catalog / "logs"))
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


def mf(args: list[str], warehouse: Path) -> int:
    """Run `mf ARGS` against the warehouse file; returns mf's exit code."""
    return _in_shadow(["-m", "dbt_metricflow.cli.main", *args], warehouse)


def _require(warehouse: Path) -> None:
    if not warehouse.exists():
        raise MetricsError(f"Warehouse {warehouse} bestaat niet. Draai eerst `pdw run` (of `pdw demo`), "
                           "of geef het gepubliceerde bestand met --warehouse.")


def _in_shadow(python_args: list[str], warehouse: Path) -> int:
    """Run Python with `python_args` in a shadow project of the warehouse file; returns its exit code."""
    _require(warehouse)
    with tempfile.TemporaryDirectory(prefix=f"{warehouse.stem}-") as tmp:
        shadow = write_shadow_project(Path(tmp), warehouse)
        (shadow / "target").mkdir()
        shutil.copyfile(semantic_manifest(shadow, warehouse.stem), shadow / "target" / "semantic_manifest.json")
        return subprocess.run([sys.executable, *python_args], cwd=shadow, env=environment(shadow, warehouse.stem)).returncode


def write_compiled(target: str) -> None:
    """In a shadow project: the SQL MetricFlow runs for every saved query, as JSON {name: sql}."""
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    config = CLIConfiguration()
    config.setup()
    compiled = {}
    for name in [q.name for q in config.mf.list_saved_queries()]:
        statement = config.mf.explain(MetricFlowQueryRequest.create(saved_query_name=name)).sql_statement
        if statement.bind_parameter_set.param_dict:
            raise MetricsError(f"Saved query {name}: MetricFlow's SQL has parameters; export it with `mf query`")
        compiled[name] = statement.sql
    Path(target).write_text(json.dumps(compiled, indent=1), encoding="utf-8")


def compiled_saved_queries(warehouse: Path) -> dict[str, str]:
    """The SQL of every saved query, made by MetricFlow once per semantic manifest (cached beside it):
    an export then runs it on the warehouse without starting MetricFlow, which cost seconds a run."""
    with tempfile.TemporaryDirectory(prefix=f"{warehouse.stem}-") as tmp:
        manifest = semantic_manifest(write_shadow_project(Path(tmp), warehouse), warehouse.stem)
    cache = manifest.parent / "saved_queries.json"
    if not cache.exists() or cache.stat().st_mtime < manifest.stat().st_mtime:
        made = cache.with_suffix(f".{os.getpid()}.json")
        code = _in_shadow(["-c", "import sys; from pdw.metrics import write_compiled; write_compiled(sys.argv[1])",
                           str(made)], warehouse)
        if code != 0:
            raise MetricsError(f"MetricFlow kon de SQL van de saved queries niet maken voor {warehouse}")
        os.replace(made, cache)
    return json.loads(cache.read_text(encoding="utf-8"))


def export(warehouse: Path, names: list[str], out: Path) -> int:
    """Every (or the named) saved query as `<out>/<name>.csv` (the board tables), the way `mf query
    --csv` writes it (a header-only file when it has no rows), from MetricFlow's own SQL."""
    _require(warehouse)
    compiled = compiled_saved_queries(warehouse)
    unknown = sorted(set(names) - set(compiled))
    if unknown:
        raise MetricsError(f"Onbekende saved query {', '.join(unknown)}; bekend: {', '.join(compiled)}")
    out.mkdir(parents=True, exist_ok=True)
    with connect(warehouse, read_only=True) as con:
        for name in names or list(compiled):
            result = con.execute(compiled[name])
            with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow([column[0] for column in result.description])
                # MetricFlow hands decimals over as floats: the same text as `mf query --csv`
                writer.writerows([float(v) if isinstance(v, Decimal) else v for v in row] for row in result.fetchall())
            print(out / f"{name}.csv")
    return 0


def map_option_values(args: list[str]) -> list[str]:
    """mf runs in the shadow project: a relative `--csv FILE` is made absolute (from the user's
    working directory) and `--where` gets the short form translated (template_where)."""
    mapped: list[str] = []
    for i, value in enumerate(args):
        option = args[i - 1] if i > 0 else ""
        if option == "--csv":
            value = str(Path(value).resolve())
        elif option == "--where":
            value = template_where(value)
        mapped.append(value)
    return mapped


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pdw metrics", add_help=False,
        description="MetricFlow (mf) op het gepubliceerde warehouse. Overige opties gaan ongewijzigd naar mf; "
                    "`pdw metrics query --help` toont die van mf query. Zie docs/metrics.md.",
    )
    p.add_argument("command", choices=COMMANDS)
    p.add_argument("--warehouse", type=Path, help="DuckDB-bestand (standaard: het gepubliceerde warehouse, PDW_WAREHOUSE)")
    p.add_argument("--out", type=Path, help="export: map voor de CSV-bestanden (standaard <warehouse>/../exports)")
    return p


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        parser().print_help()
        return 0 if argv else 2
    args, rest = parser().parse_known_args(argv)
    if "--help" in rest and args.command != "export":
        mf_command = {"validate": "validate-configs"}.get(args.command, args.command)
        return subprocess.run([sys.executable, "-m", "dbt_metricflow.cli.main", mf_command, *rest]).returncode
    warehouse = (args.warehouse or Settings.from_env().warehouse).resolve()
    try:
        if args.command == "export":
            names = [v for flag, v in zip(rest, rest[1:]) if flag == "--saved-query"]
            return export(warehouse, names, (args.out or warehouse.parent / "exports").resolve())
        if args.command == "validate":
            mf_args = ["validate-configs", *rest]
        elif args.command == "list":
            mf_args = ["list", *(rest or ["metrics"])]
        else:
            mf_args = ["query", *map_option_values(rest)]
        return mf(mf_args, warehouse)
    except MetricsError as e:
        print(str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
