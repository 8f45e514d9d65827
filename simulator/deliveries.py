"""Write the quarterly deliveries of the file systems, with faults injected on top of the truth."""
from __future__ import annotations

import csv
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pdw.contract import objects

from . import formats, snapshots
from .common import day, hash_u01, to_date

# default fault rates (per row per delivery unless noted); faults=False switches all off
RATES = {
    "exacte_dubbele_rij": 0.0005,
    "exacte_dubbele_rij_betalingen": 0.0002,
    "datum_onleesbaar": 0.0005,
    "dossier_heropend": 0.001,  # of running SOW dossiers, per non-final delivery
    "einddatum_teruggezet": 0.03,  # of SOW dossiers ended in the last 90 days, per non-final delivery
    "bsn_8_cijfers": 0.03,  # of persons whose bsn starts with 0 (every delivery)
    "bsn_ongeldig": 0.005,  # of schuldhulp aanmeldingen (every delivery)
    "gemeente_spelling": 0.06,  # of schuldhulp records (every delivery)
}
CHUNK_ROWS = 500_000  # rows formatted at a time
FAULT_COLUMNS = ("bron", "object", "sleutel", "controle", "levering", "omschrijving")
SOW_NUMMERS = np.array(["0556", "0622", "0606"])
SOW_CBS = np.array(["GM0556", "GM0622", "GM0606"])


def _write_blocks(path: Path, blocks: list[bytes], append: bool):
    with open(path, "ab" if append else "wb") as fh:
        for b in blocks:
            fh.write(b)


class FaultLog:
    """`faults.csv`: each injected fault the warehouse must report as a finding (the contract says
    "flagged" or "quarantined"); `quirks.csv`: each quirk the contract has handled by rule without
    a finding (a double registration, a 99 answer), in the same columns."""

    def __init__(self, truth: Path):
        self.files = {name: open(truth / name, "w", encoding="utf-8", newline="") for name in ("faults.csv", "quirks.csv")}
        self.writers = {name: csv.writer(f, lineterminator="\n") for name, f in self.files.items()}
        for w in self.writers.values():
            w.writerow(FAULT_COLUMNS)
        self.count = 0

    def add(self, bron, obj, keys, controle, levering, omschrijving, file="faults.csv"):
        """`levering` and `omschrijving`: one for all keys or one per key."""
        def each(v):
            return v if isinstance(v, (list, np.ndarray)) else [v] * len(keys)
        w = self.writers[file]
        for k, lev, o in zip(keys, each(levering), each(omschrijving)):
            w.writerow((bron, obj, str(k), controle, lev, o))
            self.count += file == "faults.csv"

    def quirk(self, bron, obj, keys, controle, levering, omschrijving):
        self.add(bron, obj, keys, controle, levering, omschrijving, "quirks.csv")

    def close(self):
        for f in self.files.values():
            f.close()


class HeldLog:
    """Findings and quirks computed early and written later, in the order they were added: the core world's
    late findings follow the later sources' in `faults.csv`, but the world is released before those build."""

    def __init__(self):
        self.rows: list[tuple[str, tuple]] = []

    def add(self, *args, file="faults.csv"):
        self.rows.append((file, args))

    def quirk(self, *args):
        self.add(*args, file="quirks.csv")

    def replay(self, log: FaultLog):
        for file, args in self.rows:
            log.add(*args, file=file)


