"""KPIs of KPIS.md on contract-form frames (the latest snapshot per object, typed).

Used to check calibration on the ground truth and, in the tests, on the written files.
Frames: uitkeringen, aanvragen, personen, betalingen (all deliveries), sh_aanmeldingen,
sh_trajecten, vroegsignalen, ri_trajecten, klantprofielen, plaatsingen. Dates datetime64.
"""
from __future__ import annotations

import pandas as pd

from pdw.contract import kpi_bron

GEMEENTE_ORG = {"0556": "SOW", "0622": "SOW", "0606": "SOW", "1708": "IGSD", "1701": "IGSD"}
NAME_TO_CODE = {"maassluis": "0556", "vlaardingen": "0622", "schiedam": "0606", "steenwijkerland": "1708",
                "westerveld": "1701"}
SIMULATED = ("civision en reintegratie (statushouders)",)  # sources of pdw.contract.KPI_BRONNEN that the simulator writes; rows of others are not checked
CATEGORIE = {"10": "WERK", "11": "WERK", "12": "WERK", "13": "GARANTIEBAAN", "20": "ONDERWIJS"}


def _period(periode: str):
    if "/" in periode:  # a range of months (KPIS.md, "Period ranges")
        van, tot = periode.split("/")
        return _period(van)[0], _period(tot)[1]
    if len(periode) == 4:
        return pd.Timestamp(f"{periode}-01-01"), pd.Timestamp(f"{periode}-12-31")
    start = pd.Timestamp(f"{periode}-01")
    return start, start + pd.offsets.MonthEnd(0)


def _scope(df: pd.DataFrame, col: str, org: str, gemeente: str | None) -> pd.DataFrame:
    code = df[col].astype(str).str[-4:]
    if gemeente:
        return df[code == gemeente[-4:]]
    return df[code.map(GEMEENTE_ORG) == org]


def eindstand(u: pd.DataFrame, end) -> pd.Series:
    return (u["ingangsdatum"] <= end) & (u["einddatum"].isna() | (u["einddatum"] > end))


def _age_below(birth: pd.Series, ref, years: int) -> pd.Series:
    return birth + pd.DateOffset(years=years) > ref


def compute(f: dict[str, pd.DataFrame], org: str, gemeente: str | None, kpi: str, periode: str) -> float:
    start, end = _period(periode)
    if kpi in ("uitkeringen_eindstand", "jongeren_eindstand", "aandeel_langer_dan_2_jaar", "uitkeringen_gemiddeld",
               "instroom_aandeel_b_route", "aandeel_duurzame_uitstroom") or kpi.startswith("uitstroom_aandeel"):
        u = _scope(f["uitkeringen"], "gemeentecode", org, gemeente)
    if kpi == "uitkeringen_eindstand":
        return float(eindstand(u, end).sum())
    if kpi == "uitkeringen_gemiddeld":
        ends = pd.date_range(start, end, freq="ME")
        return float(sum(eindstand(u, e).sum() for e in ends) / 12)
    if kpi == "jongeren_eindstand":
        run = u[eindstand(u, end)]
        birth = run["persoonsnummer"].map(f["personen"].set_index("persoonsnummer")["geboortedatum"])
        return float(_age_below(birth, end, 27).sum())
    if kpi == "instroom_aandeel_b_route":
        inst = u[(u["ingangsdatum"] >= start) & (u["ingangsdatum"] <= end)]
        return float((inst["instroomroute"] == "B").mean())
    if kpi.startswith("uitstroom_aandeel_"):
        cat = kpi.removeprefix("uitstroom_aandeel_").upper()
        out = u[(u["einddatum"] >= start) & (u["einddatum"] <= end)]
        return float((out["reden_beeindiging"].map(CATEGORIE).fillna("AUTONOOM") == cat).mean())
    if kpi == "aandeel_langer_dan_2_jaar":
        return float(long_share(f["uitkeringen"], u, end))
    if kpi == "aandeel_duurzame_uitstroom":
        all_u = f["uitkeringen"]
        out = u[(u["einddatum"] >= start) & (u["einddatum"] <= end)
                & (u["reden_beeindiging"].map(CATEGORIE) == "WERK")]
        starts = pd.concat([all_u[["persoonsnummer", "ingangsdatum"]],
                            all_u[["partner_persoonsnummer", "ingangsdatum"]].rename(
                                columns={"partner_persoonsnummer": "persoonsnummer"})]).dropna()
        people = pd.concat([out[["dossiernummer", "persoonsnummer", "einddatum"]],
                            out[["dossiernummer", "partner_persoonsnummer", "einddatum"]].rename(
                                columns={"partner_persoonsnummer": "persoonsnummer"})]).dropna()
        j = people.merge(starts, on="persoonsnummer")
        gap = (j["ingangsdatum"] - j["einddatum"]).dt.days
        back = set(j.loc[(gap > 0) & (gap <= 183), "dossiernummer"])
        return float(1 - out["dossiernummer"].isin(back).mean()) if len(out) else float("nan")
    if kpi in ("preventiequote", "preventiequote_jongeren"):
        a = _scope(f["aanvragen"], "gemeentecode", org, gemeente)
        a = a[(a["meldingsdatum"] >= start) & (a["meldingsdatum"] <= end)]
        if kpi == "preventiequote_jongeren":
            birth = a["persoonsnummer"].map(f["personen"].set_index("persoonsnummer")["geboortedatum"])
            a = a[_age_below(birth, a["meldingsdatum"], 27)]
        prevented = a["besluit"].isin(["AFGEWEZEN", "BUITEN_BEHANDELING", "INGETROKKEN"]) | (
            a["aanvraagdatum"].isna() & a["besluit"].isna())
        return float(prevented.mean())
    if kpi == "aandeel_deeltijdarbeid":
        u = _scope(f["uitkeringen"], "gemeentecode", org, gemeente)
        b = f["betalingen"]
        b = b[(b["soort"] == "P") & (b["verrekende_inkomsten"] > 0)]
        months = pd.date_range(start, end, freq="ME") if len(periode) == 4 else [end]
        shares = []
        for e in months:
            run = u[eindstand(u, e)]
            per = b[b["periode"] == e.to_period("M").to_timestamp()]
            shares.append(run["dossiernummer"].isin(per["dossiernummer"]).sum() / len(run))
        return float(sum(shares) / len(shares))
    if kpi.startswith("schuldregelingen") or kpi in ("wsnp_gestart", "schuldhulp_intakes"):
        return _schuldhulp(f, org, gemeente, kpi, start, end)
    if kpi in ("uitstroom_statushouders", "statushouders_in_traject"):
        return _statushouders(f, org, gemeente, kpi, start, end)
    if kpi.startswith("assessment") or kpi.startswith("werkleer") or kpi.startswith("klantgroep4") or kpi.startswith("lks"):
        return _reintegratie(f, org, gemeente, kpi, start, end, periode)
    raise KeyError(kpi)


