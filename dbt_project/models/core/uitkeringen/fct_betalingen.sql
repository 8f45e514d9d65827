-- Payment lines; municipality and organisation of the dossier (NULL for a dossier no longer in
-- the snapshot). A view on int_betalingen: the lines are stored once (int_betaalregels).
select * from {{ ref('int_betalingen') }}
