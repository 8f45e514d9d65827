-- Month-end stands of benefits. Grain: (dossier, month) for every month of the data period
-- whose last day the dossier is in the eindstand (int_uitkeringen_maandeinde).
with geboorte as (
    select dossiernummer, any_value(aanvrager_geboortedatum) as aanvrager_geboortedatum
    from {{ ref('int_uitkeringen') }}
    group by dossiernummer
)
select
    s.dossiernummer,
    s.maand,
    m.gemeente,
    m.organisatie,
    {{ leeftijdsklasse('i.aanvrager_geboortedatum', 's.maand_einde') }} as leeftijdsklasse,
    s.is_jongere,
    s.is_langer_dan_2_jaar,
    s.heeft_deeltijdarbeid
from {{ ref('int_uitkeringen_maandeinde') }} as s
join {{ ref('int_maanden') }} as m on m.gemeente = s.gemeente and m.maand = s.maand
join geboorte as i on i.dossiernummer = s.dossiernummer
-- one row per dossier and month, also when applicant and partner are the same person
qualify row_number() over (partition by s.dossiernummer, s.maand) = 1
