-- Baten or lasten per income-statement account: the ERP has no such flag, so an account whose
-- realised and budgeted amounts (bedrag = -amount) sum to >= 0 over all years is a baten
-- account, otherwise a lasten account. One classification per account keeps a correction
-- posting on an expense account a (negative) last instead of turning it into baten.
with bedragen as (
    select organisatie, gl_account_no, bedrag from {{ ref('fct_grootboek') }} where telt_in_realisatie
    union all
    select organisatie, gl_account_no, bedrag from {{ ref('fct_begroting') }} where is_resultaatrekening
)
select
    r.organisatie,
    r.gl_account_no,
    r.naam,
    coalesce(sum(b.bedrag), 0) >= 0 as is_baten,
    contains(lower(r.naam), 'uitkering') as is_uitkeringsrekening
from {{ ref('stg_erp__gl_account') }} as r
left join bedragen as b on b.organisatie = r.organisatie and b.gl_account_no = r.gl_account_no
where r.is_resultaatrekening
group by r.organisatie, r.gl_account_no, r.naam
