-- Payment lines (deduplicated delta union) with the dossier's municipality and organisation,
-- materialised once: at national scale this is the largest table (tens of millions of lines).
select
    b.regelnummer,
    b.dossiernummer,
    u.organisatie,
    u.gemeente,
    b.periode,
    b.soort,
    b.bedrag,
    b.verrekende_inkomsten,
    b.betaaldatum
from {{ ref('stg_civision__betalingen') }} as b
left join {{ ref('stg_civision__uitkeringen') }} as u on u.dossiernummer = b.dossiernummer
