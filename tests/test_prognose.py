"""pdw.prognose on hand-made monthly series: how months combine per berekening, the bounds, the band."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pdw.contract import EENHEID_BEREIK
from pdw.prognose import reeksen, voorspel


def reeks(teller, noemer=None, start="2015-01-01") -> pd.DataFrame:
    maanden = pd.date_range(start, periods=len(teller), freq="MS")
    return pd.DataFrame({"maand": maanden, "teller": teller,
                         "noemer": noemer if noemer is not None else np.zeros(len(teller))})


JAAR = pd.Timestamp("2018-01-01"), pd.Timestamp("2018-12-01")


def test_a_flat_series_stays_flat_and_december_is_the_realisation():
    rijen = voorspel("telling", reeks([10.0] * 48), *JAAR)
    assert [r[0] for r in rijen] == [f"2018-{m:02d}" for m in range(1, 13)]
    assert all(r[1:4] == (120.0, 120.0, 120.0) for r in rijen)


def test_a_new_series_has_the_band_of_all_it_can_still_become():
    """A measure that starts in October: at December three months are no history to learn a spread from, so the
    band runs from what is counted so far, without upper bound (a share: its whole range); at the end of
    the period it is the realisation."""
    periode = pd.Timestamp("2019-10-01"), pd.Timestamp("2020-12-01")
    rijen = voorspel("telling", reeks([2.0, 3.0, 5.0] + [4.0] * 12, start="2019-10-01"), *periode)
    peil, prognose, laag, hoog, _ = rijen[2]
    assert peil == "2019-12" and laag == 10.0 and np.isnan(hoog) and prognose >= laag
    assert rijen[3][2] <= rijen[3][1] <= rijen[3][3]  # four months: a band of its own
    assert rijen[-1][1:4] == (58.0, 58.0, 58.0)
    aandeel = voorspel("aandeel", reeks([1.0, 2.0, 3.0] + [3.0] * 12, [4.0] * 15, start="2019-10-01"), *periode)
    assert aandeel[1][2:4] == (0.0, 1.0)


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


def test_a_flow_is_its_year_to_date_plus_the_forecast_of_the_rest():
    """Ten a month for three years, then twenty a month from January 2018: at June the year's count holds the
    120 counted so far and the six months still to come, forecast at the new level."""
    rijen = voorspel("telling", reeks([10.0] * 36 + [20.0] * 12), *JAAR)
    peil, prognose, laag, hoog, _ = rijen[5]
    assert peil == "2018-06" and 120 + 6 * 18 <= prognose <= 120 + 6 * 20 + 1 and laag <= prognose <= hoog
    assert rijen[-1][1:4] == (240.0, 240.0, 240.0)


def test_a_yearly_survey_is_a_mark_from_1_to_10_and_its_year_is_its_survey():
    """A survey in September of every year (mean mark 7 to 7.3, 100 marks): no rows in the months between,
    which the series holds as months without marks up to the organisation's last month (here 2018-12), not
    as marks of 0. The forecast is a mark, not cut at 1; from September 2018 on the year's forecast is its survey
    (the band narrows to it in December)."""
    rijen = [{"organisatie": "SOW", "gemeente": None, "kpi": "kto_score_pw", "maand": f"{jaar}-09-01",
              "teller": round(100 * (7 + (jaar - 2015) / 10)), "noemer": 100} for jaar in range(2015, 2019)]
    rijen.append({"organisatie": "SOW", "gemeente": None, "kpi": "uitkeringen_eindstand", "maand": "2018-12-01",
                  "teller": 1, "noemer": None})
    reeks_ = reeksen(pd.DataFrame(rijen))[("SOW", "", "kto_score_pw")]
    assert len(reeks_) == 40 and reeks_.teller.sum() == 700 + 710 + 720 + 730
    assert (reeks_.noemer[reeks_.maand.dt.month != 9] == 0).all()
    prognoses = voorspel("aandeel", reeks_, *JAAR, EENHEID_BEREIK["cijfer"])
    assert [r[0] for r in prognoses] == [f"2018-{m:02d}" for m in range(1, 13)]
    for _, prognose, laag, hoog, _ in prognoses:
        assert 1 <= laag <= prognose <= hoog <= 10 and 6.5 < prognose < 8
    assert all(r[1] == pytest.approx(7.3) for r in prognoses[8:]) and prognoses[-1][1:4] == pytest.approx((7.3,) * 3)


def test_fte_are_no_shares_and_a_sum_of_fractions_sums():
    """The formatie (fte on month end, teller over a scale of 10,000) is not cut at 1; the fte of Wsw moves
    ('som': 2.5 fte a month over the scale) sum to 30 in the year."""
    formatie = voorspel("stand_aandeel", reeks(np.full(48, 3_090_000.0), np.full(48, 10_000.0)), *JAAR,
                        EENHEID_BEREIK["fte"])
    assert all(r[1:4] == pytest.approx((309.0,) * 3) for r in formatie)
    doorstroom = voorspel("som", reeks(np.full(48, 25_000.0), np.full(48, 10_000.0)), *JAAR, EENHEID_BEREIK["fte"])
    assert all(r[1:4] == pytest.approx((30.0,) * 3) for r in doorstroom)


def test_a_forecast_is_fitted_again_only_where_what_it_reads_changed():
    rng = np.random.default_rng(2)
    stand = reeks(500 + rng.normal(0, 20, 48))
    eerst = voorspel("stand", stand, *JAAR)
    eerder = {rij[4]: rij[1:4] for rij in eerst}
    assert voorspel("stand", stand, *JAAR, eerder=eerder) == eerst

    juni = stand.assign(teller=np.where(stand.maand == "2018-06-01", stand.teller + 80, stand.teller))
    opnieuw = voorspel("stand", juni, *JAAR, eerder=eerder)
    assert [r[4] for r in opnieuw[:5]] == [r[4] for r in eerst[:5]], "January to May do not read June"
    assert not {r[4] for r in opnieuw[5:]} & set(eerder), "June to December are fitted again"
    assert opnieuw == voorspel("stand", juni, *JAAR), "what is taken over equals what would be fitted"
