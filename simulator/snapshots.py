"""What each source system shows at an extraction date: typed columns in contract column order.

A record exists in a snapshot once it was registered before the extraction date; facts dated
on or after the extraction date (an end, a decision) are not known yet and stay empty.
IGSD records freeze at 2018-01-01: later snapshots show them exactly as on 2017-12-31.
SOW records appear from its start (2015-07-01).

A snapshot is a `Frame`: column name -> numpy array (numbers, dates, booleans; -1 = empty
nullable int) or pyarrow string array (text, null = empty). Text of the world's records is
converted to arrow once and taken per snapshot, so no snapshot re-creates Python strings.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .common import ACTIVE, GEMEENTEN, NEVER, day
from .maatregelen import VANAF as MAATREGEL_VANAF

ORG_OF = np.array([g.org for g in GEMEENTEN])
NUMMER = np.array([g.nummer for g in GEMEENTEN])
CBS = np.array([g.cbs for g in GEMEENTEN])
NAAM = np.array([g.naam for g in GEMEENTEN])
SOW_FROM = day(ACTIVE["SOW"][0])
IGSD_FREEZE = day(date(2018, 1, 1))
_NUMMER = pa.array(NUMMER)
_CBS = pa.array(CBS)
_NAAM = pa.array(NAAM)
_NULL = pa.scalar(None, pa.string())

Frame = dict  # column name -> np.ndarray | pa.Array, all of equal length


def length(f: Frame) -> int:
    return len(next(iter(f.values())))


def take(f: Frame, idx) -> Frame:
    """Rows `idx` of a frame (numpy fancy indexing / arrow take)."""
    idx = np.asarray(idx, dtype=np.int64)
    return {k: (v.take(pa.array(idx)) if isinstance(v, pa.Array) else v[idx]) for k, v in f.items()}


def rows(f: Frame, start: int, stop: int) -> Frame:
    """A contiguous block of rows without copying."""
    return {k: (v.slice(start, stop - start) if isinstance(v, pa.Array) else v[start:stop]) for k, v in f.items()}


def concat(a: Frame, b: Frame) -> Frame:
    return {k: (pa.concat_arrays([v, b[k]]) if isinstance(v, pa.Array) else np.concatenate([v, b[k]]))
            for k, v in a.items()}


def values(f: Frame, col: str, idx) -> list:
    """Python values of some rows (for the fault log)."""
    v = f[col]
    idx = np.asarray(idx, dtype=np.int64)
    return v.take(pa.array(idx)).to_pylist() if isinstance(v, pa.Array) else list(v[idx])


def to_pandas(f: Frame) -> pd.DataFrame:
    return pd.DataFrame({k: (v.to_numpy(zero_copy_only=False) if isinstance(v, pa.Array) else v) for k, v in f.items()})


def _text(w, table: str, col: str) -> pa.Array:
    """A world text column as arrow (cached: the world does not change once deliveries start)."""
    cache = w.__dict__.setdefault("_text_cache", {})
    if (table, col) not in cache:
        frame = {"personen": w.personen, "dossiers": w.dossiers, "meldingen": w.meldingen,
                 "sh_aanmeldingen": w.schuldhulp.aanmeldingen_frame, "sh_trajecten": w.schuldhulp.trajecten_frame,
                 "vroegsignalen": w.schuldhulp.signalen_frame, "ri_trajecten": w.reintegratie.trajecten_frame,
                 "klantprofielen": w.reintegratie.profielen_frame, "plaatsingen": w.reintegratie.plaatsingen_frame}[table]
        v = frame[col].values
        if isinstance(v, pd.Categorical):
            arr = pa.DictionaryArray.from_arrays(pa.array(v.codes, mask=v.codes < 0),
                                                 pa.array(np.asarray(v.categories, dtype=object), pa.string()))
            cache[(table, col)] = arr.cast(pa.string())
        else:
            cache[(table, col)] = pa.array(v if v.dtype.kind == "O" else v.astype(str), type=pa.string(), from_pandas=True)
    return cache[(table, col)]


def _bsn(w, persons: np.ndarray) -> pa.Array:
    return _text(w, "personen", "bsn_text").take(pa.array(persons))


def _pick(where: np.ndarray, arr: pa.Array) -> pa.Array:
    """arr where `where`, else null."""
    return pc.if_else(pa.array(where), arr, _NULL)


def effective_cut(gemeente: np.ndarray, cut: int) -> np.ndarray:
    """Per record: the date up to which its system state is known (IGSD frozen after 2017)."""
    igsd = ORG_OF[gemeente] == "IGSD"
    return np.where(igsd, min(cut, IGSD_FREEZE), cut)


def org_visible(gemeente: np.ndarray, cut: int) -> np.ndarray:
    """SOW municipalities only appear in deliveries after SOW started."""
    return (ORG_OF[gemeente] != "SOW") | (cut > SOW_FROM)


def as_date(days) -> np.ndarray:
    v = np.asarray(days, dtype="int64")
    out = v.astype("datetime64[D]")
    return np.where(v >= NEVER, np.datetime64("NaT"), out)


def _known(days, cut):
    v = np.asarray(days, dtype="int64")
    return np.where(v < cut, v, NEVER)


def _rows(frame: pd.DataFrame, datecol: str, cut: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the records registered before the cut (`datecol`) and their effective cut."""
    g = frame["gemeente"].values
    c = effective_cut(g, cut)
    idx = np.flatnonzero((frame[datecol].values < c) & org_visible(g, cut))
    return idx, c[idx]


