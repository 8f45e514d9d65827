"""The benefits world: persons, households, dossiers and meldingen, steered month by month.

Month-end stands follow a target path per municipality (through the calibration points),
instroom is planned per month, and uitstroom = previous stand + instroom - target is drawn
among running dossiers with a duration-dependent hazard. That makes every stand exact by
construction; shares (exit categories, B-route, long-term share) are allocated exactly per year.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from .common import (
    ACTIVE,
    GEMEENTEN,
    NEVER,
    add_years,
    largest_remainder,
    month_end,
    month_index,
    month_start,
    org_end,
    org_gemeenten,
    weighted_pick,
)

# --- target paths (scale S) -------------------------------------------------------------
# SOW totals per month end; the per-municipality split interpolates the shares of 2017-12
# and 2023-12 (both published per municipality).
SOW_KNOTS = {
    "2015-06": 5850, "2016-06": 6040, "2016-12": 6150, "2017-06": 6130, "2017-12": 6060,
    "2018-04": 5997, "2018-12": 5711, "2019-04": 5673, "2019-05": 5670, "2019-12": 5560,
    "2020-03": 5470, "2020-06": 5640, "2020-12": 5560, "2021-06": 5470, "2021-12": 5330,
    "2022-06": 5265, "2022-12": 5190, "2023-12": 5081, "2024-06": 5040, "2024-12": 4990,
}
SOW_EXACT = {  # published per municipality
    "2017-12": (847, 2527, 2686),
    "2023-12": (720, 2267, 2094),
}
SOW_2022_MEAN_SUM = 5258 * 12  # uitkeringen_gemiddeld 2022 = 5258 (mean of 12 month ends)
IGSD_KNOTS = {"2014-12": 1250, "2015-06": 1245, "2015-12": 1230, "2016-09": 1140, "2016-12": 1110,
              "2017-06": 1075, "2017-12": 1045}
IGSD_SHARE = (0.749, 0.251)  # Steenwijkerland, Westerveld (prognose 786 / 264)

INSTROOM_JAAR = {
    "SOW": {2015: 1950, 2016: 2050, 2017: 1950, 2018: 1894, 2019: 1800, 2020: 1900, 2021: 1650,
            2022: 1600, 2023: 1550, 2024: 1600},
    "IGSD": {2015: 420, 2016: 380, 2017: 360},
}
SEASON = np.array([1.12, 1.0, 1.02, 0.98, 0.95, 0.93, 1.05, 1.0, 1.05, 1.02, 0.95, 0.93])
B_SHARE = 0.17
B_2018 = 321  # of 1894 instroom SOW 2018
# exit categories: share of uitstroom per year (2018 calibrated: 467/210/40 of 2111)
EXIT_SHARES = {"WERK": 0.22, "ONDERWIJS": 0.10, "GARANTIEBAAN": 0.02}
EXIT_SHARES_OTHER = {"WERK": 0.24, "ONDERWIJS": 0.08, "GARANTIEBAAN": 0.025}
WERK_CODES = (("10", 0.7), ("11", 0.1), ("12", 0.2))
AUTONOOM_CODES = (("30", 0.24), ("31", 0.15), ("33", 0.04), ("34", 0.03), ("35", 0.13), ("40", 0.07),
                  ("41", 0.12), ("99", 0.22))
PREVENTIE = {"SOW": {2015: 0.62, 2016: 0.65, 2017: 0.67, 2018: 0.69, 2019: 0.70, 2020: 0.66, 2021: 0.70,
                     2022: 0.71, 2023: 0.72, 2024: 0.72},
             "IGSD": {2015: 0.38, 2016: 0.36, 2017: 0.39}}
PREVENTIE_2018 = 3527  # of 5100 meldingen SOW 2018
REENTRY_WERK = 0.18  # share of WERK exits with a new dossier within 183 days (duurzaam 0.82)
LONG_SHARE_2022 = 0.718
AOW_YEARS = 67


def _interp_path(knots: dict[str, int], months: np.ndarray) -> np.ndarray:
    km = np.array([(int(k[:4]) - 1970) * 12 + int(k[5:]) - 1 for k in knots])
    kv = np.array(list(knots.values()), dtype=float)
    return np.interp(months, km, kv)


def _mi(s: str) -> int:
    return (int(s[:4]) - 1970) * 12 + int(s[5:]) - 1


def target_paths(scale: float, first: int, last: int) -> dict[int, dict[int, int]]:
    """{gemeente index: {month index: stand at month end}} for months first-1 .. last."""
    months = np.arange(first - 1, last + 1)
    out: dict[int, dict[int, int]] = {}
    total = np.round(_interp_path(SOW_KNOTS, months)).astype(np.int64)
    # 2022: make the 12 month ends sum to exactly 12 x 5258
    in22 = (months >= _mi("2022-01")) & (months <= _mi("2022-12"))
    if in22.sum() == 12:
        diff = SOW_2022_MEAN_SUM - total[in22].sum()
        total[in22] += largest_remainder(abs(int(diff)), np.ones(12)) * np.sign(diff)
    s17 = np.array(SOW_EXACT["2017-12"], float) / sum(SOW_EXACT["2017-12"])
    s23 = np.array(SOW_EXACT["2023-12"], float) / sum(SOW_EXACT["2023-12"])
    t = np.clip((months - _mi("2017-12")) / (_mi("2023-12") - _mi("2017-12")), 0, 1)
    sow = {g.index: {} for g in org_gemeenten("SOW")}
    for i, mi in enumerate(months):
        tot = int(round(total[i] * scale))
        key = f"{1970 + mi // 12}-{mi % 12 + 1:02d}"
        if key in SOW_EXACT and scale == 1:
            split = np.array(SOW_EXACT[key])
        else:
            split = largest_remainder(tot, s17 * (1 - t[i]) + s23 * t[i])
        for j, g in enumerate(org_gemeenten("SOW")):
            sow[g.index][int(mi)] = int(split[j])
    out.update(sow)
    itotal = np.round(_interp_path(IGSD_KNOTS, months) * scale).astype(np.int64)
    for g in org_gemeenten("IGSD"):
        out[g.index] = {}
    for i, mi in enumerate(months):
        split = largest_remainder(int(itotal[i]), IGSD_SHARE)
        for j, g in enumerate(org_gemeenten("IGSD")):
            out[g.index][int(mi)] = int(split[j])
    return out


@dataclass
class Grow:
    """Column store that grows by appending numpy chunks."""
    cols: dict[str, list] = field(default_factory=dict)

    def add(self, **kw):
        n = None
        for k, v in kw.items():
            v = np.asarray(v)
            if n is None:
                n = len(v) if v.ndim else 1
            self.cols.setdefault(k, []).append(np.broadcast_to(v, (n,)).copy() if v.ndim == 0 else v)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: np.concatenate(v) if v else np.empty(0) for k, v in self.cols.items()})


class BenefitsWorld:
    """Builds persons, dossiers and meldingen. Day numbers everywhere (days since 1970-01-01)."""

    def __init__(self, rng: np.random.Generator, scale: float, through: date):
        self.rng = rng
        self.scale = scale
        self.through = through
        self.persons = Grow()
        self.n_persons = 0
        self.dossiers = Grow()
        self.n_dossiers = 0
        self.meldingen = Grow()
        self.n_meldingen = 0
        # mutable dossier state (index = dossier id): filled while simulating
        self.ends: list[tuple] = []
        self.deaths: list[tuple] = []
        self.reentries: dict[int, list] = {}  # month -> list of (person, partner, gemeente, leefvorm, regeling, day)

    # -- persons ----------------------------------------------------------------------
    def new_persons(self, n: int, g: int, birth, sex, known) -> np.ndarray:
        ids = np.arange(self.n_persons, self.n_persons + n)
        self.n_persons += n
        self.persons.add(pid=ids, gemeente=np.full(n, g), geboortedatum=np.asarray(birth, np.int64),
                         geslacht=np.asarray(sex), bekend_vanaf=np.broadcast_to(np.asarray(known, np.int64), (n,)).copy())
        return ids

    def _ages_birth(self, n: int, ref_days, young_bias: float = 0.0) -> np.ndarray:
        """Birth days for applicants: age mix of bijstand (18-66)."""
        rng = self.rng
        bands = np.array([18, 21, 27, 35, 45, 55, 62, 66.5])
        w = np.array([0.07 + young_bias, 0.13 + young_bias, 0.22, 0.22, 0.20, 0.12, 0.04])
        b = rng.choice(len(w), size=n, p=w / w.sum())
        age = bands[b] + rng.random(n) * (bands[b + 1] - bands[b])
        return (np.asarray(ref_days) - age * 365.25).astype(np.int64)

    def _households(self, n: int, g: int, ingang, regeling=None, leefvorm=None, young_bias=0.0, known=None):
        rng = self.rng
        if leefvorm is None:
            leefvorm = rng.choice(np.array(["AS", "AO", "EP"]), size=n, p=[0.58, 0.22, 0.20])
        birth = self._ages_birth(n, ingang, young_bias)
        sex = np.where(leefvorm == "AO", np.where(rng.random(n) < 0.92, "V", "M"),
                       np.where(rng.random(n) < 0.52, "M", "V"))
        sex = np.where(rng.random(n) < 0.003, "X", sex)
        known = ingang if known is None else known
        app = self.new_persons(n, g, birth, sex, known)
        partner = np.full(n, -1, dtype=np.int64)
        ep = np.flatnonzero(leefvorm == "EP")
        if len(ep):
            pb = birth[ep] + rng.normal(0, 4 * 365, len(ep)).astype(np.int64)
            pb = np.minimum(pb, np.asarray(ingang)[ep] - 18 * 366) if np.ndim(ingang) else np.minimum(pb, ingang - 18 * 366)
            psex = np.where(sex[ep] == "M", "V", "M")
            kn = np.asarray(known)[ep] if np.ndim(known) else known
            partner[ep] = self.new_persons(len(ep), g, pb, psex, kn)
        return app, partner, leefvorm, birth

    def add_dossiers(self, g, app, partner, leefvorm, regeling, ingang, route, reden_instroom, spell_start,
                     besluit, ontheffing):
        n = len(app)
        ids = np.arange(self.n_dossiers, self.n_dossiers + n)
        self.n_dossiers += n
        self.dossiers.add(did=ids, gemeente=np.full(n, g), aanvrager=app, partner=partner, leefvorm=leefvorm,
                          regeling=regeling, ingang=np.asarray(ingang, np.int64), instroomroute=route,
                          reden_instroom=reden_instroom, spell_start=np.asarray(spell_start, np.int64),
                          besluit=np.asarray(besluit, np.int64), ontheffing=ontheffing)
        return ids

    # -- simulation ---------------------------------------------------------------------
    def run(self):
        for org in ("IGSD", "SOW"):
            start = ACTIVE[org][0]
            end = org_end(org, self.through)
            if end < start:
                continue
            self._run_org(org, month_index(start), month_index(end))
        self.finish()

    def _run_org(self, org: str, first: int, last: int):
        rng = self.rng
        scale = self.scale
        gems = [g.index for g in org_gemeenten(org)]
        paths = target_paths(scale, first, last)
        org_last_day = int(month_end(last))
        # state per gemeente: running dossier ids and their attributes in arrays
        run: dict[int, dict[str, np.ndarray]] = {}
        for g in gems:
            run[g] = self._initial_caseload(g, paths[g][first - 1], int(month_start(first)))
        years = {}
        for mi in range(first, last + 1):
            y = 1970 + mi // 12
            years.setdefault(y, []).append(mi)
        counters = {}  # (year) -> dict of allocated counts for exact yearly shares
        for mi in range(first, last + 1):
            y = 1970 + mi // 12
            ms, me = int(month_start(mi)), int(month_end(mi))
            ndays = me - ms + 1
            yr_total = INSTROOM_JAAR[org].get(y, INSTROOM_JAAR[org][max(INSTROOM_JAAR[org])])
            ymonths = [m for m in years[y]]
            season = SEASON[[m % 12 for m in ymonths]]
            inst_year = largest_remainder(int(round(yr_total * scale * len(ymonths) / 12)) if len(ymonths) < 12 else int(round(yr_total * scale)), season)
            inst_org = int(inst_year[ymonths.index(mi)])
            b_year = largest_remainder(int(round(B_2018 * scale)) if (org == "SOW" and y == 2018) else int(round(B_SHARE * inst_year.sum())), season)
            b_org = int(b_year[ymonths.index(mi)])
            split = largest_remainder(inst_org, [paths[g][mi] for g in gems])
            bsplit = largest_remainder(b_org, [paths[g][mi] for g in gems])
            cnt = counters.setdefault((org, y), {"U": 0, "WERK": 0, "ONDERWIJS": 0, "GARANTIEBAAN": 0,
                                                  "werk_exits": 0, "reentry": 0})
            for j, g in enumerate(gems):
                state = run[g]
                target_prev, target = paths[g][mi - 1], paths[g][mi]
                n_running = len(state["did"])
                assert n_running == target_prev, (g, mi, n_running, target_prev)
                due = self.reentries.pop((g, mi), [])
                n_in = int(split[j])
                n_b = max(int(bsplit[j]), len(due))
                n_cont_pairs = int(rng.poisson(0.8 * scale)) if org == "SOW" else int(rng.poisson(0.2 * scale))
                n_out = target_prev + n_in - target
                if n_out < 0.25 * n_in:
                    n_in = target - target_prev + int(np.ceil(0.25 * n_in))
                    n_out = target_prev + n_in - target
                # exits -------------------------------------------------------------
                decided = state["besluit"] < ms
                age_days = me - state["spell_start"]
                w = np.select([age_days < 183, age_days < 365, age_days < 730, age_days < 1826],
                              [3.2, 2.6, 1.5, 0.40], 0.20)
                w = np.where(decided, w, 0.0)
                birth = state["birth"]
                aow = add_years(birth, AOW_YEARS) <= me
                forced = np.flatnonzero(aow & decided)
                w[forced] = 0
                n_free = max(n_out - len(forced), 0)
                if org == "SOW" and mi == _mi("2022-12") and scale == 1:
                    pick = self._pick_long_share(state, w, forced, n_out, target, me)
                else:
                    pick = np.concatenate([forced[:n_out], weighted_pick(rng, w, n_free)])
                assert len(pick) == n_out, (g, mi, len(pick), n_out)
                exits = self._exit(state, pick, g, mi, ms, me, ndays, cnt, org, org_last_day)
                # continuation pairs: a couple splits, both continue the next day (B-route, spell continues)
                keep = np.ones(n_running, bool)
                keep[pick] = False
                new_parts = []
                cont = exits["cont"]
                n_cont = min(len(cont), n_cont_pairs, max(n_b - len(due), 0) // 2)
                cont = cont[:n_cont]
                # new dossiers ---------------------------------------------------------
                n_b_other = max(n_b - len(due) - 2 * n_cont, 0)
                n_p = max(n_in - len(due) - 2 * n_cont - n_b_other, 0)
                if n_cont:
                    new_parts.append(self._continuations(state, exits, cont, g))
                if due:
                    new_parts.append(self._reentries(due, g))
                if n_b_other:
                    new_parts.append(self._new_b(n_b_other, g, ms, ndays))
                if n_p:
                    new_parts.append(self._new_p(n_p, g, ms, ndays, org))
                for part in new_parts:
                    for k in state:
                        state[k] = np.concatenate([state[k], part[k]])
                    keep = np.concatenate([keep, np.ones(len(part["did"]), bool)])
                for k in state:
                    state[k] = state[k][keep]
                assert len(state["did"]) == target, (g, mi, len(state["did"]), target)
                cnt["U"] += n_out

    # -- pieces -----------------------------------------------------------------------
    def _state(self, did, app, partner, leefvorm, regeling, ingang, spell, besluit, birth):
        return {"did": did, "aanvrager": app, "partner": partner, "leefvorm": leefvorm, "regeling": regeling,
                "ingang": ingang, "spell_start": spell, "besluit": besluit, "birth": birth}

    def _initial_caseload(self, g: int, n: int, start: int):
        rng = self.rng
        # duration mix of a bijstand caseload: long tail, about 70% longer than two years
        yrs = np.where(rng.random(n) < 0.27, rng.random(n) * 2.0, 2.0 + rng.exponential(4.5, n))
        ingang = (start - 1 - yrs * 365.25).astype(np.int64)
        leefvorm = rng.choice(np.array(["AS", "AO", "EP"]), size=n, p=[0.60, 0.22, 0.18])
        birth = self._ages_birth(n, start)
        # nobody younger than 18 at the start of the dossier
        birth = np.minimum(birth, ingang - 18 * 366)
        sex = np.where(leefvorm == "AO", "V", np.where(rng.random(n) < 0.5, "M", "V"))
        app = self.new_persons(n, g, birth, sex, ingang)
        partner = np.full(n, -1, dtype=np.int64)
        ep = np.flatnonzero(leefvorm == "EP")
        pb = np.minimum(birth[ep] + rng.normal(0, 4 * 365, len(ep)).astype(np.int64), ingang[ep] - 18 * 366)
        partner[ep] = self.new_persons(len(ep), g, pb, np.where(sex[ep] == "M", "V", "M"), ingang[ep])
        regeling = rng.choice(np.array(["PW", "IOAW", "IOAZ", "BBZ"]), size=n, p=[0.93, 0.05, 0.005, 0.015])
        reden = rng.choice(np.array(["01", "02", "03", "04", "05", "06", "07", "08", "99"]), size=n,
                           p=[.22, .18, .06, .14, .10, .08, .12, .02, .08])
        ont = np.where(rng.random(n) < np.where(yrs > 5, 0.35, 0.12), "J", "N")
        did = self.add_dossiers(g, app, partner, leefvorm, regeling, ingang, np.full(n, "B"), reden, ingang,
                                ingang, ont)
        return self._state(did, app, partner, leefvorm, regeling, ingang, ingang.copy(), ingang.copy(), birth)

    def _pick_long_share(self, state, w, forced, n_out, target, me):
        """Exits in the month that fix the long-term share (>2 years in a spell) at month end exactly."""
        rng = self.rng
        long_ = add_years(state["spell_start"], 2) < me
        want_long = int(round(LONG_SHARE_2022 * target))
        forced_long = int(long_[forced].sum())
        x = int(long_.sum()) - want_long - forced_long  # long exits still needed
        n_free = n_out - len(forced)
        x = min(max(x, 0), n_free)
        li = np.flatnonzero(long_ & (w > 0))
        si = np.flatnonzero(~long_ & (w > 0))
        pl = li[weighted_pick(rng, w[li], x)]
        ps = si[weighted_pick(rng, w[si], n_free - x)]
        return np.concatenate([forced, pl, ps])

    def _exit(self, state, pick, g, mi, ms, me, ndays, cnt, org, org_last_day):
        rng = self.rng
        n = len(pick)
        ingang = state["ingang"][pick]
        lo = np.maximum(ms, ingang + 1)
        eind = lo + (rng.random(n) * (me - lo + 1)).astype(np.int64)
        reden = np.empty(n, dtype=object)
        birth = state["birth"][pick]
        aow = add_years(birth, AOW_YEARS) <= me
        reden[aow] = "32"
        free = np.flatnonzero(~aow)
        y = 1970 + mi // 12
        shares = EXIT_SHARES if (org == "SOW" and y == 2018) else EXIT_SHARES_OTHER
        cnt_u = cnt["U"] + n
        quotas = {}
        for cat, s in shares.items():
            quotas[cat] = max(int(round(s * cnt_u)) - cnt[cat], 0)
        order = rng.permutation(free)
        # education exits go preferably to the young
        age = (me - birth[order]) / 365.25
        order = order[np.argsort(np.where(age < 27, 0, 1) + rng.random(len(order)) * 1.5, kind="stable")]
        pos = 0
        cat_of = np.full(n, "AUTONOOM", dtype=object)
        for cat in ("ONDERWIJS", "WERK", "GARANTIEBAAN"):
            k = min(quotas[cat], len(order) - pos)
            sel = order[pos:pos + k]
            cat_of[sel] = cat
            pos += k
            cnt[cat] += k
            if cat == "ONDERWIJS":
                order = np.concatenate([order[:pos], rng.permutation(order[pos:])])
        cat_of[aow] = "AUTONOOM"
        codes_w, p_w = zip(*WERK_CODES)
        codes_a, p_a = zip(*AUTONOOM_CODES)
        m_w = cat_of == "WERK"
        reden[m_w] = rng.choice(np.array(codes_w), size=m_w.sum(), p=p_w)
        reden[cat_of == "ONDERWIJS"] = "20"
        reden[cat_of == "GARANTIEBAAN"] = "13"
        m_a = (cat_of == "AUTONOOM") & ~aow
        reden[m_a] = rng.choice(np.array(codes_a), size=m_a.sum(), p=p_a)
        # couples that split (ending with 99, day <= 27) continue as two dossiers the next day
        cont = np.flatnonzero((state["leefvorm"][pick] == "EP") & (reden == "99") & (state["partner"][pick] >= 0))
        cont = rng.permutation(cont)
        eind[cont] = np.minimum(eind[cont], ms + 26)
        eind[cont] = np.maximum(eind[cont], ingang[cont] + 1)
        # re-entries: WERK exits (exactly REENTRY_WERK per year), some others after longer gaps
        werk = np.flatnonzero(m_w)
        cnt["werk_exits"] += len(werk)
        k = max(int(round(REENTRY_WERK * cnt["werk_exits"])) - cnt["reentry"], 0)
        k = min(k, len(werk))
        re_w = rng.permutation(werk)[:k]
        cnt["reentry"] += k
        re_day = {int(i): int(eind[i] + rng.integers(30, 181)) for i in re_w}
        other = np.flatnonzero(np.isin(reden, ["35", "41", "99", "31", "34"]) & (rng.random(n) < 0.10))
        other = np.setdiff1d(other, cont)
        for i in other:
            re_day[int(i)] = int(eind[i] + rng.integers(200, 1100))
        for i, dd in re_day.items():
            if dd > org_last_day:
                continue
            key = (g, int(np.asarray(dd).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)))
            self.reentries.setdefault(key, []).append(
                (int(state["aanvrager"][pick][i]), int(state["partner"][pick][i]), str(state["leefvorm"][pick][i]),
                 str(state["regeling"][pick][i]), int(dd), int(state["birth"][pick][i])))
        # deaths
        dead = state["aanvrager"][pick][reden == "33"]
        self.deaths.append((dead, eind[reden == "33"]))
        self.ends.append((state["did"][pick], eind, reden))
        return {"cont": cont, "pick": pick, "eind": eind}

    def _continuations(self, state, exits, cont, g):
        rng = self.rng
        pick = exits["pick"][cont]
        d1 = exits["eind"][cont] + 1
        n = len(cont)
        app = np.concatenate([state["aanvrager"][pick], state["partner"][pick]])
        birth_all = self.person_birth(app)
        ingang = np.concatenate([d1, d1])
        spell = np.concatenate([state["spell_start"][pick], state["spell_start"][pick]])
        leefvorm = np.where(rng.random(2 * n) < 0.45, "AO", "AS")
        regeling = np.full(2 * n, "PW")
        partner = np.full(2 * n, -1, dtype=np.int64)
        did = self.add_dossiers(g, app, partner, leefvorm, regeling, ingang, np.full(2 * n, "B"),
                                np.full(2 * n, "04"), spell, ingang, np.full(2 * n, "N"))
        return self._state(did, app, partner, leefvorm, regeling, ingang, spell, ingang.copy(), birth_all)

    def _reentries(self, due, g):
        app = np.array([d[0] for d in due], np.int64)
        partner = np.array([d[1] for d in due], np.int64)
        leefvorm = np.array([d[2] for d in due])
        regeling = np.array([d[3] for d in due])
        ingang = np.array([d[4] for d in due], np.int64)
        birth = np.array([d[5] for d in due], np.int64)
        reden = np.where(self.rng.random(len(due)) < 0.7, "01", "99")
        did = self.add_dossiers(g, app, partner, leefvorm, regeling, ingang, np.full(len(due), "B"), reden, ingang,
                                ingang, np.full(len(due), "N"))
        return self._state(did, app, partner, leefvorm, regeling, ingang, ingang.copy(), ingang.copy(), birth)

    def _new_b(self, n, g, ms, ndays):
        """B-route instroom without melding: IOAW after WW, statushouders, zelfstandigen, verhuizers."""
        rng = self.rng
        ingang = ms + (rng.random(n) * ndays).astype(np.int64)
        kind = rng.choice(4, size=n, p=[0.35, 0.30, 0.10, 0.25])
        regeling = np.array(["IOAW", "PW", "BBZ", "PW"])[kind]
        reden = np.array(["02", "05", "08", "06"])[kind]
        app, partner, leefvorm, birth = self._households(n, g, ingang)
        old = kind == 0  # IOAW: 50+ after WW
        birth = np.where(old, ingang - ((50 + rng.random(n) * 15) * 365.25).astype(np.int64), birth)
        self._set_birth(app[old], birth[old])
        did = self.add_dossiers(g, app, partner, leefvorm, regeling, ingang, np.full(n, "B"), reden, ingang, ingang,
                                np.where(rng.random(n) < 0.1, "J", "N"))
        return self._state(did, app, partner, leefvorm, regeling, ingang, ingang.copy(), ingang.copy(), birth)

    def _new_p(self, n, g, ms, ndays, org):
        """P-route instroom: a melding at de Poort, application, TOEGEKEND; ingangsdatum = meldingsdatum."""
        rng = self.rng
        ingang = ms + (rng.random(n) * ndays).astype(np.int64)
        app, partner, leefvorm, birth = self._households(n, g, ingang, young_bias=0.02)
        regeling = rng.choice(np.array(["PW", "IOAW", "IOAZ", "BBZ"]), size=n, p=[0.96, 0.025, 0.005, 0.01])
        reden = rng.choice(np.array(["01", "02", "03", "04", "06", "07", "08", "99"]), size=n,
                           p=[.28, .20, .09, .14, .07, .13, .02, .07])
        aanvraag = ingang + rng.integers(0, 11, n)
        within = rng.random(n) < 0.82
        besluit = aanvraag + np.where(within, rng.integers(7, 29, n), rng.integers(29, 70, n))
        did = self.add_dossiers(g, app, partner, leefvorm, regeling, ingang, np.full(n, "P"), reden, ingang, besluit,
                                np.where(rng.random(n) < 0.08, "J", "N"))
        mid = np.arange(self.n_meldingen, self.n_meldingen + n)
        self.n_meldingen += n
        self.meldingen.add(mid=mid, persoon=app, gemeente=np.full(n, g), meldingsdatum=ingang, aanvraagdatum=aanvraag,
                           besluitdatum=besluit, besluit=np.full(n, "TOEGEKEND"), did=did)
        return self._state(did, app, partner, leefvorm, regeling, ingang, ingang.copy(), besluit, birth)

    # -- person attribute helpers ----------------------------------------------------------
    def person_birth(self, pids):
        births = np.concatenate(self.persons.cols["geboortedatum"])
        self.persons.cols["geboortedatum"] = [births]
        return births[pids]

    def _set_birth(self, pids, values):
        births = np.concatenate(self.persons.cols["geboortedatum"])
        births[pids] = values
        self.persons.cols["geboortedatum"] = [births]

    def finish(self):
        """Assemble frames: dossiers with ends, meldingen incl. the ones not leading to a benefit."""
        d = self.dossiers.frame()
        d["eind"] = NEVER
        d["reden_beeindiging"] = None
        if self.ends:
            ids = np.concatenate([e[0] for e in self.ends])
            d.loc[ids, "eind"] = np.concatenate([e[1] for e in self.ends])
            d.loc[ids, "reden_beeindiging"] = np.concatenate([e[2] for e in self.ends])
        self.dossier_frame = d
        self._prevented_meldingen(d)
        p = self.persons.frame()
        p["overlijden"] = NEVER
        if self.deaths:
            dead = np.concatenate([x[0] for x in self.deaths])
            p.loc[dead, "overlijden"] = np.concatenate([x[1] for x in self.deaths])
        self.melding_frame = self.meldingen.frame()

    def _prevented_meldingen(self, d: pd.DataFrame):
        """Meldingen that did not lead to a benefit, per month in proportion to the TOEGEKEND ones."""
        rng = self.rng
        m = self.meldingen.frame()
        m["mi"] = (m["meldingsdatum"].values.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64))
        m["org"] = np.array([GEMEENTEN[g].org for g in range(len(GEMEENTEN))])[m["gemeente"].values]
        for (org, mi), grp in m.groupby(["org", "mi"], sort=True):
            y = 1970 + mi // 12
            q = PREVENTIE[org].get(y, 0.7)
            n_tk = len(grp)
            if org == "SOW" and y == 2018 and self.scale == 1:
                yr = m[(m["org"] == "SOW") & (m["mi"] // 12 == mi // 12)]
                per = largest_remainder(PREVENTIE_2018, yr.groupby("mi").size().values)
                n = int(per[list(sorted(yr["mi"].unique())).index(mi)])
            elif org == "IGSD" and mi == _mi("2016-08"):
                n = int(round(n_tk * 0.36 / 0.64))
            else:
                n = int(round(n_tk * q / (1 - q)))
            gems = grp["gemeente"].value_counts().sort_index()
            split = largest_remainder(n, gems.values)
            ms, me = int(month_start(mi)), int(month_end(mi))
            for g, k in zip(gems.index, split):
                if k == 0:
                    continue
                md = ms + (rng.random(k) * (me - ms + 1)).astype(np.int64)
                app, _, _, _ = self._households(k, int(g), md, leefvorm=np.full(k, "AS"), young_bias=0.08)
                outcome = rng.choice(np.array(["", "AFGEWEZEN", "BUITEN_BEHANDELING", "INGETROKKEN"]), size=k,
                                     p=[0.42, 0.22, 0.14, 0.22])
                aanvraag = np.where(outcome == "", NEVER, md + rng.integers(0, 15, k))
                besluit = np.where(outcome == "", NEVER, aanvraag + rng.integers(5, 45, k))
                mid = np.arange(self.n_meldingen, self.n_meldingen + k)
                self.n_meldingen += k
                self.meldingen.add(mid=mid, persoon=app, gemeente=np.full(k, g), meldingsdatum=md,
                                   aanvraagdatum=aanvraag, besluitdatum=besluit, besluit=outcome,
                                   did=np.full(k, -1, dtype=np.int64))
