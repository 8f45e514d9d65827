-- Settlement per gemeente, per organisatie, jaar and peilmaand (the 2018 bestuursrapportage, section 4):
-- benefit lasten so far and the year forecast (caseload forecast x average benefit price so far, as the
-- report does it) against the BUIG budget, and the contribution of the gemeente so far: its verdeelsleutel
-- share of the common costs plus its specific costs (uitkeringen, loonkostensubsidie, armoede).
-- Specific costs: lasten on benefit accounts (fct_grootboek.is_uitkeringsrekening) and on accounts whose
-- name contains 'loonkostensubsidie' or 'armoede' (case-insensitive), by the entry's gemeente; common
-- costs: all other lasten of the organisation.
with lasten as (
    select
        g.organisatie,
        g.gemeente,
        g.jaar,
        cast(date_trunc('month', g.boekdatum) as date) as maand,
        g.bedrag,
        case
            when r.is_uitkeringsrekening then 'uitkeringen'
            when lower(r.naam) like '%loonkostensubsidie%' then 'loonkostensubsidie'
            when lower(r.naam) like '%armoede%' then 'armoede'
            else 'gemeenschappelijk'
        end as kostensoort
    from {{ ref('fct_grootboek') }} as g
    join {{ ref('dim_grootboekrekening') }} as r on r.organisatie = g.organisatie and r.gl_account_no = g.gl_account_no
    where g.telt_in_realisatie and not r.is_baten
),
peil as (
    -- every municipality-month of the data period is a peilmaand of its year
    select
        m.organisatie,
        m.gemeente,
        m.jaar,
        m.maand as peilmaand,
        count(*) over (partition by m.organisatie, m.gemeente, m.jaar) as maanden_in_jaar,
        sum(k.teller) over (
            partition by m.organisatie, m.gemeente, m.jaar order by m.maand rows unbounded preceding
        ) as uitkeringsmaanden
    from {{ ref('int_maanden') }} as m
    join {{ ref('int_kpi_maand') }} as k
        on k.organisatie = m.organisatie and k.gemeente = m.gemeente and k.maand = m.maand
        and k.kpi = 'uitkeringen_eindstand'
),
tot_peil as (
    select
        p.organisatie,
        p.gemeente,
        p.jaar,
        p.peilmaand,
        sum(l.bedrag) filter (where l.gemeente = p.gemeente and l.kostensoort = 'uitkeringen') as uitkeringslasten,
        sum(l.bedrag) filter (where l.gemeente = p.gemeente and l.kostensoort <> 'gemeenschappelijk') as specifieke_lasten,
        sum(l.bedrag) filter (where l.kostensoort = 'gemeenschappelijk') as gemeenschappelijke_lasten
    from peil as p
    left join lasten as l
        on l.organisatie = p.organisatie and l.jaar = p.jaar and l.maand <= p.peilmaand
    group by all
),
afrekening as (
    select
        p.organisatie,
        p.gemeente,
        p.jaar,
        p.peilmaand,
        p.uitkeringsmaanden,
        p.maanden_in_jaar,
        coalesce(t.uitkeringslasten, 0) as uitkeringslasten,
        coalesce(t.specifieke_lasten, 0) as specifieke_lasten,
        coalesce(t.gemeenschappelijke_lasten, 0) as gemeenschappelijke_lasten,
        -coalesce(t.uitkeringslasten, 0) / nullif(p.uitkeringsmaanden, 0) as uitkeringsprijs,
        u.uitkeringen_gemiddeld,
        u.uitkeringen_gemiddeld_laag,
        u.uitkeringen_gemiddeld_hoog,
        b.bedrag_x1000 * 1000 as buig_budget,
        v.sleuteljaar,
        v.aandeel_pct
    from peil as p
    join tot_peil as t
        on t.organisatie = p.organisatie and t.gemeente = p.gemeente and t.jaar = p.jaar and t.peilmaand = p.peilmaand
    left join {{ ref('int_uitkeringen_prognose') }} as u
        on u.organisatie = p.organisatie and u.gemeente = p.gemeente and u.jaar = p.jaar
        and u.peilmaand = strftime(p.peilmaand, '%Y-%m')
    left join {{ ref('buig_budget') }} as b on b.gemeente = p.gemeente and b.jaar = p.jaar
    left join {{ ref('int_verdeelsleutel') }} as v
        on v.organisatie = p.organisatie and v.gemeente = p.gemeente and v.jaar = p.jaar
)
select
    organisatie,
    gemeente,
    cast(jaar as integer) as jaar,
    strftime(peilmaand, '%Y-%m') as peilmaand,
    cast(uitkeringslasten as decimal(18, 2)) as uitkeringslasten_tot_peilmaand,
    cast(uitkeringsmaanden as bigint) as uitkeringsmaanden_tot_peilmaand,
    cast(uitkeringsprijs as decimal(18, 2)) as uitkeringsprijs,
    cast(uitkeringen_gemiddeld as double) as uitkeringen_gemiddeld_prognose,
    cast(uitkeringen_gemiddeld_laag as double) as uitkeringen_gemiddeld_laag,
    cast(uitkeringen_gemiddeld_hoog as double) as uitkeringen_gemiddeld_hoog,
    cast(-uitkeringen_gemiddeld * maanden_in_jaar * uitkeringsprijs as decimal(18, 2)) as uitkeringslasten_jaarprognose,
    cast(buig_budget as decimal(18, 2)) as buig_budget,
    cast(uitkeringen_gemiddeld * maanden_in_jaar * uitkeringsprijs - buig_budget as decimal(18, 2)) as buig_risico,
    cast(sleuteljaar as integer) as sleuteljaar,
    sleuteljaar is not null and sleuteljaar < jaar as sleutel_uit_eerder_jaar,
    cast(aandeel_pct as decimal(7, 2)) as aandeel_pct,
    cast(gemeenschappelijke_lasten as decimal(18, 2)) as gemeenschappelijke_lasten_tot_peilmaand,
    cast(specifieke_lasten as decimal(18, 2)) as specifieke_lasten_tot_peilmaand,
    cast(-(gemeenschappelijke_lasten * aandeel_pct / 100 + specifieke_lasten) as decimal(18, 2)) as bijdrage_gemeente_tot_peilmaand
from afrekening
