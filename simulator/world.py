"""The whole simulated world (ground truth) that all deliveries are extracted from."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from . import names
from .common import GEMEENTEN, NEVER, add_years, day, make_bsns, month_end, month_index
from .uitkeringen import BenefitsWorld

JONGEREN_2018_04 = 397  # SOW applicants younger than 27 at the end of April 2018


class World:
    SETTINGS = ("seed", "scale", "through", "rng")

    def __init__(self, seed: int, scale: float, through: date):
        self.seed = seed
        self.scale = scale
        self.through = through
        self.rng = np.random.default_rng(seed)

    def build(self, progress=print):
        rng = self.rng
        b = BenefitsWorld(rng, self.scale, self.through)
        b.run()
        self.benefits = b
        d = b.dossier_frame
        d["dossiernummer"] = 100001 + d["did"].values * 3 + rng.integers(0, 3, len(d))
        self.dossiers = d
        m = b.melding_frame.sort_values(["meldingsdatum", "mid"], kind="stable").reset_index(drop=True)
        m["meldingsnummer"] = 500001 + np.arange(len(m))
        self.meldingen = m
        progress(f"  uitkeringen: {len(d):,} dossiers, {len(m):,} meldingen")
        if self.scale == 1 and self.through >= date(2018, 5, 1):
            self._fix_jongeren()

    def new_persons(self, n: int, gemeente, birth, sex, known) -> np.ndarray:
        """Persons outside Civision (schuldhulp or reintegratie only)."""
        b = self.benefits
        ids = np.arange(b.n_persons, b.n_persons + n)
        b.n_persons += n
        b.persons.add(pid=ids, gemeente=np.asarray(gemeente), geboortedatum=np.asarray(birth, np.int64),
                      geslacht=np.asarray(sex), bekend_vanaf=np.asarray(known, np.int64))
        self._extra_persons = getattr(self, "_extra_persons", 0) + n
        return ids

    def _fix_jongeren(self):
        """Move birth dates of a few SOW applicants so that jongeren_eindstand 2018-04 is exact."""
        b = self.benefits
        d = self.dossiers
        end = int(month_end(month_index(date(2018, 4, 1))))
        sow = np.isin(d["gemeente"].values, [0, 1, 2])
        run = sow & (d["ingang"].values <= end) & (d["eind"].values > end)
        births = b.person_birth(d["aanvrager"].values)
        young = add_years(births, 27) > end
        y = int((run & young).sum())
        rng = self.rng
        app = d["aanvrager"].values
        # a person may only be moved if they are applicant of no other dossier that starts before age 18
        if y > JONGEREN_2018_04:
            cand = np.flatnonzero(run & young)
            pick = rng.permutation(cand)[: y - JONGEREN_2018_04]
            new = add_years(np.full(len(pick), end), -28) + rng.integers(0, 300, len(pick))
        else:
            limit = day(date(2010, 5, 1))
            first_ingang = d.groupby("aanvrager")["ingang"].min()
            ok = first_ingang.reindex(app).values >= limit
            age = (end - births) / 365.25
            cand = np.flatnonzero(run & ~young & (age < 33) & ok)
            pick = rng.permutation(cand)[: JONGEREN_2018_04 - y]
            new = add_years(np.full(len(pick), end), -27) + 1 + rng.integers(0, 360, len(pick))
        b._set_birth(app[pick], new)

    def release(self, keep: tuple[str, ...]) -> None:
        """Drop every part of the world but `keep` and its settings: what runs after needs no more, and at
        national scale the rest would sit beside the zaken (docs/simulator.md)."""
        for name in [n for n in vars(self) if n not in keep and n not in self.SETTINGS]:
            delattr(self, name)

    def finish_persons(self):
        """Identity attributes for every person: bsn, names, address; civision numbers."""
        rng = self.rng
        p = self.benefits.persons.frame()
        n = len(p)
        p["overlijden"] = NEVER
        deaths = self.benefits.deaths
        if deaths:
            dead = np.concatenate([x[0] for x in deaths])
            p.loc[dead, "overlijden"] = np.concatenate([x[1] for x in deaths])
        bsn = make_bsns(rng, n)
        p["bsn"] = bsn
        p["bsn_text"] = np.char.zfill(bsn.astype(str), 9)
        p["persoonsnummer"] = 1000001 + p["pid"].values
        p["voorletters"] = names.voorletters(rng, n)
        p["achternaam"] = names.ACHTERNAMEN[rng.integers(0, len(names.ACHTERNAMEN), n)]
        p["straat"] = names.STRATEN[rng.integers(0, len(names.STRATEN), n)]
        p["huisnummer"] = (1 + rng.geometric(0.025, n)).astype(str)
        p["huisnummer"] = np.where(rng.random(n) < 0.12, np.char.add(p["huisnummer"].values.astype(str),
                                   np.array(["a", "b", "A", "-1", "-2"])[rng.integers(0, 5, n)]), p["huisnummer"].values)
        g = p["gemeente"].values
        lo = np.array([x.postcode[0] for x in GEMEENTEN])[g]
        hi = np.array([x.postcode[1] for x in GEMEENTEN])[g]
        pc = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
        p["postcode"] = np.char.add(pc.astype(str), names.POSTCODE_LETTERS[rng.integers(0, len(names.POSTCODE_LETTERS), n)])
        plaats = np.empty(n, dtype=object)
        for x in GEMEENTEN:
            sel = g == x.index
            plaats[sel] = np.array(x.plaatsen)[np.minimum(rng.geometric(0.55, sel.sum()) - 1, len(x.plaatsen) - 1)]
        p["woonplaats"] = plaats
        civ = np.zeros(n, bool)
        d = self.dossiers
        civ[d["aanvrager"].values] = True
        civ[d["partner"].values[d["partner"].values >= 0]] = True
        civ[self.meldingen["persoon"].values] = True
        p["in_civision"] = civ
        for col in ("voorletters", "achternaam", "straat", "huisnummer", "postcode", "woonplaats", "geslacht"):
            p[col] = pd.Categorical(p[col].values)  # compact at national scale; values unchanged
        self.personen = p
        self.pnr = p["persoonsnummer"].values
