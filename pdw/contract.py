"""The source-system extract contract of ../shared/contracts/SOURCES.md as data.

One description serves the simulator (what to write), the loaders (how to read and
type), the GX suites (what to expect) and the docs. Change the contract here, nowhere else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Column types: how the loader parses the delivered text and what the raw column becomes.
#   int      -> BIGINT        decimal -> DECIMAL(14,2)   date -> DATE    fraction -> DECIMAL(14,4)
#   ts       -> TIMESTAMP     tstz    -> TIMESTAMPTZ     bool -> BOOLEAN
#   yyyymm   -> DATE (first day of the month)            text -> VARCHAR (as delivered)
#   code     -> VARCHAR, value must be in `codes`        bsn  -> VARCHAR (identifier, raw only)
#   pii      -> VARCHAR (direct identifier, raw only)
#   label    -> VARCHAR as delivered; a code list's label (kcc), an unknown one flagged, not quarantined


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False  # empty value is a quarantine reason
    codes: tuple[str, ...] = ()  # allowed values for type "code"
    identifier: bool = False  # direct identifier: may exist only in raw_* schemas
    past: bool = False  # records something that happened: never after the extraction date
    # (column, values): the value may be delivered only on rows where that column holds one of the
    # values; elsewhere it is dropped on read (not even kept raw) and reported (hr: bsn of AMBTELIJK staff)
    only_when: tuple[str, tuple[str, ...]] | None = None
    label: str | None = None  # the header label the export writes instead of the name (kcc)
    optional: bool = False  # a JSON member that may be absent from a whole file (absent = null)


@dataclass(frozen=True)
class SourceObject:
    system: str  # civision, schuldhulp, reintegratie, cbs
    name: str  # file stem, also the raw table name
    filename: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key (after flattening)
    version: str | None = None  # column ordering versions of one key (latest wins)
    delta: bool = False  # delta file (union over deliveries) instead of snapshot
    window: bool = False  # window snapshot: a record that left the window keeps its last version
    # regex of further columns the contract allows (loaded raw as text, not modelled; no extra_kolom warning)
    extra_columns: str | None = None
    # a snapshot that may lawfully be empty (no records yet): an empty delivery warns instead of blocking
    may_be_empty: bool = False

    @property
    def raw_table(self) -> str:
        return f"raw_{self.system}.{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def outside(self, names: list[str]) -> list[str]:
        """Delivered columns beyond the named ones that the contract does not allow by pattern either."""
        return [n for n in names if not (self.extra_columns and re.fullmatch(self.extra_columns, n))]


@dataclass(frozen=True)
class FileFormat:
    kind: str  # csv or jsonl
    encoding: str  # Python codec name
    delimiter: str = ","
    newline: str = "\n"
    date_format: str = "%Y-%m-%d"
    ts_format: str = "%Y-%m-%dT%H:%M:%S%z"
    decimal_comma: bool = False
    labels: bool = False  # header row of Dutch labels (Column.label) instead of column names
    pages: bool = False  # paginated list responses (zaken): the pages of a delivery are one snapshot


FORMATS: dict[str, FileFormat] = {
    "civision": FileFormat("csv", "cp1252", ";", "\r\n", "%d-%m-%Y", "%d-%m-%Y %H:%M:%S", decimal_comma=True),
    "schuldhulp": FileFormat("csv", "utf-8-sig", ",", "\n"),
    "reintegratie": FileFormat("jsonl", "utf-8"),
    "cbs": FileFormat("csv", "utf-8-sig", ","),
    "hr": FileFormat("csv", "utf-8", ";", "\r\n", "%Y%m%d", "%Y%m%d%H%M%S", decimal_comma=True),
    # kcc: the tool's "Unicode text" export, UTF-16 LE with BOM (the codec reads the BOM), TAB, no quoting
    "kcc": FileFormat("csv", "utf-16", "\t", "\r\n", "%d-%m-%Y", "%d-%m-%Y %H:%M:%S", labels=True),
    "tevredenheid": FileFormat("csv", "utf-8", ",", "\n", "%d/%m/%Y"),
    # zaken: the pages of a ZGW list response, joined and flattened by the loader into JSON lines
    "zaken": FileFormat("jsonl", "utf-8", pages=True),
}

REGELINGEN = ("PW", "IOAW", "IOAZ", "BBZ")
LEEFVORMEN = ("AS", "AO", "EP")
REDEN_INSTROOM = ("01", "02", "03", "04", "05", "06", "07", "08", "99")
REDEN_BEEINDIGING = ("10", "11", "12", "13", "20", "30", "31", "32", "33", "34", "35", "40", "41", "99")
BESLUITEN = ("TOEGEKEND", "AFGEWEZEN", "BUITEN_BEHANDELING", "INGETROKKEN")
VERWIJZERS = ("ZELF", "WIJKTEAM", "VROEGSIGNALERING", "STROOMOPWAARTS", "OVERIG")
UITSTROOMREDENEN = ("AFGEROND", "NIET_VERSCHENEN", "INGETROKKEN", "ZELF_OPGELOST", "NIET_PASSEND", "VERHUISD", "OVERLEDEN", "OVERIG")
SCHULDHULP_SOORTEN = ("SCHULDBEMIDDELING", "SANERINGSKREDIET", "WSNP", "BUDGETBEHEER", "BUDGETCOACHING", "ADVIES", "STABILISATIE")
SCHULDHULP_UITKOMSTEN = ("SCHONE_LEI", "AFGEROND", "VOORTIJDIG_BEEINDIGD", "DOORVERWEZEN_WSNP")
SIGNAAL_BRONNEN = ("WONINGCORPORATIE", "ENERGIE", "WATER", "ZORGVERZEKERAAR")
TRAJECT_SOORTEN = ("ASSESSMENT", "WERKLEERTRAJECT", "LEERLIJN", "ACTIVERING", "TAALTRAJECT", "JOBCOACHING", "RWO", "BACK_TO_SCHOOL", "VRIJWILLIGERSWERK", "INBURGERING_B1", "INBURGERING_Z", "INBURGERING_ONDERWIJS")
TRAJECT_RESULTATEN = ("VERVOLG", "JOB_READY", "WERK", "UITGEVALLEN", "NO_SHOW", "AFGEROND")
TRAJECT_BRONNEN = ("POORT", "ZITTEND_BESTAND")
DIENSTVERBAND_SOORTEN = ("AMBTELIJK", "WSW", "BESCHUT", "DOELGROEP")
WERKSOORT_GROEPEN = ("PRODUCTIE", "DIENSTEN", "DETACHERING", "BEGELEID_WERKEN")
REDEN_UIT_DIENST = ("PENSIOEN", "WIA", "REGULIER_WERK", "EINDE_CONTRACT", "OVERLIJDEN", "ONTSLAG_OVERIG", "OVERGANG")
VERZUIM_SOORTEN = ("ZIEKTE", "ZIEKTE_ZWANGERSCHAP", "WAZO")
# kcc code lists as the tool's labels (codes.csv kcc_*); staging maps them to the codes
KCC_KANAAL = ("Telefoon", "Balie", "E-mail", "Chat", "Brief")
KCC_RICHTING = ("Inkomend", "Uitgaand")
KCC_AFHANDELING = ("Zelfstandig afgehandeld", "Doorverbonden", "Terugbelverzoek", "Zaak aangemaakt", "Geen gehoor")
KCC_HANDELING = ("Terugbellen", "Terugmailen", "Overig")
KCC_STATUS = ("te verwerken", "verwerkt")
ONDERZOEK_SOORTEN = ("KTO_PW", "KTO_ZAKELIJK", "MTO_AMBTELIJK", "MTO_WSW", "MTO_BESCHUT")
ONDERZOEK_METHODEN = ("ONLINE", "TELEFONISCH", "SCHRIFTELIJK", "GEMENGD")
PLAATSING_SOORTEN = ("LKS_BANENAFSPRAAK", "LKS_BESCHUT", "DETACHERING", "BEGELEID_WERKEN", "PROEFPLAATSING")
# inburgering (codes.csv migrant_soort, leerroute, plicht_einde_reden)
MIGRANT_SOORTEN = ("STATUSHOUDER", "GEZINSMIGRANT", "OVERIG")
LEERROUTES = ("B1", "Z", "ONDERWIJS")
PLICHT_EINDE_REDENEN = ("VOLDAAN", "ONTHEFFING", "VRIJSTELLING", "VERHUISD", "VERTROKKEN", "OVERLEDEN")

# Plausibility (SOURCES.md, bad records): a date or period that parses but cannot be true is
# unreadable as a record and quarantined, so it never stretches the KPI grid.
EARLIEST_DATE = "1900-01-01"  # nothing in these registrations lies before it
MAX_TZ_OFFSET_MINUTES = 14 * 60  # UTC offsets run from -12:00 to +14:00
PERIOD_MONTHS_AHEAD = 1  # a payment period may be the month after the extraction (paid in advance)


def Past(name: str, type_: str, required: bool = False, label: str | None = None) -> Column:
    """A date or timestamp column that records something that happened."""
    return Column(name, type_, required, past=True, label=label)


C = Column
P = Past
OBJECTS: tuple[SourceObject, ...] = (
    SourceObject("civision", "personen", "personen.csv", (
        C("persoonsnummer", "int", True), C("bsn", "bsn", identifier=True),
        C("voorletters", "pii", identifier=True), C("achternaam", "pii", identifier=True),
        P("geboortedatum", "date", True), C("geslacht", "code", codes=("M", "V", "X")),
        C("straat", "pii", identifier=True), C("huisnummer", "pii", identifier=True),
        C("postcode", "pii", identifier=True), C("woonplaats"), C("gemeentecode", "text"),
        P("datum_overlijden", "date"),
    ), key=("persoonsnummer",)),
    SourceObject("civision", "uitkeringen", "uitkeringen.csv", (
        C("dossiernummer", "int", True), C("persoonsnummer", "int", True), C("partner_persoonsnummer", "int"),
        C("regeling", "code", True, REGELINGEN), C("leefvorm", "code", True, LEEFVORMEN),
        C("gemeentecode", "text", True), C("ingangsdatum", "date", True), C("einddatum", "date"),
        C("reden_instroom", "code", codes=REDEN_INSTROOM), C("reden_beeindiging", "code", codes=REDEN_BEEINDIGING),
        C("instroomroute", "code", True, ("P", "B")), C("ontheffing_arbeidsplicht", "code", codes=("J", "N")),
        P("laatst_gewijzigd", "ts"),
    ), key=("dossiernummer",), version="laatst_gewijzigd"),
    SourceObject("civision", "aanvragen", "aanvragen.csv", (
        C("meldingsnummer", "int", True), C("persoonsnummer", "int", True), C("gemeentecode", "text", True),
        P("meldingsdatum", "date", True), P("aanvraagdatum", "date"), P("besluitdatum", "date"),
        C("besluit", "code", codes=BESLUITEN), C("dossiernummer", "int"),
    ), key=("meldingsnummer",)),
    SourceObject("civision", "betalingen", "betalingen.csv", (
        C("regelnummer", "int", True), C("dossiernummer", "int", True), P("periode", "yyyymm", True),
        C("soort", "code", True, ("P", "N", "C", "T")), C("bedrag", "decimal", True),
        C("verrekende_inkomsten", "decimal"), P("betaaldatum", "date"),
    ), key=("regelnummer",), delta=True),
    SourceObject("schuldhulp", "aanmeldingen", "aanmeldingen.csv", (
        C("aanmelding_id", "text", True), C("bsn", "bsn", identifier=True), C("gemeente", "text", True),
        P("datum_aanmelding", "date", True), C("datum_eerste_gesprek", "date"), C("crisis", "bool"),
        C("verwijzer", "code", codes=VERWIJZERS), C("uitstroomreden", "code", codes=UITSTROOMREDENEN),
        C("datum_uitstroom", "date"),
    ), key=("aanmelding_id",)),
    SourceObject("schuldhulp", "trajecten", "trajecten.csv", (
        C("traject_id", "text", True), C("aanmelding_id", "text", True), C("soort", "code", True, SCHULDHULP_SOORTEN),
        C("startdatum", "date", True), C("einddatum", "date"), C("uitkomst", "code", codes=SCHULDHULP_UITKOMSTEN),
        C("totale_schuld", "decimal"), C("aantal_schuldeisers", "int"),
    ), key=("traject_id",)),
    SourceObject("schuldhulp", "vroegsignalen", "vroegsignalen.csv", (
        C("signaal_id", "text", True), P("datum_signaal", "date", True), C("bron", "code", codes=SIGNAAL_BRONNEN),
        C("gemeente", "text", True), C("contact_gelegd", "bool"), C("aanmelding_id", "text"),
    ), key=("signaal_id",)),
    # JSON objects are flattened with "_": client.bsn -> client_bsn, werkgever.kvk -> werkgever_kvk.
    SourceObject("reintegratie", "trajecten", "trajecten.jsonl", (
        C("traject_id", "text", True), C("client_bsn", "bsn", True, identifier=True), C("client_gemeente", "text", True),
        C("soort", "code", True, TRAJECT_SOORTEN), P("aangemeld_op", "date"), C("start", "date"), C("eind", "date"),
        C("resultaat", "code", codes=TRAJECT_RESULTATEN), C("bron", "code", codes=TRAJECT_BRONNEN),
        P("gewijzigd_op", "tstz"), C("maatregel_code", "text", optional=True),
    ), key=("traject_id",), version="gewijzigd_op"),
    SourceObject("reintegratie", "klantprofielen", "klantprofielen.jsonl", (
        C("client_bsn", "bsn", True, identifier=True), C("client_gemeente", "text", True),
        C("klantgroep", "code", True, ("1", "2", "3", "4")), C("geldig_vanaf", "date", True),
        C("ontheffing", "bool"), C("taalniveau", "text"),
    ), key=("client_bsn", "geldig_vanaf")),
    SourceObject("reintegratie", "plaatsingen", "plaatsingen.jsonl", (
        C("plaatsing_id", "text", True), C("client_bsn", "bsn", True, identifier=True), C("client_gemeente", "text", True),
        C("soort", "code", True, PLAATSING_SOORTEN), C("werkgever_kvk", "text"), C("werkgever_sector", "text"),
        C("start", "date", True), C("eind", "date"), C("loonwaarde_pct", "int"), C("uren_per_week", "decimal"),
        C("maatregel_code", "text", optional=True),
    ), key=("plaatsing_id",)),
    # inburgeringsplichtigen: one record per obligation under the Wet inburgering 2021 (from 2022 on)
    SourceObject("reintegratie", "inburgeringsplichtigen", "inburgeringsplichtigen.jsonl", (
        C("inburgering_id", "text", True), C("client_bsn", "bsn", True, identifier=True),
        C("client_gemeente", "text", True), C("migrant_soort", "code", True, MIGRANT_SOORTEN),
        C("plicht_vanaf", "date", True), C("huisvestingsdatum", "date"), P("brede_intake_op", "date"),
        P("pip_vastgesteld_op", "date"), C("leerroute", "code", codes=LEERROUTES), C("termijn_einde", "date"),
        P("b1_behaald_op", "date"), P("plicht_einde", "date"), C("plicht_einde_reden", "code", codes=PLICHT_EINDE_REDENEN),
        P("gewijzigd_op", "tstz"),
    ), key=("inburgering_id",), version="gewijzigd_op", may_be_empty=True),  # no records before 2022
    # hr: dates jjjjmmdd with 99991231 as open end; personeelsnummer is an identifier (pseudonymised
    # in its own domain downstream); a bsn only on WSW, BESCHUT and DOELGROEP rows.
    SourceObject("hr", "dienstverbanden", "dienstverbanden.csv", (
        C("personeelsnummer", "text", True, identifier=True), C("dienstverband", "int", True),
        C("bsn", "bsn", identifier=True, only_when=("soort", ("WSW", "BESCHUT", "DOELGROEP"))),
        C("soort", "code", True, DIENSTVERBAND_SOORTEN), C("ingangsdatum", "date", True), C("einddatum", "date", True),
        C("geldig_van", "date", True), C("geldig_tot", "date", True), C("uren_per_week", "decimal", True),
        C("normuren_per_week", "decimal", True), C("fte", "fraction", True), C("unit_code", "text", True),
        C("unit_naam"), C("kostenplaats"), C("werksoort"), C("werksoort_groep", "code", codes=WERKSOORT_GROEPEN),
        C("wsw_gemeente"), C("reden_uit_dienst", "code", codes=REDEN_UIT_DIENST), P("gewijzigd_op", "ts", True),
    ), key=("personeelsnummer", "dienstverband", "geldig_van"), version="gewijzigd_op"),
    # window snapshot: every case with a line overlapping 1 January of the previous year up to the extraction
    SourceObject("hr", "verzuim", "verzuim.csv", (
        C("verzuimnummer", "text", True), C("personeelsnummer", "text", True, identifier=True),
        C("dienstverband", "int", True), P("eerste_ziektedag", "date", True), C("regel", "int", True),
        C("ingangsdatum", "date", True), C("einddatum", "date", True), C("percentage", "int", True),
        C("soort", "code", True, VERZUIM_SOORTEN), C("hersteldatum", "date", True), P("gewijzigd_op", "ts", True),
    ), key=("verzuimnummer", "regel"), version="gewijzigd_op", window=True),
    # kcc: klantcontacten a delta-upsert (a key re-sent replaces, Verwijderd = Ja deletes); interne
    # taken a window snapshot (Toegewezen op from 1 January of the previous year, plus open tasks)
    SourceObject("kcc", "klantcontacten", "klantcontacten.txt", (
        C("nummer", "text", True, label="Nummer"), P("plaatsgevonden_op", "ts", True, "Datum/tijd"),
        C("kanaal", "label", True, KCC_KANAAL, label="Kanaal"), C("richting", "label", True, KCC_RICHTING, label="Richting"),
        C("onderwerp", label="Vraagcategorie"),
        C("afhandeling", "label", codes=KCC_AFHANDELING, label="Afhandeling"),
        C("contact_gelukt", "bool", label="Contact gelukt"), C("team", "text", True, label="Team"),
        C("interne_taak", label="Interne taak"), C("aanleiding_taak", label="Naar aanleiding van"),
        C("verwijderd", "bool", label="Verwijderd"), P("gewijzigd_op", "ts", True, "Gewijzigd op"),
    ), key=("nummer",), version="gewijzigd_op", delta=True),
    SourceObject("kcc", "interne_taken", "interne_taken.txt", (
        C("nummer", "text", True, label="Nummer"), C("handeling", "label", True, KCC_HANDELING, label="Gevraagde handeling"),
        C("klantcontact", "text", True, label="Klantcontact"), C("team", "text", True, label="Toegewezen aan"),
        P("toegewezen_op", "ts", True, "Toegewezen op"), C("status", "label", True, KCC_STATUS, label="Status"),
        P("afgehandeld_op", "ts", label="Afgehandeld op"), P("gewijzigd_op", "ts", True, "Gewijzigd op"),
    ), key=("nummer",), version="gewijzigd_op", window=True),
    # tevredenheid: snapshot of all surveys so far; rapportcijfer 99 = missing (kept raw as delivered);
    # respondent_id is the agency's anonymous number, no person identifier; v_<vraagcode> columns raw only
    SourceObject("tevredenheid", "onderzoeken", "onderzoeken.csv", (
        C("onderzoek_id", "text", True), C("soort", "code", True, ONDERZOEK_SOORTEN), C("uitvoerder"),
        C("veldwerk_van", "date", True), P("veldwerk_tot", "date", True), C("steekproef", "int"),
        C("methode", "code", codes=ONDERZOEK_METHODEN),
    ), key=("onderzoek_id",)),
    SourceObject("tevredenheid", "respondenten", "respondenten.csv", (
        C("onderzoek_id", "text", True), C("respondent_id", "int", True), C("gemeente"), P("ingevuld_op", "date"),
        C("rapportcijfer", "int"), C("volledig", "bool"),
    ), key=("onderzoek_id", "respondent_id"), extra_columns="v_[a-z0-9_]+"),
    # zaken: a zaak of the ZGW dump flattened by the loader: the zaaktype's and result type's catalogue
    # identificatie and omschrijving from _expand, the initiator (natuurlijk persoon) and the read
    # eigenschappen as columns; free text (omschrijving, toelichting) is not read at all.
    SourceObject("zaken", "zaken", "zaken-*.json", (
        C("uuid", "text", True), C("identificatie", "text", True), C("bronorganisatie", "text"),
        C("zaaktype", "text", True), P("registratiedatum", "date"), P("startdatum", "date", True),
        P("einddatum", "date"), C("uiterlijke_einddatum_afdoening", "date"),
        C("archiefnominatie", "text"), C("archiefactiedatum", "date"),
        C("heeft_resultaat", "bool"), C("resultaat", "text"),
        C("initiator_bsn", "bsn", identifier=True), C("initiator_geslachtsnaam", "pii", identifier=True),
        C("initiator_voorvoegsel", "pii", identifier=True), C("initiator_voornamen", "pii", identifier=True),
        C("gemeente", "text"), C("inkomensbron", "text"), C("onderwerp", "text"), C("regeling", "text"),
        C("maatregel_code", "text"),
    ), key=("uuid",)),
    SourceObject("cbs", "bevolking", "bevolking.csv", (
        C("gemeente", "text", True), C("jaar", "int", True), C("leeftijd_van", "int"), C("leeftijd_tot", "int"),
        C("inwoners", "int", True),
    ), key=("gemeente", "jaar", "leeftijd_van")),
)
del C, P


def pseudonym_prefix(obj: SourceObject, column: str) -> str:
    """What precedes an identifier before it is pseudonymised in findings: nothing for a bsn, the
    system's domain label for another identifier (personeelsnummer), so it never equals a citizen's."""
    return "" if obj.column(column).type == "bsn" else f"{obj.system}:"


def objects(system: str) -> tuple[SourceObject, ...]:
    return tuple(o for o in OBJECTS if o.system == system)


def get(system: str, name: str) -> SourceObject:
    return next(o for o in OBJECTS if o.system == system and o.name == name)


# The source that serves each KPI (DECISIONS.md, "Which seed items each source serves"), by
# code prefix: the first match wins. KPIs of the benefits, debt and re-integration core are not listed.
KPI_BRONNEN: tuple[tuple[str, str], ...] = (
    ("verzuim", "hr"), ("formatie_fte", "hr"), ("sw_", "hr"),
    ("bezwaren_", "zaken"), ("klachten_", "zaken"), ("armoede_aanvragen", "zaken"), ("kindregelingen_", "zaken"),
    ("kindpakket_", "zaken"), ("vrijwilligerspremies", "zaken"),
    ("kcc_", "kcc"), ("kto_", "tevredenheid"), ("mto_", "tevredenheid"),
    ("pip_", "reintegratie/inburgeringsplichtigen"), ("inburger", "reintegratie/inburgeringsplichtigen"),
    ("b1_", "reintegratie/inburgeringsplichtigen"), ("leerroute_", "reintegratie/inburgeringsplichtigen"),
    ("uitstroom_statushouders", "civision en reintegratie (statushouders)"),
    ("statushouders_", "civision en reintegratie (statushouders)"),
    ("maatregel_", "maatregelen"), ("bewindvoering_kosten", "erp (rubrieken)"), ("wlb_dekkingsgraad", "erp (rubrieken)"),
)


def kpi_bron(code: str) -> str | None:
    """The source a KPI is computed from, for the KPIs of the sources added after the core."""
    return next((bron for prefix, bron in KPI_BRONNEN if code.startswith(prefix)), None)


# The unit of a KPI's value (KPIS.md: "Shares are fractions (0.1447, not 14.47); scores are on their own
# scale (7.4)"), by code pattern: the KPIs whose value is a summed teller over a summed noemer but no share
# (berekening aandeel or stand_aandeel for a mean, a rate or an fte), and the fte of Wsw moves (som).
# Any other ratio KPI is a share, every other KPI a count.
KPI_EENHEDEN: tuple[tuple[str, str], ...] = (
    (r"(kto|mto)_score", "cijfer"), (r"verzuimfrequentie_", "frequentie"), (r".*_fte(_|$)", "fte"),
)
RATIO_BEREKENINGEN = ("aandeel", "stand_aandeel", "gemiddeld_aandeel")
# the values a unit can take: a mark from 1 to 10, a share from 0 to 1, the others from 0
EENHEID_BEREIK: dict[str, tuple[float, float]] = {
    "aandeel": (0.0, 1.0), "cijfer": (1.0, 10.0), "frequentie": (0.0, float("inf")), "fte": (0.0, float("inf")),
    "aantal": (0.0, float("inf")),
}


def kpi_eenheid(code: str, berekening: str) -> str:
    """'aandeel', 'cijfer', 'frequentie', 'fte' or 'aantal': how a KPI's value is bounded and shown."""
    eenheid = next((e for patroon, e in KPI_EENHEDEN if re.match(patroon, code)), None)
    return eenheid or ("aandeel" if berekening in RATIO_BEREKENINGEN else "aantal")


