{#- Incremental strategy of the month-end facts (docs/models.md, "Incremental models"):
    delete+insert on (organisatie, maand), from each organisation's first month that differs.

    A new delivery can change any month: a later snapshot reopens, backdates or deletes a dossier
    years back, a birth date is corrected, a payment line is re-sent for an old period. So the
    model computes all its rows (dbt's temporary relation) and this compares a digest of every
    (organisatie, maand), row count and sum of row hashes, with the stored rows; every month of
    an organisation from its first difference on is deleted (also months that came out empty)
    and written again. Equal months are left as they are. -#}
{% macro get_incremental_maanden_vanaf_sql(arg_dict) -%}
{%- set doel, nieuw = arg_dict['target_relation'], arg_dict['temp_relation'] -%}
{%- set kolommen = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
{%- set vanaf = doel.identifier ~ '__vanaf' -%}
create or replace temporary table {{ vanaf }} as
with nieuw as (
    select organisatie, maand, count(*) as aantal, sum(hash(r)::hugeint) as digest
    from (select {{ kolommen }} from {{ nieuw }}) as r
    group by organisatie, maand
),
opgeslagen as (
    select organisatie, maand, count(*) as aantal, sum(hash(r)::hugeint) as digest
    from (select {{ kolommen }} from {{ doel }}) as r
    group by organisatie, maand
)
select coalesce(n.organisatie, o.organisatie) as organisatie, min(coalesce(n.maand, o.maand)) as maand
from nieuw as n
full join opgeslagen as o on o.organisatie = n.organisatie and o.maand = n.maand
where n.aantal is distinct from o.aantal or n.digest is distinct from o.digest
group by all;

delete from {{ doel }} as t
using {{ vanaf }} as v
where t.organisatie = v.organisatie and t.maand >= v.maand;

insert into {{ doel }} ({{ kolommen }})
select {{ kolommen }}
from {{ nieuw }} as n
where exists (select 1 from {{ vanaf }} as v where v.organisatie = n.organisatie and n.maand >= v.maand);

drop table {{ vanaf }}
{%- endmacro %}
