-- Findings: targets of seeds/doelen.csv that the planning marts skip, because their organisation,
-- KPI or municipality is unknown (a KPI whose source is not built yet, or a typing error).
select
    'referentie' as bron,
    'doelen' as object,
    concat_ws(' ', organisatie, gemeente, kpi, periode) as sleutel,
    case
        when not organisatie_bekend then 'doel_organisatie_onbekend'
        when not kpi_bekend then 'doel_kpi_onbekend'
        else 'doel_gemeente_onbekend'
    end as controle,
    'waarschuwing' as ernst,
    'Doel ' || kpi || ' ' || periode || coalesce(' voor ' || gemeente, '') || ' van ' || organisatie || ' wordt niet gevolgd: '
    || case
        when not organisatie_bekend then 'organisatie onbekend'
        when not kpi_bekend then 'de KPI is (nog) niet berekend'
        else 'de gemeente hoort niet bij de organisatie'
    end as omschrijving,
    cast(null as date) as levering
from {{ ref('int_doelen') }}
where not is_bruikbaar
