-- The pseudonymised persons once as a table: pseudoniem() runs per row, so the view is
-- evaluated here only, not in every model that needs a person's pseudonym or birth date.
select * from {{ ref('stg_civision__personen') }}
