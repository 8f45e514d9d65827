-- Findings on ERP general-ledger entries (current version per organisatie, entry_no):
-- zonder_programma, dubbel_document (the later entry_no of the same organisatie, document_no,
-- gl_account_no, amount, posting_date), tegenboeking (both entries of a reversal pair: the
-- reversed entry and its counter-entry) and gesloten_periode (a non-reversed entry changed more
-- than one month after its posting month). Sleutel: organisatie:entry_no (entry_no is unique
-- per organisation only). rubriek_zonder_sleutel: a rubriek a KPI needs maps no key in a year of the data
-- period (int_erp_rubriek_dekking); sleutel organisatie:jaar:rubriek.
with g as (
    select *, organisatie || ':' || entry_no as sleutel from {{ ref('fct_grootboek') }}
),
tegen as (
    select reversed_entry_no, organisatie, min(entry_no) as tegen_entry_no
    from g where reversed_entry_no is not null group by all
)
select 'erp' as bron, 'gl_entry' as object, sleutel, 'zonder_programma' as controle, 'waarschuwing' as ernst,
       'Boeking ' || entry_no || ' (' || organisatie || ', rekening ' || gl_account_no || ', ' || boekdatum
           || ') heeft geen programma; telt mee onder ONBEKEND' as omschrijving,
       cast(null as date) as levering
from g where is_zonder_programma
union all
select 'erp', 'gl_entry', sleutel, 'dubbel_document', 'waarschuwing',
       'Document ' || document_no || ' is dubbel geboekt (' || organisatie || ', rekening ' || gl_account_no
           || ', ' || boekdatum || ', bedrag ' || amount || '); boeking ' || entry_no || ' telt niet mee',
       cast(null as date)
from g where is_dubbel
union all
select 'erp', 'gl_entry', g.sleutel, 'tegenboeking', 'info',
       case when g.reversed_entry_no is not null
            then 'Boeking ' || g.entry_no || ' (' || g.organisatie || ', document ' || g.document_no
                 || ') is de tegenboeking van boeking ' || g.reversed_entry_no || '; het paar telt niet mee'
            else 'Boeking ' || g.entry_no || ' (' || g.organisatie || ', document ' || g.document_no
                 || ') is tegengeboekt' || coalesce(' door boeking ' || t.tegen_entry_no, '') || '; het paar telt niet mee'
       end,
       cast(null as date)
from g
left join tegen as t on t.organisatie = g.organisatie and t.reversed_entry_no = g.entry_no
where g.is_tegenboeking
union all
select 'erp', 'gl_entry', sleutel, 'gesloten_periode', 'waarschuwing',
       'Boeking ' || entry_no || ' (' || organisatie || ', boekdatum ' || boekdatum || ') is gewijzigd op '
           || cast(last_modified as date) || ', na afsluiting van de periode',
       cast(null as date)
from g
where not is_tegenboeking
  and date_diff('month', date_trunc('month', boekdatum), date_trunc('month', last_modified)) > 1
union all
select 'erp', 'erp_rubriek', organisatie || ':' || jaar || ':' || rubriek, 'rubriek_zonder_sleutel', 'waarschuwing',
       'Rubriek ' || rubriek || ' heeft voor ' || organisatie || ' in ' || jaar
           || ' geen sleutel in erp_rubriek.csv; ' || kpi || ' ontbreekt voor dat jaar',
       cast(null as date)
from {{ ref('int_erp_rubriek_dekking') }}
where sleutels = 0
