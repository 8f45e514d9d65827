-- Payment lines; municipality and organisation of the dossier (NULL for a dossier no longer in the snapshot).
select * from {{ ref('int_betalingen') }}
