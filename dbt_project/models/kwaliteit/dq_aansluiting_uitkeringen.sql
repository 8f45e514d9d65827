-- Reconciliation civision <-> ERP per municipality and month (KPIS.md, finance): benefit
-- payments of soort P, N and C by payment month (betaaldatum; periode when empty), as the ERP
-- books them, against the lasten on the ERP benefit accounts (income-statement posting accounts
-- whose name contains 'uitkering'; amount debit positive; reversal pairs and double-posted
-- documents left out). The municipality is the dossier's in the last delivery that held it
-- (a dossier deleted later was still paid). Months where both systems have data.
with dossier_gemeente as (
    select dossiernummer, {{ gemeente_uit_nummer('arg_max(gemeentecode, _levering)') }} as gemeente
    from {{ source('raw_civision', 'uitkeringen') }}
    group by dossiernummer
),
civision as (
    select
        g.gemeente,
        cast(date_trunc('month', coalesce(b.betaaldatum, b.periode)) as date) as maand,
        sum(b.bedrag) as civision_bedrag
    from {{ ref('stg_civision__betalingen') }} as b
    join dossier_gemeente as g on g.dossiernummer = b.dossiernummer
    where b.soort in ('P', 'N', 'C') and g.gemeente is not null
    group by all
),
erp as (
    select gemeente, cast(date_trunc('month', boekdatum) as date) as maand, sum(amount) as erp_lasten
    from {{ ref('fct_grootboek') }}
    where is_uitkeringsrekening and not is_tegenboeking and not is_dubbel and gemeente is not null
    group by all
),
bereik as (
    select greatest((select min(maand) from civision), (select min(maand) from erp)) as van,
           least((select max(maand) from civision), (select max(maand) from erp)) as tot
),
samen as (
    select
        coalesce(c.gemeente, e.gemeente) as gemeente,
        coalesce(c.maand, e.maand) as maand,
        coalesce(c.civision_bedrag, 0) as civision_bedrag,
        coalesce(e.erp_lasten, 0) as erp_lasten
    from civision as c
    full outer join erp as e on e.gemeente = c.gemeente and e.maand = c.maand
)
select
    g.organisatie,
    s.gemeente,
    g.naam as gemeente_naam,
    s.maand,
    strftime(s.maand, '%Y-%m') as periode,
    cast(s.civision_bedrag as decimal(18, 2)) as civision_bedrag,
    cast(s.erp_lasten as decimal(18, 2)) as erp_lasten,
    cast(s.erp_lasten - s.civision_bedrag as decimal(18, 2)) as verschil,
    case when s.civision_bedrag <> 0
        then round(100.0 * (s.erp_lasten - s.civision_bedrag) / abs(s.civision_bedrag), 3) end as verschil_pct,
    abs(s.erp_lasten - s.civision_bedrag) <= {{ var('aansluiting_tolerantie', 0.005) }} * abs(s.civision_bedrag)
        as binnen_tolerantie
from samen as s
cross join bereik as b
left join {{ ref('gemeenten') }} as g on g.cbs_code = s.gemeente
where s.maand between b.van and b.tot
