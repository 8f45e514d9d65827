"""The semantic layer: MetricFlow's configs are valid, and every KPI metric answers exactly
what marts.kpi holds, per municipality and organisation, per month and per year."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import pytest
import yaml

from pdw import metrics
from pdw.contract import kpi_bron
from pdw.settings import PROJECT_DIR

MODELS_DIR = PROJECT_DIR / "dbt_project" / "models"
# The only (KPI, period kind) that MetricFlow cannot express: a mean of monthly shares (see docs/metrics.md).
MART_ONLY = {("aandeel_deeltijdarbeid", "jaar")}
# The sources added after the core whose KPIs are metrics (issue 13); those of later sources are not all yet.
METRIC_BRONNEN = {"hr", "kcc", "tevredenheid", "zaken"}
# KPIs that MetricFlow cannot express at all (docs/metrics.md): the fte of Wsw staff per period, fte-days over
# the days of the period, has a denominator that no measure holds once per period for the organisation; the
# change against the period before; persons counted in the municipality of their latest zaak of the period.
NIET_IN_METRICFLOW = ("sw_fte", "klachten_aantal_mutatie", "kindpakket_gezinnen_", "vrijwilligerspremies")
TOLERANCE = 1e-9


def metric_definitions() -> list[dict]:
    """Every metric of the metrics layer (one yml per domain beside its models)."""
    return [m for path in sorted(MODELS_DIR.rglob("*.yml"))
            for m in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("metrics", [])]


def metric_names() -> set[str]:
    return {m["name"] for m in metric_definitions()}


def kpi_codes() -> set[str]:
    """The KPI codes of the reference figures (seeds) and of the metrics that marts.kpi holds. Targets
    (doelen.csv) may name KPIs whose source is not built yet: those are quality findings
    (dq_controle_doelen, tests/test_quality_demo.py). Of the sources added after the core
    (pdw.contract.KPI_BRONNEN) only those of METRIC_BRONNEN are metrics, but NIET_IN_METRICFLOW."""
    with (PROJECT_DIR / "seeds" / "kalibratie.csv").open(newline="", encoding="utf-8") as f:
        codes = {row["kpi"] for row in csv.DictReader(f)
                 if kpi_bron(row["kpi"]) in {None, *METRIC_BRONNEN} and not row["kpi"].startswith(NIET_IN_METRICFLOW)}
    return codes | {m["name"] for m in metric_definitions() if m.get("config", {}).get("meta", {}).get("berekening")}


def query_csv(warehouse: Path, names: list[str], group_by: str, out: Path) -> list[dict[str, str]]:
    code = metrics.main(["query", "--warehouse", str(warehouse), "--metrics", ",".join(names),
                         "--group-by", group_by, "--csv", str(out), "--quiet"])
    assert code == 0, f"mf query {names} {group_by} faalde"
    with out.open(newline="") as f:
        return list(csv.DictReader(f))


def number(value: str | None) -> float | None:
    return None if value in (None, "", "None", "nan") else float(value)


def compare_with_mart(warehouse: Path, work: Path) -> tuple[list[str], int]:
    """Every marts.kpi month and year row (organisatie/gemeente) against MetricFlow (ranges are no MetricFlow
    grain); returns differences."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = con.execute("select organisatie, gemeente, kpi, periode, periode_soort, berekening, waarde from marts.kpi "
                           "where periode_soort in ('maand', 'jaar')").fetchall()
    names = sorted({row[2] for row in mart} & metric_names())
    answers: dict[tuple, float | None] = {}
    for grain, soort in (("month", "maand"), ("year", "jaar")):
        for level in ("gemeente", "organisatie"):
            rows = query_csv(warehouse, names, f"metric_time__{grain},{level}", work / f"{grain}_{level}.csv")
            for row in rows:
                periode = row[f"metric_time__{grain}"][: 7 if grain == "month" else 4]
                for name in names:
                    answers[(level, row[level], name, periode, soort)] = number(row.get(name))
    differences, compared = [], 0
    for organisatie, gemeente, kpi, periode, soort, berekening, waarde in mart:
        if kpi not in names or (kpi, soort) in MART_ONLY:
            continue
        level, key = ("gemeente", gemeente) if gemeente else ("organisatie", organisatie)
        found = answers.get((level, key, kpi, periode, soort))
        if found is None and berekening in ("telling", "stand", "gemiddelde"):
            found = 0.0  # MetricFlow has no row where nothing was counted
        compared += 1
        same = (found is None and waarde is None) or (
            found is not None and waarde is not None and math.isclose(found, waarde, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
        )
        if not same:
            differences.append(f"{kpi} {key} {periode}: marts.kpi={waarde} metricflow={found}")
    return differences, compared


def test_every_kpi_of_the_contract_is_a_metric():
    missing = kpi_codes() - metric_names()
    assert len(kpi_codes()) >= 40
    assert not missing, f"KPI's zonder metric: {sorted(missing)}"


def test_where_short_form_becomes_metricflow_template():
    assert metrics.template_where("metric_time__month = '2018-02-01'") == (
        "{{ TimeDimension('metric_time', 'month') }} = '2018-02-01'"
    )
    assert metrics.template_where("uitkering__regeling = 'PW' and gemeente = 'GM0622'") == (
        "{{ Dimension('uitkering__regeling') }} = 'PW' and {{ Entity('gemeente') }} = 'GM0622'"
    )
    assert metrics.template_where("x = 'a__b'") == "x = 'a__b'"
    templated = "{{ TimeDimension('metric_time', 'month') }} = '2018-02-01'"
    assert metrics.template_where(templated) == templated


def test_validate_configs(tmp_path):
    """mf validate-configs on the semantic manifest (without a warehouse: --skip-dw)."""
    warehouse = tmp_path / "pdw.duckdb"
    duckdb.connect(str(warehouse)).close()
    assert metrics.main(["validate", "--warehouse", str(warehouse), "--skip-dw"]) == 0


def test_unknown_warehouse_is_reported(tmp_path, capsys):
    assert metrics.main(["list", "--warehouse", str(tmp_path / "bestaat-niet.duckdb")]) == 2
    assert "bestaat niet" in capsys.readouterr().err


@pytest.mark.timeout(900)
def test_metrics_equal_marts_kpi(demo_world, tmp_path):
    warehouse = demo_world.settings.warehouse
    differences, compared = compare_with_mart(warehouse, tmp_path)
    assert compared > 1000
    assert not differences, f"{len(differences)} van {compared} verschillen, bijv.:\n" + "\n".join(differences[:30])


@pytest.mark.timeout(900)
def test_validate_against_published_warehouse_and_export(demo_world, tmp_path):
    warehouse = demo_world.settings.warehouse
    assert metrics.main(["validate", "--warehouse", str(warehouse)]) == 0
    assert metrics.main(["export", "--warehouse", str(warehouse), "--out", str(tmp_path)]) == 0
    tabel = list(csv.DictReader((tmp_path / "uitkeringen_maandtabel.csv").open(newline="")))
    assert {r["gemeente"] for r in tabel} >= {"GM0556", "GM0622", "GM0606"}
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "doelen_tabel.csv", "financien_peiltabel.csv", "gemeente_afrekening_tabel.csv", "jaaroverzicht_organisatie.csv",
        "reintegratie_trechter.csv", "schuldhulp_tabel.csv", "uitkeringen_maandtabel.csv",
    ]
    # the export runs MetricFlow's SQL without MetricFlow: the rows are those of `mf query`
    asked = tmp_path / "mf" / "financien_peiltabel.csv"  # euro amounts: decimals in the warehouse
    asked.parent.mkdir()
    assert metrics.main(["query", "--saved-query", "financien_peiltabel", "--csv", str(asked), "--warehouse", str(warehouse)]) == 0
    exported = (tmp_path / "financien_peiltabel.csv").read_text().splitlines()
    assert exported[0] == asked.read_text().splitlines()[0] and len(exported) > 100
    assert sorted(exported) == sorted(asked.read_text().splitlines())


