"""Simulator: formats per the contract, world invariants, determinism and calibration.

The default world (scale S, seed 2015) is simulated once for this module; the determinism
test uses a short world (through mid-2016) twice.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pdw.contract import ERP_OPTIONAL, ERP_TABLES, FORMATS, objects
from simulator import deliveries, kcc, kpi, simulate, zaken
from simulator.common import deliveries as delivery_dates
from simulator.common import read_reference

REFERENCE = Path(__file__).resolve().parent.parent / "seeds"
SYSTEMS = ("civision", "schuldhulp", "reintegratie")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sim")
    summary = simulate(out, progress=lambda s: None)
    return out, summary


@pytest.fixture(scope="module")
def reading(world) -> dict[str, pd.DataFrame]:
    return contract_reading(world[0])


# -- a plain, contract-following reader ---------------------------------------------------------

def _parse_date(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format=fmt, errors="coerce")


def read_object(path: Path, system: str, obj) -> tuple[pd.DataFrame, int]:
    """Read one delivered file strictly; returns the readable rows (typed) and the number quarantined."""
    fmt = FORMATS[system]
    raw = path.read_bytes()
    if obj.system == "reintegratie":
        recs = []
        for line in raw.decode("utf-8").splitlines():
            r = json.loads(line)
            flat = {}
            for k, v in r.items():
                if isinstance(v, dict):
                    flat.update({f"{k}_{kk}": vv for kk, vv in v.items()})
                else:
                    flat[k] = v
            recs.append(flat)
        df = pd.DataFrame(recs, columns=[c.name for c in obj.columns]).astype(object)
        df = df.where(df.notna(), "")
        df = df.map(lambda v: v if isinstance(v, str) else (str(v).lower() if isinstance(v, bool) else str(v)))
    else:
        text = raw.decode(fmt.encoding)
        assert "\r\n" in text if fmt.newline == "\r\n" else "\r" not in text
        df = pd.read_csv(io.StringIO(text), sep=fmt.delimiter, dtype=str, keep_default_na=False)
        assert list(df.columns) == [c.name for c in obj.columns], path
    bad = pd.Series(False, index=df.index)
    out = {}
    for c in obj.columns:
        v = df[c.name]
        if c.type == "date":
            parsed = _parse_date(v, fmt.date_format)
            bad |= parsed.isna() & (v != "")
            out[c.name] = parsed
        elif c.type in ("ts", "tstz"):
            out[c.name] = pd.to_datetime(v.replace("", None), format=fmt.ts_format if c.type == "ts" else "ISO8601",
                                         errors="coerce", utc=c.type == "tstz")
            bad |= out[c.name].isna() & (v != "")
        elif c.type == "decimal":
            s = v.str.replace(",", ".") if fmt.decimal_comma else v
            out[c.name] = pd.to_numeric(s.replace("", None), errors="coerce")
            bad |= out[c.name].isna() & (v != "")
        elif c.type == "yyyymm":
            out[c.name] = pd.to_datetime(v, format="%Y%m", errors="coerce")
            bad |= out[c.name].isna()
        elif c.type == "int":
            out[c.name] = pd.to_numeric(v.replace("", None), errors="coerce").astype("Int64")
            bad |= out[c.name].isna() & (v != "")
        elif c.type == "bool":
            assert set(v.unique()) <= {"true", "false", ""}, (path, c.name)
            out[c.name] = v.map({"true": True, "false": False, "": None})
        else:
            out[c.name] = v.replace("", None)
        if c.type == "code" and c.codes:
            assert set(v[v != ""].unique()) <= set(c.codes), (path, c.name, set(v.unique()) - set(c.codes))
        if c.required:
            bad |= v == ""
    typed = pd.DataFrame(out)
    return typed[~bad], int(bad.sum())


def latest(typed: pd.DataFrame, obj) -> pd.DataFrame:
    typed = typed.drop_duplicates()
    typed = typed.assign(_rij=np.arange(len(typed)))
    order = ([obj.version] if obj.version else []) + ["_rij"]
    return typed.sort_values(order).groupby(list(obj.key), dropna=False).tail(1).drop(columns="_rij")


def contract_reading(out: Path) -> dict[str, pd.DataFrame]:
    """Frames as a contract-following warehouse sees them: latest snapshot, all betalingen."""
    inbox = out / "inbox"
    frames = {}
    for system in SYSTEMS:
        folders = sorted(p for p in (inbox / system).iterdir() if (p / "_READY").exists())
        for obj in objects(system):
            if obj.delta:
                parts = [read_object(f / obj.filename, system, obj)[0] for f in folders]
                df = pd.concat(parts).drop_duplicates().groupby("regelnummer").tail(1)
            else:
                df = latest(read_object(folders[-1] / obj.filename, system, obj)[0], obj)
            for col in df.columns:
                if col in ("bsn", "client_bsn"):
                    df[col] = df[col].str.zfill(9)
            name = {"schuldhulp": "sh_", "reintegratie": "ri_"}.get(system, "") + obj.name
            name = {"ri_klantprofielen": "klantprofielen", "ri_plaatsingen": "plaatsingen"}.get(name, name)
            frames[name] = df
    frames["personen"]["bsn"] = frames["personen"]["bsn"].str.zfill(9)
    return frames


# -- tests ---------------------------------------------------------------------------------------

def test_every_delivery_is_complete_and_readable(world):
    out, _ = world
    for system in SYSTEMS:
        folders = sorted((out / "inbox" / system).iterdir())
        assert [f.name for f in folders][:2] == ["20150401", "20150701"]
        assert folders[-1].name == "20250101"
        for folder in folders:
            names = {p.name for p in folder.iterdir()}
            assert names == {o.filename for o in objects(system)} | {"_READY"}, folder
    # every file of one mid delivery parses; quarantine only where faults.csv says datum_onleesbaar
    faults = pd.read_csv(out / "truth" / "faults.csv", dtype=str)
    for system in SYSTEMS:
        for obj in objects(system):
            df, bad = read_object(out / "inbox" / system / "20200401" / obj.filename, system, obj)
            listed = faults[(faults["bron"] == system) & (faults["object"] == obj.name)
                            & (faults["levering"] == "20200401") & (faults["controle"] == "datum_onleesbaar")]
            assert bad == len(listed), (system, obj.name, bad, len(listed))
            assert len(df) > 0 or obj.name == "inburgeringsplichtigen"  # no records before 2022 (SOURCES.md)
    df, _ = read_object(out / "inbox" / "reintegratie" / "20240401" / "inburgeringsplichtigen.jsonl", "reintegratie",
                        next(o for o in objects("reintegratie") if o.name == "inburgeringsplichtigen"))
    assert len(df) > 0


def test_file_encodings(world):
    out, _ = world
    civ = (out / "inbox" / "civision" / "20250101" / "personen.csv").read_bytes()
    assert not civ.startswith(b"\xef\xbb\xbf")
    civ.decode("cp1252")
    assert b"\r\n" in civ and civ.count(b"\n") == civ.count(b"\r\n")
    sh = (out / "inbox" / "schuldhulp" / "20250101" / "aanmeldingen.csv").read_bytes()
    assert sh.startswith(b"\xef\xbb\xbf") and b"\r" not in sh
    line = (out / "inbox" / "reintegratie" / "20250101" / "trajecten.jsonl").read_text("utf-8").splitlines()[0]
    rec = json.loads(line)
    assert set(rec["client"]) == {"bsn", "gemeente"}
    assert datetime.fromisoformat(rec["gewijzigd_op"]).utcoffset() is not None
    pl = json.loads((out / "inbox" / "reintegratie" / "20250101" / "plaatsingen.jsonl").read_text("utf-8").splitlines()[0])
    assert set(pl["werkgever"]) == {"kvk", "sector"}
    cbs = pd.read_csv(out / "inbox" / "cbs" / "bevolking.csv", encoding="utf-8-sig")
    ref = pd.read_csv(REFERENCE / "bevolking_totaal.csv")
    for _, r in ref.iterrows():
        total = cbs[(cbs["gemeente"] == r["gemeente"]) & (cbs["jaar"] == int(r["peildatum"][:4]))]["inwoners"].sum()
        assert total == r["inwoners"]


def test_erp_tables(world):
    out, _ = world
    for org in ("SOW", "IGSD"):
        con = sqlite3.connect(out / "erp" / f"{org}.sqlite")
        for table, cols in ERP_TABLES.items():
            got = [r[1] for r in con.execute(f"pragma table_info({table})")]
            lacks = ERP_OPTIONAL.get(table, ()) if org == "IGSD" else ()  # IGSD's ERP keeps no project costs
            assert got == [c for c in cols if c not in lacks], (org, table)
        benefit = con.execute("select count(*) from gl_entry e join gl_account a on a.no = e.gl_account_no "
                              "where a.name like '%Uitkeringen%'").fetchone()[0]
        assert benefit > 0
        con.close()


def test_reconciliation_with_erp(world, reading):
    """civision P+N+C per municipality and month equals the ERP lasten on benefit accounts."""
    out, _ = world
    f = reading
    b = f["betalingen"]
    b = b[b["soort"].isin(["P", "N", "C"])]
    u = pd.concat([read_object(p / "uitkeringen.csv", "civision", objects("civision")[1])[0][["dossiernummer", "gemeentecode"]]
                   for p in sorted((out / "inbox" / "civision").iterdir())]).drop_duplicates("dossiernummer")
    b = b.merge(u, on="dossiernummer", how="left")
    assert b["gemeentecode"].notna().all()
    b["maand"] = b["betaaldatum"].dt.to_period("M")
    assert (b["betaaldatum"].dt.to_period("M") == b["periode"].dt.to_period("M")).all()
    civ = b.groupby(["gemeentecode", "maand"])["bedrag"].sum()
    codes = {r["erp_code"]: r["cbs_nummer"] for r in csv.DictReader(open(REFERENCE / "gemeenten.csv"))}
    erp = []
    for org in ("SOW", "IGSD"):
        con = sqlite3.connect(out / "erp" / f"{org}.sqlite")
        erp.append(pd.read_sql("select e.posting_date, e.gemeente_code, e.amount, e.reversed, e.document_no "
                               "from gl_entry e join gl_account a on a.no = e.gl_account_no "
                               "where a.name like '%Uitkeringen%'", con))
        con.close()
    e = pd.concat(erp)
    e = e[e["reversed"] == 0].drop_duplicates(["document_no", "amount", "posting_date"])
    e["gemeentecode"] = e["gemeente_code"].map(codes)
    e["maand"] = pd.to_datetime(e["posting_date"]).dt.to_period("M")
    ledger = e.groupby(["gemeentecode", "maand"])["amount"].sum()
    joined = pd.concat([civ.rename("civ"), ledger.rename("erp")], axis=1).fillna(0)
    assert len(joined) > 300
    assert ((joined["civ"] - joined["erp"]).abs() <= 0.005 * joined["civ"].abs()).all()


def test_world_invariants(world, reading):
    out, _ = world
    t = out / "truth"
    d = pd.read_parquet(t / "dossiers.parquet")
    assert (d["einddatum"].isna() | (d["einddatum"] >= d["ingangsdatum"])).all()
    assert d["dossiernummer"].is_unique
    m = pd.read_parquet(t / "meldingen.parquet")
    tk = m[m["besluit"] == "TOEGEKEND"].merge(d, on="dossiernummer", suffixes=("", "_d"))
    assert len(tk) == (m["besluit"] == "TOEGEKEND").sum()
    assert (tk["meldingsdatum"] == tk["ingangsdatum"]).all()
    assert (tk["instroomroute"] == "P").all()
    # payments P/N/C only in months the dossier runs
    f = reading
    b = f["betalingen"]
    assert b["regelnummer"].is_unique
    x = b[b["soort"] != "T"].merge(d[["dossiernummer", "ingangsdatum", "einddatum", "gemeentecode"]], on="dossiernummer")
    start_month = x["ingangsdatum"].dt.to_period("M").dt.to_timestamp()
    assert (x["periode"] >= start_month).all()
    assert (x["einddatum"].isna() | (x["periode"] <= x["einddatum"])).all()
    # SOW pays from 2015-07, IGSD stops after 2017-12
    sow = x["gemeentecode"].isin(["0556", "0622", "0606"])
    assert x.loc[sow, "periode"].min() >= pd.Timestamp("2015-07-01")
    assert x.loc[~sow, "betaaldatum"].max() <= pd.Timestamp("2017-12-31")
    # valid bsns (11-proef) for all persons in the truth
    bsn = pd.read_parquet(t / "personen.parquet")["bsn"].str.zfill(9)
    digits = np.array([[int(c) for c in s] for s in bsn])
    total = digits[:, :8] @ np.array([9, 8, 7, 6, 5, 4, 3, 2]) - digits[:, 8]
    assert ((total % 11 == 0) & (total != 0)).all()


def test_igsd_frozen_after_2017(world):
    out, _ = world
    obj = objects("civision")[1]
    a = read_object(out / "inbox" / "civision" / "20180101" / "uitkeringen.csv", "civision", obj)[0]
    b = read_object(out / "inbox" / "civision" / "20250101" / "uitkeringen.csv", "civision", obj)[0]
    ia = latest(a[a["gemeentecode"].isin(["1708", "1701"])], obj).sort_values("dossiernummer").reset_index(drop=True)
    ib = latest(b[b["gemeentecode"].isin(["1708", "1701"])], obj).sort_values("dossiernummer").reset_index(drop=True)
    pd.testing.assert_frame_equal(ia, ib)


def test_faults_listed(world):
    out, summary = world
    faults = pd.read_csv(out / "truth" / "faults.csv", dtype=str)
    assert list(faults.columns) == ["bron", "object", "sleutel", "controle", "levering", "omschrijving"]
    expected = {"levering_herhaald", "dossier_heropend", "einddatum_teruggezet", "bsn_8_cijfers", "bsn_ongeldig",
                "datum_onleesbaar", "exacte_dubbele_rij", "gemeente_spelling", "zonder_programma", "dubbel_document",
                "tegenboeking", "gesloten_periode"}
    expected |= {"bsn_niet_toegestaan", "fte_afwijkend", "werksoort_groep_leeg", "regels_overlappen",
                 "regel_na_einde_dienstverband", "hersteldatum_strijdig"}  # hr
    expected |= {"label_onbekend", "taak_zonder_contact"}  # kcc
    expected |= {"gemeente_ontbreekt", "resultaat_onbekend", "einddatum_zonder_resultaat", "initiator_ontbreekt",
                 "inkomensbron_ontbreekt", "startdatum_na_registratie", "pagina_dubbel"}  # zaken
    expected.add("rubriek_zonder_sleutel")  # erp: a rubriek a KPI needs without a key in erp_rubriek.csv
    expected |= {"voor_2022", "pip_voor_brede_intake", "plicht_einde_zonder_reden"}  # inburgeringsplichtigen
    expected.add("maatregel_onbekend")  # reintegratie trajecten and plaatsingen: a maatregel_code that is no measure
    assert set(faults["controle"]) == expected
    # quirks the contract handles by rule, without a finding
    quirks = pd.read_csv(out / "truth" / "quirks.csv", dtype=str)
    assert list(quirks.columns) == list(faults.columns)
    assert set(quirks["controle"]) == {"late_ziekmelding", "taak_voor_contact", "taak_heringedeeld", "dubbele_registratie",
                                       "respondent_opgeschoond", "rapportcijfer_99", "vernietigd", "versie_dubbel",
                                       "maatregel_code_getypt"}
    # ERP faults exist as described
    con = sqlite3.connect(out / "erp" / "SOW.sqlite")
    e = pd.read_sql("select * from gl_entry", con)
    con.close()
    f = faults[(faults["bron"] == "erp") & (faults["levering"] == "SOW")]
    nopro = e[e["entry_no"].astype(str).isin(f.loc[f["controle"] == "zonder_programma", "sleutel"])]
    assert nopro["programma_code"].isna().all() and len(nopro) > 0
    rev = e[e["reversed_entry_no"].notna()]
    assert len(rev) > 0 and e.set_index("entry_no").loc[rev["reversed_entry_no"].astype(int), "reversed"].all()
    # every 8-digit bsn in the final personen file is listed
    text = (out / "inbox" / "civision" / "20250101" / "personen.csv").read_text("cp1252")
    p = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    eight = set(p.loc[p["bsn"].str.len() == 8, "persoonsnummer"])
    listed = set(faults[(faults["controle"] == "bsn_8_cijfers") & (faults["object"] == "personen")
                        & (faults["levering"] == "20250101")]["sleutel"])
    assert eight and eight == listed


def test_calibration_on_truth(world):
    out, _ = world
    check = pd.read_csv(out / "truth" / "kalibratie_check.csv")
    assert check["ok"].all(), check[~check["ok"]].to_string()


def test_calibration_on_delivered_files(reading):
    """A contract-following reading of the files (with all faults) reproduces every calibration row."""
    f = reading
    rows = list(csv.DictReader(open(REFERENCE / "kalibratie.csv", encoding="utf-8")))
    check = kpi.check(f, rows)
    assert check["ok"].all(), check[~check["ok"]][["organisatie", "gemeente", "kpi", "periode", "waarde",
                                                    "berekend"]].to_string()


def test_same_seed_same_bytes(tmp_path, monkeypatch):
    """Same seed => same bytes, also when files are formatted in smaller blocks of rows (as at
    national scale), so block boundaries leave no trace (header, byte order mark, faults)."""
    hashes = []
    for run in ("a", "b"):
        out = tmp_path / run
        if run == "b":
            monkeypatch.setattr(deliveries, "CHUNK_ROWS", 700)
        simulate(out, through=date(2016, 6, 30), progress=lambda s: None)
        hashes.append({str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in sorted(out.rglob("*")) if p.is_file()})
    assert hashes[0] == hashes[1]
    assert any(k.endswith("SOW.sqlite") for k in hashes[0])
    other = tmp_path / "c"
    simulate(other, seed=7, through=date(2016, 6, 30), progress=lambda s: None)
    assert hashlib.sha256((other / "erp" / "SOW.sqlite").read_bytes()).hexdigest() != hashes[0]["erp/SOW.sqlite"]


RECORDED_WORLD = Path(__file__).resolve().parent / "simulator_world.sha256"


def _content_digest(path: Path) -> str:
    """Digest of a file's content: delivered files by their bytes, SQLite and Parquet by their
    rows, so a new SQLite or Parquet writer with the same content changes nothing."""
    if path.suffix == ".sqlite":
        con = sqlite3.connect(path)
        digest = hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
        con.close()
        return digest
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).values.tobytes()
                              + ",".join(frame.columns).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_world_is_the_recorded_one(world):
    """The default world (scale S, seed 2015) is the same on every install. When a dependency
    update changes it on purpose, record it anew: PDW_RECORD_WORLD=1 pytest tests/test_simulator.py -k recorded"""
    out = world[0]
    lines = [f"{_content_digest(p)}  {p.relative_to(out)}" for p in sorted(out.rglob("*")) if p.is_file()]
    if os.environ.get("PDW_RECORD_WORLD") == "1":
        RECORDED_WORLD.write_text("\n".join(lines) + "\n")
    recorded = RECORDED_WORLD.read_text().splitlines()
    changed = sorted(set(lines) ^ set(recorded), key=lambda line: line.split("  ")[1])
    assert not changed, (f"the default world differs from the recorded one in {len(changed)} lines, "
                         "first: " + "; ".join(changed[:6]) + ". See docs/dependencies.md.")


def test_delivery_cadence():
    """Quarterly at S/M; yearly at national scale, always ending with the last extraction."""
    from simulator import CADENCE
    assert CADENCE["S"] == 3
    quarterly = delivery_dates(date(2024, 12, 31), 3)
    assert (quarterly[0], quarterly[-1], len(quarterly)) == (date(2015, 4, 1), date(2025, 1, 1), 40)
    yearly = delivery_dates(date(2024, 12, 31), CADENCE["XL"])
    assert yearly == [date(y, 1, 1) for y in range(2016, 2026)]
    assert delivery_dates(date(2024, 6, 30), 12)[-2:] == [date(2024, 1, 1), date(2024, 7, 1)]


def test_hr_files_follow_the_contract(world):
    """hr (SOURCES.md): UTF-8 without BOM, CRLF, every field (the header too) in quotes, dates jjjjmmdd
    with 99991231 as open end, decimal comma with fte in 4 places; verzuim a window snapshot."""
    out = world[0]
    last = sorted((out / "inbox" / "hr").iterdir())[-1]
    extraction = pd.Timestamp(last.name)
    for obj in objects("hr"):
        raw = (last / obj.filename).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        lines = raw.decode("utf-8").split("\r\n")
        assert lines[-1] == "" and "\n" not in "".join(lines)
        rows = [line[1:-1].split('";"') for line in lines[:-1]]
        assert all(line.startswith('"') and line.endswith('"') for line in lines[:-1])
        assert rows[0] == [c.name for c in obj.columns]
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        for c in obj.columns:
            if c.type == "date":
                assert frame[c.name].str.fullmatch(r"\d{8}").all(), c.name
        if obj.name == "dienstverbanden":
            assert (frame["geldig_tot"] == "99991231").any() and frame["fte"].str.fullmatch(r"\d,\d{4}").all()
            assert (frame.loc[frame["soort"] == "AMBTELIJK", "werksoort_groep"] == "").all()
        else:
            reach = pd.to_datetime(frame["einddatum"].replace("99991231", "22000101"), format="%Y%m%d")
            window_start = pd.Timestamp(extraction.year - 1, 1, 1)
            assert (reach.groupby(frame["verzuimnummer"]).max() >= window_start).all()
            assert (frame["percentage"] == "0").any() and set(frame["soort"]) <= set(obj.column("soort").codes)


def test_kcc_files_follow_the_contract(world):
    """kcc (SOURCES.md): UTF-16 LE with BOM, TAB, CRLF, the tool's Dutch labels as header, no quoting,
    timestamps dd-mm-jjjj hh:mm:ss, Ja/Nee; four-weekly deliveries; interne taken a window snapshot."""
    out = world[0]
    folders = sorted((out / "inbox" / "kcc").iterdir())
    assert {(b - a).days for a, b in zip(
        [datetime.strptime(f.name, "%Y%m%d") for f in folders[:-1]],
        [datetime.strptime(f.name, "%Y%m%d") for f in folders[1:]])} == {kcc.CADENCE_DAYS}
    last = folders[-1]
    extraction = datetime.strptime(last.name, "%Y%m%d")
    for obj in objects("kcc"):
        raw = (last / obj.filename).read_bytes()
        assert raw.startswith(b"\xff\xfe")
        lines = raw[2:].decode("utf-16-le").split("\r\n")
        assert lines[-1] == "" and "\n" not in "".join(lines) and '"' not in "".join(lines)
        rows = [line.split("\t") for line in lines[:-1]]
        assert rows[0] == [c.label for c in obj.columns]
        frame = pd.DataFrame(rows[1:], columns=[c.name for c in obj.columns])
        for c in obj.columns:
            if c.type == "ts":
                filled = frame[c.name][frame[c.name] != ""]
                assert filled.str.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}").all(), c.name
            if c.type == "bool":
                assert set(frame[c.name]) <= {"Ja", "Nee"}, c.name
        if obj.name == "interne_taken":
            assigned = pd.to_datetime(frame["toegewezen_op"], format="%d-%m-%Y %H:%M:%S")
            inside = (assigned >= datetime(extraction.year - 1, 1, 1)) | (frame["status"] == "te verwerken")
            assert inside.all() and (frame["status"] == "te verwerken").any()
def test_tevredenheid_files_follow_the_contract(world):
    """tevredenheid (SOURCES.md): UTF-8 without BOM, LF, `,` with `"` only where needed, dd/mm/jjjj, J/N,
    99 as missing mark, v_<vraagcode> after the contract columns; a delivery after each survey holds every
    survey so far, a re-delivery after cleaning drops respondents; the calibration rows by the unweighted mean."""
    out = world[0]
    folders = sorted((out / "inbox" / "tevredenheid").iterdir())
    frames = []
    for folder in folders:
        assert {p.name for p in folder.iterdir()} == {o.filename for o in objects("tevredenheid")} | {"_READY"}
        delivered = {}
        for obj in objects("tevredenheid"):
            raw = (folder / obj.filename).read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=","))
            assert rows[0][:len(obj.columns)] == [c.name for c in obj.columns]
            assert all(n.startswith("v_") for n in rows[0][len(obj.columns):])
            assert all(len(r) == len(rows[0]) for r in rows)
            frame = pd.DataFrame(rows[1:], columns=rows[0])
            for c in obj.columns:
                if c.type == "date":
                    assert frame[c.name].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all(), c.name
            delivered[obj.name] = frame
        assert set(delivered["onderzoeken"]["soort"]) <= set(objects("tevredenheid")[0].column("soort").codes)
        assert b'"BMC Onderzoek, Amersfoort"' in (folder / "onderzoeken.csv").read_bytes()
        assert set(delivered["respondenten"]["volledig"]) <= {"J", "N"}
        frames.append(delivered)
    # surveys only accumulate; one re-delivery after cleaning lost respondents of an already delivered survey
    surveys = [set(f["onderzoeken"]["onderzoek_id"]) for f in frames]
    assert all(a <= b for a, b in zip(surveys, surveys[1:])) and len(surveys[-1]) >= 12
    keys = [set(zip(f["respondenten"]["onderzoek_id"], f["respondenten"]["respondent_id"])) for f in frames]
    assert any(a - b for a, b in zip(keys, keys[1:]))
    last = frames[-1]["respondenten"].merge(frames[-1]["onderzoeken"], on="onderzoek_id")
    marks = last["rapportcijfer"].astype(int)
    assert (marks == 99).any()
    valid = last[marks.between(1, 10)].assign(cijfer=marks, jaar=last["veldwerk_tot"].str[-4:])
    assert not valid["onderzoek_id"].eq("MTO-BESCHUT-2023").any() and last["onderzoek_id"].eq("MTO-BESCHUT-2023").any()
    means = valid.groupby(["soort", "jaar"])["cijfer"].mean()
    assert abs(means[("KTO_PW", "2022")] - 7.4) <= 0.05
    assert abs(means[("KTO_ZAKELIJK", "2022")] - 8.2) <= 0.05
    assert abs(means[("MTO_WSW", "2016")] - 6.9) <= 0.05


def test_zaken_dumps_follow_the_contract(world):
    """zaken (SOURCES.md): half-yearly dumps of numbered pages, each one list response (count, next,
    previous, results) in UTF-8 with LF; dates YYYY-MM-DD; the zaaktype by its identificatie under
    _expand; no free text filled in; a zaak destroyed after its archiefactiedatum is gone from later dumps."""
    out = world[0]
    folders = sorted((out / "inbox" / "zaken").iterdir())
    assert [f.name for f in folders] == [d.strftime("%Y%m%d") for d in delivery_dates(date(2024, 12, 31), zaken.CADENCE_MONTHS)]
    last = folders[-1]
    pages = sorted(last.glob("zaken-*.json"))
    assert [p.name for p in pages] == [f"zaken-{i:04d}.json" for i in range(1, len(pages) + 1)]
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in pages]
    assert not pages[0].read_bytes().startswith(b"\xef\xbb\xbf") and b"\r" not in pages[0].read_bytes()
    assert docs[0]["previous"] is None and docs[-1]["next"] is None and all(set(d) == {"count", "next", "previous", "results"}
                                                                             for d in docs)
    results = [z for d in docs for z in d["results"]]
    assert {z["_expand"]["zaaktype"]["identificatie"] for z in results} <= set(zaken.PER_MAAND["SOW"]) | {"LIFE_EVENT"}
    assert all(z["omschrijving"] == "" for z in results)
    assert all(datetime.strptime(z["startdatum"], "%Y-%m-%d") for z in results)
    first = {z["uuid"] for p in sorted(folders[0].glob("zaken-*.json")) for z in json.loads(p.read_text())["results"]}
    gone = first - {z["uuid"] for z in results}
    assert gone, "the oldest zaken have been destroyed by the last dump"




def test_maatregel_codes(world, reading):
    """maatregel_code (SOURCES.md, reintegratie and zaken; simulator/maatregelen.py): absent from the deliveries up
    to 1 October 2019, then on SOW records of the run only; the RWO trajectories at the Poort start within 28 days
    of their melder's melding; a code that is no measure is in faults.csv, one typed loosely in quirks.csv."""
    out = world[0]
    assert "maatregel_code" not in (out / "inbox" / "reintegratie" / "20191001" / "trajecten.jsonl").read_text()
    codes = {r["maatregel_code"] for r in read_reference("maatregelen.csv")}
    faults = pd.read_csv(out / "truth" / "faults.csv", dtype=str)
    quirks = pd.read_csv(out / "truth" / "quirks.csv", dtype=str)
    for obj, name, key, start in (("trajecten", "ri_trajecten", "traject_id", "aangemeld_op"),
                                  ("plaatsingen", "plaatsingen", "plaatsing_id", "start")):
        f = reading[name]
        tagged = f[f["maatregel_code"].notna()]
        assert len(tagged) and tagged["client_gemeente"].isin(["GM0556", "GM0622", "GM0606"]).all()
        assert tagged[start].between("2019-10-01", "2020-12-31").all()
        clean = tagged["maatregel_code"].str.strip().str.upper()
        assert set(tagged.loc[~clean.isin(codes), key]) == set(
            faults.loc[(faults["object"] == obj) & (faults["controle"] == "maatregel_onbekend"), "sleutel"])
        assert set(tagged.loc[clean.isin(codes) & (clean != tagged["maatregel_code"]), key]) == set(
            quirks.loc[(quirks["object"] == obj) & (quirks["controle"] == "maatregel_code_getypt"), "sleutel"])
    t = reading["ri_trajecten"]
    assert set(t["maatregel_code"].str.strip().str.upper()) >= codes - {"EI19-FRAUDE"}
    rwo = t[t["maatregel_code"].str.strip().str.upper() == "EI19-RWO"]
    assert len(rwo) == 12 and (rwo["soort"] == "RWO").all() and rwo["start"].between("2019-10-01", "2019-12-31").all()
    bsn = reading["personen"].set_index("persoonsnummer")["bsn"]
    m = reading["aanvragen"].assign(client_bsn=lambda a: bsn.reindex(a["persoonsnummer"]).values).merge(rwo, on="client_bsn")
    assert m[(m["start"] >= m["meldingsdatum"]) & (m["start"] <= m["meldingsdatum"] + pd.Timedelta(days=28))][
        "traject_id"].nunique() == 12
    fraude = [z for p in sorted((out / "inbox" / "zaken" / "20210101").glob("zaken-*.json"))
              for z in json.loads(p.read_text())["results"]
              if any(e["naam"] == "maatregel_code" for e in z["_expand"]["eigenschappen"])]
    assert fraude and {z["_expand"]["zaaktype"]["identificatie"] for z in fraude} == {"HANDHAVINGSONDERZOEK"}
    assert {z["_expand"]["rollen"][0]["betrokkeneIdentificatie"]["inpBsn"] for z in fraude} <= set(bsn)
