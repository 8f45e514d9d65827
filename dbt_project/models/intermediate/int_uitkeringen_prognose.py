"""Caseload forecast per organisatie, gemeente, year and peilmaand: the mean month-end number of
benefits of the year (uitkeringen_eindstand, combined as uitkeringen_gemiddeld) with its 80% band,
by pdw.prognose (docs/planning_en_control.md), fitted again only where its input changed since the previous
build. The settlement per gemeente prices it."""
import pandas as pd

from pdw.prognose import eerdere, reeksen, voorspel

KOLOMMEN = {"organisatie": "string", "gemeente": "string", "jaar": "int32", "peilmaand": "string",
            "uitkeringen_gemiddeld": "float64", "uitkeringen_gemiddeld_laag": "float64",
            "uitkeringen_gemiddeld_hoog": "float64", "invoer": "string"}


def model(dbt, session):
    dbt.config(materialized="table")
    maanden = dbt.ref("int_kpi_maand").filter("kpi = 'uitkeringen_eindstand' and gemeente is not null").df()
    eerder = eerdere(session, dbt.this, ["uitkeringen_gemiddeld", "uitkeringen_gemiddeld_laag",
                                         "uitkeringen_gemiddeld_hoog"])
    rijen = []
    for (organisatie, gemeente, _), reeks in reeksen(maanden).items():
        for jaar in sorted(reeks.maand.dt.year.unique()):
            rijen.extend((organisatie, gemeente, int(jaar), peilmaand, prognose, laag, hoog, invoer)
                         for peilmaand, prognose, laag, hoog, invoer in
                         voorspel("gemiddelde", reeks, pd.Timestamp(int(jaar), 1, 1), pd.Timestamp(int(jaar), 12, 1),
                                  eerder=eerder))
    return pd.DataFrame(rijen, columns=list(KOLOMMEN)).astype(KOLOMMEN)  # typed, also when empty