# ERP (Navision-like SQL database), one per organisation. Raw tables raw_erp.<table>
# carry these columns plus `organisatie`, `_load_id`, `_geladen_op`.
ERP_TABLES: dict[str, tuple[str, ...]] = {
    "gl_account": ("no", "name", "account_type", "income_balance"),
    "dimension_value": ("dimension_code", "code", "name", "parent_code", "valid_from_year", "valid_to_year"),
    "gl_entry": ("entry_no", "posting_date", "document_no", "gl_account_no", "description", "amount",
                 "programma_code", "product_code", "gemeente_code", "source_code", "user_id", "reversed",
                 "reversed_entry_no", "last_modified", "project_code"),
    "budget_entry": ("entry_no", "budget_name", "gl_account_no", "programma_code", "product_code",
                     "gemeente_code", "budget_date", "amount"),
}
# Columns an ERP may lack (SOURCES.md erp): read as empty; which ones the source had is kept per
# extraction in raw_meta.erp_watermerk.kolommen (no project_code: no project costs, not 0).
ERP_OPTIONAL: dict[str, tuple[str, ...]] = {"gl_entry": ("project_code",)}
# dimension_value.dimension_code: PROJECT where project costs are kept (code = a maatregel_code)
ERP_DIMENSIES = ("PROGRAMMA", "PRODUCT", "GEMEENTE", "PROJECT")
ERP_KEYS: dict[str, tuple[str, ...]] = {
    "gl_account": ("no",),
    "dimension_value": ("dimension_code", "code", "valid_from_year"),
    "gl_entry": ("entry_no",),
    "budget_entry": ("entry_no",),
}

