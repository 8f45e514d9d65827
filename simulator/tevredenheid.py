"""tevredenheid: the research agency's respondent files of SOW's satisfaction surveys (KTO and MTO
by BMC, biennial or rarer per soort), a delivery after each survey holding every survey so far.

Own random stream (seed, "tevredenheid"): the files of the other sources stay byte-identical. The
valid marks of a survey are drawn around its score and then moved one point at a time until their
unweighted mean is the score (KPIS.md), so the calibration rows of kalibratie.csv come out exactly;
a `99` answer is an extra respondent, so it never moves the mean.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from pdw.contract import FORMATS, get

from .common import org_gemeenten, read_reference

KPI_SOORT = {"kto_score_pw": "KTO_PW", "kto_score_zakelijk": "KTO_ZAKELIJK", "mto_score_ambtelijk": "MTO_AMBTELIJK",
             "mto_score_wsw": "MTO_WSW", "mto_score_beschut": "MTO_BESCHUT"}
# (soort, last day of fieldwork, score where no calibration row names one, respondents at scale S, methode)
SURVEYS = (
    ("KTO_PW", date(2016, 4, 15), 7.2, 380, "GEMENGD"),
    ("MTO_WSW", date(2016, 10, 14), 6.9, 420, "SCHRIFTELIJK"),
    ("MTO_AMBTELIJK", date(2018, 5, 25), 7.1, 190, "ONLINE"),
    ("KTO_PW", date(2018, 9, 28), 7.3, 400, "GEMENGD"),
    ("MTO_WSW", date(2019, 10, 11), 7.0, 400, "SCHRIFTELIJK"),
    ("MTO_AMBTELIJK", date(2020, 5, 29), 7.2, 200, "ONLINE"),
    ("KTO_PW", date(2020, 9, 25), 7.3, 410, "TELEFONISCH"),
    ("KTO_ZAKELIJK", date(2020, 11, 20), 8.0, 90, "ONLINE"),
    ("MTO_AMBTELIJK", date(2022, 5, 27), 7.1, 210, "ONLINE"),
    ("KTO_PW", date(2022, 9, 30), 7.4, 420, "GEMENGD"),
    ("MTO_WSW", date(2022, 10, 14), 7.0, 380, "SCHRIFTELIJK"),
    ("KTO_ZAKELIJK", date(2022, 11, 18), 8.2, 95, "ONLINE"),
    ("MTO_BESCHUT", date(2023, 10, 13), 7.3, 45, "SCHRIFTELIJK"),
    ("MTO_AMBTELIJK", date(2024, 5, 31), 7.2, 220, "ONLINE"),
    ("KTO_PW", date(2024, 9, 27), 7.5, 430, "GEMENGD"),
    ("KTO_ZAKELIJK", date(2024, 11, 22), 8.0, 100, "ONLINE"),
)
VELDWERK_DAGEN = 28
LEVERING_NA = 21  # days from the end of fieldwork to the agency's delivery
OPSCHONING_NA = 35  # days from that delivery to the re-delivery after cleaning
RESPONS = 0.35  # respondents / invited
ONVOLLEDIG = 0.08  # of respondents: questionnaire not completed (the mark still counts)
ZONDER_GEMEENTE = 0.02  # of KTO_PW respondents: no stratum in the file (they count for the organisation only)
VRAGEN = ("bereikbaarheid", "bejegening", "informatie")  # aspect questions v_<vraagcode>, 1-5
UITVOERDER = "BMC Onderzoek, Amersfoort"
RATES = {
    "opschoning": 0.5,  # of surveys: a cleaned re-delivery follows that drops respondents
    "respondent_opgeschoond": 0.04,  # extra respondents of such a survey (speeders, duplicates), first delivery only
    "rapportcijfer_99": 0.04,  # extra respondents per survey answering 99 (weet niet / geen antwoord)
}
ZONDER_CIJFER = ("MTO_BESCHUT", date(2023, 10, 13))  # survey whose questionnaire lacked the overall mark (all 99)


@dataclass
class Onderzoek:
    onderzoek_id: str
    soort: str
    van: date
    tot: date
    steekproef: int
    methode: str
    levering: date
    rows: list[dict] = field(default_factory=list)  # after cleaning
    opgeschoond: list[dict] = field(default_factory=list)  # dropped by the cleaning
    opschoning: date | None = None  # date of the cleaned re-delivery


def _marks(rng: np.random.Generator, n: int, score: float) -> np.ndarray:
    """n marks 1-10 whose mean rounds to `score` at one decimal."""
    marks = np.clip(np.rint(rng.normal(score, 1.2, n)), 1, 10).astype(int)
    target = int(round(score * n))
    while marks.sum() != target:
        step = 1 if marks.sum() < target else -1
        movable = np.flatnonzero((marks + step >= 1) & (marks + step <= 10))
        marks[rng.choice(movable)] += step
    return marks


class Tevredenheid:
    def __init__(self, seed: int, scale: float, through: date, faults: bool):
        self.rng = np.random.default_rng([seed, sum(map(ord, "tevredenheid"))])
        self.scale, self.through, self.faults = scale, through, faults
        self.onderzoeken: list[Onderzoek] = []

    def build(self, log) -> None:
        rng = self.rng
        calibrated = {(KPI_SOORT[r["kpi"]], int(r["periode"])): float(r["waarde"])
                      for r in read_reference("kalibratie.csv") if r["kpi"] in KPI_SOORT and r["organisatie"] == "SOW"}
        namen = [g.naam for g in org_gemeenten("SOW")]
        for soort, tot, score, n, methode in SURVEYS:
            levering = tot + timedelta(days=LEVERING_NA)
            if levering > self.through + timedelta(days=1):
                continue
            n = max(int(round(n * self.scale)), 12)
            ident = f"{soort.replace('_', '-')}-{tot.year}"
            o = Onderzoek(ident, soort, tot - timedelta(days=VELDWERK_DAGEN), tot, int(round(n / RESPONS)), methode,
                          levering)
            marks = [int(m) for m in _marks(rng, n, calibrated.get((soort, tot.year), score))]
            if self.faults:
                extra = int(rng.binomial(n, RATES["rapportcijfer_99"]))
                marks += [99] * extra
            # speeders and duplicates: extra respondents in the first delivery, dropped by the cleaning
            cleaned = self.faults and rng.random() < RATES["opschoning"]
            speeders = int(rng.binomial(n, RATES["respondent_opgeschoond"])) if cleaned else 0
            marks += [int(m) for m in rng.integers(1, 11, speeders)]
            if self.faults and (soort, tot) == ZONDER_CIJFER:
                marks = [99] * len(marks)
            order = rng.permutation(len(marks))
            kto_pw = soort == "KTO_PW"
            for k, i in enumerate(order):
                ingevuld = o.van + timedelta(days=int(rng.integers(0, VELDWERK_DAGEN + 1)))
                gemeente = str(rng.choice(namen)) if kto_pw and rng.random() >= ZONDER_GEMEENTE else ""
                o.rows.append({"onderzoek_id": ident, "respondent_id": k + 1, "gemeente": gemeente,
                               "ingevuld_op": ingevuld, "rapportcijfer": marks[i],
                               "volledig": "N" if rng.random() < ONVOLLEDIG else "J",
                               **{f"v_{v}": int(rng.choice([1, 2, 3, 4, 5, 99], p=[.05, .1, .25, .35, .2, .05]))
                                  for v in VRAGEN}})
            if speeders:
                weg = set(np.flatnonzero(order >= len(marks) - speeders))
                o.opgeschoond = [o.rows[i] for i in sorted(weg)]
                o.rows = [r for i, r in enumerate(o.rows) if i not in weg]
                o.opschoning = levering + timedelta(days=OPSCHONING_NA)
                if o.opschoning > self.through + timedelta(days=1) or not o.opgeschoond:
                    o.opschoning = None
                else:
                    log.quirk("tevredenheid", "respondenten", [f"{ident}|{r['respondent_id']}" for r in o.opgeschoond],
                              "respondent_opgeschoond", o.opschoning.strftime("%Y%m%d"),
                              "respondent in de eerste levering, na opschoning door het bureau niet meer geleverd")
            if self.faults:
                missing = [f"{ident}|{r['respondent_id']}" for r in o.rows + o.opgeschoond if r["rapportcijfer"] == 99]
                log.quirk("tevredenheid", "respondenten", missing, "rapportcijfer_99", levering.strftime("%Y%m%d"),
                          "rapportcijfer 99 (weet niet / geen antwoord): telt niet mee")
            self.onderzoeken.append(o)

    def deliveries(self) -> list[date]:
        return sorted({o.levering for o in self.onderzoeken} | {o.opschoning for o in self.onderzoeken if o.opschoning})

    def delivery(self, cut: date) -> dict[str, bytes]:
        """The snapshot on `cut`: every survey delivered so far, cleaned where the cleaning was delivered."""
        held = [o for o in self.onderzoeken if o.levering <= cut]
        onderzoeken = [{"onderzoek_id": o.onderzoek_id, "soort": o.soort, "uitvoerder": UITVOERDER,
                        "veldwerk_van": o.van, "veldwerk_tot": o.tot, "steekproef": o.steekproef,
                        "methode": o.methode} for o in held]
        respondenten = []
        for o in held:
            rows = o.rows + ([] if o.opschoning and o.opschoning <= cut else o.opgeschoond)
            respondenten += sorted(rows, key=lambda r: r["respondent_id"])
        return {"onderzoeken.csv": _csv(onderzoeken, get("tevredenheid", "onderzoeken").columns),
                "respondenten.csv": _csv(respondenten, [*get("tevredenheid", "respondenten").columns,
                                                        *(f"v_{v}" for v in VRAGEN)])}


def _csv(rows: list[dict], columns) -> bytes:
    """`,`-separated, `"` only where needed, dd/mm/jjjj, LF, UTF-8 without BOM."""
    fmt = FORMATS["tevredenheid"]
    names = [c if isinstance(c, str) else c.name for c in columns]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=fmt.delimiter, lineterminator=fmt.newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(names)
    for r in rows:
        w.writerow([r[n].strftime(fmt.date_format) if isinstance(r[n], date) else r[n] for n in names])
    return buf.getvalue().encode(fmt.encoding)


def write(tv: Tevredenheid, out: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    for cut in tv.deliveries():
        target = out / "inbox" / "tevredenheid" / cut.strftime("%Y%m%d")
        target.mkdir(parents=True, exist_ok=True)
        for name, data in tv.delivery(cut).items():
            (target / name).write_bytes(data)
            key = f"tevredenheid/{name.removesuffix('.csv')}"
            rows[key] = rows.get(key, 0) + data.count(b"\n") - 1
        (target / "_READY").write_bytes(b"")
    return rows
