-- Payment lines (deduplicated delta union) with the dossier's municipality and organisation,
-- materialised once and incrementally (delete+insert on regelnummer): at national scale this is
-- the largest table (tens of millions of lines). A run takes the lines of the deliveries after the
-- latest stored one (deliveries arrive in date order; a re-sent line replaces the stored one) and
-- the stored lines of dossiers whose municipality the latest snapshot changed or that left it.
with dossiers as (
    select dossiernummer, organisatie, gemeente from {{ ref('stg_civision__uitkeringen') }}
),
regels as (
    select
        b.regelnummer,
        b.dossiernummer,
        u.organisatie,
        u.gemeente,
        b.periode,
        b.soort,
        b.bedrag,
        b.verrekende_inkomsten,
        b.betaaldatum,
        b._levering
    from {{ ref('stg_civision__betalingen') }} as b
    left join dossiers as u on u.dossiernummer = b.dossiernummer
)
select * from regels
{#- a table from before this model was incremental has no _levering: then all lines, once -#}
{% if is_incremental() and '_levering' in adapter.get_columns_in_relation(this) | map(attribute='name') %}
    where
        _levering > (select coalesce(max(_levering), date '1900-01-01') from {{ this }})
        or dossiernummer in (
            select t.dossiernummer
            from (select distinct dossiernummer, organisatie, gemeente from {{ this }}) as t
            left join dossiers as u on u.dossiernummer = t.dossiernummer
            where u.organisatie is distinct from t.organisatie or u.gemeente is distinct from t.gemeente
        )
{% endif %}