# Load metadata columns on every raw file-object table: a record version is valid from the delivery
# `_levering` (its `_bestand`, `_rij`, load) up to, not including, `_levering_tot` (null: still current).
META_COLUMNS = ("_levering", "_bestand", "_rij", "_load_id", "_geladen_op", "_levering_tot")
# One type map: the raw column type of each contract column type (DDL, schema suites, tests).
RAW_TYPES = {
    "int": "BIGINT", "decimal": "DECIMAL(14,2)", "fraction": "DECIMAL(14,4)", "date": "DATE", "ts": "TIMESTAMP",
    "tstz": "TIMESTAMP WITH TIME ZONE", "bool": "BOOLEAN", "yyyymm": "DATE",
    "text": "VARCHAR", "code": "VARCHAR", "bsn": "VARCHAR", "pii": "VARCHAR", "label": "VARCHAR",
}
META_TYPES = dict(zip(META_COLUMNS, ("DATE", "VARCHAR", "BIGINT", "VARCHAR", "TIMESTAMP", "DATE")))

# (later, earlier): the later date may not lie before the earlier one.
DATE_ORDER: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("civision", "personen"): (("datum_overlijden", "geboortedatum"),),
    ("civision", "uitkeringen"): (("einddatum", "ingangsdatum"),),
    ("civision", "aanvragen"): (("besluitdatum", "meldingsdatum"), ("aanvraagdatum", "meldingsdatum")),
    ("schuldhulp", "aanmeldingen"): (("datum_eerste_gesprek", "datum_aanmelding"), ("datum_uitstroom", "datum_aanmelding")),
    ("schuldhulp", "trajecten"): (("einddatum", "startdatum"),),
    ("reintegratie", "trajecten"): (("eind", "start"),),
    ("reintegratie", "plaatsingen"): (("eind", "start"),),
    ("hr", "dienstverbanden"): (("einddatum", "ingangsdatum"), ("geldig_tot", "geldig_van")),
    ("hr", "verzuim"): (("einddatum", "ingangsdatum"), ("ingangsdatum", "eerste_ziektedag")),
    ("kcc", "interne_taken"): (("afgehandeld_op", "toegewezen_op"),),
    ("tevredenheid", "onderzoeken"): (("veldwerk_tot", "veldwerk_van"),),
    ("zaken", "zaken"): (("registratiedatum", "startdatum"), ("einddatum", "startdatum")),
}