def personen(w, cut: int) -> Frame:
    p = w.personen
    g = p["gemeente"].values
    c = effective_cut(g, cut)
    idx = np.flatnonzero((p["bekend_vanaf"].values < c) & org_visible(g, cut) & p["in_civision"].values)
    c = c[idx]
    ia = pa.array(idx)
    t = lambda col: _text(w, "personen", col).take(ia)  # noqa: E731
    overlijden = p["overlijden"].values[idx]
    return {
        "persoonsnummer": p["persoonsnummer"].values[idx], "bsn": t("bsn_text"),
        "voorletters": t("voorletters"), "achternaam": t("achternaam"),
        "geboortedatum": as_date(p["geboortedatum"].values[idx]), "geslacht": t("geslacht"),
        "straat": t("straat"), "huisnummer": t("huisnummer"), "postcode": t("postcode"),
        "woonplaats": t("woonplaats"), "gemeentecode": _NUMMER.take(pa.array(g[idx])),
        "datum_overlijden": as_date(np.where(overlijden < c, overlijden, NEVER)),
    }


def uitkeringen(w, cut: int) -> Frame:
    d = w.dossiers
    idx, c = _rows(d, "besluit", cut)
    ia = pa.array(idx)
    t = lambda col: _text(w, "dossiers", col).take(ia)  # noqa: E731
    eind_w = d["eind"].values[idx]
    besluit = d["besluit"].values[idx]
    ended = eind_w < c
    eind = np.where(ended, eind_w, NEVER)
    changed = np.where(ended, np.maximum(eind_w - 3, besluit), besluit)
    changed = np.minimum(changed, c - 1)
    partner = d["partner"].values[idx]
    nummer = d["dossiernummer"].values[idx]
    return {
        "dossiernummer": nummer, "persoonsnummer": w.pnr[d["aanvrager"].values[idx]],
        "partner_persoonsnummer": np.where(partner >= 0, w.pnr[np.maximum(partner, 0)], -1),
        "regeling": t("regeling"), "leefvorm": t("leefvorm"),
        "gemeentecode": _NUMMER.take(pa.array(d["gemeente"].values[idx])), "ingangsdatum": as_date(d["ingang"].values[idx]),
        "einddatum": as_date(eind), "reden_instroom": t("reden_instroom"),
        "reden_beeindiging": _pick(ended, t("reden_beeindiging")),
        "instroomroute": t("instroomroute"), "ontheffing_arbeidsplicht": t("ontheffing"),
        "laatst_gewijzigd": changed.astype("datetime64[D]").astype("datetime64[s]")
        + (nummer % 36000 + 8 * 3600).astype("timedelta64[s]"),
    }


