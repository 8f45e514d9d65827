"""Forecasts with an 80% band of the monthly KPI series (docs/planning_en_control.md), for the
dbt Python models int_kpi_prognose (targets) and int_uitkeringen_prognose (caseload).

Per series (organisatie, gemeente, the KPI's teller, noemer or monthly share) and peilmaand, two
exponential smoothing models (statsmodels ETS: level, damped trend or none and, with two years of
history, an additive season) are fitted on the monthly history up to the peilmaand. Their simulated
paths of the months still to come are combined with the actual months the way the KPI's berekening
combines months (flows summed, stocks at the period end, ratios from the summed teller and noemer,
means over the months); the point forecast combines the models' mean forecasts the same way. The
band is the 10th to 90th percentile of the combined paths, widened to the conformal interval of the
method's own errors on the same period and peilmaand of earlier years (a model's band alone trusts the
model, and the series change course more often than the models expect). Values stay within the range of
the KPI's unit (pdw.contract.EENHEID_BEREIK: counts from 0, shares from 0 to 1, marks from 1 to 10).

A forecast is fitted again only when what it reads changed: `invoer` keys it by the method, the
statsmodels and numpy versions, the unit's range and the months of the series it reads, and the models
pass the forecasts of their previous build (`eerdere`), so a run that adds a month fits that month's
peilmaand only. The fits run on one BLAS thread: OpenBLAS's threads on matrices this small made them
about four times slower on the 2-core machine (docs/planning_en_control.md).
"""
import hashlib
import multiprocessing
import os
import warnings
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from threadpoolctl import threadpool_limits

from pdw.contract import RATIO_BEREKENINGEN as AANDELEN

PADEN = 1000
BAND = [10, 90]
SEIZOEN = 12
MINIMUM = 4  # months of history below which a series is carried forward flat
KALIBRATIEJAREN = 4  # earlier years whose errors widen the band
ONBEGRENSD = (0.0, np.inf)
PARALLEL_VANAF = 200  # forecasts to fit (about 0.1 s each) that pay for starting the processes (about 3 s)
METHODE = hashlib.sha256(Path(__file__).read_bytes()
                         + f"{statsmodels.__version__} {np.__version__} {sorted(AANDELEN)}".encode()).hexdigest()


def _voorspel(reeks: tuple, horizon: int, paden: int = PADEN,
              bereik: tuple[float, float] = ONBEGRENSD) -> tuple[np.ndarray, np.ndarray]:
    """Point forecast (horizon,) and simulated paths (horizon, paden) of a monthly series, within
    bereik (lowest, highest): the mean of two models, one with a damped trend and one without (a trend may
    stop), and half of the paths from each, so that the band holds both."""
    y = np.asarray(reeks, dtype=float)
    if len(y) < MINIMUM or np.ptp(y) == 0:  # nothing to learn a spread from: the last value stays
        punt = np.full(horizon, y[-1])
        return punt, np.repeat(punt[:, None], paden, axis=1)
    resultaten = [_pas_toe(reeks, trend) for trend in (True, False)]
    punt = np.mean([r.forecast(horizon) for r in resultaten], axis=0)
    if paden < 2:  # the point forecast only
        return np.clip(punt, *bereik), np.repeat(np.clip(punt, *bereik)[:, None], paden, axis=1)
    gesimuleerd = np.hstack([np.asarray(r.simulate(horizon, repetitions=paden // 2, anchor="end",
                                                   rng=np.random.default_rng(0))).reshape(horizon, -1)
                             for r in resultaten])
    return np.clip(punt, *bereik), np.clip(gesimuleerd, *bereik)


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


def _deel(teller, noemer, bereik: tuple[float, float]):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(np.where(noemer > 0, teller / np.where(noemer > 0, noemer, 1), np.nan), *bereik)


def _combineer(berekening: str, teller, noemer, bereik: tuple[float, float]) -> np.ndarray:
    """Months (rows) into the target period's value per column, as marts.kpi combines them, within bereik."""
    if berekening == "telling":
        return teller.sum(axis=0)
    if berekening == "aandeel":
        return _deel(teller.sum(axis=0), noemer.sum(axis=0), bereik)
    if berekening == "stand":
        return teller[-1]
    if berekening == "stand_aandeel":
        return _deel(teller[-1], noemer[-1], bereik)
    if berekening == "gemiddelde":
        return teller.mean(axis=0)
    if berekening == "som":  # a sum of fractions: teller over its fixed scale
        return _deel(teller.sum(axis=0), noemer.max(axis=0), bereik)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a month without noemer has no share
        return np.nanmean(_deel(teller, noemer, bereik), axis=0)


