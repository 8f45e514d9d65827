"""The controllers' report `<reports_dir>/datakwaliteit.html` and the findings history.

The findings themselves are the dbt model marts.dq_bevindingen
(dbt_project/models/kwaliteit/dq_bevindingen.sql): loaders, cross-system checks and GX
results, one row per record, check and delivery, never a bsn or name.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import trends
from .dbt import ensure_manifest

TEMPLATES = Path(__file__).resolve().parent / "templates"
ERNST_ORDE = ("blokkerend", "waarschuwing", "info")
# The findings that stop publication: a blocked source (bron_geblokkeerd) does not, because it kept its
# last good raw state, so its marts stay as they were while the other sources publish.
HISTORY_TABLE = """
create schema if not exists kwaliteit;
create table if not exists kwaliteit.dq_historie (
    run_id varchar, gemaakt_op timestamp, bron varchar, object varchar, controle varchar, ernst varchar,
    aantal bigint);
"""
def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, table]).fetchone()[0])


def record_history(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Append this run's counts of marts.dq_bevindingen (the dbt model) to kwaliteit.dq_historie."""
    con.execute(HISTORY_TABLE)
    con.execute("delete from kwaliteit.dq_historie where run_id = ?", [run_id])
    con.execute("""insert into kwaliteit.dq_historie
                   select run_id, current_localtimestamp(), bron, object, controle, ernst, count(*)
                   from marts.dq_bevindingen group by all""")
    counts = dict(con.execute("select ernst, count(*) from marts.dq_bevindingen group by 1").fetchall())
    return {e: counts.get(e, 0) for e in ERNST_ORDE}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _bedrag(value) -> str:
    if value is None:
        return ""
    return f"{float(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _marts_per_bron() -> dict[str, list[str]]:
    """The marts downstream of each source system (raw_civision, raw_erp, ...), from the dbt manifest."""
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    parents = manifest["parent_map"]

    def sources(node: str, seen: set[str]) -> set[str]:
        if node in seen:
            return set()
        seen.add(node)
        if node.startswith("source."):
            return {manifest["sources"][node]["source_name"].removeprefix("raw_")}
        return set().union(*(sources(p, seen) for p in parents.get(node, [])))

    marts: dict[str, list[str]] = {}
    for node in sorted(manifest["nodes"]):
        model = manifest["nodes"][node]
        if node.startswith("model.") and model["original_file_path"].startswith("models/marts/"):
            for system in sources(node, set()):
                marts.setdefault(system, []).append(model.get("alias") or model["name"])  # the table users query
    return {system: sorted(names) for system, names in marts.items()}


