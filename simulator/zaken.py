"""zaken: the case systems of SOW and IGSD as half-yearly dumps of the ZGW Zaken API (paginated list
responses with `_expand`), calibrated on the zaken rows of kalibratie.csv, with their quirks.

Own random stream (seed, "zaken"): the files of the other sources stay byte-identical. Zaken are drawn
per organisation, month and zaaktype; in the calibration windows the counts are set and the results
assigned so that what the contract counts comes out exactly (after destruction, duplicates and faults).
Most zaaktypes are destroyed a year after closing (two for objections): a dump holds recent zaken only,
and the warehouse keeps counting the destroyed ones.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .common import ACTIVE, NEVER, day, deliveries, make_bsns, org_end, org_gemeenten

RSIN = {"SOW": "812345605", "IGSD": "812345617"}  # dbt var zaken_organisaties
PAGE_SIZE = 250
CADENCE_MONTHS = 6  # SOURCES.md: zaken typically weekly; half-yearly keeps the demo's dumps (full snapshots) small
BASE = "https://zaken.example"
# received per month at scale 1 (KINDPAKKET: households, each applying for 1-3 items)
PER_MAAND = {
    "SOW": {"BEZWAAR": 55, "KLACHT": 8, "KLACHT_OMBUDSMAN": 0.5, "BIJZONDERE_BIJSTAND": 60, "BEWINDVOERING": 12,
            "INDIVIDUELE_INKOMENSTOESLAG": 30, "MINIMAREGELING": 20, "KINDPAKKET": 60, "JEUGDFONDS_SPORT_CULTUUR": 20,
            "PREMIE_VRIJWILLIGERSWERK": 25, "HANDHAVINGSONDERZOEK": 15},
    "IGSD": {"BEZWAAR": 14, "KLACHT": 2, "KLACHT_OMBUDSMAN": 0.3, "BIJZONDERE_BIJSTAND": 15, "BEWINDVOERING": 3,
             "INDIVIDUELE_INKOMENSTOESLAG": 8, "MINIMAREGELING": 5, "KINDPAKKET": 12, "JEUGDFONDS_SPORT_CULTUUR": 5,
             "PREMIE_VRIJWILLIGERSWERK": 4, "HANDHAVINGSONDERZOEK": 4},
}
# (organisatie, zaaktype, first month, last month, received in the window), kalibratie.csv
ONTVANGEN = (
    ("SOW", "BEZWAAR", "2022-01", "2022-12", 667),
    ("IGSD", "BEZWAAR", "2016-01", "2016-08", 116),
    ("IGSD", "KLACHT", "2015-01", "2015-12", 23),
    ("IGSD", "KLACHT", "2016-01", "2016-09", 33),
    ("IGSD", "KLACHT_OMBUDSMAN", "2016-01", "2016-09", 3),
    ("SOW", "LIFE_EVENT", "2017-01", "2017-12", 5),
    ("SOW", "LIFE_EVENT", "2018-01", "2018-04", 0),
)
LIFE_EVENT = ("2017-01", "2018-12")  # the support budget for life events ran in 2017 and 2018 only
KLACHT_REINTEGRATIE = ("IGSD", "2016-01", "2016-09", 11)
KINDPAKKET_GEZINNEN = ("SOW", "2018-01", "2018-03", {"BIJSTAND": 889, "ARBEID": 88, "ANDERE_UITKERING": 125,
                                                     "COMBINATIE": 44})
VRIJWILLIGERSPREMIES = ("SOW", "2018-01", "2018-04", 113)
# (organisatie, zaaktype, window, numerator results, share, tolerance) over the zaken closed in the window
AANDELEN = (
    ("SOW", "BEZWAAR", ("2017-01", "2017-12"), (("HERZIEN",), 0.201, 0.0005),),
    ("SOW", "BEZWAAR", ("2018-01", "2018-04"), (("GEGROND", "DEELS_GEGROND"), 0.052, 0.0005), (("HERZIEN",), 0.112, 0.0005)),
    ("SOW", "BEZWAAR", ("2022-01", "2022-12"), (("GEGROND", "DEELS_GEGROND", "HERZIEN"), 0.316, 0.0005),),
    ("IGSD", "BEZWAAR", ("2016-01", "2016-08"), (("GEGROND", "DEELS_GEGROND"), 0.0, 0.0),),
    ("IGSD", "KLACHT", ("2016-01", "2016-09"), (("ONGEGROND",), 0.86, 0.005),),
)
CATEGORIE = {"BEZWAAR": "BEZWAAR", "KLACHT": "KLACHT", "KLACHT_OMBUDSMAN": "KLACHT", "HANDHAVINGSONDERZOEK": "HANDHAVING"}
RESULTATEN = {  # result code: (catalogue text, weight) per categorie
    "BEZWAAR": {"ONGEGROND": ("Ongegrond", 0.55), "GEGROND": ("Gegrond", 0.05), "DEELS_GEGROND": ("Deels gegrond", 0.03),
                "HERZIEN": ("Ingetrokken na ambtelijke herziening", 0.15), "INGETROKKEN": ("Ingetrokken", 0.1),
                "NIET_ONTVANKELIJK": ("Niet-ontvankelijk verklaard", 0.12)},
    "KLACHT": {"ONGEGROND": ("Ongegrond verklaard", 0.6), "GEGROND": ("Gegrond", 0.15),
               "DEELS_GEGROND": ("Gedeeltelijk gegrond", 0.1), "INFORMEEL_OPGELOST": ("Naar tevredenheid opgelost", 0.1),
               "NIET_BEHANDELD": ("Niet in behandeling genomen", 0.05)},
    "AANVRAAG": {"TOEGEKEND": ("Toegekend", 0.75), "DEELS_TOEGEKEND": ("Deels toegekend", 0.05),
                 "AFGEWEZEN": ("Afgewezen", 0.15), "BUITEN_BEHANDELING": ("Buiten behandeling gesteld", 0.05)},
    "HANDHAVING": {"GEEN_OVERTREDING": ("Geen overtreding", 0.5), "BEEINDIGD": ("Uitkering beëindigd", 0.1),
                   "TERUGVORDERING": ("Herzien en teruggevorderd", 0.3), "VERLAGING": ("Maatregel opgelegd", 0.1)},
}
DUUR = {"BEZWAAR": (40, 140), "KLACHT": (10, 60), "AANVRAAG": (5, 60), "HANDHAVING": (20, 120)}
BEWAREN_JAREN = {"BEZWAAR": 2}  # archiefactiedatum: closing plus these years (others one)
ONDERWERPEN = ("INKOMEN", "REINTEGRATIE", "SCHULDHULP", "ARMOEDE", "WERKLEERBEDRIJF", "BEJEGENING", "BEREIKBAARHEID", "OVERIG")
INKOMENSBRONNEN = ("BIJSTAND", "ARBEID", "ANDERE_UITKERING", "COMBINATIE")
GEMEENTE_EIGENSCHAP_VANAF = date(2016, 7, 1)  # the eigenschap gemeente was added to the zaaktypes then
RATES = {
    "gemeente_ontbreekt": 0.05,  # of zaken received before GEMEENTE_EIGENSCHAP_VANAF
    "resultaat_onbekend": 0.01,  # of objections found ongegrond: a result text outside the code list
    "einddatum_zonder_resultaat": 0.01,  # of closed fraud investigations
    "initiator_ontbreekt": 0.005,  # of applications for special assistance
    "inkomensbron_ontbreekt": 0.01,  # of kindpakket zaken outside the calibration quarter
    "startdatum_na_registratie": 0.01,  # of fraud investigations
    "pagina_dubbel": 0.003,  # of zaken in a dump: also on the next page (drift), in the version of the previous dump
    "verwijderd": 0.002,  # of applications: registered in error, deleted a few weeks later
}
ONBEKENDE_TEKST = "Ongegrond na hoorzitting"


class _Keuze:
    """One draw of `rng.choice(items, p=weights)`: the same item from the same stream (choice draws one uniform
    against this cdf, or one integer without weights), without choice's per-call conversions and checks,
    which took half the build at national scale (millions of draws)."""

    def __init__(self, items, weights=None):
        self.items = tuple(items)
        self.cdf = None
        if weights is not None:
            self.cdf = np.asarray(weights, dtype=float).cumsum()
            self.cdf /= self.cdf[-1]

    def __call__(self, rng: np.random.Generator) -> str:
        if self.cdf is None:
            return self.items[int(rng.integers(len(self.items)))]
        return self.items[int(self.cdf.searchsorted(rng.random(), side="right"))]


BRON = _Keuze(INKOMENSBRONNEN, [0.7, 0.1, 0.13, 0.07])  # of a household applying for the kindpakket
ONDERWERP = _Keuze(ONDERWERPEN)
INKOMENSBRON = _Keuze(INKOMENSBRONNEN)
REGELING = _Keuze(["COLLECTIEVE_ZORG", "WITGOED", "KWIJTSCHELDING"])


def _uuid4(b: bytes) -> str:
    """str(uuid.UUID(bytes=b, version=4)) without the UUID object (millions of zaken)."""
    h = bytearray(b)
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _month(s: str) -> date:
    return date(int(s[:4]), int(s[5:7]), 1)


def _month_end(s: str) -> date:
    m = _month(s)
    return (m.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(slots=True)
class Zaak:
    uuid: str
    identificatie: str
    org: str
    zaaktype: str
    start: date
    registratie: date
    gemeente: str | None
    bsn: str | None
    eind: date | None = None
    resultaat: str | None = None  # result code; the text follows from it unless `tekst` is set
    tekst: str | None = None
    eigenschappen: dict = field(default_factory=dict)
    actiedatum: date | None = None
    verwijderd_op: date | None = None
    zonder_resultaat: bool = False


class Zaken:
    def __init__(self, seed: int, scale: float, through: date, faults: bool):
        self.rng = np.random.default_rng([seed, sum(map(ord, "zaken"))])
        self.scale, self.through, self.faults = scale, through, faults
        self.zaken: list[Zaak] = []
        self.faulty: list[tuple[str, Zaak, str]] = []  # (controle, zaak, omschrijving)
        self.nummers: dict[int, int] = {}
        self.bsns = iter(make_bsns(self.rng, 400_000))
        self.gemeenten = {org: org_gemeenten(org) for org in RSIN}

    def _bsn(self) -> str:
        bsn = next(self.bsns, None)
        if bsn is None:  # a national-scale world uses up a batch: the next one (a person may then have two zaken)
            self.bsns = iter(make_bsns(self.rng, 400_000))
            bsn = next(self.bsns)
        return f"{bsn:09d}"

    def _zaak(self, org: str, zaaktype: str, start: date, bsn: str | None = None, **eig) -> Zaak:
        rng = self.rng
        self.nummers[start.year] = self.nummers.get(start.year, 0) + 1
        gemeenten = self.gemeenten[org]
        g = gemeenten[int(rng.integers(len(gemeenten)))]
        # older zaken may hold the municipality's name instead of its code (both are read)
        gemeente = g.naam if start < GEMEENTE_EIGENSCHAP_VANAF and rng.random() < 0.3 else g.cbs
        if zaaktype in ("KINDPAKKET", "JEUGDFONDS_SPORT_CULTUUR"):  # bulk-registered from the partner's monthly list
            volgende = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
            registratie = volgende + timedelta(days=int(rng.integers(0, 10)))
        else:
            registratie = start + timedelta(days=int(rng.integers(0, 10)))
        anoniem = zaaktype == "KLACHT" and rng.random() < 0.1  # anonymous web form: allowed
        z = Zaak(_uuid4(rng.bytes(16)), f"ZAAK-{start.year}-{self.nummers[start.year]:07d}", org,
                 zaaktype, start, registratie, gemeente, None if anoniem else (bsn or self._bsn()), eigenschappen=eig)
        self.zaken.append(z)
        return z

    def build(self) -> None:
        rng = self.rng
        for org, rates in PER_MAAND.items():
            first, last = ACTIVE[org][0], org_end(org, self.through)
            m = first.replace(day=1)
            while m <= last:
                key = m.strftime("%Y-%m")
                days = (min(_month_end(key), last) - m).days + 1
                for zaaktype, rate in {**rates, "LIFE_EVENT": 0.4 if org == "SOW" else 0}.items():
                    if zaaktype == "LIFE_EVENT" and not LIFE_EVENT[0] <= key <= LIFE_EVENT[1]:
                        continue
                    n = self._count(org, zaaktype, key, rate)
                    for _ in range(n):
                        start = m + timedelta(days=int(rng.integers(days)))
                        if zaaktype == "KINDPAKKET":
                            self._household(org, start, BRON(rng))
                        else:
                            self._new(org, zaaktype, start)
                m = (m + timedelta(days=32)).replace(day=1)
        self._kindpakket()
        self._close()
        self._shares()
        self._premies()
        self._faults()

    def _count(self, org: str, zaaktype: str, key: str, rate: float) -> int:
        """The month's count; in a calibration window the window's total spread over its months."""
        for o, zt, van, tot, total in ONTVANGEN:
            if o == org and zt == zaaktype and van <= key <= tot:
                months = [f"{y}-{mm:02d}" for y in range(int(van[:4]), int(tot[:4]) + 1) for mm in range(1, 13)
                          if van <= f"{y}-{mm:02d}" <= tot]
                split = np.random.default_rng([total, len(months), sum(map(ord, org + zaaktype + van))]).multinomial(
                    total, [1 / len(months)] * len(months))
                return int(split[months.index(key)])
        k = KINDPAKKET_GEZINNEN
        if zaaktype == "KINDPAKKET" and org == k[0] and k[1] <= key <= k[2]:
            return 0  # the calibration quarter's households are made by _kindpakket
        return int(self.rng.poisson(rate * self.scale))

    def _new(self, org: str, zaaktype: str, start: date) -> Zaak:
        eig = {}
        if zaaktype in ("KLACHT", "KLACHT_OMBUDSMAN"):
            eig["onderwerp"] = ONDERWERP(self.rng)
        if zaaktype == "JEUGDFONDS_SPORT_CULTUUR":
            eig["inkomensbron"] = INKOMENSBRON(self.rng)
        if zaaktype == "MINIMAREGELING":
            eig["regeling"] = REGELING(self.rng)
        return self._zaak(org, zaaktype, start, **eig)

    def _household(self, org: str, start: date, bron: str) -> None:
        """One applying parent with one to three kindpakket items, all with the same income source."""
        bsn = self._bsn()
        for _ in range(int(self.rng.integers(1, 4))):
            self._zaak(org, "KINDPAKKET", start, bsn, inkomensbron=bron)

    def _kindpakket(self) -> None:
        org, van, tot, gezinnen = KINDPAKKET_GEZINNEN
        first, days = _month(van), (_month_end(tot) - _month(van)).days + 1
        for bron, n in gezinnen.items():
            for _ in range(n):
                self._household(org, first + timedelta(days=int(self.rng.integers(days))), bron)

    def _close(self) -> None:
        rng = self.rng
        keuze = {}
        for cat, codes in RESULTATEN.items():
            w = np.array([t[1] for t in codes.values()])
            keuze[cat] = _Keuze(codes, w / w.sum())
        for z in self.zaken:
            cat = self._categorie(z)
            lo, hi = DUUR[cat]
            eind = z.start + timedelta(days=int(rng.integers(lo, hi)))
            eind = max(eind, z.registratie)
            if eind <= self.through:
                z.eind = eind
                z.resultaat = keuze[cat](rng)

    @staticmethod
    def _categorie(z: Zaak) -> str:
        return CATEGORIE.get(z.zaaktype, "AANVRAAG")

    def _shares(self) -> None:
        """Per window the results of the closed zaken set so that each share is exact; when no count
        of the closed zaken allows it, one closed zaak is moved to close just after the window."""
        rng = self.rng
        for org, zaaktype, (van, tot), *shares in AANDELEN:
            begin, end = _month(van), _month_end(tot)
            while True:
                closed = [z for z in self.zaken if z.org == org and z.zaaktype == zaaktype and z.eind
                          and begin <= z.eind <= end]
                n = len(closed)
                if n == 0:
                    break
                ks = [round(share * n) for _, share, _ in shares]
                if all(abs(k / n - share) <= tol + 1e-12 for k, (_, share, tol) in zip(ks, shares)):
                    break
                closed[int(rng.integers(n))].eind = end + timedelta(days=1)
            if n == 0:
                continue
            order = list(rng.permutation(n))
            taken: set[str] = set().union(*(set(codes) for codes, _, _ in shares))
            cat = RESULTATEN[self._categorie(closed[0])]
            for (codes, _, _), k in zip(shares, ks):
                for i in order[:k]:
                    closed[i].resultaat = str(rng.choice(codes))
                order = order[k:]
            rest = [c for c in cat if c not in taken]
            w = np.array([cat[c][1] for c in rest])
            for i in order:
                closed[i].resultaat = str(rng.choice(rest, p=w / w.sum()))
            if zaaktype == "KLACHT" and org == KLACHT_REINTEGRATIE[0]:
                self._onderwerp()

    def _onderwerp(self) -> None:
        org, van, tot, k = KLACHT_REINTEGRATIE
        cell = [z for z in self.zaken if z.org == org and z.zaaktype == "KLACHT" and _month(van) <= z.start <= _month_end(tot)]
        for i, z in enumerate(cell):
            if i < k:
                z.eigenschappen["onderwerp"] = "REINTEGRATIE"
            elif z.eigenschappen.get("onderwerp") == "REINTEGRATIE":
                z.eigenschappen["onderwerp"] = "INKOMEN"

    def _premies(self) -> None:
        """Exactly the calibrated number of persons with a volunteer bonus granted in the window (each
        zaak its own person): surplus grants in the window refused, a shortfall filled with new zaken."""
        org, van, tot, n = VRIJWILLIGERSPREMIES
        begin, end = _month(van), _month_end(tot)
        granted = [z for z in self.zaken if z.org == org and z.zaaktype == "PREMIE_VRIJWILLIGERSWERK" and z.eind
                   and begin <= z.eind <= end and z.resultaat in ("TOEGEKEND", "DEELS_TOEGEKEND")]
        for z in granted[n:]:
            z.resultaat = "AFGEWEZEN"
        for _ in range(n - len(granted)):
            z = self._new(org, "PREMIE_VRIJWILLIGERSWERK", begin - timedelta(days=int(self.rng.integers(1, 20))))
            z.eind, z.resultaat = begin + timedelta(days=int(self.rng.integers((end - begin).days))), "TOEGEKEND"

    def _faults(self) -> None:
        rng = self.rng
        k = KINDPAKKET_GEZINNEN
        kwartaal = (_month(k[1]), _month_end(k[2]))
        for z in self.zaken:
            jaren = BEWAREN_JAREN.get(z.zaaktype, 1)
            if z.eind:
                z.actiedatum = z.eind.replace(year=z.eind.year + jaren) if (z.eind.month, z.eind.day) != (2, 29) \
                    else z.eind + timedelta(days=365 * jaren)
            if not self.faults:
                continue
            if z.start < GEMEENTE_EIGENSCHAP_VANAF and rng.random() < RATES["gemeente_ontbreekt"]:
                z.gemeente = None
                self.faulty.append(("gemeente_ontbreekt", z, "eigenschap gemeente ontbreekt (vóór invoering)"))
            if z.zaaktype == "BEZWAAR" and z.resultaat == "ONGEGROND" and rng.random() < RATES["resultaat_onbekend"]:
                z.tekst = ONBEKENDE_TEKST
                self.faulty.append(("resultaat_onbekend", z, f"resultaattekst '{ONBEKENDE_TEKST}' niet in de codelijst"))
            if z.zaaktype == "HANDHAVINGSONDERZOEK":
                if z.eind and rng.random() < RATES["einddatum_zonder_resultaat"]:
                    z.zonder_resultaat = True
                    self.faulty.append(("einddatum_zonder_resultaat", z, "afgehandeld zonder resultaat"))
                if rng.random() < RATES["startdatum_na_registratie"]:
                    z.registratie = z.start - timedelta(days=int(rng.integers(1, 5)))
                    self.faulty.append(("startdatum_na_registratie", z, "startdatum na registratiedatum"))
            if z.zaaktype == "BIJZONDERE_BIJSTAND" and rng.random() < RATES["initiator_ontbreekt"]:
                z.bsn = None
                self.faulty.append(("initiator_ontbreekt", z, "aanvraag zonder initiator"))
            in_kwartaal = z.org == k[0] and kwartaal[0] <= z.start <= kwartaal[1]
            if z.zaaktype == "KINDPAKKET" and not in_kwartaal and rng.random() < RATES["inkomensbron_ontbreekt"]:
                z.eigenschappen.pop("inkomensbron", None)
                self.faulty.append(("inkomensbron_ontbreekt", z, "kindpakketaanvraag zonder inkomensbron"))
            if z.zaaktype == "BIJZONDERE_BIJSTAND" and rng.random() < RATES["verwijderd"]:
                z.verwijderd_op = z.registratie + timedelta(days=int(rng.integers(14, 60)))

    # -- dumps -----------------------------------------------------------------------------------

    def _json(self, z: Zaak, cut: date) -> dict:
        """The zaak as the API serves it at extraction date `cut` (closed only once its einddatum has passed)."""
        closed = z.eind is not None and z.eind < cut
        url = f"{BASE}/zaken/api/v1/zaken/{z.uuid}"
        resultaat = None
        if closed and not z.zonder_resultaat:
            text = z.tekst or RESULTATEN[self._categorie(z)][z.resultaat][0]
            resultaat = {"url": f"{url}/resultaat",
                         "_expand": {"resultaattype": {"omschrijving": text}}}
        eig = ([{"naam": "gemeente", "waarde": z.gemeente}] if z.gemeente else []) + [
            {"naam": k, "waarde": v} for k, v in sorted(z.eigenschappen.items())]
        rollen = [] if z.bsn is None else [{
            "betrokkeneType": "natuurlijk_persoon", "omschrijvingGeneriek": "initiator",
            "betrokkeneIdentificatie": {"inpBsn": z.bsn, "geslachtsnaam": "Jansen", "voorvoegselGeslachtsnaam": "",
                                        "voornamen": "Anne"}}]
        versie = "2015-01-01" if z.start.year < 2019 else "2019-01-01"  # a new catalogue version: new URL, same identificatie
        return {
            "url": url, "uuid": z.uuid, "identificatie": z.identificatie, "bronorganisatie": RSIN[z.org],
            "omschrijving": "",
            "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{z.zaaktype.lower()}-{versie[:4]}",
            "registratiedatum": z.registratie.isoformat(), "startdatum": z.start.isoformat(),
            "uiterlijkeEinddatumAfdoening": (z.start + timedelta(days=84)).isoformat(),
            "einddatum": z.eind.isoformat() if closed else None,
            "archiefnominatie": "vernietigen", "archiefactiedatum": z.actiedatum.isoformat() if closed else None,
            "resultaat": resultaat["url"] if resultaat else None,
            "_expand": {"zaaktype": {"identificatie": z.zaaktype, "versiedatum": versie},
                        "resultaat": resultaat, "rollen": rollen, "eigenschappen": eig},
        }

    def _index(self) -> None:
        """Per zaak (in registration order) the day numbers the dumps filter on, once: a dump then selects by
        numpy masks instead of a Python pass over every zaak (millions at national scale)."""
        order = sorted(range(len(self.zaken)), key=lambda i: (self.zaken[i].registratie, self.zaken[i].identificatie))
        self.ordered = [self.zaken[i] for i in order]
        self.order = np.array(order, dtype=np.int64)

        def days(get) -> np.ndarray:
            return np.array([day(d) if (d := get(z)) else NEVER for z in self.ordered], dtype=np.int64)

        self.registratie = days(lambda z: z.registratie)
        self.eind = days(lambda z: z.eind)
        self.verwijderd = days(lambda z: z.verwijderd_op)
        self.vernietigd = days(lambda z: z.actiedatum and z.actiedatum + timedelta(days=30))
        self.records: dict[int, tuple[bool, bytes]] = {}  # the JSON of the present zaken and the state it shows

    def _record(self, z: Zaak, cut: date) -> bytes:
        return json.dumps(self._json(z, cut), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def dump(self, cut: date, previous: date | None, log, folder: str) -> tuple[list[bytes], int]:
        """The pages of the dump at `cut` and the records they hold: registered zaken not deleted and not yet
        destroyed (a month's grace after the archiefactiedatum), in registration order; drift repeats some on
        the next page. A zaak's JSON only changes when it closes, so it is serialised once per state
        (`_index` first)."""
        rng = np.random.default_rng([cut.toordinal(), 7])
        c = day(cut)
        present = np.flatnonzero((self.registratie < c) & ~(self.verwijderd < c) & ~(self.vernietigd < c))
        closed = self.eind[present] < c
        cache, self.records = self.records, {}
        records = []
        for i, dicht in zip(present.tolist(), closed.tolist()):
            hit = cache.get(i)
            if hit is None or hit[0] != dicht:
                hit = (dicht, self._record(self.ordered[i], cut))
            self.records[i] = hit
            records.append(hit[1])
        del cache
        pages = [records[i:i + PAGE_SIZE] for i in range(0, len(records), PAGE_SIZE)] or [[]]
        if self.faults:
            for p in range(len(pages) - 1):
                for i in np.flatnonzero(rng.random(len(pages[p])) < RATES["pagina_dubbel"]):
                    z = self.ordered[present[p * PAGE_SIZE + i]]
                    # the version of the previous dump (or the same, an exact duplicate)
                    pages[p + 1].insert(0, self._record(z, previous) if previous and z.registratie < previous
                                        else pages[p][i])
                    if log is not None:
                        log.add("zaken", "zaken", [z.identificatie], "pagina_dubbel", folder,
                                "zaak op twee pagina's door verschuiving tijdens het pagineren")
        if log is not None and previous is not None:
            v = day(previous)
            gone = np.flatnonzero((self.vernietigd < c) & ~(self.vernietigd < v) & (self.registratie < v))
            log.quirk("zaken", "zaken", [self.zaken[i].identificatie for i in np.sort(self.order[gone])], "vernietigd", folder,
                      "rechtmatig vernietigd na de archiefactiedatum; telt mee zonder initiator")
        count = sum(map(len, pages))
        out = []
        for p, results in enumerate(pages, 1):
            nxt = f'"{BASE}/zaken/api/v1/zaken?page={p + 1}"' if p < len(pages) else "null"
            prev = f'"{BASE}/zaken/api/v1/zaken?page={p - 1}"' if p > 1 else "null"
            # what json.dumps of the page dict writes, with the records serialised already
            out.append(f'{{"count":{count},"next":{nxt},"previous":{prev},"results":['.encode()
                       + b",".join(results) + b"]}\n")
        return out, count


def write(zaken: Zaken, out: Path, log) -> dict[str, int]:
    """Half-yearly dumps (on extraction dates of the core sources) into inbox/zaken/<YYYYMMDD>/; the faults of
    each zaak logged at the first dump that holds it."""
    rows = {"zaken/zaken": 0}
    previous = None
    logged: set[str] = set()
    zaken._index()
    for cut in deliveries(zaken.through, CADENCE_MONTHS):
        folder = cut.strftime("%Y%m%d")
        target = out / "inbox" / "zaken" / folder
        target.mkdir(parents=True, exist_ok=True)
        pages, count = zaken.dump(cut, previous, log, folder)
        for p, data in enumerate(pages, 1):
            (target / f"zaken-{p:04d}.json").write_bytes(data)
        rows["zaken/zaken"] += count
        if log is not None:
            for controle, z, omschrijving in zaken.faulty:
                if z.identificatie not in logged and z.registratie < cut:
                    log.add("zaken", "zaken", [z.identificatie], controle, folder, omschrijving)
            logged |= {z.identificatie for _, z, _ in zaken.faulty if z.registratie < cut}
        (target / "_READY").write_bytes(b"")
        previous = cut
    return rows