def aanvragen(w, cut: int) -> Frame:
    m = w.meldingen
    idx, c = _rows(m, "meldingsdatum", cut)
    besluitdatum = m["besluitdatum"].values[idx]
    decided = besluitdatum < c
    did = m["did"].values[idx]
    besluit = _text(w, "meldingen", "besluit").take(pa.array(idx))
    return {
        "meldingsnummer": m["meldingsnummer"].values[idx], "persoonsnummer": w.pnr[m["persoon"].values[idx]],
        "gemeentecode": _NUMMER.take(pa.array(m["gemeente"].values[idx])),
        "meldingsdatum": as_date(m["meldingsdatum"].values[idx]),
        "aanvraagdatum": as_date(_known(m["aanvraagdatum"].values[idx], c)),
        "besluitdatum": as_date(np.where(decided, besluitdatum, NEVER)),
        "besluit": _pick(decided & pc.fill_null(pc.not_equal(besluit, ""), False).to_numpy(zero_copy_only=False), besluit),
        "dossiernummer": np.where(decided & (did >= 0), w.dossiers["dossiernummer"].values[np.maximum(did, 0)], -1),
    }


def sh_aanmeldingen(w, cut: int) -> Frame:
    a = w.schuldhulp.aanmeldingen_frame
    idx, c = _rows(a, "datum_aanmelding", cut)
    ia = pa.array(idx)
    t = lambda col: _text(w, "sh_aanmeldingen", col).take(ia)  # noqa: E731
    uit = a["datum_uitstroom"].values[idx]
    out_known = uit < c
    return {
        "aanmelding_id": t("aanmelding_id"), "bsn": _bsn(w, a["persoon"].values[idx]),
        "gemeente": _NAAM.take(pa.array(a["gemeente"].values[idx])),
        "datum_aanmelding": as_date(a["datum_aanmelding"].values[idx]),
        "datum_eerste_gesprek": as_date(_known(a["datum_eerste_gesprek"].values[idx], c)),
        "crisis": a["crisis"].values[idx], "verwijzer": t("verwijzer"),
        "uitstroomreden": _pick(out_known, t("uitstroomreden")),
        "datum_uitstroom": as_date(np.where(out_known, uit, NEVER)),
    }


def sh_trajecten(w, cut: int) -> Frame:
    t = w.schuldhulp.trajecten_frame
    idx, c = _rows(t, "start", cut)
    ia = pa.array(idx)
    tx = lambda col: _text(w, "sh_trajecten", col).take(ia)  # noqa: E731
    eind = t["eind"].values[idx]
    done = eind < c
    return {
        "traject_id": tx("traject_id"), "aanmelding_id": tx("aanmelding_id"), "soort": tx("soort"),
        "startdatum": as_date(t["start"].values[idx]), "einddatum": as_date(np.where(done, eind, NEVER)),
        "uitkomst": _pick(done, tx("uitkomst")),
        "totale_schuld": t["schuld"].values[idx], "aantal_schuldeisers": t["eisers"].values[idx],
    }


def _signal_link_date(w) -> np.ndarray:
    """Per signal: registration date of the aanmelding it led to (NEVER if none)."""
    cache = w.__dict__.setdefault("_text_cache", {})
    if "signal_link" not in cache:
        s = w.schuldhulp.signalen_frame
        a = w.schuldhulp.aanmeldingen_frame.set_index("aanmelding_id")["datum_aanmelding"]
        linked = s["aanmelding_id"].notna().values
        out = np.full(len(s), NEVER, dtype=np.int64)
        out[linked] = a.reindex(s["aanmelding_id"].values[linked]).values
        cache["signal_link"] = out
    return cache["signal_link"]


def vroegsignalen(w, cut: int) -> Frame:
    s = w.schuldhulp.signalen_frame
    idx = np.flatnonzero(s["datum"].values < cut)
    ia = pa.array(idx)
    t = lambda col: _text(w, "vroegsignalen", col).take(ia)  # noqa: E731
    known = _signal_link_date(w)[idx] < cut
    return {
        "signaal_id": t("signaal_id"), "datum_signaal": as_date(s["datum"].values[idx]), "bron": t("bron"),
        "gemeente": _NAAM.take(pa.array(s["gemeente"].values[idx])), "contact_gelegd": s["contact"].values[idx],
        "aanmelding_id": _pick(known, t("aanmelding_id")),
    }


def _stamp(days: np.ndarray, key: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]") + (key % 32400 + 8 * 3600).astype("timedelta64[s]")


def ri_trajecten(w, cut: int) -> Frame:
    """The world's trajectories, then the inburgeraars' own (simulator/inburgering.py)."""
    own, inburgering = _ri_trajecten(w, cut), w.inburgering.trajecten(cut)
    if "maatregel_code" in own:
        inburgering["maatregel_code"] = pa.nulls(length(inburgering), pa.string())
    return concat(own, inburgering)


