"""CBS population per municipality, year and age band (StatLine-style download, optional source)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from .common import GEMEENTEN, read_reference

# the band layout of SOURCES.md (cbs): it gives both 18+ and 15-64
BANDS = ((0, 14, 0.16), (15, 17, 0.035), (18, 26, 0.105), (27, 44, 0.225), (45, 64, 0.26), (65, 66, 0.025),
         (67, None, 0.19))
GROWTH = 0.003  # per year, backwards from the reference date


def write(out: Path, through: date) -> None:
    ref = {r["gemeente"]: (int(r["peildatum"][:4]), int(r["inwoners"])) for r in read_reference("bevolking_totaal.csv")}
    lines = ["gemeente,jaar,leeftijd_van,leeftijd_tot,inwoners"]
    for g in GEMEENTEN:
        y0, n0 = ref[g.cbs]
        for y in range(2015, max(through.year, y0) + 1):
            total = int(round(n0 * (1 + GROWTH) ** (y - y0)))
            shares = np.array([b[2] for b in BANDS])
            raw = total * shares / shares.sum()
            counts = np.floor(raw).astype(int)
            counts[np.argsort(-(raw - counts))[: total - counts.sum()]] += 1
            for (lo, hi, _), c in zip(BANDS, counts):
                lines.append(f"{g.cbs},{y},{lo},{'' if hi is None else hi},{c}")
    path = out / "inbox" / "cbs" / "bevolking.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