def long_share(all_u: pd.DataFrame, u: pd.DataFrame, end) -> float:
    """Share of month-end dossiers whose applicant is in an uninterrupted spell of more than 2 years."""
    rows = pd.concat([all_u[["persoonsnummer", "ingangsdatum", "einddatum"]],
                      all_u[["partner_persoonsnummer", "ingangsdatum", "einddatum"]].rename(
                          columns={"partner_persoonsnummer": "persoonsnummer"})]).dropna(subset=["persoonsnummer"])
    rows = rows[rows["ingangsdatum"] <= end].sort_values(["persoonsnummer", "ingangsdatum"])
    eind = rows["einddatum"].fillna(pd.Timestamp("2262-01-01"))
    prev_end = eind.groupby(rows["persoonsnummer"]).shift()
    new_spell = prev_end.isna() | ((rows["ingangsdatum"] - prev_end).dt.days > 1)
    spell_id = new_spell.cumsum()
    spell_start = rows["ingangsdatum"].groupby(spell_id).transform("min")
    rows = rows.assign(spell_start=spell_start)
    run = u[eindstand(u, end)]
    j = run.merge(rows[["persoonsnummer", "ingangsdatum", "spell_start"]], on=["persoonsnummer", "ingangsdatum"],
                  how="left")
    return float((j["spell_start"] + pd.DateOffset(years=2) < end).mean())


def _sh_scope(f, org, gemeente):
    a = f["sh_aanmeldingen"].copy()
    a["code"] = a["gemeente"].str.strip().str.lower().map(NAME_TO_CODE)
    a = a[a["code"] == gemeente[-4:]] if gemeente else a[a["code"].map(GEMEENTE_ORG) == org]
    return a


def _schuldhulp(f, org, gemeente, kpi, start, end) -> float:
    a = _sh_scope(f, org, gemeente)
    if kpi == "schuldhulp_intakes":
        return float(((a["datum_eerste_gesprek"] >= start) & (a["datum_eerste_gesprek"] <= end)).sum())
    t = f["sh_trajecten"]
    t = t[t["aanmelding_id"].isin(a["aanmelding_id"])]
    msnp = t["soort"].isin(["SCHULDBEMIDDELING", "SANERINGSKREDIET"])
    wsnp = t["soort"] == "WSNP"
    running = (t["startdatum"] <= end) & (t["einddatum"].isna() | (t["einddatum"] > end))
    started = (t["startdatum"] >= start) & (t["startdatum"] <= end)
    ended = (t["einddatum"] >= start) & (t["einddatum"] <= end) & (msnp | wsnp)
    if kpi == "schuldregelingen_lopend_msnp":
        return float((running & msnp).sum())
    if kpi == "schuldregelingen_lopend_wsnp":
        return float((running & wsnp).sum())
    if kpi == "schuldregelingen_lopend":
        return float((running & (msnp | wsnp)).sum())
    if kpi == "schuldregelingen_gestart":
        return float((started & msnp).sum())
    if kpi == "wsnp_gestart":
        return float((started & wsnp).sum())
    if kpi == "schuldregelingen_geslaagd":
        return float((ended & (t["uitkomst"] == "SCHONE_LEI")).sum())
    if kpi == "schuldregelingen_geslaagd_aandeel":
        return float((t.loc[ended, "uitkomst"] == "SCHONE_LEI").mean())
    raise KeyError(kpi)