# column: (min, max, row condition (column, allowed values) or None, why); warnings, not quarantine
RANGES: dict[tuple[str, str], tuple[tuple[str, float | None, float | None, tuple[str, tuple[str, ...]] | None, str], ...]] = {
    ("civision", "betalingen"): (
        ("bedrag", 0, 100000, ("soort", ("P", "N")),
         "een periodieke betaling of nabetaling is niet negatief en lager dan 100.000"),
        ("bedrag", -100000, 0, ("soort", ("C", "T")), "een correctie of terugvordering is niet positief"),
        ("verrekende_inkomsten", 0, 100000, None, "verrekende inkomsten zijn niet negatief"),
    ),
    ("schuldhulp", "trajecten"): (
        ("totale_schuld", 0, 10000000, None, "totale schuld ligt tussen 0 en 10 miljoen"),
        ("aantal_schuldeisers", 0, 500, None, "aantal schuldeisers ligt tussen 0 en 500"),
    ),
    ("reintegratie", "plaatsingen"): (
        ("loonwaarde_pct", 0, 100, None, "loonwaarde is een percentage (0-100)"),
        ("uren_per_week", 0, 60, None, "uren per week ligt tussen 0 en 60"),
    ),
    ("hr", "dienstverbanden"): (
        ("fte", 0, 1.5, None, "fte ligt tussen 0 en 1,5"),
        ("uren_per_week", 0, 60, None, "uren per week ligt tussen 0 en 60"),
    ),
    ("hr", "verzuim"): (("percentage", 0, 100, None, "percentage arbeidsongeschiktheid ligt tussen 0 en 100"),),
    ("cbs", "bevolking"): (
        ("inwoners", 0, 20000000, None, "aantal inwoners is niet negatief"),
        ("jaar", 1990, 2100, None, "jaar ligt tussen 1990 en 2100"),
        ("leeftijd_van", 0, 120, None, "leeftijd ligt tussen 0 en 120"),
    ),
}

