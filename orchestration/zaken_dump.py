"""The zaken delivery (SOURCES.md, zaken): the pages of a ZGW Zaken API list response joined into
one file of flat JSON lines, which the JSON reader then loads like any other object; and the
lawful destruction of zaken that left the dump, whose identifiers leave the raw zone in the same run.

DuckDB parses the pages (`read_text` and its JSON functions): one zaak is one line, in the order
fetched (page, then place on the page), so `_rij` keeps the page order that decides between two
versions of one zaak (staging). Free text (omschrijving, toelichting) is never selected."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb

from pdw.contract import SourceObject

from .raw_zone import lit
from .readers import LeveringFout

# The initiator: the role of a natural person with generic description initiator (other roles ignored).
_INITIATOR = ("list_filter(cast(coalesce(z -> '$._expand.rollen', '[]') as json[]), lambda r: "
              "(r ->> 'omschrijvingGeneriek') = 'initiator' and (r ->> 'betrokkeneType') = 'natuurlijk_persoon')[1]")
EIGENSCHAPPEN = ("gemeente", "inkomensbron", "onderwerp", "regeling", "maatregel_code")
IDENTIFIERS = ("initiator_bsn", "initiator_geslachtsnaam", "initiator_voorvoegsel", "initiator_voornamen")


def join_pages(con: duckdb.DuckDBPyConnection, folder: Path, obj: SourceObject, work: Path) -> Path | None:
    """The zaken of every page of the delivery as JSON lines in `work` (None: no page delivered).

    A page that is no list response cannot be loaded: the snapshot would lack its zaken, which
    would then count as deleted, so the delivery is refused (LeveringFout) rather than read in part."""
    pages = sorted(folder.glob(obj.filename))
    if not pages:
        return None
    files = "[" + ", ".join(lit(str(p)) for p in pages) + "]"
    bad = [Path(f).name for (f,) in con.execute(
        f"""select filename from read_text({files})
            where not coalesce(json_valid(content), false) or json_type(content, '$.results') is distinct from 'ARRAY'
            order by filename""").fetchall()]
    if bad:
        bestand = f"{folder.parent.name}/{folder.name}/{bad[0]}"
        raise LeveringFout(
            f"Bestand {bestand}: geen geldige pagina (JSON met een lijst 'results'); de levering "
            f"{folder.parent.name}/{folder.name} en latere leveringen van zaken zijn niet geladen, want zonder deze "
            "pagina zouden haar zaken als verwijderd tellen. Vraag de leverancier de dump opnieuw te leveren.", bestand)
    eigenschappen = "".join(
        f", list_filter(e, lambda x: (x ->> 'naam') = {lit(n)})[1] ->> 'waarde' as {n}" for n in EIGENSCHAPPEN)
    target = work / f"{obj.name}.jsonl"
    con.execute(f"""copy (
        select
            z ->> 'uuid' as uuid, z ->> 'identificatie' as identificatie, z ->> 'bronorganisatie' as bronorganisatie,
            z ->> '$._expand.zaaktype.identificatie' as zaaktype, z ->> 'registratiedatum' as registratiedatum,
            z ->> 'startdatum' as startdatum, z ->> 'einddatum' as einddatum,
            z ->> 'uiterlijkeEinddatumAfdoening' as uiterlijke_einddatum_afdoening,
            z ->> 'archiefnominatie' as archiefnominatie, z ->> 'archiefactiedatum' as archiefactiedatum,
            cast(z ->> 'resultaat' is not null or json_type(z, '$._expand.resultaat') = 'OBJECT' as varchar)
                as heeft_resultaat,
            z ->> '$._expand.resultaat._expand.resultaattype.omschrijving' as resultaat,
            i ->> '$.betrokkeneIdentificatie.inpBsn' as initiator_bsn,
            i ->> '$.betrokkeneIdentificatie.geslachtsnaam' as initiator_geslachtsnaam,
            i ->> '$.betrokkeneIdentificatie.voorvoegselGeslachtsnaam' as initiator_voorvoegsel,
            i ->> '$.betrokkeneIdentificatie.voornamen' as initiator_voornamen
            {eigenschappen}
        from (
            select *, {_INITIATOR} as i,
                   cast(coalesce(z -> '$._expand.eigenschappen', '[]') as json[]) as e
            from (
                select filename, unnest(range(len(r))) as plek, unnest(r) as z
                from (select filename, cast(content -> '$.results' as json[]) as r from read_text({files}))
            )
        )
        order by filename, plek
    ) to {lit(str(target))} (format json)""")
    return target


def pseudonym_outlives() -> bool:
    """The privacy officer's (FG) decision (DECISIONS.md 14): may the initiator's pseudonym outlive a
    destroyed zaak? Environment variable PDW_FG_PSEUDONIEM_NA_VERNIETIGING, `ja` (default) or `nee`."""
    return os.environ.get("PDW_FG_PSEUDONIEM_NA_VERNIETIGING", "ja").strip().lower() != "nee"


def purge_destroyed(con: duckdb.DuckDBPyConnection, obj: SourceObject, levering: date) -> int:
    """Zaken lawfully destroyed before this delivery lose their initiator's bsn and name parts in
    every raw version; returns how many zaken. Destroyed: missing from this delivery while the last
    received version had archiefnominatie `vernietigen` and an archiefactiedatum on or before it.
    Where the FG allows it, the initiator's pseudonym is kept (raw_zaken.vernietigde_initiatoren)
    so that the destroyed zaak still counts under its person in the distinct-person KPIs."""
    table = obj.raw_table
    sets = ", ".join(f"{c} = null" for c in IDENTIFIERS)
    vernietigd = f"""select uuid from {table} where _levering_tot = date {lit(levering.isoformat())}
        group by uuid
        having bool_and(archiefnominatie = 'vernietigen' and archiefactiedatum <= date {lit(levering.isoformat())})
        and uuid not in (select uuid from {table} where _levering_tot is null)"""
    n = con.execute(f"select count(*) from ({vernietigd})").fetchone()[0]
    if n and pseudonym_outlives():
        con.execute(f"""insert into raw_zaken.vernietigde_initiatoren
            select uuid, pseudoniem(arg_max(initiator_bsn, _rij)), date {lit(levering.isoformat())}
            from {table} where _levering_tot = date {lit(levering.isoformat())} and initiator_bsn is not null
            and uuid in ({vernietigd}) group by uuid""")
    con.execute(f"update {table} set {sets} where uuid in ({vernietigd})")
    return n
