-- The civision dossiers running on a deelnemer's deelname start of which the deelnemer is applicant or
-- partner (KPIS.md, Policy measures): the dossiers whose end is maatregel_uitstroom_X, and the one the
-- comparison group of marts.maatregelen is matched on (is_dossier_op_start: the oldest).
select
    d.organisatie,
    d.maatregel,
    d.x,
    d.pseudoniem,
    d.gemeente as deelnemer_gemeente,
    d.deelname_start,
    u.dossiernummer,
    u.gemeente,
    u.ingangsdatum,
    u.einddatum,
    {{ is_uitstroom_naar_werk('u.uitstroom_categorie') }} as is_werk,
    row_number() over (
        partition by d.organisatie, d.maatregel, d.pseudoniem order by u.ingangsdatum, u.dossiernummer
    ) = 1 as is_dossier_op_start
from {{ ref('int_maatregel_deelnemers') }} as d
join {{ ref('fct_uitkeringen') }} as u
    on d.pseudoniem in (u.aanvrager, u.partner) and {{ loopt_op_dag('u.ingangsdatum', 'u.einddatum', 'd.deelname_start') }}