# Raw types: stable whatever the source dialect reports (SQLite has no real types).
ERP_TYPES: dict[str, dict[str, str]] = {
    "gl_account": {"no": "VARCHAR", "name": "VARCHAR", "account_type": "VARCHAR", "income_balance": "VARCHAR"},
    "dimension_value": {"dimension_code": "VARCHAR", "code": "VARCHAR", "name": "VARCHAR", "parent_code": "VARCHAR",
                        "valid_from_year": "INTEGER", "valid_to_year": "INTEGER"},
    "gl_entry": {"entry_no": "BIGINT", "posting_date": "DATE", "document_no": "VARCHAR", "gl_account_no": "VARCHAR",
                 "description": "VARCHAR", "amount": "DECIMAL(18,2)", "programma_code": "VARCHAR",
                 "product_code": "VARCHAR", "gemeente_code": "VARCHAR", "source_code": "VARCHAR", "user_id": "VARCHAR",
                 "reversed": "BOOLEAN", "reversed_entry_no": "BIGINT", "last_modified": "TIMESTAMP",
                 "project_code": "VARCHAR"},
    "budget_entry": {"entry_no": "BIGINT", "budget_name": "VARCHAR", "gl_account_no": "VARCHAR",
                     "programma_code": "VARCHAR", "product_code": "VARCHAR", "gemeente_code": "VARCHAR",
                     "budget_date": "DATE", "amount": "DECIMAL(18,2)"},
}

