"""kcc: SOW's contact-centre registration (klantcontacten, interne taken), its four-weekly "Unicode
text" exports and their quirks, calibrated on the KCC rows of kalibratie.csv.

Own random stream (seed, "kcc"): the files of the other sources stay byte-identical. Contacts are
drawn per working day; the share of KCC calls answered directly is set per year and, in the
calibration years, made exact on what the contract counts (after deletions and unknown labels).
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pdw.contract import FORMATS, get

START = date(2018, 1, 1)  # the KCC registration (professionalised in 2018, 000 r.566-568)
CALLS_PER_DAY = 40  # answered incoming KCC calls per working day at scale 1
DIRECT = {2018: 0.47, 2019: 0.49, 2020: 0.50, 2021: 0.50, 2022: 0.51, 2023: 0.55, 2024: 0.58}
# other outcomes of a KCC call: put through, call-back request, case started
REST = {"Doorverbonden": 0.45, "Terugbelverzoek": 0.40, "Zaak aangemaakt": 0.15}
TEAMS = ("Inkomen", "Werk", "Schuldhulpverlening", "Participatie")
TERUGBEL_24U = {2018: 0.62, 2019: 0.64, 2020: 0.60, 2021: 0.66, 2022: 0.68, 2023: 0.70, 2024: 0.72}
RATES = {
    "dubbele_registratie": 0.6,  # of put-through calls: also registered by the answering team
    "taak_heringedeeld": 0.08,  # of tasks: reassigned to another team (Toegewezen op reset)
    "taak_voor_contact": 0.01,  # of call-back requests: the contact arrives a delivery after its task
    "label_onbekend": 0.002,  # of contacts: an Afhandeling label outside the code list
    "verwijderd": 0.003,  # of contacts: deleted later (a record with Verwijderd = Ja)
}
ONBEKEND_LABEL = "Afgehandeld door vakafdeling"


LINES_BLOCK = 500_000  # records formatted at a time
CADENCE_DAYS = 28  # SOURCES.md: kcc typically weekly; four-weekly keeps the demo's number of deliveries near hr's


def _labels(values) -> np.ndarray:
    """Labels to draw from as objects: a drawn column then refers to these few strings (the same draws as from a
    list, which gives a new string per record: gigabytes for the registration at national scale)."""
    return np.array(list(values), dtype=object)


def delivery_dates(through: date) -> list[date]:
    """Four-weekly extractions, the last the day after `through` (the loader takes any cadence:
    tests/test_kcc.py delivers weekly)."""
    last = through + timedelta(days=1)
    n = (last - START).days // CADENCE_DAYS
    return [last - timedelta(days=CADENCE_DAYS * k) for k in range(n, -1, -1)]


class Kcc:
    def __init__(self, seed: int, scale: float, through: date, faults: bool):
        self.rng = np.random.default_rng([seed, sum(map(ord, "kcc"))])
        self.scale = scale
        self.through = through
        self.faults = faults
        self.contacts = pd.DataFrame()
        self.tasks = pd.DataFrame()

    def build(self) -> None:
        """Contacts and tasks up to `through` (none before the registration starts)."""
        if self.through < START:
            return
        rng = self.rng
        days = pd.bdate_range(START, self.through)
        n = rng.poisson(CALLS_PER_DAY * self.scale, len(days))
        day = np.repeat(days.values, n)
        seconds = rng.integers(8 * 3600 + 1800, 17 * 3600, len(day))
        at = pd.to_datetime(day) + pd.to_timedelta(seconds, unit="s")
        year = at.year.values
        p_direct = pd.Series(year).map(DIRECT).to_numpy()
        u = rng.random(len(at))
        rest = _labels(REST)
        other = rest[np.searchsorted(np.cumsum(list(REST.values())), rng.random(len(at)), side="right").clip(0, 2)]
        afh = np.where(u < p_direct, "Zelfstandig afgehandeld", other)
        calls = pd.DataFrame({"plaatsgevonden_op": at, "kanaal": "Telefoon", "richting": "Inkomend", "afhandeling": afh,
                              "team": "KCC", "contact_gelukt": "Ja", "aanleiding_taak": ""})
        calls["onderwerp"] = rng.choice(_labels(["Uitkering", "Betaling", "Werk", "Schulden", "Minimaregelingen"]), len(calls))
        # counter and e-mail contacts of the KCC: no KCC calls, for a plausible registration
        m = rng.poisson(CALLS_PER_DAY * self.scale * 0.25, len(days))
        at2 = pd.to_datetime(np.repeat(days.values, m)) + pd.to_timedelta(rng.integers(9 * 3600, 16 * 3600, m.sum()), unit="s")
        balie = pd.DataFrame({"plaatsgevonden_op": at2, "kanaal": rng.choice(_labels(["Balie", "E-mail", "Chat"]), len(at2)),
                              "richting": "Inkomend", "afhandeling": "Zelfstandig afgehandeld", "team": "KCC",
                              "contact_gelukt": "Ja", "aanleiding_taak": "", "onderwerp": "Uitkering"})
        contacts = pd.concat([calls, balie], ignore_index=True).sort_values("plaatsgevonden_op", kind="stable")
        contacts = contacts.reset_index(drop=True)
        contacts["label_onbekend"] = self.faults & (rng.random(len(contacts)) < RATES["label_onbekend"])
        contacts["verwijderd_op"] = pd.NaT
        gone = rng.random(len(contacts)) < RATES["verwijderd"]
        contacts.loc[gone, "verwijderd_op"] = (contacts.loc[gone, "plaatsgevonden_op"]
                                               + pd.to_timedelta(rng.integers(1, 20, gone.sum()), unit="D"))
        self._calibrate(contacts)
        contacts["gewijzigd_op"] = contacts["plaatsgevonden_op"] + pd.to_timedelta(rng.integers(60, 1200, len(contacts)), unit="s")
        contacts["nummer"] = self._numbers("KC", contacts["plaatsgevonden_op"])
        contacts["interne_taak"] = ""
        self.contacts = contacts
        self._tasks()
        self._doubles()
        self.contacts = self.contacts.sort_values("plaatsgevonden_op", kind="stable").reset_index(drop=True)

    def _calibrate(self, c: pd.DataFrame) -> None:
        """Per year the direct share of what the contract counts as KCC calls (not deleted, known
        label) made exact: calls flipped between direct and another outcome in random order."""
        rng = self.rng
        counted = (c["kanaal"] == "Telefoon") & c["verwijderd_op"].isna()
        for year, share in DIRECT.items():
            cell = counted & (c["plaatsgevonden_op"].dt.year == year)
            if not cell.any():
                continue
            direct = cell & (c["afhandeling"] == "Zelfstandig afgehandeld") & ~c["label_onbekend"]
            need = int(round(share * cell.sum())) - int(direct.sum())
            if need > 0:
                pool = np.flatnonzero(cell & (c["afhandeling"] != "Zelfstandig afgehandeld") & ~c["label_onbekend"])
                pick = rng.choice(pool, need, replace=False)
                c.loc[c.index[pick], "afhandeling"] = "Zelfstandig afgehandeld"
            elif need < 0:
                pick = rng.choice(np.flatnonzero(direct), -need, replace=False)
                c.loc[c.index[pick], "afhandeling"] = "Terugbelverzoek"

    @staticmethod
    def _numbers(prefix: str, at: pd.Series) -> np.ndarray:
        year = at.dt.year
        seq = at.groupby(year).cumcount() + 1
        return np.array([f"{prefix}{y}-{s:07d}" for y, s in zip(year, seq)])

    def _tasks(self) -> None:
        """A task per call-back request (not for one deleted later); finished after a delay that meets the 24-hour norm in the
        year's share of cases; some reassigned once, which resets Toegewezen op."""
        rng, c = self.rng, self.contacts
        req = c.index[(c["afhandeling"] == "Terugbelverzoek") & (c["team"] == "KCC") & c["verwijderd_op"].isna()]
        src = c.loc[req]
        n = len(src)
        at = src["plaatsgevonden_op"].reset_index(drop=True)
        year = at.dt.year.values
        within = rng.random(n) < pd.Series(year).map(TERUGBEL_24U).to_numpy()
        hours = np.where(within, rng.uniform(0.3, 23.5, n), rng.uniform(24.5, 120, n))
        done = at + pd.to_timedelta(hours * 3600, unit="s").round("s")
        toegewezen = at + pd.to_timedelta(rng.integers(60, 600, n), unit="s")
        moved = self.faults & (rng.random(n) < RATES["taak_heringedeeld"])
        moved_at = toegewezen + (done - toegewezen) * rng.uniform(0.2, 0.8, n)
        tasks = pd.DataFrame({
            "handeling": _labels(["Terugmailen", "Terugbellen"])[(rng.random(n) < 0.9).astype(int)],
            "klantcontact": src["nummer"].values, "team": rng.choice(_labels(TEAMS), n),
            "toegewezen_op": toegewezen.values, "afgehandeld_op": done.values,
            "heringedeeld_op": np.where(moved, moved_at.values, np.datetime64("NaT")),
            "nieuw_team": rng.choice(_labels(TEAMS), n)})
        tasks["nummer"] = self._numbers("IT", tasks["toegewezen_op"])
        self.contacts.loc[req, "interne_taak"] = tasks["nummer"].values
        # the contact delta lags: the task arrives a delivery before its contact
        late = self.faults & (rng.random(n) < RATES["taak_voor_contact"])
        self.contacts.loc[req[late], "gewijzigd_op"] = self.contacts.loc[req[late], "plaatsgevonden_op"] + pd.Timedelta(days=CADENCE_DAYS + 1)
        self.late = set(src["nummer"].values[late])
        self.tasks = tasks
        # the call back itself: an outgoing call by the team, made for the task
        calls = tasks[tasks["handeling"] == "Terugbellen"]
        back = pd.DataFrame({
            "plaatsgevonden_op": calls["afgehandeld_op"] - pd.Timedelta(minutes=5), "kanaal": "Telefoon",
            "richting": "Uitgaand", "afhandeling": "Zelfstandig afgehandeld",
            "team": np.where(calls["heringedeeld_op"].notna(), calls["nieuw_team"], calls["team"]),
            "contact_gelukt": "Ja", "aanleiding_taak": calls["nummer"].values, "onderwerp": "Terugbellen",
            "label_onbekend": False, "verwijderd_op": pd.NaT, "interne_taak": ""})
        self._append(back)

    def _doubles(self) -> None:
        """A put-through KCC call registered again by the team that answered it (the quirk)."""
        c = self.contacts
        put = c[(c["afhandeling"] == "Doorverbonden") & (c["team"] == "KCC")]
        put = put[self.faults & (self.rng.random(len(put)) < RATES["dubbele_registratie"])]
        self._append(put.assign(team=self.rng.choice(_labels(TEAMS), len(put)), afhandeling="Zelfstandig afgehandeld", dubbel=True,
                                plaatsgevonden_op=put["plaatsgevonden_op"] + pd.Timedelta(seconds=40),
                                label_onbekend=False, verwijderd_op=pd.NaT, interne_taak=""))

    def _append(self, new: pd.DataFrame) -> None:
        new = new.assign(gewijzigd_op=new["plaatsgevonden_op"] + pd.Timedelta(minutes=3))
        new["nummer"] = ""
        all_ = pd.concat([self.contacts, new], ignore_index=True)
        fresh = all_["nummer"] == ""
        # contacts made later get numbers after the year's existing ones
        start = all_[~fresh].groupby(all_["plaatsgevonden_op"].dt.year).size()
        extra = all_[fresh].groupby(all_.loc[fresh, "plaatsgevonden_op"].dt.year).cumcount() + 1
        years = all_.loc[fresh, "plaatsgevonden_op"].dt.year
        all_.loc[fresh, "nummer"] = [f"KC{y}-{start.get(y, 0) + s:07d}" for y, s in zip(years, extra)]
        self.contacts = all_

    # -- deliveries ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Every line a delivery can hold, formatted once: a contact as delivered and as deleted,
        a task in each of its states (assigned, reassigned, done)."""
        c, t = self.contacts, self.tasks
        afh = c["afhandeling"].where(~c["label_onbekend"], ONBEKEND_LABEL)
        self.c_lines = _lines(c.assign(afhandeling=afh, verwijderd="Nee"), "klantcontacten")
        gone = c["verwijderd_op"].notna()
        self.d_lines = _lines(c[gone].assign(afhandeling=afh[gone], verwijderd="Ja", gewijzigd_op=c.loc[gone, "verwijderd_op"]),
                              "klantcontacten")
        self.c_at = c["gewijzigd_op"].values
        self.d_at = c.loc[gone, "verwijderd_op"].values
        self.c_unknown = c["label_onbekend"].values
        self.c_late = c["nummer"].isin(self.late).values
        self.c_nummer, self.c_taak = c["nummer"].values, c["interne_taak"].values
        self.c_dubbel = c["dubbel"].eq(True).values
        self.t_nummer = t["nummer"].values
        moved = t["heringedeeld_op"].notna()
        start = t.assign(status="te verwerken", afgehandeld_op=pd.NaT, gewijzigd_op=t["toegewezen_op"])
        again = start.assign(team=t["nieuw_team"], toegewezen_op=t["heringedeeld_op"], gewijzigd_op=t["heringedeeld_op"])
        done = t.assign(status="verwerkt", gewijzigd_op=t["afgehandeld_op"],
                        team=np.where(moved, t["nieuw_team"], t["team"]),
                        toegewezen_op=t["heringedeeld_op"].where(moved, t["toegewezen_op"]))
        self.t_lines = [_lines(start, "interne_taken"), _lines(again.fillna({"toegewezen_op": pd.NaT}), "interne_taken"),
                        _lines(done, "interne_taken")]
        self.t_times = (t["toegewezen_op"].values, t["heringedeeld_op"].values, t["afgehandeld_op"].values)
        # the deliveries read the lines above only: the registration's frames are released
        self.t_contact = t["klantcontact"].copy()
        self.contacts = self.tasks = None

    def delivery(self, cut: date, previous: date | None, log, folder: str) -> dict[str, bytes]:
        end, begin = np.datetime64(cut), np.datetime64(previous or START)
        new = (self.c_at >= begin) & (self.c_at < end)
        gone = (self.d_at >= begin) & (self.d_at < end)
        assigned, moved, done = self.t_times
        if log is not None:
            log.add("kcc", "klantcontacten", self.c_nummer[new & self.c_unknown], "label_onbekend", folder,
                    f"Afhandeling '{ONBEKEND_LABEL}' staat niet in de codelijst (telt als OVERIG)")
            log.quirk("kcc", "interne_taken", self.c_taak[new & self.c_late], "taak_voor_contact", folder,
                      "taak geleverd voordat het klantcontact is geleverd")
            log.quirk("kcc", "klantcontacten", self.c_nummer[new & self.c_dubbel], "dubbele_registratie", folder,
                      "doorverbonden gesprek ook geregistreerd door het team dat het aannam (telt niet als KCC-gesprek)")
            log.quirk("kcc", "interne_taken", self.t_nummer[(moved >= begin) & (moved < end)], "taak_heringedeeld", folder,
                      "taak heringedeeld: Toegewezen op opnieuw gezet (terugbeltijd loopt vanaf het contact)")
        contacts = self.c_lines[new].tolist() + self.d_lines[gone].tolist()
        # window snapshot: assigned from 1 January of the previous year, plus every open task
        window = np.datetime64(date(cut.year - 1, 1, 1))
        known = assigned < end
        is_done = known & (done < end)
        is_moved = known & ~is_done & (moved < end)
        is_open = known & ~is_done & ~is_moved
        final_assigned = np.where(moved < end, moved, assigned)
        lines = (self.t_lines[0][is_open & (assigned >= window)].tolist()
                 + self.t_lines[1][is_moved].tolist()
                 + self.t_lines[2][is_done & (final_assigned >= window)].tolist())
        return {"klantcontacten.txt": _text(contacts, "klantcontacten"), "interne_taken.txt": _text(lines, "interne_taken")}

    def log_waiting_tasks(self, log, dates: list[date]) -> None:
        """A task whose contact no delivery has held yet stays flagged (taak_zonder_contact), under
        the delivery that brought the task's current state."""
        cuts = np.array(dates, dtype="datetime64[ns]")
        end = cuts[-1]
        assigned, moved, done = self.t_times
        # pandas' hash-based isin: numpy's on millions of object strings took longer than the whole XL world
        waiting = (assigned < end) & ~self.t_contact.isin(self.c_nummer[self.c_at < end]).to_numpy()
        state = np.where(done < end, done, np.where(moved < end, moved, assigned))[waiting]
        since = cuts[np.searchsorted(cuts, state, side="right")]
        log.add("kcc", "interne_taken", self.t_nummer[waiting], "taak_zonder_contact",
                pd.to_datetime(since).strftime("%Y%m%d").to_numpy(),
                "taak zonder geleverd klantcontact (telt niet mee tot het contact er is)")


