-- ERP general-ledger entries with the flags the finance marts filter on:
--   is_tegenboeking: reversed = true, or a counter-entry pointing at a reversed entry (reversed_entry_no)
--   is_dubbel: the same document posted twice (organisatie, document_no, gl_account_no, amount,
--              posting_date) among the non-reversal entries; the lowest entry_no is kept
-- bedrag = -amount: baten positive, lasten negative. Missing programma -> 'ONBEKEND'.
-- rubriek: seeds/erp_rubriek.csv for the posting year, by product (PRODUCT:<code>), else by account
-- (GL:<no>); project_code: the policy measure (NULL when the ERP has no such column).
with boekingen as (
    select
        e.*,
        e.reversed or e.reversed_entry_no is not null as is_tegenboeking
    from {{ ref('stg_erp__gl_entry') }} as e
),
gemarkeerd as (
    select
        *,
        case
            when is_tegenboeking then false
            else row_number() over (
                partition by organisatie, document_no, gl_account_no, amount, posting_date, is_tegenboeking
                order by entry_no
            ) > 1
        end as is_dubbel
    from boekingen
)
select
    b.organisatie,
    b.entry_no,
    b.posting_date as boekdatum,
    cast(year(b.posting_date) as integer) as jaar,
    b.document_no,
    b.gl_account_no,
    r.naam as rekening_naam,
    coalesce(r.is_resultaatrekening, false) as is_resultaatrekening,
    coalesce(b.programma_code, 'ONBEKEND') as programma,
    b.programma_code is null as is_zonder_programma,
    b.product_code,
    b.gemeente_code,
    b.gemeente,
    b.source_code,
    b.amount,
    -b.amount as bedrag,
    b.reversed,
    b.reversed_entry_no,
    b.is_tegenboeking,
    b.is_dubbel,
    coalesce(r.is_resultaatrekening, false) and not b.is_tegenboeking and not b.is_dubbel as telt_in_realisatie,
    coalesce(r.is_resultaatrekening and contains(lower(r.naam), 'uitkering'), false) as is_uitkeringsrekening,
    b.last_modified,
    coalesce(rp.rubriek, rg.rubriek) as rubriek,
    b.project_code
from gemarkeerd as b
left join {{ ref('stg_erp__gl_account') }} as r
    on r.organisatie = b.organisatie and r.gl_account_no = b.gl_account_no
left join {{ ref('erp_rubriek') }} as rp
    on
        rp.organisatie = b.organisatie and rp.sleutel = 'PRODUCT:' || b.product_code
        and year(b.posting_date) between rp.jaar_van and coalesce(rp.jaar_tot, 9999)
left join {{ ref('erp_rubriek') }} as rg
    on
        rg.organisatie = b.organisatie and rg.sleutel = 'GL:' || b.gl_account_no
        and year(b.posting_date) between rg.jaar_van and coalesce(rg.jaar_tot, 9999)
