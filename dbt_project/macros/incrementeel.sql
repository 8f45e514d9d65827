{#- Month-end facts built incrementally per month (docs/models.md, "Incremental models").

    A new delivery can change any month: a later snapshot reopens, backdates or deletes a dossier
    years back, a person's birth date is corrected, a payment line is re-sent for an old period.
    So the model computes its month-end rows (`rijen`, a CTE), compares a digest of every
    (organisatie, maand) with the rows it holds, and sends only the months from each
    organisation's first difference on; the strategy `maanden_vanaf` below replaces exactly those
    months. Old months that are equal are neither written nor tested again. -#}

{% macro vanaf_eerste_verschil(rijen) -%}
{%- if is_incremental() %}
, verschil as (
    select organisatie, maand, count(*) as aantal, sum(hash(r)::hugeint) as digest
    from {{ rijen }} as r
    group by organisatie, maand
),
opgeslagen as (
    select organisatie, maand, count(*) as aantal, sum(hash(r)::hugeint) as digest
    from {{ this }} as r
    group by organisatie, maand
),
vanaf as (
    select coalesce(n.organisatie, o.organisatie) as organisatie, min(coalesce(n.maand, o.maand)) as maand
    from verschil as n
    full join opgeslagen as o on o.organisatie = n.organisatie and o.maand = n.maand
    where n.aantal is distinct from o.aantal or n.digest is distinct from o.digest
    group by all
)
-- one row per organisation with a difference even when no month from there on has rows
select v.organisatie as _vanaf_organisatie, v.maand as _vanaf_maand, r.*
from vanaf as v
left join {{ rijen }} as r on r.organisatie = v.organisatie and r.maand >= v.maand
{%- else %}
select * from {{ rijen }}
{%- endif %}
{%- endmacro %}

{% macro get_incremental_maanden_vanaf_sql(arg_dict) -%}
{#- delete+insert on the month: every month of an organisation from its first difference on is
    replaced (months that came out empty are removed); the helper columns are not inserted. -#}
{%- set kolommen = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
delete from {{ arg_dict['target_relation'] }} as t
using (select distinct _vanaf_organisatie, _vanaf_maand from {{ arg_dict['temp_relation'] }}) as v
where t.organisatie = v._vanaf_organisatie and t.maand >= v._vanaf_maand;

insert into {{ arg_dict['target_relation'] }} ({{ kolommen }})
select {{ kolommen }} from {{ arg_dict['temp_relation'] }} where maand is not null
{%- endmacro %}
