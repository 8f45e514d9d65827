-- Payment lines (deduplicated delta union) with the dossier's municipality and organisation,
-- materialised once: at national scale this is the largest table (tens of millions of lines).
-- Incremental (delete+insert on regelnummer): a run writes the lines that differ from the stored
-- ones, that is the new lines, the re-sent ones and those of dossiers whose municipality the
-- latest snapshot changed (docs/models.md, "Incremental models").
with regels as (
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
)
select * from regels
{% if is_incremental() %}
    except
    select * from {{ this }}
{% endif %}
