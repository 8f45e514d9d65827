"""Caseload forecast per organisatie, gemeente, year and peilmaand: the mean month-end number of
benefits of the year (uitkeringen_eindstand, combined as uitkeringen_gemiddeld) with its 80% band,
by pdw.prognose (docs/planning_en_control.md), fitted again only where its input changed since the previous
build. The settlement per gemeente prices it."""
import pandas as pd

from pdw.prognose import ONBEGRENSD, eerdere, reeksen, voorspel_alle

KOLOMMEN = {"organisatie": "string", "gemeente": "string", "jaar": "int32", "peilmaand": "string",
            "uitkeringen_gemiddeld": "float64", "uitkeringen_gemiddeld_laag": "float64",
            "uitkeringen_gemiddeld_hoog": "float64", "invoer": "string"}


def model(dbt, session):
    dbt.config(materialized="table")
    maanden = dbt.ref("int_kpi_maand").filter("kpi = 'uitkeringen_eindstand' and gemeente is not null").df()
    eerder = eerdere(session, dbt.this, ["uitkeringen_gemiddeld", "uitkeringen_gemiddeld_laag",
                                         "uitkeringen_gemiddeld_hoog"])
    sleutels, taken = [], []
    for (organisatie, gemeente, _), reeks in reeksen(maanden).items():
        for jaar in sorted(reeks.maand.dt.year.unique()):
            sleutels.append((organisatie, gemeente, int(jaar)))
            taken.append(("gemiddelde", reeks, pd.Timestamp(int(jaar), 1, 1), pd.Timestamp(int(jaar), 12, 1), ONBEGRENSD))
    rijen = [(*sleutel, peilmaand, prognose, laag, hoog, invoer)
             for sleutel, voorspeld in zip(sleutels, voorspel_alle(taken, eerder))
             for peilmaand, prognose, laag, hoog, invoer in voorspeld]
    return pd.DataFrame(rijen, columns=list(KOLOMMEN)).astype(KOLOMMEN)  # typed, also when empty
