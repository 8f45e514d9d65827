"""Forecast with an 80% band for every usable target of seeds/doelen.csv (int_doelen) and every
peilmaand of its year: pdw.prognose on the KPI's own monthly series (docs/planning_en_control.md),
within the range of the KPI's unit; a forecast whose input did not change since the previous build is
taken from it."""
import pandas as pd

from pdw.contract import EENHEID_BEREIK, kpi_eenheid
from pdw.prognose import eerdere, reeksen, voorspel_alle

KOLOMMEN = {"organisatie": "string", "gemeente": "string", "kpi": "string", "doelperiode": "string",
            "peilmaand": "string", "berekening": "string", "eenheid": "string", "prognose": "float64",
            "prognose_laag": "float64", "prognose_hoog": "float64", "norm": "float64", "richting": "string",
            "invoer": "string"}


def model(dbt, session):
    dbt.config(materialized="table")
    doelen = dbt.ref("int_doelen").filter("is_bruikbaar").df()
    per_reeks = reeksen(dbt.ref("int_kpi_maand_alle").df())
    eerder = eerdere(session, dbt.this, ["prognose", "prognose_laag", "prognose_hoog"])
    taken, doel_rijen = [], []
    for doel in doelen.itertuples():
        reeks = per_reeks.get((doel.organisatie, "" if pd.isna(doel.gemeente) else doel.gemeente, doel.kpi))
        eenheid = kpi_eenheid(doel.kpi, doel.berekening)
        if reeks is not None:
            taken.append((doel.berekening, reeks, pd.Timestamp(doel.van), pd.Timestamp(doel.tot), EENHEID_BEREIK[eenheid]))
            doel_rijen.append((doel, eenheid))
    rijen = [(doel.organisatie, doel.gemeente, doel.kpi, doel.periode, peilmaand, doel.berekening, eenheid,
              prognose, laag, hoog, doel.norm, doel.richting, invoer)
             for (doel, eenheid), voorspeld in zip(doel_rijen, voorspel_alle(taken, eerder))
             for peilmaand, prognose, laag, hoog, invoer in voorspeld]
    return pd.DataFrame(rijen, columns=list(KOLOMMEN)).astype(KOLOMMEN)  # typed, also when empty
