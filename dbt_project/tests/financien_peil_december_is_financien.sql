-- The realisation at peilmaand December (marts.financien_peil) equals the year's realisation of
-- marts.financien per organisation, year and programme.
with december as (
    select organisatie, jaar, programma, sum(realisatie_baten) as baten, sum(realisatie_lasten) as lasten
    from {{ ref('financien_peil') }}
    where peilmaand = jaar || '-12'
    group by all
)
select f.organisatie, f.jaar, f.programma, f.realisatie_baten, d.baten, f.realisatie_lasten, d.lasten
from {{ ref('financien') }} as f
join december as d on d.organisatie = f.organisatie and d.jaar = f.jaar and d.programma = f.programma
where f.realisatie_baten <> d.baten or f.realisatie_lasten <> d.lasten
union all
-- every year with a December in the ERP has its programmes in financien_peil
select f.organisatie, f.jaar, f.programma, f.realisatie_baten, null, f.realisatie_lasten, null
from {{ ref('financien') }} as f
where exists (select 1 from {{ ref('financien_peil') }} as p where p.organisatie = f.organisatie and p.peilmaand = f.jaar || '-12')
    and not exists (select 1 from december as d where d.organisatie = f.organisatie and d.jaar = f.jaar and d.programma = f.programma)
