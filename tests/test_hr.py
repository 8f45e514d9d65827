"""hr loader on a hand-made extract (SOURCES.md, hr and Identifiers and privacy): an AMBTELIJK row
carries no bsn; one that does is loaded without it (not even raw) and reported with file, row,
field and check. The WSW row beside it keeps its bsn in raw."""
from __future__ import annotations

import duckdb

from orchestration import loading
from orchestration.raw_zone import ensure_raw_zone
from pdw.pseudonym import pseudoniem
from tests.test_dbt import TEST_KEY

AMBTELIJK_BSN, WSW_BSN = "111222333", "123456782"  # both pass the 11-proef
DIENSTVERBANDEN = [
    ["personeelsnummer", "dienstverband", "bsn", "soort", "ingangsdatum", "einddatum", "geldig_van", "geldig_tot",
     "uren_per_week", "normuren_per_week", "fte", "unit_code", "unit_naam", "kostenplaats", "werksoort",
     "werksoort_groep", "wsw_gemeente", "reden_uit_dienst", "gewijzigd_op"],
    ["001001", "1", WSW_BSN, "WSW", "20150701", "99991231", "20150701", "99991231", "36,00", "36,00", "1,0000",
     "WLB", "Werkleerbedrijf", "7001", "VERP", "PRODUCTIE", "0622", "", "20190102060000"],
    ["001002", "1", AMBTELIJK_BSN, "AMBTELIJK", "20150701", "99991231", "20150701", "99991231", "32,00", "36,00",
     "0,8889", "OU", "Ontwikkeling & Uitstroom", "", "", "", "", "", "20190102060000"],
]
VERZUIM = [
    ["verzuimnummer", "personeelsnummer", "dienstverband", "eerste_ziektedag", "regel", "ingangsdatum", "einddatum",
     "percentage", "soort", "hersteldatum", "gewijzigd_op"],
    ["V23-000001", "001002", "1", "20230306", "1", "20230306", "20230310", "100", "ZIEKTE", "20230311",
     "20230311160000"],
]


def _csv(rows: list[list[str]]) -> bytes:
    """As the HR export writes it: every field in quotes, `;`, CRLF, UTF-8 without BOM."""
    return "".join(";".join(f'"{v}"' for v in row) + "\r\n" for row in rows).encode("utf-8")


def test_bsn_on_an_ambtelijk_row_is_dropped_on_read_and_reported(tmp_path, monkeypatch):
    folder = tmp_path / "inbox" / "hr" / "20240101"
    folder.mkdir(parents=True)
    (folder / "dienstverbanden.csv").write_bytes(_csv(DIENSTVERBANDEN))
    (folder / "verzuim.csv").write_bytes(_csv(VERZUIM))
    (folder / "_READY").write_bytes(b"")
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", TEST_KEY)
    con = duckdb.connect(str(tmp_path / "pdw.duckdb"))
    try:
        ensure_raw_zone(con)
        loading.load_system(con, tmp_path / "inbox", "hr", "test")
        raw = con.execute("select personeelsnummer, soort, bsn from raw_hr.dienstverbanden order by 1").fetchall()
        flags = con.execute("select bestand, rij, sleutel, veld, controle, omschrijving from raw_meta.markeringen "
                            "where systeem = 'hr'").fetchall()
        quarantined = con.execute("select count(*) from raw_meta.quarantaine").fetchone()[0]
        # the dropped bsn is nowhere in the warehouse: no text column of any table holds it (the
        # allowed one is found by the same scan)
        columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        holding = {bsn: [f"{s}.{t}.{c}" for s, t, c in columns
                         if con.execute(f'select count(*) from {s}.{t} where contains("{c}", ?)', [bsn]).fetchone()[0]]
                   for bsn in (AMBTELIJK_BSN, WSW_BSN)}
    finally:
        con.close()
    assert raw == [("001001", "WSW", WSW_BSN), ("001002", "AMBTELIJK", None)]
    assert quarantined == 0
    assert len(flags) == 1
    bestand, rij, sleutel, veld, controle, omschrijving = flags[0]
    assert (bestand, rij, veld, controle) == ("hr/20240101/dienstverbanden.csv", 2, "bsn", "bsn_niet_toegestaan")
    # the employee is named by pseudonym only, the file and row in the description
    assert sleutel == f"{pseudoniem('hr:001002', TEST_KEY.encode())}|1|20150701"
    assert "hr/20240101/dienstverbanden.csv rij 2" in omschrijving and "bsn" in omschrijving
    assert holding == {AMBTELIJK_BSN: [], WSW_BSN: ["raw_hr.dienstverbanden.bsn"]}
