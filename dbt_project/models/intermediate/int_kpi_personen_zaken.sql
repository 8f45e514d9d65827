-- The events of the distinct-person zaken KPIs (KPIS.md, Cases), counted per whole period in
-- marts.kpi (a person counts once per period, so months cannot be summed): a KINDPAKKET zaak received
-- (kpi by its inkomensbron; NULL when missing: counted in no X) and a PREMIE_VRIJWILLIGERSWERK zaak
-- closed with TOEGEKEND or DEELS_TOEGEKEND. Zaken without a person (no initiator) are skipped.
select
    organisatie,
    gemeente,
    persoon,
    'kindpakket_gezinnen' as groep,
    case
        when inkomensbron in (select c.code from {{ ref('codes') }} as c where c.lijst = 'inkomensbron')
            then 'kindpakket_gezinnen_' || lower(inkomensbron)
    end as kpi,
    startdatum as datum,
    identificatie
from {{ ref('fct_zaken') }}
where zaaktype = 'KINDPAKKET' and persoon is not null
union all
select organisatie, gemeente, persoon, 'vrijwilligerspremies', 'vrijwilligerspremies', einddatum, identificatie
from {{ ref('fct_zaken') }}
where
    zaaktype = 'PREMIE_VRIJWILLIGERSWERK' and resultaat in ('TOEGEKEND', 'DEELS_TOEGEKEND')
    and persoon is not null