def _lines(df: pd.DataFrame, name: str) -> np.ndarray:
    """The records as delivered lines: TAB, no quoting, timestamps dd-mm-jjjj hh:mm:ss; formatted in blocks, as a
    national-scale registration's text columns for every record at once took gigabytes."""
    if len(df) <= LINES_BLOCK:
        return _block(df, name)
    return np.concatenate([_block(df.iloc[i:i + LINES_BLOCK], name) for i in range(0, len(df), LINES_BLOCK)])


def _block(df: pd.DataFrame, name: str) -> np.ndarray:
    obj, fmt = get("kcc", name), FORMATS["kcc"]
    cols = []
    for col in obj.columns:
        v = df[col.name] if col.name in df else pd.Series([""] * len(df), index=df.index)
        if col.type == "ts":
            iso = pd.Series(np.datetime_as_string(pd.to_datetime(v).values, unit="s"), index=df.index)
            v = (iso.str[8:10] + "-" + iso.str[5:7] + "-" + iso.str[0:4] + " " + iso.str[11:19]).where(iso != "NaT", "")
        cols.append(v.fillna("").astype(str))
    return cols[0].str.cat(cols[1:], sep=fmt.delimiter).to_numpy(dtype=object)


def _text(lines: list[str], name: str) -> bytes:
    """UTF-16 LE with BOM, CRLF, the tool's labels as header."""
    obj, fmt = get("kcc", name), FORMATS["kcc"]
    header = fmt.delimiter.join(c.label for c in obj.columns)
    return b"\xff\xfe" + fmt.newline.join([header, *lines, ""]).encode("utf-16-le")


def write(kcc: Kcc, out: Path, faults: bool, log) -> dict[str, int]:
    rows: dict[str, int] = {}
    dates = delivery_dates(kcc.through)
    if not dates:
        return rows
    kcc.prepare()
    previous = None
    for cut in dates:
        folder = cut.strftime("%Y%m%d")
        target = out / "inbox" / "kcc" / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, data in kcc.delivery(cut, previous, log if faults else None, folder).items():
            (target / name).write_bytes(data)
            key = f"kcc/{name.removesuffix('.txt')}"
            rows[key] = rows.get(key, 0) + data.count("\r\n".encode("utf-16-le")) - 1
        (target / "_READY").write_bytes(b"")
        previous = cut
    if faults:
        kcc.log_waiting_tasks(log, dates)
    return rows