@pytest.mark.timeout(900)
def test_planning_saved_queries_equal_the_marts(demo_world, tmp_path):
    """The board tables doelen_tabel and gemeente_afrekening_tabel (MetricFlow) hold the marts' rows and figures
    (a forecast without value, such as a survey's in a year without survey, has none in either)."""
    warehouse = demo_world.settings.warehouse
    assert metrics.main(["export", "--warehouse", str(warehouse), "--out", str(tmp_path),
                         "--saved-query", "doelen_tabel", "--saved-query", "gemeente_afrekening_tabel"]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        doelen = con.execute(
            "select count(*), count(*) filter (where s.doelstand__status is not distinct from m.status and "
            "(abs(s.doel_prognose - m.prognose) <= 1e-9 * abs(m.prognose) or s.doel_prognose is null and m.prognose is null) "
            "and s.doel_norm = m.norm), (select count(*) from marts.doelen_stand) "
            "from read_csv(?) as s join marts.doelen_stand as m on m.organisatie = s.organisatie "
            "and m.gemeente is not distinct from s.gemeente and m.kpi = s.doelstand__kpi "
            "and m.doelperiode = s.doelstand__doelperiode and m.peilmaand = strftime(s.metric_time__month, '%Y-%m')",
            [str(tmp_path / "doelen_tabel.csv")]).fetchone()
        afrekening = con.execute(
            "select count(*), count(*) filter (where s.afrekening_uitkeringslasten_jaarprognose "
            "= m.uitkeringslasten_jaarprognose and s.afrekening_buig_risico is not distinct from m.buig_risico), "
            "(select count(*) from marts.gemeente_afrekening) "
            "from read_csv(?) as s join marts.gemeente_afrekening as m on m.organisatie = s.organisatie "
            "and m.gemeente = s.gemeente and m.peilmaand = strftime(s.metric_time__month, '%Y-%m')",
            [str(tmp_path / "gemeente_afrekening_tabel.csv")]).fetchone()
    assert doelen[0] == doelen[1] == doelen[2] > 400
    assert afrekening[0] == afrekening[1] == afrekening[2] > 400