def blocked_sources(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per source this run could not read: since when its data (and so its marts) stand still."""
    if not _exists(con, "raw_meta", "quarantaine"):
        return []
    rows = _rows(con, """
        select q.systeem, q.bestand, q.omschrijving,
               case when q.systeem = 'erp'
                    then (select cast(max(geladen_op) as date) from raw_meta.erp_watermerk
                          where 'erp/' || organisatie = q.bestand)
                    else (select max(levering) from raw_meta.leveringen l where l.systeem = q.systeem)
               end as laatst_bijgewerkt
        from raw_meta.quarantaine q where controle = 'bron_geblokkeerd' order by q.bestand""")
    marts = _marts_per_bron() if rows else {}
    for r in rows:
        r["marts"] = ", ".join(marts.get(r["systeem"], []))
        r["dagen_oud"] = None if r["laatst_bijgewerkt"] is None else (date.today() - r["laatst_bijgewerkt"]).days
    return rows


def report_data(con: duckdb.DuckDBPyConnection, run_id: str, geblokkeerd: bool, reden: str | None = None) -> dict:
    data: dict = {"run_id": run_id, "gemaakt_op": datetime.now().strftime("%d-%m-%Y %H:%M"),
                  "geblokkeerd": geblokkeerd, "reden": reden, "leveringen": [], "gx": [], "samenvatting": [], "bevindingen": [],
                  "aansluiting": [], "historie": [], "totalen": {e: 0 for e in ERNST_ORDE},
                  "geblokkeerde_bronnen": blocked_sources(con), "stopt_publicatie": 0}
    if _exists(con, "raw_meta", "leveringen"):
        data["leveringen"] = _rows(con, """
            select systeem, object, count(*) as leveringen, max(levering) as laatste_levering,
                   sum(rijen) as rijen, sum(gequarantaineerd) as gequarantaineerd, sum(gemarkeerd) as gemarkeerd,
                   arg_max(rijen, levering) as rijen_laatste, array_to_string(list_distinct(flatten(list(extra_kolommen))), ', ') as extra_kolommen
            from raw_meta.leveringen group by all order by systeem, object""")
    if _exists(con, "kwaliteit", "gx_resultaten"):
        data["gx"] = _rows(con, """
            select suite, asset, controle, kolom, ernst, afwijkend, fout, voorbeelden, levering, steekproef
            from kwaliteit.gx_resultaten
            where not geslaagd and (suite, run_id) in (select (suite, arg_max(run_id, gevalideerd_op))
                                                       from kwaliteit.gx_resultaten group by suite)
            order by case ernst when 'blokkerend' then 0 when 'waarschuwing' then 1 else 2 end, suite, controle""")
        for r in data["gx"]:
            r["voorbeelden"] = ", ".join(json.loads(r["voorbeelden"] or "[]"))
        data["gx_aantal"] = con.execute("select count(distinct suite) from kwaliteit.gx_resultaten").fetchone()[0]
    if _exists(con, "marts", "dq_bevindingen"):
        data["samenvatting"] = _rows(con, """
            with b as (
                select bron, object, controle, ernst, sleutel, count(*) as n,
                       row_number() over (partition by bron, object, controle, ernst order by sleutel) as rn
                from marts.dq_bevindingen group by bron, object, controle, ernst, sleutel)
            select bron, object, controle, ernst, sum(n) as aantal, count(*) as sleutels,
                   string_agg(sleutel, ', ' order by sleutel) filter (where rn <= 5) as voorbeelden
            from b
            group by bron, object, controle, ernst
            order by case ernst when 'blokkerend' then 0 when 'waarschuwing' then 1 else 2 end, bron, object, controle""")
        data["bevindingen"] = _rows(con, """
            select * from marts.dq_bevindingen
            order by case ernst when 'blokkerend' then 0 when 'waarschuwing' then 1 else 2 end, bron, object, controle, sleutel
            limit 1000""")
        data["bevindingen_totaal"] = con.execute("select count(*) from marts.dq_bevindingen").fetchone()[0]
        for ernst, n in con.execute("select ernst, count(*) from marts.dq_bevindingen group by 1").fetchall():
            data["totalen"][ernst] = n
        data["stopt_publicatie"] = con.execute(
            "select count(*) from marts.dq_bevindingen where stopt_publicatie").fetchone()[0]
    if _exists(con, "kwaliteit", "dq_aansluiting_uitkeringen"):
        data["aansluiting"] = [
            {**r, "civision": _bedrag(r["civision_bedrag"]), "erp": _bedrag(r["erp_lasten"]),
             "verschil_tekst": _bedrag(r["verschil"]),
             "pct": "" if r["verschil_pct"] is None else f"{r['verschil_pct']:.2f}".replace(".", ",")}
            for r in _rows(con, "select * from kwaliteit.dq_aansluiting_uitkeringen order by organisatie, gemeente, maand")]
        data["aansluiting_buiten"] = sum(1 for r in data["aansluiting"] if not r["binnen_tolerantie"])
    if _exists(con, "kwaliteit", "dq_historie"):
        data["historie"] = _rows(con, """
            select run_id, min(gemaakt_op) as gemaakt_op,
                   sum(aantal) filter (where ernst = 'blokkerend') as blokkerend,
                   sum(aantal) filter (where ernst = 'waarschuwing') as waarschuwing,
                   sum(aantal) filter (where ernst = 'info') as info
            from kwaliteit.dq_historie group by run_id order by min(gemaakt_op) desc limit 20""")
    data.update(trends.report_parts(con))
    return data


def write_report(con: duckdb.DuckDBPyConnection, reports_dir: Path, run_id: str, geblokkeerd: bool = False,
                 reden: str | None = None) -> Path:
    """Render the self-contained Dutch HTML report; GX Data Docs sit next to it in gx/.
    `reden`: why the run stopped (a run that stops still writes its report)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    html = env.get_template("datakwaliteit.html.j2").render(**report_data(con, run_id, geblokkeerd, reden),
                                                            gx_docs="gx/index.html", dbt_docs="../docs/index.html")
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / "datakwaliteit.html"
    tmp = path.with_suffix(".html.nieuw")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
