"""Shared constants and helpers of the simulator: municipalities, calendar, hashing, bsn."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parent.parent / "seeds"  # copies of the contract's reference/*.csv and codes.csv
EPOCH = date(1970, 1, 1)
NEVER = np.int64(10**6)  # "no end date" as a day number far in the future


@dataclass(frozen=True)
class Gemeente:
    index: int
    cbs: str  # GM0622
    nummer: str  # 0622
    naam: str
    erp: str
    org: str
    postcode: tuple[int, int]
    plaatsen: tuple[str, ...]


GEMEENTEN: tuple[Gemeente, ...] = (
    Gemeente(0, "GM0556", "0556", "Maassluis", "MSL", "SOW", (3140, 3147), ("Maassluis",)),
    Gemeente(1, "GM0622", "0622", "Vlaardingen", "VLD", "SOW", (3130, 3138), ("Vlaardingen",)),
    Gemeente(2, "GM0606", "0606", "Schiedam", "SDM", "SOW", (3111, 3125), ("Schiedam",)),
    Gemeente(3, "GM1708", "1708", "Steenwijkerland", "STW", "IGSD", (8330, 8347),
             ("Steenwijk", "Vollenhove", "Oldemarkt", "Giethoorn", "Blokzijl")),
    Gemeente(4, "GM1701", "1701", "Westerveld", "WSV", "IGSD", (7970, 7991),
             ("Diever", "Dwingeloo", "Havelte", "Vledder", "Uffelte")),
)
# Period in which an organisation executes for its municipalities (records, payments, events).
ACTIVE = {"SOW": (date(2015, 7, 1), None), "IGSD": (date(2015, 1, 1), date(2017, 12, 31))}
FIRST_DELIVERY = date(2015, 4, 1)


def org_gemeenten(org: str) -> list[Gemeente]:
    return [g for g in GEMEENTEN if g.org == org]


def org_end(org: str, through: date) -> date:
    end = ACTIVE[org][1]
    return through if end is None or end > through else end


def day(d: date) -> int:
    return (d - EPOCH).days


def to_date(n: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(n))


def month_index(d: date) -> int:
    return (d.year - 1970) * 12 + d.month - 1


def month_start(mi):
    """First day (day number) of month index mi (scalar or array)."""
    return (np.asarray(mi, dtype="int64").astype("datetime64[M]").astype("datetime64[D]").astype("int64"))


def month_end(mi):
    return month_start(np.asarray(mi) + 1) - 1


def month_of(days):
    """Month index of day numbers."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]").astype("int64")


def add_years(days, years: int):
    """Same calendar day `years` later (29 February -> 1 March)."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    offset = d - y.astype("datetime64[D]")
    return ((y + years).astype("datetime64[D]") + offset).astype("int64")


def deliveries(through: date, months: int = 3) -> list[date]:
    """Extraction dates: the first day after each quarter end (months=3) or year end (months=12),
    up to through + 1 day; the last quarter start up to through + 1 day is always included."""
    out = []
    y, m = FIRST_DELIVERY.year, FIRST_DELIVERY.month
    while day(date(y, m, 1)) <= day(through) + 1:
        out.append(date(y, m, 1))
        m += 3
        if m > 12:
            y, m = y + 1, m - 12
    if months == 3 or not out:
        return out
    return [d for d in out[:-1] if (d.month - 1) % months == 0] + out[-1:]


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a stateless hash, so per-record draws do not depend on chunking."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def hash_u01(seed: int, *keys) -> np.ndarray:
    """Uniform [0, 1) numbers determined by (seed, keys)."""
    h = mix64(np.uint64(seed) + np.uint64(0x9E3779B97F4A7C15))
    for k in keys:
        with np.errstate(over="ignore"):
            h = mix64(h ^ (np.asarray(k).astype(np.int64).astype(np.uint64) + np.uint64(0x632BE59BD9B4E019)))
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)


BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)


def bsn_valid(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    digits = (v[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    total = digits[:, :8] @ BSN_WEIGHTS - digits[:, 8]
    return (total % 11 == 0) & (total != 0)


def make_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid bsns (11-proef) as int64; about a quarter start with a 0."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        need = int((n - len(out)) * 1.25) + 16
        prefix = rng.integers(1_000_000, 40_000_000, size=need, dtype=np.int64)
        digits = (prefix[:, None] // 10 ** np.arange(7, -1, -1)) % 10
        check = (digits @ BSN_WEIGHTS) % 11
        ok = check < 10
        cand = prefix[ok] * 10 + check[ok]
        out = np.unique(np.concatenate([out, cand[bsn_valid(cand)]]))
    return rng.permutation(out)[:n]


def read_reference(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def weighted_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of k items drawn without replacement with probability proportional to weight."""
    n = len(weights)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k >= n:
        return np.arange(n)
    keys = np.log(rng.random(n)) / np.maximum(weights, 1e-12)
    return np.argpartition(-keys, k - 1)[:k]


def largest_remainder(total: int, weights) -> np.ndarray:
    """Split an integer total over weights exactly (Hamilton method)."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base