def reeksen(maanden: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """int_kpi_maand_alle as one monthly series (maand, teller, noemer) per (organisatie, gemeente or '',
    kpi), from its first month to the organisation's last (a KPI of a source with gaps, such as a yearly
    survey, has no row in the months between: there its teller and noemer are 0, which the combination
    of months counts as marts.kpi does, a ratio's month without noemer as no value)."""
    maanden = maanden.assign(maand=pd.to_datetime(maanden.maand), noemer=maanden.noemer.fillna(0))
    laatste = maanden.groupby("organisatie").maand.max()
    return {sleutel: _zonder_gaten(groep, laatste[sleutel[0]]) for sleutel, groep in
            maanden.groupby(["organisatie", maanden.gemeente.fillna(""), "kpi"])}


def _zonder_gaten(reeks: pd.DataFrame, laatste: pd.Timestamp) -> pd.DataFrame:
    rooster = pd.date_range(reeks.maand.min(), laatste, freq="MS", name="maand")
    return reeks.set_index("maand")[["teller", "noemer"]].reindex(rooster, fill_value=0).reset_index()


def _maanden(van: pd.Timestamp, tot: pd.Timestamp) -> int:
    return (tot.year - van.year) * 12 + tot.month - van.month


def _schat(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp, peil: pd.Timestamp,
           bereik: tuple[float, float], paden: int = PADEN) -> tuple[float, np.ndarray]:
    """Point forecast of the period van..tot at peilmaand peil (the history up to peil only) and the
    period's value on each of `paden` simulated paths."""
    verleden = reeks[reeks.maand <= peil]
    werkelijk = verleden[verleden.maand >= van]
    horizon = _maanden(peil, tot)
    tellers, noemers = werkelijk.teller.to_numpy(float)[:, None], werkelijk.noemer.to_numpy(float)[:, None]
    geen = (np.zeros(horizon), np.zeros((horizon, paden)))
    if not horizon:
        punt_t, paden_t = punt_n, paden_n = geen
    elif berekening in AANDELEN:
        # a share: its monthly shares and its noemer are forecast, the teller follows from both
        aandelen = _maandaandelen(verleden.teller.to_numpy(float), verleden.noemer.to_numpy(float))
        punt_n, paden_n = _voorspel(tuple(verleden.noemer), horizon, paden)
        punt_a, paden_a = _voorspel(aandelen, horizon, paden, bereik) if aandelen else geen
        punt_t, paden_t = punt_a * punt_n, paden_a * paden_n
    else:  # a count; its noemer (none, or the fixed scale of a sum of fractions) stays as it was
        punt_t, paden_t = _voorspel(tuple(verleden.teller), horizon, paden, bereik)
        punt_n = np.full(horizon, float(verleden.noemer.iloc[-1]))
        paden_n = np.repeat(punt_n[:, None], paden, axis=1)
    nog = min(horizon, _maanden(van, tot) + 1)
    punt = _combineer(berekening, np.vstack([tellers, punt_t[horizon - nog:, None]]),
                      np.vstack([noemers, punt_n[horizon - nog:, None]]), bereik)[0]
    waarden = _combineer(berekening, np.vstack([np.repeat(tellers, paden, axis=1), paden_t[horizon - nog:]]),
                         np.vstack([np.repeat(noemers, paden, axis=1), paden_n[horizon - nog:]]), bereik)
    return punt, waarden


def _fouten(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp, peil: pd.Timestamp,
            bereik: tuple[float, float]) -> list:
    """The method's own errors on the same period and peilmaand of earlier years of the series (out of
    sample: each fitted on the months up to its own peilmaand), relative to the forecast for counts."""
    fouten = []
    for jaren in range(1, KALIBRATIEJAREN + 1):
        van_k, tot_k, peil_k = (t - pd.DateOffset(years=jaren) for t in (van, tot, peil))
        if van_k < reeks.maand.iloc[0] or peil_k < reeks.maand.iloc[0] + pd.DateOffset(months=MINIMUM - 1):
            break
        punt, _ = _schat(berekening, reeks, van_k, tot_k, peil_k, bereik, paden=1)
        periode = reeks[(reeks.maand >= van_k) & (reeks.maand <= tot_k)]
        werkelijk = _combineer(berekening, periode.teller.to_numpy(float)[:, None],
                               periode.noemer.to_numpy(float)[:, None], bereik)[0]
        if np.isfinite(werkelijk) and berekening in AANDELEN and np.isfinite(punt):
            fouten.append(werkelijk - punt)
        elif np.isfinite(werkelijk) and berekening not in AANDELEN and punt > 0:  # a count's error scales with it
            fouten.append(werkelijk / punt - 1)
    return fouten


def invoer(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp, peil: pd.Timestamp,
           bereik: tuple[float, float]) -> str:
    """Key of everything the forecast at peilmaand peil reads: the method and the months up to peil, or up
    to the same period a year earlier if that ends later (the errors of earlier years read their actuals)."""
    grens = max(peil, tot - pd.DateOffset(years=1))
    maanden = reeks.loc[reeks.maand <= grens, ["maand", "teller", "noemer"]]
    inhoud = pd.util.hash_pandas_object(maanden, index=False).to_numpy().tobytes()
    kop = f"{METHODE}|{berekening}|{bereik}|{van:%Y-%m}|{tot:%Y-%m}|{peil:%Y-%m}|"
    return hashlib.sha256(kop.encode() + inhoud).hexdigest()


def eerdere(session, relatie, waarden: list[str]) -> dict[str, tuple]:
    """The forecasts of a model's previous build by their invoer (empty on its first build)."""
    bestaat = session.execute("select count(*) from information_schema.columns where table_schema = ? "
                              "and table_name = ? and column_name = 'invoer'",
                              [relatie.schema, relatie.identifier]).fetchone()[0]
    if not bestaat:
        return {}
    rijen = session.execute(f"select invoer, {', '.join(waarden)} from {relatie}").fetchall()
    return {rij[0]: tuple(rij[1:]) for rij in rijen}


def _alles_mogelijk(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, peil: pd.Timestamp,
                    bereik: tuple[float, float]) -> tuple[float, float]:
    """The band of a series too short to learn a spread from (fewer than MINIMUM months): all the period can
    still become. A flow is at least what is counted so far and has no upper bound; any other value can still
    take its unit's whole range. An unbounded side is missing (NaN), so the status says risico unless what is
    counted so far decides it."""
    hoog = bereik[1] if np.isfinite(bereik[1]) else np.nan
    if berekening != "telling":
        return bereik[0], hoog
    return float(reeks.loc[(reeks.maand >= van) & (reeks.maand <= peil), "teller"].sum()), hoog


Taak = tuple[str, pd.DataFrame, pd.Timestamp, pd.Timestamp, tuple[float, float]]
"""(berekening, reeks, van, tot, bereik) of one period's forecasts: the arguments of `voorspel`."""


def _peilen(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp,
            bereik: tuple[float, float]) -> list[tuple[pd.Timestamp, str]]:
    """(peilmaand, invoer) of every forecast of the period: the months of the series from January of tot's
    year (or van, if earlier) up to tot."""
    begin = min(van, pd.Timestamp(tot.year, 1, 1))
    return [(peil, invoer(berekening, reeks, van, tot, peil, bereik))
            for peil in reeks.maand[(reeks.maand >= begin) & (reeks.maand <= tot)]]


def _bereik(berekening: str, bereik: tuple[float, float] | None) -> tuple[float, float]:
    return bereik or ((0.0, 1.0) if berekening in AANDELEN else ONBEGRENSD)


def _voorspel_peil(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp,
                   bereik: tuple[float, float], peil: pd.Timestamp) -> tuple[float, float, float]:
    """(prognose, laag, hoog) of the period at one peilmaand."""
    punt, waarden = _schat(berekening, reeks, van, tot, peil, bereik)
    if peil < tot and (reeks.maand <= peil).sum() < MINIMUM:
        return punt, *_alles_mogelijk(berekening, reeks, van, peil, bereik)
    laag, hoog = (np.nanpercentile(waarden, BAND) if np.isfinite(waarden).any() else (np.nan, np.nan))
    fouten = np.abs(_fouten(berekening, reeks, van, tot, peil, bereik)) if peil < tot else []
    if len(fouten):
        marge = np.quantile(fouten, min(1, np.ceil((len(fouten) + 1) * 0.8) / len(fouten)), method="higher")
        if berekening not in AANDELEN:
            marge *= punt
        laag, hoog = np.fmin(laag, max(punt - marge, bereik[0])), np.fmax(hoog, min(punt + marge, bereik[1]))
    return punt, min(laag, punt), max(hoog, punt)


def voorspel(berekening: str, reeks: pd.DataFrame, van: pd.Timestamp, tot: pd.Timestamp,
             bereik: tuple[float, float] | None = None, eerder: Mapping[str, tuple] | None = None) -> list[tuple]:
    """(peilmaand 'YYYY-MM', prognose, laag, hoog, invoer) of the period van..tot (months) for every
    peilmaand of the series from January of tot's year (or van, if earlier) up to tot. The band holds the
    10th to 90th percentile of the simulated paths and the conformal interval of the method's errors in
    earlier years (the 80% quantile of their size, at least the largest when there are fewer than four); a
    series of fewer than MINIMUM months has the band `_alles_mogelijk`. bereik: the values the KPI's unit can
    take (default: a share 0 to 1, a count from 0). A forecast whose invoer is in `eerder` is taken from there."""
    return voorspel_alle([(berekening, reeks, van, tot, _bereik(berekening, bereik))], eerder, processen=1)[0]


def voorspel_alle(taken: list[Taak], eerder: Mapping[str, tuple] | None = None,
                  processen: int | None = None) -> list[list[tuple]]:
    """`voorspel` of every taak, the forecasts not in `eerder` fitted on `processen` processes (default: the
    cores this process may use) when there are at least PARALLEL_VANAF of them. The fits are single-threaded
    Python (statsmodels' optimiser), so a second core halves a first build; the forecasts of one series stay
    in one process, whose fits of that series (`_pas_toe`) the other periods of the series reuse."""
    eerder = eerder or {}
    peilen = [_peilen(*taak) for taak in taken]
    open_per_reeks: dict[int, list[tuple[int, pd.Timestamp]]] = {}
    for i, (taak, rij) in enumerate(zip(taken, peilen)):
        for peil, sleutel in rij:
            if sleutel not in eerder:
                open_per_reeks.setdefault(id(taak[1]), []).append((i, peil))
    werk = list(open_per_reeks.values())
    processen = min(processen or len(os.sched_getaffinity(0)), len(werk))
    if processen > 1 and sum(map(len, werk)) >= PARALLEL_VANAF:
        delen: list[list[tuple[int, pd.Timestamp]]] = [[] for _ in range(processen)]
        for reeks_werk in sorted(werk, key=len, reverse=True):  # the largest first, each to the lightest part
            min(delen, key=len).extend(reeks_werk)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        with ProcessPoolExecutor(processen, mp_context=context) as pool:
            uitkomsten = pool.map(_reken, [[(taken[i], peil) for i, peil in deel] for deel in delen])
            berekend = {(i, peil): uitkomst for deel, lijst in zip(delen, uitkomsten)
                        for (i, peil), uitkomst in zip(deel, lijst)}
    else:
        berekend = {(i, peil): uitkomst for reeks_werk in werk
                    for (i, peil), uitkomst in zip(reeks_werk, _reken([(taken[i], peil) for i, peil in reeks_werk]))}
    return [[(peil.strftime("%Y-%m"), *(eerder[sleutel] if sleutel in eerder else berekend[i, peil]), sleutel)
             for peil, sleutel in rij] for i, rij in enumerate(peilen)]


@threadpool_limits.wrap(limits=1)  # a fit's matrices are tiny: more BLAS threads only wait on each other
def _reken(werk: list[tuple[Taak, pd.Timestamp]]) -> list[tuple[float, float, float]]:
    return [_voorspel_peil(*taak, peil) for taak, peil in werk]
