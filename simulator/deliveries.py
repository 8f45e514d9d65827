"""Write the quarterly deliveries of the file systems, with faults injected on top of the truth."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

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
FAULT_COLUMNS = ("bron", "object", "sleutel", "controle", "levering", "omschrijving")
SOW_NUMMERS = np.array(["0556", "0622", "0606"])
SOW_CBS = np.array(["GM0556", "GM0622", "GM0606"])


class FaultLog:
    def __init__(self, path: Path):
        self.path = path
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.w = csv.writer(self.f, lineterminator="\n")
        self.w.writerow(FAULT_COLUMNS)
        self.count = 0

    def add(self, bron, obj, keys, controle, levering, omschrijving):
        for k, o in zip(keys, omschrijving if isinstance(omschrijving, (list, np.ndarray)) else [omschrijving] * len(keys)):
            self.w.writerow((bron, obj, str(k), controle, levering, o))
            self.count += 1

    def close(self):
        self.f.close()


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

    # -- helpers --------------------------------------------------------------------------
    def _rng(self, k: int, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, k, sum(map(ord, name)) * 7919 + len(name)])

    def _count(self, key: str, n: int):
        self.rows[key] = self.rows.get(key, 0) + n

    def _write(self, path: Path, data: bytes):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.bytes += len(data)

    # -- one delivery ---------------------------------------------------------------------------
    def delivery(self, k: int, cut_date: date, final: bool, previous: date | None):
        folder = cut_date.strftime("%Y%m%d")
        cut = day(cut_date)
        for system in ("civision", "schuldhulp", "reintegratie"):
            target = self.out / "inbox" / system / folder
            for obj in objects(system):
                if obj.delta:
                    df = self._betalingen(day(previous) if previous else day(date(2015, 1, 1)), cut)
                else:
                    df = snapshots.SNAPSHOTS[(system, obj.name)](self.w, cut)
                text_faults = []
                if self.faults:
                    df, text_faults = self._typed_faults(system, obj, df, k, folder, final, cut)
                if obj.system == "reintegratie":
                    data = formats.jsonl_bytes(df, obj)
                    data = self._text_faults_jsonl(data, text_faults)
                else:
                    cols = formats.format_columns(df, obj, system)
                    for col, rows_, values in text_faults:
                        arr = np.asarray(cols[col].to_pylist(), dtype=object)
                        arr[rows_] = values
                        cols[col] = pa.array(arr.tolist(), type=pa.string())
                    data = formats.csv_bytes(cols, system)
                self._write(target / obj.filename, data)
                self._count(f"{system}/{obj.name}", len(df))
            self._write(target / "_READY", b"")

    def _betalingen(self, lo: int, hi: int) -> pd.DataFrame:
        b = self.w.betalingen.window(lo, hi)
        n = len(b)
        b.insert(0, "regelnummer", np.arange(self.regelnummer + 1, self.regelnummer + n + 1))
        self.regelnummer += n
        b["betaaldatum"] = b["betaaldatum"].values.astype("datetime64[D]")
        self.payments_window = b
        return b

    # -- faults ---------------------------------------------------------------------------------
    def _typed_faults(self, system, obj, df, k, folder, final, cut):
        rng = self._rng(k, f"{system}.{obj.name}")
        text: list = []
        log = self.log
        n = len(df)
        key = obj.key[0]
        if n == 0:
            return df, text
        if system == "civision" and obj.name == "uitkeringen" and not final:
            df = self._reopen_backdate(df, rng, k, folder, cut)
        # persistent identifier faults (every delivery in which the record appears)
        bsn_col = {"personen": "bsn", "aanmeldingen": "bsn", "trajecten": "client_bsn"}.get(obj.name)
        if bsn_col and not (system == "schuldhulp" and obj.name == "trajecten"):
            b = df[bsn_col].astype(str).values
            lead0 = np.char.startswith(b.astype(str), "0")
            h = hash_u01(self.seed, np.char.lstrip(b.astype(str), "0").astype(np.int64), 31)
            sel = np.flatnonzero(lead0 & (h < RATES["bsn_8_cijfers"]))
            if len(sel):
                df.loc[df.index[sel], bsn_col] = np.char.lstrip(b[sel].astype(str), "0")
                log.add(system, obj.name, df[key].values[sel], "bsn_8_cijfers", folder,
                        "bsn met 8 cijfers (voorloopnul weggevallen)")
            if system == "schuldhulp":
                ids = df["aanmelding_id"].astype(str).str.replace(r"\D", "", regex=True).astype(np.int64).values
                hb = hash_u01(self.seed, ids, 32)
                sel = np.flatnonzero(hb < RATES["bsn_ongeldig"])
                sel = sel[np.char.str_len(df[bsn_col].values[sel].astype(str)) == 9]
                if len(sel):
                    bad = df[bsn_col].values[sel].astype(str)
                    last = (np.char.str_len(bad) - 1)
                    digit = np.array([int(x[-1]) for x in bad])
                    bad = np.array([x[:-1] + str((d + 1) % 10) for x, d in zip(bad, digit)])
                    df.loc[df.index[sel], bsn_col] = bad
                    log.add(system, obj.name, df[key].values[sel], "bsn_ongeldig", folder, "bsn voldoet niet aan de 11-proef")
        if system == "schuldhulp" and "gemeente" in df.columns:
            ids = df[key].astype(str).str.replace(r"\D", "", regex=True).astype(np.int64).values
            hs = hash_u01(self.seed, ids, 33 + len(obj.name))
            sel = np.flatnonzero(hs < RATES["gemeente_spelling"])
            if len(sel):
                variant = (hs[sel] * 1000).astype(int) % 4
                names = df["gemeente"].values[sel].astype(str)
                spelled = np.select([variant == 0, variant == 1, variant == 2],
                                    [np.char.add(" ", names), np.char.upper(names), np.char.add(np.char.lower(names), "  ")],
                                    np.char.add(np.char.add(" ", np.char.lower(names)), " "))
                df.loc[df.index[sel], "gemeente"] = spelled
                log.add(system, obj.name, df[key].values[sel], "gemeente_spelling", folder,
                        [f"gemeentenaam '{s}' (spaties/hoofdletters)" for s in spelled])
        # transient faults only on SOW records (IGSD stays frozen after 2017)
        sow = self._sow_mask(system, obj, df)
        if obj.version and obj.name in ("uitkeringen", "trajecten") and system in ("civision", "reintegratie"):
            df, text = self._paging_unreadable(system, obj, df, rng, folder, sow)
        elif not final and obj.name in ("aanvragen", "aanmeldingen", "personen"):
            col = {"aanvragen": "meldingsdatum", "aanmeldingen": "datum_aanmelding", "personen": "geboortedatum"}[obj.name]
            sel = np.flatnonzero(sow & (rng.random(len(df)) < RATES["datum_onleesbaar"]))
            if len(sel):
                bad = self._bad_dates(system, df[col].values[sel], rng)
                text.append((col, sel, bad))
                log.add(system, obj.name, df[key].values[sel], "datum_onleesbaar", folder,
                        [f"{col} onleesbaar in niet-laatste levering: '{v}'" for v in bad])
        dup_rate = RATES["exacte_dubbele_rij_betalingen"] if obj.delta else RATES["exacte_dubbele_rij"]
        if obj.name in ("uitkeringen", "aanvragen", "betalingen") or (system, obj.name) in (
                ("schuldhulp", "trajecten"), ("reintegratie", "plaatsingen")):
            sel = np.flatnonzero(rng.random(len(df)) < dup_rate)
            sow = self._sow_mask(system, obj, df)
            if obj.name != "betalingen":
                sel = sel[sow[sel]]
            if text:
                taken = np.concatenate([r for _, r, _ in text])
                sel = np.setdiff1d(sel, taken)
            if len(sel):
                df = pd.concat([df, df.iloc[sel]], ignore_index=True)
                keys = df[key].values[sel] if len(obj.key) == 1 else sel
                log.add(system, obj.name, keys, "exacte_dubbele_rij", folder, "exact dezelfde regel tweemaal in het bestand")
        return df, text

    def _sow_mask(self, system, obj, df) -> np.ndarray:
        if system == "civision" and "gemeentecode" in df.columns:
            return np.isin(df["gemeentecode"].values, SOW_NUMMERS)
        if system == "civision":  # betalingen
            return np.ones(len(df), bool)
        if system == "schuldhulp" and "gemeente" in df.columns:
            return np.isin(df["gemeente"].astype(str).str.strip().str.lower().values, ["maassluis", "vlaardingen", "schiedam"])
        if system == "schuldhulp":
            return np.ones(len(df), bool)
        return np.isin(df["client_gemeente"].values, SOW_CBS)

    def _bad_dates(self, system, values, rng) -> list[str]:
        years = pd.DatetimeIndex(values).year.fillna(2018).astype(int)
        out = []
        for y, c in zip(years, rng.integers(0, 3, len(years))):
            if system == "civision":
                out.append([f"31-02-{y}", "00-00-0000", f"12/03/{y}"][c])
            else:
                out.append([f"{y}-02-30", f"{y}-13-01", "onbekend"][c])
        return out

    def _paging_unreadable(self, system, obj, df, rng, folder, sow):
        """An older version of a record (paging export) with an unreadable date; the latest row is intact."""
        sel = np.flatnonzero(sow & (rng.random(len(df)) < RATES["datum_onleesbaar"]))
        if len(sel) == 0:
            return df, []
        old = df.iloc[sel].copy()
        old[obj.version] = old[obj.version].values - np.timedelta64(1, "D") * rng.integers(1, 30, len(sel))
        date_col = "ingangsdatum" if system == "civision" else "aangemeld_op"
        start = len(df)
        df = pd.concat([df, old], ignore_index=True)
        rows = np.arange(start, start + len(sel))
        bad = self._bad_dates(system, old[date_col].values, rng)
        self.log.add(system, obj.name, old[obj.key[0]].values, "datum_onleesbaar", folder,
                     [f"oudere versie van de regel (paginering) met onleesbare {date_col} '{b}'" for b in bad])
        return df, [(date_col, rows, bad)]

    def _text_faults_jsonl(self, data: bytes, text_faults) -> bytes:
        if not text_faults:
            return data
        lines = data.decode("utf-8").split("\n")
        for col, rows_, values in text_faults:
            for r, v in zip(rows_, values):
                import json
                rec = json.loads(lines[r])
                rec[col] = v
                lines[r] = json.dumps(rec, ensure_ascii=False)
        return "\n".join(lines).encode("utf-8")

    def _reopen_backdate(self, df, rng, k, folder, cut):
        """In this (non-final) snapshot: a false end that the next one clears (reopened), or an end
        later than the truth that the next one moves back (backdated). Truth = the latest snapshot."""
        d = self.w.dossiers.set_index("dossiernummer")
        nxt = self.next_cut
        sow = np.isin(df["gemeentecode"].values, SOW_NUMMERS)
        truth_end = d["eind"].reindex(df["dossiernummer"].values).values
        ingang = df["ingangsdatum"].values.astype("datetime64[D]").astype(np.int64)
        running = sow & df["einddatum"].isna().values & (truth_end >= nxt) & (ingang < cut - 90)
        sel = np.flatnonzero(running & (rng.random(len(df)) < RATES["dossier_heropend"]))
        nf = self.next_folder
        if len(sel):
            fake = cut - rng.integers(5, 60, len(sel))
            idx = df.index[sel]
            df.loc[idx, "einddatum"] = fake.astype("datetime64[D]")
            df.loc[idx, "reden_beeindiging"] = "99"
            df.loc[idx, "laatst_gewijzigd"] = (fake.astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(36000, "s"))
            self.log.add("civision", "uitkeringen", df["dossiernummer"].values[sel], "dossier_heropend", nf,
                         [f"einddatum {to_date(f).strftime('%d-%m-%Y')} in levering {folder} is in levering {nf} weer leeg"
                          for f in fake])
        ended = df["einddatum"].values.astype("datetime64[D]").astype(np.int64)
        recent = sow & df["einddatum"].notna().values & (ended >= cut - 90) & (ended < cut - 3)
        recent[sel] = False
        sel2 = np.flatnonzero(recent & (rng.random(len(df)) < RATES["einddatum_teruggezet"]))
        if len(sel2):
            shown = np.minimum(ended[sel2] + rng.integers(5, 60, len(sel2)), cut - 1)
            idx = df.index[sel2]
            df.loc[idx, "einddatum"] = shown.astype("datetime64[D]")
            self.log.add("civision", "uitkeringen", df["dossiernummer"].values[sel2], "einddatum_teruggezet", nf,
                         [f"einddatum {to_date(s).strftime('%d-%m-%Y')} in levering {folder} is in levering {nf} "
                          f"teruggezet naar {to_date(e).strftime('%d-%m-%Y')}" for s, e in zip(shown, ended[sel2])])
        return df
