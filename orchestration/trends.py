"""Trends for the data-quality report: findings per check over deliveries and runs, the
Civision-ERP reconciliation over months, and what changed since the previous run.

Charts are Vega-Lite specifications built with Altair and rendered to SVG when the report
is written (vl-convert, Dutch number and date format), so the report stays one static page
that needs no network, no JavaScript and no browser to draw.

History: `kwaliteit.dq_historie` (counts per run and check, written by report.record_history)
and `kwaliteit.dq_bevindingen_vorige`, the findings of the previous run, kept by
`keep_previous` just before a new run replaces `marts.dq_bevindingen`.
"""
import altair as alt
import duckdb
import vl_convert as vlc

ERNST_KLEUR = alt.Scale(domain=["blokkerend", "waarschuwing", "info"], range=["#c62828", "#f9a825", "#1e88e5"])
RUNS_IN_TREND = 20
TOLERANTIE_PCT = 0.5


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, table]).fetchone()[0])


def keep_previous(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Before this run's findings replace the table: keep the previous run's (once per run,
    also when a blocking check writes the findings more than once)."""
    if not _exists(con, "marts", "dq_bevindingen"):
        return
    if con.execute("select count(*) from marts.dq_bevindingen where run_id = ?", [run_id]).fetchone()[0]:
        return
    con.execute("create schema if not exists kwaliteit")
    con.execute("create or replace table kwaliteit.dq_bevindingen_vorige as select * from marts.dq_bevindingen")


def svg(chart: alt.TopLevelMixin) -> str:
    return vlc.vegalite_to_svg(chart.to_dict(), format_locale="nl-NL", time_format_locale="nl-NL")


def _small_multiples(chart: alt.Chart, facet: str) -> alt.FacetChart:
    return (chart.properties(width=210, height=60)
            .facet(facet=alt.Facet(f"{facet}:N", title=None, header=alt.Header(labelFontSize=11, labelLimit=0)),
                   columns=4)
            .resolve_scale(y="independent"))


def chart_per_levering(con: duckdb.DuckDBPyConnection) -> str | None:
    """Findings per check and delivery: does a check fire on every delivery or on one?"""
    df = con.execute("""
        select bron || ' · ' || object || ' · ' || controle as controle, ernst, levering, count(*) as bevindingen
        from marts.dq_bevindingen where levering is not null group by all order by all""").df()
    if df.empty:
        return None
    bars = alt.Chart(df).mark_bar(width=3).encode(
        x=alt.X("levering:T", title=None, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=4)),
        y=alt.Y("bevindingen:Q", title=None, axis=alt.Axis(tickCount=3, format="~s")),
        color=alt.Color("ernst:N", scale=ERNST_KLEUR, title="ernst"))
    return svg(_small_multiples(bars, "controle"))


def chart_per_run(con: duckdb.DuckDBPyConnection) -> str | None:
    """Findings per check over the last runs; a check absent from a run counts 0 there."""
    df = con.execute(f"""
        with runs as (
            select run_id, min(gemaakt_op) as gemaakt_op from kwaliteit.dq_historie
            group by run_id order by gemaakt_op desc limit {RUNS_IN_TREND}),
        controles as (select distinct bron, object, controle, ernst from kwaliteit.dq_historie
                      where run_id in (select run_id from runs))
        select c.bron || ' · ' || c.object || ' · ' || c.controle as controle, c.ernst, r.gemaakt_op as run,
               coalesce(sum(h.aantal), 0) as bevindingen
        from runs r cross join controles c
        left join kwaliteit.dq_historie h on h.run_id = r.run_id and (h.bron, h.object, h.controle, h.ernst)
            = (c.bron, c.object, c.controle, c.ernst)
        group by all order by all""").df()
    if df.empty:
        return None
    lines = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("run:T", title=None, axis=alt.Axis(format="%d-%m %H:%M", labelAngle=0, tickCount=3)),
        y=alt.Y("bevindingen:Q", title=None, scale=alt.Scale(zero=True), axis=alt.Axis(tickCount=3, format="~s")),
        color=alt.Color("ernst:N", scale=ERNST_KLEUR, title="ernst"))
    return svg(_small_multiples(lines, "controle"))


def chart_aansluiting(con: duckdb.DuckDBPyConnection) -> str | None:
    """Difference ERP minus Civision in % per gemeente and month, with the tolerance band."""
    df = con.execute("""
        select coalesce(gemeente_naam, gemeente) as gemeente, maand, verschil_pct,
               case when binnen_tolerantie then 'binnen 0,5%' else 'buiten 0,5%' end as tolerantie
        from kwaliteit.dq_aansluiting_uitkeringen where verschil_pct is not null order by all""").df()
    if df.empty:
        return None
    base = alt.Chart(df).encode(x=alt.X("maand:T", title=None, axis=alt.Axis(format="%Y")))
    band = alt.Chart(alt.Data(values=[{"van": -TOLERANTIE_PCT, "tot": TOLERANTIE_PCT}])).mark_rect(
        color="#dcf3dc").encode(y="van:Q", y2="tot:Q")
    lines = base.mark_line(strokeWidth=1.2).encode(
        y=alt.Y("verschil_pct:Q", title="verschil ERP − Civision (%)"),
        color=alt.Color("gemeente:N", title="gemeente"))
    outside = base.transform_filter(alt.datum.tolerantie == "buiten 0,5%").mark_point(
        color="#c62828", size=40, filled=True).encode(y="verschil_pct:Q")
    return svg(alt.layer(band, lines, outside).properties(width=760, height=240))


def changes(con: duckdb.DuckDBPyConnection) -> dict:
    """Per check: findings now and in the previous run, records that are new and records that went away."""
    if not _exists(con, "kwaliteit", "dq_bevindingen_vorige"):
        return {"vorige_run": None, "veranderingen": []}
    vorige_run = con.execute("select any_value(run_id) from kwaliteit.dq_bevindingen_vorige").fetchone()[0]
    rows = con.execute("""
        with nu as (select bron, object, controle, ernst, sleutel, levering from marts.dq_bevindingen),
             vorig as (select bron, object, controle, ernst, sleutel, levering from kwaliteit.dq_bevindingen_vorige),
             alle as (
                 select *, 'nu' as soort from nu
                 union all select *, 'vorig' from vorig
                 union all select *, 'nieuw' from (select * from nu except select * from vorig)
                 union all select *, 'weg' from (select * from vorig except select * from nu))
        select bron, object, controle, ernst,
               count(*) filter (where soort = 'vorig') as vorig, count(*) filter (where soort = 'nu') as nu,
               count(*) filter (where soort = 'nieuw') as nieuw, count(*) filter (where soort = 'weg') as weg,
               list(sleutel order by sleutel) filter (where soort = 'nieuw') as nieuw_sleutels,
               list(sleutel order by sleutel) filter (where soort = 'weg') as weg_sleutels
        from alle
        group by bron, object, controle, ernst
        having count(*) filter (where soort in ('nieuw', 'weg')) > 0
        order by case ernst when 'blokkerend' then 0 when 'waarschuwing' then 1 else 2 end, bron, object, controle""").df()
    veranderingen = []
    for r in rows.to_dict("records"):
        for k in ("nieuw_sleutels", "weg_sleutels"):
            keys = list(r[k]) if r[k] is not None else []
            r[k] = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
        veranderingen.append(r)
    return {"vorige_run": vorige_run, "veranderingen": veranderingen}


def report_parts(con: duckdb.DuckDBPyConnection) -> dict:
    """What the report template shows in its trend sections."""
    parts = {"grafiek_leveringen": None, "grafiek_runs": None, "grafiek_aansluiting": None}
    if _exists(con, "marts", "dq_bevindingen"):
        parts["grafiek_leveringen"] = chart_per_levering(con)
        parts.update(changes(con))
    if _exists(con, "kwaliteit", "dq_historie"):
        parts["grafiek_runs"] = chart_per_run(con)
    if _exists(con, "kwaliteit", "dq_aansluiting_uitkeringen"):
        parts["grafiek_aansluiting"] = chart_aansluiting(con)
    return parts
