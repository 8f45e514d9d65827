-- Findings in the hr extract that the contract flags (SOURCES.md, hr: quirks): the record still
-- counts. Keys name the employee by pseudonym (macro medewerker), never by personeelsnummer.
-- dienstverbanden: in every delivery that held the row version (as the loader reports per delivery);
-- verzuim: the current lines against the current dienstverbanden.
with versies as (
    select
        d.*,
        {{ medewerker(hr_organisatie('d'), 'd.personeelsnummer') }} as medewerker
    from {{ source('raw_hr', 'dienstverbanden') }} as d
),
rijen as (
    select
        *,
        medewerker || '|' || dienstverband || '|' || strftime(geldig_van, '%Y%m%d') as sleutel,
        lead(geldig_van) over (partition by levering, medewerker, dienstverband order by geldig_van, gewijzigd_op)
            as volgende_van
    from ({{ versies_per_levering('versies', 'hr', 'dienstverbanden') }})
),
einden as (
    select distinct medewerker, dienstverband, einddatum
    from {{ ref('stg_hr__dienstverbanden') }}
),
regels as (
    select
        v.*,
        v.verzuimnummer || '|' || v.regel as sleutel,
        d.einddatum as einde_dienstverband,
        max(coalesce(v.einddatum, date '9999-12-31')) over (partition by v.verzuimnummer) as laatste_einde,
        v.regel = max(v.regel) over (partition by v.verzuimnummer) as laatste_regel
    from {{ ref('stg_hr__verzuim') }} as v
    left join einden as d on d.medewerker = v.medewerker and d.dienstverband = v.dienstverband
)
select 'hr' as bron, 'dienstverbanden' as object, sleutel, 'fte_afwijkend' as controle, 'waarschuwing' as ernst,
       'fte ' || fte || ' wijkt meer dan 0,01 af van uren_per_week / normuren_per_week ('
           || uren_per_week || ' / ' || normuren_per_week || '); fte geldt' as omschrijving,
       levering
from rijen
where normuren_per_week > 0 and abs(fte - uren_per_week / normuren_per_week) > 0.01
union all
select 'hr', 'dienstverbanden', sleutel, 'werksoort_groep_leeg', 'waarschuwing',
       soort || '-dienstverband zonder werksoort_groep; telt als onbekend', levering
from rijen
where soort in ('WSW', 'BESCHUT', 'DOELGROEP') and nullif(trim(werksoort_groep), '') is null
union all
select 'hr', 'dienstverbanden', sleutel, 'wsw_gemeente_leeg', 'waarschuwing',
       soort || '-dienstverband zonder wsw_gemeente; telt als onbekend', levering
from rijen
where soort in ('WSW', 'BESCHUT', 'DOELGROEP') and nullif(trim(wsw_gemeente), '') is null
union all
select 'hr', 'dienstverbanden', sleutel, 'rijen_overlappen', 'waarschuwing',
       'De volgende rij van het dienstverband begint op ' || strftime(volgende_van, '%Y%m%d')
           || ', voor het einde van deze rij; de rij met de latere gewijzigd_op geldt', levering
from rijen
where volgende_van <= geldig_tot
union all
select 'hr', 'dienstverbanden', sleutel, 'rijen_gat', 'waarschuwing',
       'Tussen deze rij en de volgende van het dienstverband (vanaf ' || strftime(volgende_van, '%Y%m%d')
           || ') ontbreken dagen; die tellen als niet in dienst', levering
from rijen
where volgende_van > geldig_tot + 1
union all
select 'hr', 'verzuim', sleutel, 'regel_na_einde_dienstverband', 'waarschuwing',
       'Verzuimregel begint na het einde van het dienstverband (' || strftime(einde_dienstverband, '%Y%m%d')
           || '); telt niet', _levering
from regels
where ingangsdatum > einde_dienstverband
union all
select 'hr', 'verzuim', a.sleutel, 'regels_overlappen', 'waarschuwing',
       'Verzuimregel overlapt met regel ' || min(b.sleutel) || ' van hetzelfde dienstverband; percentages opgeteld, '
           || 'hoogstens 100', a._levering
from regels as a
join regels as b
    on b.medewerker = a.medewerker
    and b.dienstverband = a.dienstverband
    and b.sleutel <> a.sleutel
    and b.ingangsdatum <= coalesce(a.einddatum, date '9999-12-31')
    and a.ingangsdatum <= coalesce(b.einddatum, date '9999-12-31')
group by a.sleutel, a._levering
union all
select 'hr', 'verzuim', sleutel, 'hersteldatum_strijdig', 'waarschuwing',
       'hersteldatum ' || coalesce(strftime(hersteldatum, '%Y%m%d'), '99991231')
           || ' is niet de dag na de laatste regel; de regels gelden', _levering
from regels
where laatste_regel and coalesce(hersteldatum, date '9999-12-31')
    <> case when laatste_einde = date '9999-12-31' then laatste_einde else laatste_einde + 1 end
