"""The report's charts: Vega-Lite built with Altair, drawn to SVG at build time (vl-convert,
Dutch number and month format, see orchestration/trends.py), so the HTML and the PDF carry
them inline and need no browser or network to draw."""
import altair as alt
import pandas as pd

from ..trends import svg

REEKS_KLEUR = ["#1f4e79", "#9e9e9e", "#e07b00"]  # realisatie, begroot, landelijk


def indexcijfers(df: pd.DataFrame, reeksen: list[str]) -> str:
    """Benefits as an index against the budgeted path and the national trend (the 2018 report's
    chart); `df` has `maand` (date), `reeks`, `indexcijfer`; a series may have a few points only."""
    kleur = alt.Color("reeks:N", title=None, sort=reeksen,
                      scale=alt.Scale(domain=reeksen, range=REEKS_KLEUR[:len(reeksen)]),
                      legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=0))
    basis = alt.Chart(df).encode(
        x=alt.X("maand:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=8, grid=False)),
        y=alt.Y("indexcijfer:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.1~f", tickCount=5)),
        color=kleur)
    lijnen = basis.mark_line(strokeWidth=2.5).encode(strokeDash=alt.condition(
        alt.datum.reeks == reeksen[1], alt.value([6, 4]), alt.value([1, 0])))
    punten = basis.mark_point(filled=True, size=40)
    return svg((lijnen + punten).properties(width=600, height=230).configure_view(stroke=None))


def verloop(df: pd.DataFrame, aandeel: bool) -> str:
    """A small chart of one key figure over the months up to the peildatum; `df` has `maand`, `waarde`."""
    basis = alt.Chart(df).encode(
        x=alt.X("maand:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, grid=False, labelFontSize=8,
                                                     tickCount={"interval": "month", "step": 6})),
        y=alt.Y("waarde:Q", title=None, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=".1~%" if aandeel else ",.0f", tickCount=3, labelFontSize=8)))
    lijn = basis.mark_line(color=REEKS_KLEUR[0], strokeWidth=1.8)
    laatste = basis.transform_window(rang="rank()", sort=[alt.SortField("maand", order="descending")]) \
        .transform_filter(alt.datum.rang == 1).mark_point(filled=True, color=REEKS_KLEUR[2], size=30)
    return svg((lijn + laatste).properties(width=190, height=55).configure_view(stroke=None))
