"""Dutch number formats of the board documents: `1.234`, `12,5%`, amounts in `€ 1.000`, and
`geen gegevens` where a figure has no value (never 0)."""
from datetime import date

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from ..exports import SUPPRESSED, hides_share, is_small_count

LOCALE = "nl_NL"
GEEN = "geen gegevens"
VERBORGEN = "x"  # a share on fewer than MIN_DENOMINATOR cases, left out of the openbaar report
AANDELEN = ("aandeel", "stand_aandeel", "gemiddeld_aandeel")


def leeg(value) -> bool:
    return value is None or bool(pd.isna(value))


def aantal(value) -> str:
    return GEEN if leeg(value) else format_decimal(round(float(value)), locale=LOCALE)


def getal(value) -> str:
    """A figure with one decimal that may be negative: a mark, fte or rate, a netto effect."""
    return GEEN if leeg(value) else format_decimal(float(value), "#,##0.0", locale=LOCALE)


def procent(value) -> str:
    return GEEN if leeg(value) else format_percent(float(value), "#,##0.0%", locale=LOCALE)


def duizend_euro(value) -> str:
    """Euros shown in € 1.000, a minus for a disadvantage, as the 2018 report's tables."""
    return GEEN if leeg(value) else format_decimal(round(float(value) / 1000), locale=LOCALE)


def kpi(value, eenheid: str) -> str:
    """A KPI's value in its unit (pdw.contract.kpi_eenheid): a share as a percentage, a count whole, a
    mark, fte or rate with one decimal."""
    if eenheid == "aandeel":
        return procent(value)
    if eenheid == "aantal":
        return aantal(value)
    return getal(value)


def maand(periode: str) -> str:
    """'2018-04' -> 'april 2018'."""
    return format_date(date.fromisoformat(f"{periode}-01"), "MMMM y", locale=LOCALE)


def datum(day: date) -> str:
    return format_date(day, "d MMMM y", locale=LOCALE)


def openbaar_aantal(value, per_gemeente: bool) -> str:
    """The exports' disclosure rule for a count of one gemeente: 1 to 4 shows as `<5`."""
    if per_gemeente and not leeg(value) and is_small_count(value):
        return SUPPRESSED
    return aantal(value)


def openbaar_aandeel(value, noemer) -> str:
    """The exports' disclosure rule for a share: left out when its denominator is under 10."""
    if not leeg(value) and hides_share(noemer):
        return VERBORGEN
    return procent(value)