def _maatregel_code(w, table: str, idx: pa.Array, cut: int) -> Frame:
    """The member maatregel_code exists in the deliveries after 1 October 2019 (simulator/maatregelen.py)."""
    return {"maatregel_code": _text(w, table, "maatregel_code").take(idx)} if cut > MAATREGEL_VANAF else {}


def _ri_trajecten(w, cut: int) -> Frame:
    t = w.reintegratie.trajecten_frame
    idx, c = _rows(t, "aangemeld_op", cut)
    ia = pa.array(idx)
    tx = lambda col: _text(w, "ri_trajecten", col).take(ia)  # noqa: E731
    aangemeld = t["aangemeld_op"].values[idx]
    start = _known(t["start"].values[idx], c)
    eind = _known(t["eind"].values[idx], c)
    last = np.maximum(aangemeld, np.where(start < NEVER, start, 0))
    last = np.maximum(last, np.where(eind < NEVER, eind, 0))
    last = np.minimum(last, c - 1)
    cache = w.__dict__.setdefault("_text_cache", {})
    if "traject_num" not in cache:
        cache["traject_num"] = pc.cast(pc.utf8_ltrim(_text(w, "ri_trajecten", "traject_id"), "T"), pa.int64()).to_numpy()
    return {
        "traject_id": tx("traject_id"), "client_bsn": _bsn(w, t["person"].values[idx]),
        "client_gemeente": _CBS.take(pa.array(t["gemeente"].values[idx])), "soort": tx("soort"),
        "aangemeld_op": as_date(aangemeld), "start": as_date(start), "eind": as_date(eind),
        "resultaat": _pick(eind < NEVER, tx("resultaat")), "bron": tx("bron"),
        "gewijzigd_op": _stamp(last, cache["traject_num"][idx]), **_maatregel_code(w, "ri_trajecten", ia, cut),
    }


def klantprofielen(w, cut: int) -> Frame:
    p = w.reintegratie.profielen_frame
    idx, _ = _rows(p, "geldig_vanaf", cut)
    ia = pa.array(idx)
    return {
        "client_bsn": _bsn(w, p["person"].values[idx]), "client_gemeente": _CBS.take(pa.array(p["gemeente"].values[idx])),
        "klantgroep": _text(w, "klantprofielen", "klantgroep").take(ia),
        "geldig_vanaf": as_date(p["geldig_vanaf"].values[idx]),
        "ontheffing": p["ontheffing"].values[idx], "taalniveau": _text(w, "klantprofielen", "taalniveau").take(ia),
    }


def plaatsingen(w, cut: int) -> Frame:
    p = w.reintegratie.plaatsingen_frame
    idx, c = _rows(p, "start", cut)
    ia = pa.array(idx)
    t = lambda col: _text(w, "plaatsingen", col).take(ia)  # noqa: E731
    return {
        "plaatsing_id": t("plaatsing_id"), "client_bsn": _bsn(w, p["person"].values[idx]),
        "client_gemeente": _CBS.take(pa.array(p["gemeente"].values[idx])), "soort": t("soort"),
        "werkgever_kvk": t("kvk"), "werkgever_sector": t("sector"),
        "start": as_date(p["start"].values[idx]), "eind": as_date(_known(p["eind"].values[idx], c)),
        "loonwaarde_pct": p["loonwaarde"].values[idx], "uren_per_week": p["uren"].values[idx],
        **_maatregel_code(w, "plaatsingen", ia, cut),
    }


SNAPSHOTS = {
    ("civision", "personen"): personen, ("civision", "uitkeringen"): uitkeringen, ("civision", "aanvragen"): aanvragen,
    ("schuldhulp", "aanmeldingen"): sh_aanmeldingen, ("schuldhulp", "trajecten"): sh_trajecten,
    ("schuldhulp", "vroegsignalen"): vroegsignalen, ("reintegratie", "trajecten"): ri_trajecten,
    ("reintegratie", "klantprofielen"): klantprofielen, ("reintegratie", "plaatsingen"): plaatsingen,
    ("reintegratie", "inburgeringsplichtigen"): lambda w, cut: w.inburgering.snapshot(cut),
}