def _statushouders(f, org, gemeente, kpi, start, end) -> float:
    u = _scope(f["uitkeringen"], "gemeentecode", org, gemeente)
    u = u[u["reden_instroom"] == "05"]
    if kpi == "uitstroom_statushouders":
        return float(((u["ingangsdatum"] >= "2015-01-01") & (u["einddatum"] >= start) & (u["einddatum"] <= end)).sum())
    bsn = f["personen"].set_index("persoonsnummer")["bsn"].astype(str).str.zfill(9)
    apps = set(u.loc[eindstand(u, end), "persoonsnummer"].map(bsn))
    t = f["ri_trajecten"]
    lopend = t[(t["start"] <= end) & (t["eind"].isna() | (t["eind"] > end))]
    return float(len(apps & set(lopend["client_bsn"].astype(str).str.zfill(9))))


def _reintegratie(f, org, gemeente, kpi, start, end, periode) -> float:
    def scope(df):
        return _scope(df, "client_gemeente", org, gemeente)

    t = scope(f["ri_trajecten"])
    a = t[t["soort"] == "ASSESSMENT"]
    inp = lambda col, df: (df[col] >= start) & (df[col] <= end)  # noqa: E731
    if kpi == "assessment_uitgenodigd":
        return float(inp("aangemeld_op", a).sum())
    if kpi == "assessment_gestart":
        return float(inp("start", a).sum())
    if kpi == "assessment_vervolg":
        return float((inp("eind", a) & (a["resultaat"] == "VERVOLG")).sum())
    if kpi == "assessment_werk":
        return float((inp("eind", a) & (a["resultaat"] == "WERK")).sum())
    w = t[t["soort"] == "WERKLEERTRAJECT"]
    if kpi == "werkleertrajecten_beeindigd":
        return float(inp("eind", w).sum())
    if kpi == "werkleertrajecten_job_ready":
        return float((inp("eind", w) & w["resultaat"].isin(["JOB_READY", "WERK"])).sum())
    if kpi == "werkleertrajecten_bemiddelbaar_aandeel":
        e = w[inp("eind", w)]
        return float(e["resultaat"].isin(["JOB_READY", "WERK"]).mean())
    if kpi.startswith("klantgroep4"):
        k = scope(f["klantprofielen"])
        k = k[k["geldig_vanaf"] <= end].sort_values("geldig_vanaf").groupby("client_bsn").tail(1)
        k4 = set(k.loc[k["klantgroep"].astype(str) == "4", "client_bsn"].str.zfill(9))
        u = f["uitkeringen"]
        run = _scope(u[eindstand(u, end)], "gemeentecode", org, gemeente)
        bsn = f["personen"].set_index("persoonsnummer")["bsn"].astype(str).str.zfill(9)
        apps = set(run["persoonsnummer"].map(bsn))
        both = k4 & apps
        if kpi == "klantgroep4_eindstand":
            return float(len(both))
        act = t[t["soort"].isin(["ACTIVERING", "VRIJWILLIGERSWERK"]) & (t["start"] <= end)
                & (t["eind"].isna() | (t["eind"] >= end))]
        return float(len(both & set(act["client_bsn"].str.zfill(9))))
    p = scope(f["plaatsingen"])
    soort = "LKS_BESCHUT" if "beschut" in kpi else "LKS_BANENAFSPRAAK"
    p = p[p["soort"] == soort]
    if kpi == "lks_banen_gemiddeld":
        ends = pd.date_range(start, end, freq="ME")
        return float(sum(((p["start"] <= e) & (p["eind"].isna() | (p["eind"] >= e))).sum() for e in ends) / 12)
    return float(((p["start"] <= end) & (p["eind"].isna() | (p["eind"] >= end))).sum())


def check(f: dict[str, pd.DataFrame], rows: list[dict]) -> pd.DataFrame:
    """Each kalibratie.csv row of a simulated source with the computed value and whether it is within tolerance."""
    out = []
    for r in rows:
        if kpi_bron(r["kpi"]) not in (None, *SIMULATED):
            continue
        try:
            v = compute(f, r["organisatie"], r["gemeente"] or None, r["kpi"], r["periode"])
        except KeyError:
            v = float("nan")
        tol = float(r["tolerantie"]) if r.get("tolerantie") not in (None, "") else 0.0
        target = float(r.get("waarde", r.get("norm")))
        out.append({**r, "berekend": v, "ok": abs(v - target) <= tol + 1e-9})
    return pd.DataFrame(out)
