"""Forecast with an 80% band for every usable target of seeds/doelen.csv (int_doelen) and every
peilmaand of its year (docs/planning_en_control.md).

Per series (organisatie, gemeente, the KPI's teller or noemer) and peilmaand, one exponential
smoothing model (statsmodels ETS: level, damped trend and, with two years of history, an additive
season) is fitted on the monthly history up to the peilmaand. Its simulated paths of the months
still to come are combined with the actual months the way the KPI's berekening combines months
(flows summed, stocks at the period end, shares from the summed teller and noemer, means over the
months); the point forecast combines the model's mean forecasts the same way and the band is the
10th to 90th percentile of the combined paths. Counts never go below 0, shares stay within 0 and 1.
"""
import warnings
from functools import cache

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

PADEN = 1000
BAND = [10, 90]
SEIZOEN = 12
KOLOMMEN = ["organisatie", "gemeente", "kpi", "doelperiode", "peilmaand", "berekening", "prognose",
            "prognose_laag", "prognose_hoog", "norm", "richting"]


def _voorspel(reeks: tuple, horizon: int, bovengrens: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
    """Point forecast (horizon,) and simulated paths (horizon, PADEN) of a monthly series, within
    [0, bovengrens]: the mean of two models, one with a damped trend and one without (a trend may
    stop), and half of the paths from each, so that the band holds both."""
    y = np.asarray(reeks, dtype=float)
    if len(y) < 4 or np.ptp(y) == 0:  # nothing to learn a spread from: the last value stays
        punt = np.full(horizon, y[-1])
        return punt, np.repeat(punt[:, None], PADEN, axis=1)
    resultaten = [_pas_toe(reeks, trend) for trend in (True, False)]
    punt = np.mean([r.forecast(horizon) for r in resultaten], axis=0)
    paden = np.hstack([np.asarray(r.simulate(horizon, repetitions=PADEN // 2, anchor="end",
                                             rng=np.random.default_rng(0))).reshape(horizon, -1) for r in resultaten])
    return np.clip(punt, 0, bovengrens), np.clip(paden, 0, bovengrens)


@cache
def _pas_toe(reeks: tuple, trend: bool):
    seizoen = len(reeks) >= 2 * SEIZOEN
    model = ETSModel(np.asarray(reeks, dtype=float), error="add", trend="add" if trend else None, damped_trend=trend,
                     seasonal="add" if seizoen else None, seasonal_periods=SEIZOEN if seizoen else None,
                     # with two years the initial states are read off the data (classical decomposition), which
                     # makes the fit some thirty times faster than estimating twelve seasonal states
                     initialization_method="heuristic" if seizoen else "estimated")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the optimiser on short or flat series
        return model.fit(disp=False)


def _maandaandelen(teller: np.ndarray, noemer: np.ndarray) -> tuple | None:
    """The monthly shares as a series without gaps (a month without noemer takes the previous share)."""
    aandeel = pd.Series(np.where(noemer > 0, teller / np.where(noemer > 0, noemer, 1), np.nan)).ffill().bfill()
    return None if aandeel.isna().all() else tuple(aandeel)


def _deel(teller, noemer):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(np.where(noemer > 0, teller / np.where(noemer > 0, noemer, 1), np.nan), 0, 1)


def _combineer(berekening: str, teller, noemer) -> np.ndarray:
    """Months (rows) into the target period's value per column, as marts.kpi combines them."""
    if berekening == "telling":
        return teller.sum(axis=0)
    if berekening == "aandeel":
        return _deel(teller.sum(axis=0), noemer.sum(axis=0))
    if berekening == "stand":
        return teller[-1]
    if berekening == "stand_aandeel":
        return _deel(teller[-1], noemer[-1])
    if berekening == "gemiddelde":
        return teller.mean(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a month without noemer has no share
        return np.nanmean(_deel(teller, noemer), axis=0)


def _doel(doel, reeks: pd.DataFrame) -> list[tuple]:
    """One row per peilmaand: the months of the target's year (from its start if earlier) up to its end."""
    begin = min(doel.van, pd.Timestamp(doel.tot.year, 1, 1))
    rijen = []
    for peil in reeks.maand[(reeks.maand >= begin) & (reeks.maand <= doel.tot)]:
        verleden = reeks[reeks.maand <= peil]
        werkelijk = verleden[verleden.maand >= doel.van]
        horizon = (doel.tot.year - peil.year) * 12 + doel.tot.month - peil.month
        tellers, noemers = werkelijk.teller.to_numpy(float)[:, None], werkelijk.noemer.to_numpy(float)[:, None]
        geen = (np.zeros(horizon), np.zeros((horizon, PADEN)))
        if not horizon:
            punt_t, paden_t = punt_n, paden_n = geen
        elif doel.berekening in ("aandeel", "stand_aandeel", "gemiddeld_aandeel"):
            # a share: its monthly shares and its noemer are forecast, the teller follows from both
            aandelen = _maandaandelen(verleden.teller.to_numpy(float), verleden.noemer.to_numpy(float))
            punt_n, paden_n = _voorspel(tuple(verleden.noemer), horizon)
            punt_a, paden_a = _voorspel(aandelen, horizon, bovengrens=1) if aandelen else geen
            punt_t, paden_t = punt_a * punt_n, paden_a * paden_n
        else:
            punt_t, paden_t = _voorspel(tuple(verleden.teller), horizon)
            punt_n, paden_n = geen
        nog = min(horizon, (doel.tot.year - doel.van.year) * 12 + doel.tot.month - doel.van.month + 1)
        punt = _combineer(doel.berekening, np.vstack([tellers, punt_t[horizon - nog:, None]]),
                          np.vstack([noemers, punt_n[horizon - nog:, None]]))[0]
        paden = _combineer(doel.berekening,
                           np.vstack([np.repeat(tellers, PADEN, axis=1), paden_t[horizon - nog:]]),
                           np.vstack([np.repeat(noemers, PADEN, axis=1), paden_n[horizon - nog:]]))
        laag, hoog = (np.nanpercentile(paden, BAND) if np.isfinite(paden).any() else (np.nan, np.nan))
        rijen.append((doel.organisatie, doel.gemeente, doel.kpi, doel.periode, peil.strftime("%Y-%m"),
                      doel.berekening, punt, min(laag, punt), max(hoog, punt), doel.norm, doel.richting))
    return rijen


def model(dbt, session):
    dbt.config(materialized="table")
    doelen = dbt.ref("int_doelen").filter("is_bruikbaar").df()
    maanden = dbt.ref("int_kpi_maand").df()
    maanden["maand"] = pd.to_datetime(maanden.maand)
    maanden["noemer"] = maanden.noemer.fillna(0)
    reeksen = {sleutel: groep.sort_values("maand") for sleutel, groep in
               maanden.groupby(["organisatie", maanden.gemeente.fillna(""), "kpi"])}
    rijen = []
    for doel in doelen.assign(van=pd.to_datetime(doelen.van), tot=pd.to_datetime(doelen.tot)).itertuples():
        reeks = reeksen.get((doel.organisatie, "" if pd.isna(doel.gemeente) else doel.gemeente, doel.kpi))
        if reeks is not None:
            rijen.extend(_doel(doel, reeks))
    uitkomst = pd.DataFrame(rijen, columns=KOLOMMEN)
    return uitkomst.replace({np.nan: None}) if len(uitkomst) else uitkomst
