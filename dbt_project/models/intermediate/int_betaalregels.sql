-- Payment lines as delivered (the deduplicated union of the deltas), stored once and
-- incrementally: a delivery adds the lines paid since the previous one and may re-send a line
-- (same regelnummer), which then replaces the stored one (delete+insert on regelnummer).
-- Deliveries arrive in date order (SOURCES.md), so the lines of deliveries after the latest
-- stored one are all that is new. Nothing here depends on a snapshot: the dossier's municipality,
-- which a later snapshot may change, is added by the view int_betalingen.
select regelnummer, dossiernummer, periode, soort, bedrag, verrekende_inkomsten, betaaldatum, _levering
from {{ ref('stg_civision__betalingen') }}
{% if is_incremental() %}
    where _levering > (select coalesce(max(_levering), date '1900-01-01') from {{ this }})
{% endif %}