class Writer:
    def __init__(self, world, out: Path, seed: int, faults: bool, log: FaultLog | None):
        self.w = world
        self.out = out
        self.seed = seed
        self.faults = faults
        self.log = log
        self.regelnummer = 0
        self.rows: dict[str, int] = {}
        self.bytes = 0
        self._io = ThreadPoolExecutor(max_workers=1)
        self._pending: deque = deque()

    # -- helpers --------------------------------------------------------------------------
    def _rng(self, k: int, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, k, sum(map(ord, name)) * 7919 + len(name)])

    def _count(self, key: str, n: int):
        self.rows[key] = self.rows.get(key, 0) + n

    def _write(self, path: Path, blocks: list[bytes], append: bool = False):
        """Write in a background thread (in submission order) while the next block is computed;
        at most two writes wait, so memory stays bounded when the disk is the bottleneck."""
        path.parent.mkdir(parents=True, exist_ok=True)
        while len(self._pending) >= 2:
            self._pending.popleft().result()
        self._pending.append(self._io.submit(_write_blocks, path, blocks, append))
        self.bytes += sum(map(len, blocks))

    def close(self):
        """Wait for the last writes; the writer is done."""
        while self._pending:
            self._pending.popleft().result()
        self._io.shutdown()

    # -- one delivery ---------------------------------------------------------------------------
    def delivery(self, k: int, cut_date: date, final: bool, previous: date | None):
        folder = cut_date.strftime("%Y%m%d")
        cut = day(cut_date)
        for system in ("civision", "schuldhulp", "reintegratie"):
            target = self.out / "inbox" / system / folder
            for obj in objects(system):
                if obj.delta:
                    f = self._betalingen(day(previous) if previous else day(date(2015, 1, 1)), cut)
                else:
                    f = snapshots.SNAPSHOTS[(system, obj.name)](self.w, cut)
                text_faults = []
                if self.faults:
                    f, text_faults = self._typed_faults(system, obj, f, k, folder, final, cut)
                self._write_file(target / obj.filename, system, obj, f, text_faults)
                self._count(f"{system}/{obj.name}", snapshots.length(f))
            self._write(target / "_READY", [b""])

    def _write_file(self, path: Path, system: str, obj, f, text_faults):
        """Format and write a file in blocks of rows: memory stays bounded at any scale."""
        n = snapshots.length(f)
        blocks = []
        for start in range(0, max(n, 1), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, n)
            part = snapshots.rows(f, start, stop)
            patches = []
            for col, rows_, values in text_faults:
                rows_ = np.asarray(rows_)
                inside = (rows_ >= start) & (rows_ < stop)
                if inside.any():
                    patches.append((col, rows_[inside] - start, np.asarray(values, dtype=object)[inside]))
            if obj.system == "reintegratie":
                blocks.append(formats.jsonl_bytes(part, obj, patches))
            else:
                cols = formats.format_columns(part, obj, system)
                for col, rows_, values in patches:
                    cols[col] = formats.patch(cols[col], rows_, values)
                blocks.append(formats.csv_bytes(cols, system, first=start == 0))
            if len(blocks) == 2 or stop >= n:
                self._write(path, blocks, append=start >= CHUNK_ROWS * 2)
                blocks = []

    def _betalingen(self, lo: int, hi: int) -> dict:
        b = self.w.betalingen.window(lo, hi)
        n = len(b["dossiernummer"])
        b = {"regelnummer": np.arange(self.regelnummer + 1, self.regelnummer + n + 1), **b}
        self.regelnummer += n
        b["betaaldatum"] = b["betaaldatum"].astype("datetime64[D]")
        self.payments_window = b
        return b

    # -- faults ---------------------------------------------------------------------------------
    def _typed_faults(self, system, obj, f, k, folder, final, cut):
        rng = self._rng(k, f"{system}.{obj.name}")
        text: list = []
        log = self.log
        n = snapshots.length(f)
        key = obj.key[0]
        if n == 0:
            return f, text
        f = dict(f)
        if system == "civision" and obj.name == "uitkeringen" and not final:
            f = self._reopen_backdate(f, rng, k, folder, cut)
        # persistent identifier faults (every delivery in which the record appears)
        bsn_col = {"personen": "bsn", "aanmeldingen": "bsn", "trajecten": "client_bsn"}.get(obj.name)
        if bsn_col and not (system == "schuldhulp" and obj.name == "trajecten"):
            b = f[bsn_col]
            lead0 = pc.starts_with(b, "0").to_numpy(zero_copy_only=False)
            num = pc.cast(b, pa.int64()).to_numpy()
            h = hash_u01(self.seed, num, 31)
            sel = np.flatnonzero(lead0 & (h < RATES["bsn_8_cijfers"]))
            if len(sel):
                f[bsn_col] = formats.patch(b, sel, num[sel].astype(str))
                log.add(system, obj.name, snapshots.values(f, key, sel), "bsn_8_cijfers", folder,
                        "bsn met 8 cijfers (voorloopnul weggevallen)")
            if system == "schuldhulp":
                hb = hash_u01(self.seed, self._digits(f[key]), 32)
                sel = np.flatnonzero(hb < RATES["bsn_ongeldig"])
                current = np.array(snapshots.values(f, bsn_col, sel), dtype=object)
                keep = np.array([len(x) == 9 for x in current], dtype=bool)
                sel, current = sel[keep], current[keep]
                if len(sel):
                    bad = [x[:-1] + str((int(x[-1]) + 1) % 10) for x in current]
                    f[bsn_col] = formats.patch(f[bsn_col], sel, bad)
                    log.add(system, obj.name, snapshots.values(f, key, sel), "bsn_ongeldig", folder,
                            "bsn voldoet niet aan de 11-proef")
        if system == "schuldhulp" and "gemeente" in f:
            hs = hash_u01(self.seed, self._digits(f[key]), 33 + len(obj.name))
            sel = np.flatnonzero(hs < RATES["gemeente_spelling"])
            if len(sel):
                variant = (hs[sel] * 1000).astype(int) % 4
                names = np.array(snapshots.values(f, "gemeente", sel), dtype=str)
                spelled = np.select([variant == 0, variant == 1, variant == 2],
                                    [np.char.add(" ", names), np.char.upper(names), np.char.add(np.char.lower(names), "  ")],
                                    np.char.add(np.char.add(" ", np.char.lower(names)), " "))
                f["gemeente"] = formats.patch(f["gemeente"], sel, spelled)
                log.add(system, obj.name, snapshots.values(f, key, sel), "gemeente_spelling", folder,
                        [f"gemeentenaam '{s}' (spaties/hoofdletters)" for s in spelled])
        # transient faults only on SOW records (IGSD stays frozen after 2017)
        sow = self._sow_mask(system, obj, f)
        if obj.version and obj.name in ("uitkeringen", "trajecten") and system in ("civision", "reintegratie"):
            f, text = self._paging_unreadable(system, obj, f, rng, folder, sow)
        elif not final and obj.name in ("aanvragen", "aanmeldingen", "personen"):
            col = {"aanvragen": "meldingsdatum", "aanmeldingen": "datum_aanmelding", "personen": "geboortedatum"}[obj.name]
            sel = np.flatnonzero(sow & (rng.random(n) < RATES["datum_onleesbaar"]))
            if len(sel):
                bad = self._bad_dates(system, f[col][sel], rng)
                text.append((col, sel, bad))
                log.add(system, obj.name, snapshots.values(f, key, sel), "datum_onleesbaar", folder,
                        [f"{col} onleesbaar in niet-laatste levering: '{v}'" for v in bad])
        dup_rate = RATES["exacte_dubbele_rij_betalingen"] if obj.delta else RATES["exacte_dubbele_rij"]
        if obj.name in ("uitkeringen", "aanvragen", "betalingen") or (system, obj.name) in (
                ("schuldhulp", "trajecten"), ("reintegratie", "plaatsingen")):
            sel = np.flatnonzero(rng.random(snapshots.length(f)) < dup_rate)
            sow = self._sow_mask(system, obj, f)
            if obj.name != "betalingen":
                sel = sel[sow[sel]]
            if text:
                taken = np.concatenate([r for _, r, _ in text])
                sel = np.setdiff1d(sel, taken)
            if len(sel):
                f = snapshots.concat(f, snapshots.take(f, sel))
                keys = snapshots.values(f, key, sel) if len(obj.key) == 1 else sel
                log.add(system, obj.name, keys, "exacte_dubbele_rij", folder, "exact dezelfde regel tweemaal in het bestand")
        return f, text

    @staticmethod
    def _digits(ids: pa.Array) -> np.ndarray:
        """Numeric part of a text key (A2018-000123 -> 2018000123) for hashed draws."""
        return pc.cast(pc.replace_substring_regex(ids, r"\D", ""), pa.int64()).to_numpy()

    def _sow_mask(self, system, obj, f) -> np.ndarray:
        if system == "civision" and "gemeentecode" in f:
            col, values = f["gemeentecode"], SOW_NUMMERS
        elif system == "civision":  # betalingen
            return np.ones(snapshots.length(f), bool)
        elif system == "schuldhulp" and "gemeente" in f:
            col, values = pc.utf8_lower(pc.utf8_trim_whitespace(f["gemeente"])), np.array(["maassluis", "vlaardingen", "schiedam"])
        elif system == "schuldhulp":
            return np.ones(snapshots.length(f), bool)
        else:
            col, values = f["client_gemeente"], SOW_CBS
        return pc.is_in(col, value_set=pa.array(values)).to_numpy(zero_copy_only=False)

    def _bad_dates(self, system, values, rng) -> list[str]:
        years = pd.DatetimeIndex(values).year.fillna(2018).astype(int)
        out = []
        for y, c in zip(years, rng.integers(0, 3, len(years))):
            if system == "civision":
                out.append([f"31-02-{y}", "00-00-0000", f"12/03/{y}"][c])
            else:
                out.append([f"{y}-02-30", f"{y}-13-01", "onbekend"][c])
        return out

    def _paging_unreadable(self, system, obj, f, rng, folder, sow):
        """An older version of a record (paging export) with an unreadable date; the latest row is intact."""
        n = snapshots.length(f)
        sel = np.flatnonzero(sow & (rng.random(n) < RATES["datum_onleesbaar"]))
        if len(sel) == 0:
            return f, []
        old = snapshots.take(f, sel)
        old[obj.version] = old[obj.version] - np.timedelta64(1, "D") * rng.integers(1, 30, len(sel))
        date_col = "ingangsdatum" if system == "civision" else "aangemeld_op"
        f = snapshots.concat(f, old)
        rows = np.arange(n, n + len(sel))
        bad = self._bad_dates(system, old[date_col], rng)
        self.log.add(system, obj.name, snapshots.values(old, obj.key[0], np.arange(len(sel))), "datum_onleesbaar", folder,
                     [f"oudere versie van de regel (paginering) met onleesbare {date_col} '{b}'" for b in bad])
        return f, [(date_col, rows, bad)]

    def _reopen_backdate(self, f, rng, k, folder, cut):
        """In this (non-final) snapshot: a false end that the next one clears (reopened), or an end
        later than the truth that the next one moves back (backdated). Truth = the latest snapshot."""
        d = self.w.dossiers
        nxt = self.next_cut
        n = snapshots.length(f)
        sow = pc.is_in(f["gemeentecode"], value_set=pa.array(SOW_NUMMERS)).to_numpy(zero_copy_only=False)
        order = self._dossier_order()
        numbers = d["dossiernummer"].values
        truth_end = d["eind"].values[order[np.searchsorted(numbers[order], f["dossiernummer"])]]
        ingang = f["ingangsdatum"].astype("datetime64[D]").astype(np.int64)
        einddatum = f["einddatum"].copy()
        running = sow & np.isnat(einddatum) & (truth_end >= nxt) & (ingang < cut - 90)
        sel = np.flatnonzero(running & (rng.random(n) < RATES["dossier_heropend"]))
        nf = self.next_folder
        if len(sel):
            fake = cut - rng.integers(5, 60, len(sel))
            einddatum[sel] = fake.astype("datetime64[D]")
            f["reden_beeindiging"] = formats.patch(f["reden_beeindiging"], sel, ["99"] * len(sel))
            changed = f["laatst_gewijzigd"].copy()
            changed[sel] = fake.astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(36000, "s")
            f["laatst_gewijzigd"] = changed
            self.log.add("civision", "uitkeringen", f["dossiernummer"][sel], "dossier_heropend", nf,
                         [f"einddatum {to_date(x).strftime('%d-%m-%Y')} in levering {folder} is in levering {nf} weer leeg"
                          for x in fake])
        ended = einddatum.astype("datetime64[D]").astype(np.int64)
        recent = sow & ~np.isnat(einddatum) & (ended >= cut - 90) & (ended < cut - 3)
        recent[sel] = False
        sel2 = np.flatnonzero(recent & (rng.random(n) < RATES["einddatum_teruggezet"]))
        if len(sel2):
            shown = np.minimum(ended[sel2] + rng.integers(5, 60, len(sel2)), cut - 1)
            einddatum[sel2] = shown.astype("datetime64[D]")
            self.log.add("civision", "uitkeringen", f["dossiernummer"][sel2], "einddatum_teruggezet", nf,
                         [f"einddatum {to_date(s).strftime('%d-%m-%Y')} in levering {folder} is in levering {nf} "
                          f"teruggezet naar {to_date(e).strftime('%d-%m-%Y')}" for s, e in zip(shown, ended[sel2])])
        f["einddatum"] = einddatum
        return f

    def _dossier_order(self) -> np.ndarray:
        if not hasattr(self, "_order"):
            self._order = np.argsort(self.w.dossiers["dossiernummer"].values, kind="stable")
        return self._order
