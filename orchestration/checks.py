"""Typing and checks of one object in one file format, as SQL over the reader's text fields:
typed values, quarantine reasons (unreadable, missing, unknown code, implausible) and flags."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pdw import contract, pseudonym
from pdw.contract import Column, FileFormat, SourceObject

from .raw_zone import lit, q

CONTROL = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]"  # RE2 class of C0 controls and DEL
C1 = "[\\x{80}-\\x{9F}]"  # RE2 class of C1 controls
ANY_CONTROL = CONTROL[:-1] + C1[1:]  # either class: one test per record before the test per field
# Quarantine reason per column type when a non-empty value does not parse.
UNREADABLE = {
    "int": ("getal_onleesbaar", "is geen geheel getal"),
    "decimal": ("bedrag_onleesbaar", "is geen bedrag"),
    "fraction": ("getal_onleesbaar", "is geen decimaal getal"),
    "date": ("datum_onleesbaar", "is geen geldige datum"),
    "ts": ("datum_onleesbaar", "is geen geldig tijdstip"),
    "tstz": ("datum_onleesbaar", "is geen geldig tijdstip"),
    "yyyymm": ("datum_onleesbaar", "is geen geldige periode (jjjjmm)"),
    "bool": ("waarde_onleesbaar", "is geen ja/nee-waarde"),
}
# Lines DuckDB's line reader cannot take (its rejects table `error_type`).


def bsn_invalid_sql(x: str) -> str:
    """SQL: true when a (non-empty) bsn fails the 11-proef after normalisation (see pdw.pseudonym).

    The digits as one integer and the weighted sum in a lambda, computed once per value:
    four times faster than a cast per digit of the padded text."""
    t = f"trim({x})"
    digits = " + ".join(f"{w} * (n // {10 ** (8 - i)} % 10)" for i, w in enumerate(pseudonym.WEIGHTS))
    number = f"cast(case when regexp_full_match({t}, '[0-9]{{8,9}}') then {t} end as BIGINT)"
    return f"coalesce(list_transform([{number}], n -> list_transform([{digits}], s -> s % 11 <> 0 or s = 0)[1])[1], true)"


@dataclass
class Check:
    veld: str | None
    controle: str
    cond: str  # SQL: true when the record fails
    text: str  # SQL: Dutch explanation after "<bestand> rij <n>, veld <veld>: "


class Checks:
    """SQL for typing, quarantine checks and flags of one object in one file format."""

    def __init__(self, obj: SourceObject, fmt: FileFormat, fields: dict[str, str], bestand: str, levering: date):
        self.obj, self.fmt, self.fields, self.bestand, self.levering = obj, fmt, fields, bestand, levering

    def typed(self, col: Column) -> str:
        if col.only_when:
            return f"case when {self._allowed(col)} then {self._typed(col)} end"
        return self._typed(col)

    def _allowed(self, col: Column) -> str:
        """SQL: the row may carry a value in `col` (Column.only_when)."""
        other, values = col.only_when
        return f"trim({self.fields[other]}) in ({', '.join(lit(v) for v in values)})"

    def _typed(self, col: Column) -> str:
        x = self.fields[col.name]
        t = f"trim({x})"
        if col.type == "int":
            return f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+') then {t} end as BIGINT)"
        if col.type in ("decimal", "fraction"):
            raw = contract.RAW_TYPES[col.type]
            if self.fmt.decimal_comma:
                return (f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+(,[0-9]+)?') "
                        f"then replace({t}, ',', '.') end as {raw})")
            return f"try_cast(case when regexp_full_match({t}, '[+-]?[0-9]+(\\.[0-9]+)?') then {t} end as {raw})"
        if col.type == "date":
            return f"cast(try_strptime({t}, {lit(self.fmt.date_format)}) as DATE)"
        if col.type == "yyyymm":
            return f"cast(try_strptime(case when regexp_full_match({t}, '[0-9]{{6}}') then {t} end, '%Y%m') as DATE)"
        if col.type == "ts":
            if not self.fmt.ts_format.startswith("%Y-"):
                formats = f"[{lit(self.fmt.ts_format)}, {lit(self.fmt.ts_format.replace(':%S', ''))}]"
                return f"try_strptime({t}, {formats})"
            return f"try_cast({t} as TIMESTAMP)"
        if col.type == "tstz":
            return f"try_cast({t} as TIMESTAMPTZ)"
        if col.type == "bool":
            return (f"case when lower({t}) in ('true', '1', 'j', 'ja', 'y', 'yes') then true "
                    f"when lower({t}) in ('false', '0', 'n', 'nee', 'no') then false end")
        return f"nullif({x}, '')"

    @staticmethod
    def alias(col: Column) -> str:
        return q("t_" + col.name)

    def _value(self, col: Column) -> str:
        """The delivered value for a message; identifiers are never repeated in messages."""
        return "'waarde'" if col.identifier else f"'''' || {self.fields[col.name]} || ''''"

    def quarantine_checks(self) -> list[Check]:
        checks = []
        for col in self.obj.columns:
            x = self.fields[col.name]
            empty = f"({x} is null or trim({x}) = '')"
            if col.required:
                checks.append(Check(col.name, "verplicht_veld_leeg", empty, "'verplicht veld is leeg'"))
            if col.type in UNREADABLE:
                controle, why = UNREADABLE[col.type]
                hint = {"date": self.fmt.date_format, "ts": self.fmt.ts_format}.get(col.type)
                why += f" (verwacht {_human(hint)})" if hint else ""
                checks.append(Check(col.name, controle, f"(not {empty} and {self.alias(col)} is null)",
                                     f"{self._value(col)} || {lit(' ' + why)}"))
            if col.type == "code":
                codes = ", ".join(lit(c) for c in col.codes)
                checks.append(Check(col.name, "code_onbekend", f"(not {empty} and {x} not in ({codes}))",
                                     f"'code ' || {self._value(col)} || ' staat niet in de codelijst'"))
            checks += self._plausibility(col)
        return checks

    def _plausibility(self, col: Column) -> list[Check]:
        """A date that parses but cannot be true: before 1900, or (for what happened) after the
        extraction date; a timezone offset beyond +-14:00 (the instant is unknown)."""
        if col.type not in ("date", "ts", "tstz", "yyyymm"):
            return []
        day = f"cast({self.alias(col)} as DATE)"
        latest = f"date {lit(self.levering.isoformat())}"
        if col.type == "yyyymm":
            latest = f"date_trunc('month', {latest}) + interval {contract.PERIOD_MONTHS_AHEAD} month"
        cond = f"{day} < date {lit(contract.EARLIEST_DATE)}"
        if col.past:
            cond += f" or {day} > {latest}"
        checks = [Check(col.name, "datum_onmogelijk", f"coalesce({cond}, false)",
                         f"{self._value(col)} || {lit(' kan niet kloppen: vóór 1900' + (' of na de extractiedatum ' + self.levering.strftime('%d-%m-%Y') if col.past else ''))}")]
        if col.type == "tstz":
            offset = f"regexp_extract(trim({self.fields[col.name]}), '([+-])([0-9]{{2}}):?([0-9]{{2}})$', ['s', 'h', 'm'])"
            minutes = f"(try_cast({offset}.h as INTEGER) * 60 + try_cast({offset}.m as INTEGER))"
            checks.append(Check(col.name, "tijdzone_onmogelijk",
                                 f"coalesce({minutes} > {contract.MAX_TZ_OFFSET_MINUTES} or try_cast({offset}.m as INTEGER) > 59, false)",
                                 f"{self._value(col)} || ' heeft een tijdzone buiten -12:00 tot +14:00'"))
        return checks

    def bad(self) -> str:
        return " or ".join(c.cond for c in self.quarantine_checks()) or "false"

    def sleutel(self) -> str:
        """The natural key as text; an identifier in the key is replaced by its pseudonym."""
        parts = [self._pseudonym(n) if self.obj.column(n).identifier else f"trim({self.fields[n]})" for n in self.obj.key]
        return "nullif(concat_ws('|', " + ", ".join(parts) + "), '')"

    def _pseudonym(self, name: str) -> str:
        prefix = contract.pseudonym_prefix(self.obj, name)
        return f"pseudoniem({lit(prefix)} || trim({self.fields[name]}))" if prefix else f"pseudoniem({self.fields[name]})"

    def _rows(self, checks: list[Check], where: str, record: bool, source: str = "_t") -> str:
        """Failing (row, check) pairs in one pass: a list of failed checks per failing row, unnested."""
        items = []
        for c in checks:
            plaats = f", veld {c.veld}: " if c.veld else ": "
            text = f"{lit(self.bestand + ' rij ')} || _rij || {lit(plaats)} || {c.text}"
            veld = lit(c.veld) if c.veld else "null :: VARCHAR"
            items.append(f"case when {c.cond} then {{'veld': {veld}, 'controle': {lit(c.controle)}, "
                         f"'omschrijving': {text}}} end")
        record_sql = f"{self.fields['__record__']} as record" if record else "null :: VARCHAR as record"
        return (f"select rij, sleutel, f.veld as veld, f.controle as controle, f.omschrijving as omschrijving, record "
                f"from (select _rij as rij, {self.sleutel()} as sleutel, {record_sql}, "
                f"unnest(list_filter([{', '.join(items)}], f -> f is not null)) as f from {source} where {where})")

    def quarantine_sql(self) -> str:
        checks = self.quarantine_checks()
        if not checks:
            return "select null :: BIGINT as rij, null as sleutel, null as veld, null as controle, null as omschrijving, null as record where false"
        return self._rows(checks, "_bad and _fout is null", True)

    def flag_sql(self) -> str:
        """Control characters, bsn flags and exact duplicate rows, on every readable record: a record
        quarantined for another reason gets its flag too, so every finding is reported."""
        checks, texts, value_checks = [], [], []
        for col in self.obj.columns:
            if col.type not in ("text", "code", "pii", "bsn", "label"):
                continue
            x = self.fields[col.name]
            texts.append(x)
            # C0 controls (tab, LF, CR excepted) and DEL; C1 controls are what Windows-1252's
            # undefined bytes become, or text that is no text in any encoding.
            checks.append(Check(col.name, "stuurteken", f"coalesce(regexp_matches({x}, {lit(CONTROL)}), false)",
                                "'bevat een stuurteken (onzichtbaar teken); geladen zoals geleverd'"))
            checks.append(Check(col.name, "teken_ongeldig", f"coalesce(regexp_matches({x}, {lit(C1)}), false)",
                                lit(f"bevat een teken dat in de codering van het bestand ({self.fmt.encoding}) "
                                    "niet bestaat; geladen zoals geleverd")))
            filled = f"({x} is not null and trim({x}) <> '')"
            if col.type == "label":
                labels = ", ".join(lit(c) for c in col.codes)
                checks.append(Check(col.name, "label_onbekend", f"({filled} and trim({x}) not in ({labels}))",
                                    f"'label ' || {self._value(col)} || ' staat niet in de codelijst; telt als OVERIG "
                                    "(zonder resultaat)'"))
                value_checks.append(checks[-1].cond)
            if col.only_when:
                checks.append(Check(col.name, f"{col.name}_niet_toegestaan", f"({filled} and not coalesce({self._allowed(col)}, false))",
                                    lit(f"{col.name} geleverd waar het contract dat niet toestaat (alleen bij {col.only_when[0]} "
                                        f"{', '.join(col.only_when[1])}); bij inlezen verwijderd, ook uit de ruwe zone")))
                value_checks.append(checks[-1].cond)
                filled = f"({filled} and coalesce({self._allowed(col)}, false))"
            if col.type != "bsn":
                continue
            checks.append(Check(col.name, "bsn_8_cijfers", f"({filled} and regexp_full_match(trim({x}), '[0-9]{{8}}'))",
                                 "'bsn heeft 8 cijfers; aangevuld met een voorloopnul'"))
            checks.append(Check(col.name, "bsn_ongeldig", f"({filled} and {bsn_invalid_sql(x)})",
                                 "'bsn voldoet niet aan de 11-proef of bestaat niet uit 9 cijfers'"))
            value_checks += [c.cond for c in checks[-2:]]
        parts = []
        if checks:
            # LF is in neither class, so it may join the fields; only records that hit are checked per field.
            hit = [f"regexp_matches(concat_ws(chr(10), {', '.join(texts)}), {lit(ANY_CONTROL)})", *value_checks]
            parts.append(self._rows(checks, f"_fout is null and ({' or '.join(hit)})", False))
        # Exact duplicates: hash every delivered field in one pass, compare candidates in full.
        cols = self.fields["__cols__"]
        dup = Check(None, "exacte_dubbele_rij", "_nr > 1", "'exact dezelfde regel als rij ' || _eerste || ' (telt één keer)'")
        candidates = (f"(select *, row_number() over (partition by {cols} order by _rij) as _nr, "
                      f"min(_rij) over (partition by {cols}) as _eerste from _t where _fout is null "
                      f"and hash({cols}) in (select h from (select hash({cols}) as h from _t where _fout is null) "
                      "group by h having count(*) > 1))")
        parts.append(self._rows([dup], "_nr > 1", False, candidates))
        return " union all ".join(parts)


def _human(fmt: str) -> str:
    return (fmt.replace("%d", "dd").replace("%m", "mm").replace("%Y", "jjjj").replace("%H", "uu")
            .replace("%M", "mm").replace("%S", "ss").replace("%z", "+hh:mm"))
