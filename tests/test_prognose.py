"""pdw.prognose on hand-made monthly series: how months combine per berekening, the bounds, the band."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pdw.prognose import voorspel


def reeks(teller, noemer=None, start="2015-01-01") -> pd.DataFrame:
    maanden = pd.date_range(start, periods=len(teller), freq="MS")
    return pd.DataFrame({"maand": maanden, "teller": teller,
                         "noemer": noemer if noemer is not None else np.zeros(len(teller))})


JAAR = pd.Timestamp("2018-01-01"), pd.Timestamp("2018-12-01")


def test_a_flat_series_stays_flat_and_december_is_the_realisation():
    rijen = voorspel("telling", reeks([10.0] * 48), *JAAR)
    assert [r[0] for r in rijen] == [f"2018-{m:02d}" for m in range(1, 13)]
    assert all(r[1:4] == (120.0, 120.0, 120.0) for r in rijen)


def test_a_stock_with_a_trend_is_continued_inside_its_band():
    rng = np.random.default_rng(1)
    stand = 1000 - 10 * np.arange(48) + rng.normal(0, 3, 48)  # 2015-01 .. 2018-12, falling 10 a month
    peil, prognose, laag, hoog, _ = voorspel("stand", reeks(stand), *JAAR)[3]  # peilmaand April 2018
    assert peil == "2018-04"
    assert laag < prognose < hoog
    assert 1000 - 10 * 47 - 60 < prognose < stand[39]  # below April's stand, at most 6 months' fall off the line
    assert laag < stand[-1] < hoog


def test_counts_never_below_zero_and_shares_within_zero_and_one():
    vallend = np.maximum(60 - 2 * np.arange(40), 0).astype(float)  # reaches 0 in 2017-07
    for rij in voorspel("stand", reeks(vallend, start="2015-09-01"), *JAAR):
        assert rij[2] >= 0
    teller = np.full(48, 9.0) + np.arange(48) / 10  # the share creeps towards 1
    for rij in voorspel("aandeel", reeks(teller, np.full(48, 10.0)), *JAAR):
        assert 0 <= rij[2] <= rij[1] <= rij[3] <= 1


def test_a_share_is_pooled_over_the_months():
    """2018 alternates 1/4 and 9/10: the year is (6 x 1 + 6 x 9) / (6 x 4 + 6 x 10), not the mean of the shares."""
    teller = np.array([5.0] * 36 + [1.0, 9.0] * 6)
    noemer = np.array([10.0] * 36 + [4.0, 10.0] * 6)
    assert voorspel("aandeel", reeks(teller, noemer), *JAAR)[-1][1:4] == pytest.approx((60 / 84,) * 3)


def test_the_band_holds_the_errors_of_earlier_years():
    """A stock whose course turns every year (up 20 a month, then down): the models fitted on little noise
    have a narrow band, but at January the method missed the December stand of 2016 and 2017 by a lot; the
    2018 band holds the largest of those two relative errors on both sides of the forecast (conformal)."""
    rng = np.random.default_rng(2)
    helling = np.repeat([20.0, -20.0, 20.0, -20.0], 12)
    reeks_ = reeks(1000 + np.cumsum(helling) + rng.normal(0, 1, 48))
    fouten = []
    for jaar in (2016, 2017):
        december = pd.Timestamp(jaar, 12, 1)
        prognose = voorspel("stand", reeks_, december, december)[0][1]  # at peilmaand January
        fouten.append(abs(reeks_.teller[reeks_.maand == december].item() / prognose - 1))
    peil, prognose, laag, hoog, _ = voorspel("stand", reeks_, pd.Timestamp("2018-12-01"), pd.Timestamp("2018-12-01"))[0]
    assert peil == "2018-01" and max(fouten) > 0.1
    assert laag <= prognose * (1 - max(fouten)) + 1e-9 and hoog >= prognose * (1 + max(fouten)) - 1e-9


def test_a_forecast_is_fitted_again_only_where_what_it_reads_changed():
    rng = np.random.default_rng(2)
    stand = reeks(500 + rng.normal(0, 20, 48))
    eerst = voorspel("stand", stand, *JAAR)
    eerder = {rij[4]: rij[1:4] for rij in eerst}
    assert voorspel("stand", stand, *JAAR, eerder) == eerst

    juni = stand.assign(teller=np.where(stand.maand == "2018-06-01", stand.teller + 80, stand.teller))
    opnieuw = voorspel("stand", juni, *JAAR, eerder)
    assert [r[4] for r in opnieuw[:5]] == [r[4] for r in eerst[:5]], "January to May do not read June"
    assert not {r[4] for r in opnieuw[5:]} & set(eerder), "June to December are fitted again"
    assert opnieuw == voorspel("stand", juni, *JAAR), "what is taken over equals what would be fitted"
