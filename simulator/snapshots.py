"""What each source system shows at an extraction date: typed frames in contract column order.

A record exists in a snapshot once it was registered before the extraction date; facts dated
on or after the extraction date (an end, a decision) are not known yet and stay empty.
IGSD records freeze at 2018-01-01: later snapshots show them exactly as on 2017-12-31.
SOW records appear from its start (2015-07-01).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .common import ACTIVE, GEMEENTEN, NEVER, day

ORG_OF = np.array([g.org for g in GEMEENTEN])
NUMMER = np.array([g.nummer for g in GEMEENTEN])
CBS = np.array([g.cbs for g in GEMEENTEN])
NAAM = np.array([g.naam for g in GEMEENTEN])
SOW_FROM = day(ACTIVE["SOW"][0])
IGSD_FREEZE = day(date(2018, 1, 1))


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


def personen(w, cut: int) -> pd.DataFrame:
    p = w.personen
    c = effective_cut(p["gemeente"].values, cut)
    m = (p["bekend_vanaf"].values < c) & org_visible(p["gemeente"].values, cut) & p["in_civision"].values
    p = p[m]
    c = c[m]
    return pd.DataFrame({
        "persoonsnummer": p["persoonsnummer"].values, "bsn": p["bsn_text"].values,
        "voorletters": p["voorletters"].values, "achternaam": p["achternaam"].values,
        "geboortedatum": as_date(p["geboortedatum"].values), "geslacht": p["geslacht"].values,
        "straat": p["straat"].values, "huisnummer": p["huisnummer"].values, "postcode": p["postcode"].values,
        "woonplaats": p["woonplaats"].values, "gemeentecode": NUMMER[p["gemeente"].values],
        "datum_overlijden": as_date(np.where(p["overlijden"].values < c, p["overlijden"].values, NEVER)),
    })


def uitkeringen(w, cut: int) -> pd.DataFrame:
    d = w.dossiers
    c = effective_cut(d["gemeente"].values, cut)
    m = (d["besluit"].values < c) & org_visible(d["gemeente"].values, cut)
    d = d[m]
    c = c[m]
    ended = d["eind"].values < c
    eind = np.where(ended, d["eind"].values, NEVER)
    changed = np.where(ended, np.maximum(d["eind"].values - 3, d["besluit"].values), d["besluit"].values)
    changed = np.minimum(changed, c - 1)
    return pd.DataFrame({
        "dossiernummer": d["dossiernummer"].values, "persoonsnummer": w.pnr[d["aanvrager"].values],
        "partner_persoonsnummer": np.where(d["partner"].values >= 0, w.pnr[np.maximum(d["partner"].values, 0)], -1),
        "regeling": d["regeling"].values, "leefvorm": d["leefvorm"].values,
        "gemeentecode": NUMMER[d["gemeente"].values], "ingangsdatum": as_date(d["ingang"].values),
        "einddatum": as_date(eind), "reden_instroom": d["reden_instroom"].values,
        "reden_beeindiging": np.where(ended, d["reden_beeindiging"].values, None),
        "instroomroute": d["instroomroute"].values, "ontheffing_arbeidsplicht": d["ontheffing"].values,
        "laatst_gewijzigd": changed.astype("datetime64[D]").astype("datetime64[s]")
        + (d["dossiernummer"].values % 36000 + 8 * 3600).astype("timedelta64[s]"),
    })


def aanvragen(w, cut: int) -> pd.DataFrame:
    m = w.meldingen
    c = effective_cut(m["gemeente"].values, cut)
    sel = (m["meldingsdatum"].values < c) & org_visible(m["gemeente"].values, cut)
    m = m[sel]
    c = c[sel]
    decided = m["besluitdatum"].values < c
    did = m["did"].values
    return pd.DataFrame({
        "meldingsnummer": m["meldingsnummer"].values, "persoonsnummer": w.pnr[m["persoon"].values],
        "gemeentecode": NUMMER[m["gemeente"].values], "meldingsdatum": as_date(m["meldingsdatum"].values),
        "aanvraagdatum": as_date(_known(m["aanvraagdatum"].values, c)),
        "besluitdatum": as_date(np.where(decided, m["besluitdatum"].values, NEVER)),
        "besluit": np.where(decided & (m["besluit"].values != ""), m["besluit"].values, None),
        "dossiernummer": np.where(decided & (did >= 0), w.dossiers["dossiernummer"].values[np.maximum(did, 0)], -1),
    })


def sh_aanmeldingen(w, cut: int) -> pd.DataFrame:
    a = w.schuldhulp.aanmeldingen_frame
    c = effective_cut(a["gemeente"].values, cut)
    m = (a["datum_aanmelding"].values < c) & org_visible(a["gemeente"].values, cut)
    a = a[m]
    c = c[m]
    out_known = a["datum_uitstroom"].values < c
    return pd.DataFrame({
        "aanmelding_id": a["aanmelding_id"].values, "bsn": w.personen["bsn_text"].values[a["persoon"].values],
        "gemeente": NAAM[a["gemeente"].values], "datum_aanmelding": as_date(a["datum_aanmelding"].values),
        "datum_eerste_gesprek": as_date(_known(a["datum_eerste_gesprek"].values, c)),
        "crisis": a["crisis"].values, "verwijzer": a["verwijzer"].values,
        "uitstroomreden": np.where(out_known, a["uitstroomreden"].values, None),
        "datum_uitstroom": as_date(np.where(out_known, a["datum_uitstroom"].values, NEVER)),
    })


def sh_trajecten(w, cut: int) -> pd.DataFrame:
    t = w.schuldhulp.trajecten_frame
    c = effective_cut(t["gemeente"].values, cut)
    m = (t["start"].values < c) & org_visible(t["gemeente"].values, cut)
    t = t[m]
    c = c[m]
    done = t["eind"].values < c
    return pd.DataFrame({
        "traject_id": t["traject_id"].values, "aanmelding_id": t["aanmelding_id"].values, "soort": t["soort"].values,
        "startdatum": as_date(t["start"].values), "einddatum": as_date(np.where(done, t["eind"].values, NEVER)),
        "uitkomst": np.where(done, t["uitkomst"].values, None),
        "totale_schuld": t["schuld"].values, "aantal_schuldeisers": t["eisers"].values,
    })


def vroegsignalen(w, cut: int) -> pd.DataFrame:
    s = w.schuldhulp.signalen_frame
    s = s[s["datum"].values < cut]
    a = w.schuldhulp.aanmeldingen_frame.set_index("aanmelding_id")["datum_aanmelding"]
    linked = s["aanmelding_id"].notna().values
    known = np.zeros(len(s), bool)
    known[linked] = a.reindex(s["aanmelding_id"].values[linked]).values < cut
    return pd.DataFrame({
        "signaal_id": s["signaal_id"].values, "datum_signaal": as_date(s["datum"].values), "bron": s["bron"].values,
        "gemeente": NAAM[s["gemeente"].values], "contact_gelegd": s["contact"].values,
        "aanmelding_id": np.where(known, s["aanmelding_id"].values, None),
    })


def _stamp(days: np.ndarray, key: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]") + (key % 32400 + 8 * 3600).astype("timedelta64[s]")


def ri_trajecten(w, cut: int) -> pd.DataFrame:
    t = w.reintegratie.trajecten_frame
    c = effective_cut(t["gemeente"].values, cut)
    m = (t["aangemeld_op"].values < c) & org_visible(t["gemeente"].values, cut)
    t = t[m]
    c = c[m]
    start = _known(t["start"].values, c)
    eind = _known(t["eind"].values, c)
    last = np.maximum(t["aangemeld_op"].values, np.where(start < NEVER, start, 0))
    last = np.maximum(last, np.where(eind < NEVER, eind, 0))
    last = np.minimum(last, c - 1)
    num = np.char.lstrip(t["traject_id"].values.astype(str), "T").astype(np.int64)
    return pd.DataFrame({
        "traject_id": t["traject_id"].values, "client_bsn": w.personen["bsn_text"].values[t["person"].values],
        "client_gemeente": CBS[t["gemeente"].values], "soort": t["soort"].values,
        "aangemeld_op": as_date(t["aangemeld_op"].values), "start": as_date(start), "eind": as_date(eind),
        "resultaat": np.where(eind < NEVER, t["resultaat"].values, None), "bron": t["bron"].values,
        "gewijzigd_op": _stamp(last, num),
    })


def klantprofielen(w, cut: int) -> pd.DataFrame:
    p = w.reintegratie.profielen_frame
    c = effective_cut(p["gemeente"].values, cut)
    m = (p["geldig_vanaf"].values < c) & org_visible(p["gemeente"].values, cut)
    p = p[m]
    return pd.DataFrame({
        "client_bsn": w.personen["bsn_text"].values[p["person"].values], "client_gemeente": CBS[p["gemeente"].values],
        "klantgroep": p["klantgroep"].values.astype(str), "geldig_vanaf": as_date(p["geldig_vanaf"].values),
        "ontheffing": p["ontheffing"].values, "taalniveau": p["taalniveau"].values,
    })


def plaatsingen(w, cut: int) -> pd.DataFrame:
    p = w.reintegratie.plaatsingen_frame
    c = effective_cut(p["gemeente"].values, cut)
    m = (p["start"].values < c) & org_visible(p["gemeente"].values, cut)
    p = p[m]
    c = c[m]
    return pd.DataFrame({
        "plaatsing_id": p["plaatsing_id"].values, "client_bsn": w.personen["bsn_text"].values[p["person"].values],
        "client_gemeente": CBS[p["gemeente"].values], "soort": p["soort"].values,
        "werkgever_kvk": p["kvk"].values, "werkgever_sector": p["sector"].values,
        "start": as_date(p["start"].values), "eind": as_date(_known(p["eind"].values, c)),
        "loonwaarde_pct": p["loonwaarde"].values, "uren_per_week": p["uren"].values,
    })


SNAPSHOTS = {
    ("civision", "personen"): personen, ("civision", "uitkeringen"): uitkeringen, ("civision", "aanvragen"): aanvragen,
    ("schuldhulp", "aanmeldingen"): sh_aanmeldingen, ("schuldhulp", "trajecten"): sh_trajecten,
    ("schuldhulp", "vroegsignalen"): vroegsignalen, ("reintegratie", "trajecten"): ri_trajecten,
    ("reintegratie", "klantprofielen"): klantprofielen, ("reintegratie", "plaatsingen"): plaatsingen,
}
