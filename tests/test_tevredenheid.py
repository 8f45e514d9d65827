"""tevredenheid into the raw zone: the agency's format, v_<vraagcode> columns kept raw, and the
snapshot rule on a re-delivery after cleaning. Two hand-made deliveries of one survey.

The scores themselves (99 and empty missing, an incomplete response with a valid mark counts, no
valid mark gives no score) are the dbt unit tests in models/staging/tevredenheid/_tevredenheid.yml
and models/core/tevredenheid/tevredenheid.yml.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from orchestration import loading, quality
from orchestration.raw_zone import state_at

ONDERZOEKEN = ('onderzoek_id,soort,uitvoerder,veldwerk_van,veldwerk_tot,steekproef,methode\n'
               'KTO-PW-2022,KTO_PW,"BMC Onderzoek, Amersfoort",02/09/2022,30/09/2022,20,GEMENGD\n')
HEADER = "onderzoek_id,respondent_id,gemeente,ingevuld_op,rapportcijfer,volledig,v_bejegening,v_informatie\n"
RESPONDENTEN = [
    "KTO-PW-2022,1,Vlaardingen,05/09/2022,8,J,4,5\n",
    "KTO-PW-2022,2,Schiedam,06/09/2022,99,J,99,\n",
    "KTO-PW-2022,3,Maassluis,07/09/2022,6,N,3,\n",
    "KTO-PW-2022,4,,08/09/2022,7,J,,\n",
    "KTO-PW-2022,5,Vlaardingen,08/09/2022,1,J,1,1\n",  # a speeder: gone after the agency's cleaning
]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("PDW_PSEUDONYM_KEY", "test-sleutel-voor-de-laadtests-0123456789")


def deliver(inbox, folder: str, respondenten: list[str]) -> None:
    target = inbox / "tevredenheid" / folder
    target.mkdir(parents=True)
    (target / "onderzoeken.csv").write_bytes(ONDERZOEKEN.encode("utf-8"))
    (target / "respondenten.csv").write_bytes((HEADER + "".join(respondenten)).encode("utf-8"))
    (target / "_READY").write_bytes(b"")


@pytest.fixture
def loaded(tmp_path):
    inbox = tmp_path / "inbox"
    deliver(inbox, "20221021", RESPONDENTEN)
    deliver(inbox, "20221125", RESPONDENTEN[:4])
    con = duckdb.connect(str(tmp_path / "pdw.duckdb"))
    results = loading.load_system(con, inbox, "tevredenheid", "test")
    yield con, results
    con.close()


def test_format_and_extra_question_columns(loaded):
    con, results = loaded
    assert [r.status for r in results] == ["geladen", "geladen"]
    # v_<vraagcode> is allowed by the contract: loaded, not reported as an extra column
    assert [f.extra_kolommen for r in results for f in r.files] == [[], [], [], []]
    assert con.execute("select count(*) from raw_meta.quarantaine").fetchone()[0] == 0
    assert con.execute("select uitvoerder, veldwerk_van, veldwerk_tot, steekproef from raw_tevredenheid.onderzoeken"
                       ).fetchall() == [("BMC Onderzoek, Amersfoort", date(2022, 9, 2), date(2022, 9, 30), 20)]
    # 99 is the agency's missing code: kept raw as delivered, staging reads it as missing
    assert con.execute("select respondent_id, gemeente, ingevuld_op, rapportcijfer, volledig, v_bejegening, v_informatie "
                       "from raw_tevredenheid.respondenten where _levering_tot is null order by respondent_id"
                       ).fetchall() == [
        (1, "Vlaardingen", date(2022, 9, 5), 8, True, "4", "5"),
        (2, "Schiedam", date(2022, 9, 6), 99, True, "99", None),
        (3, "Maassluis", date(2022, 9, 7), 6, False, "3", None),
        (4, None, date(2022, 9, 8), 7, True, None, None)]
    assert con.execute("select data_type from duckdb_columns() where schema_name = 'raw_tevredenheid' "
                       "and column_name = 'v_bejegening'").fetchall() == [("VARCHAR",)]


def test_redelivery_after_cleaning_drops_respondents(loaded):
    con, _ = loaded
    def respondents(d):
        return [r for (r,) in con.execute(f"select respondent_id from ({state_at('raw_tevredenheid.respondenten', d)}) "
                                          "order by respondent_id").fetchall()]
    assert respondents(date(2022, 10, 21)) == [1, 2, 3, 4, 5]
    assert respondents(date(2022, 11, 25)) == [1, 2, 3, 4]
    assert con.execute("select _levering_tot from raw_tevredenheid.respondenten where respondent_id = 5"
                       ).fetchall() == [(date(2022, 11, 25),)]


def test_question_columns_are_no_extra_column_finding(loaded):
    """The contract allows v_<vraagcode>: the raw schema suite passes them; another column still warns."""
    con, _ = loaded
    suite = next(s for s in quality.load_suites() if s["name"] == "raw_tevredenheid.respondenten.schema")
    extra = next(e for e in suite["expectations"] if e["meta"]["controle"] == "extra_kolom")
    batch = quality.read_batch(con, suite["meta"])
    assert all(r["geslaagd"] for r in quality.validate({**suite, "expectations": [extra]}, batch, "run-1")[0])
    con.execute("alter table raw_tevredenheid.respondenten add column opmerking varchar")
    batch = quality.read_batch(con, suite["meta"])
    assert not any(r["geslaagd"] for r in quality.validate({**suite, "expectations": [extra]}, batch, "run-1")[0])
