-- One row per finding of this run (docs/datakwaliteit.md). When two owners name the same record,
-- check and delivery, the row appears once, in order of preference: loader, cross-system model,
-- Great Expectations. GX results are written by orchestration/quality.py while the checks run
-- (latest validation per suite). A run stopped by a blocking GX check builds this model before the
-- cross-system models exist (first run) and before the first validation: what is absent is left out.
{%- set gx_resultaten = source('kwaliteit', 'gx_resultaten') %}
{%- set gx_afwijkingen = source('kwaliteit', 'gx_afwijkingen') %}
{%- set controles = [ref('dq_controle_aansluiting'), ref('dq_controle_civision'), ref('dq_controle_erp'),
                     ref('dq_controle_schuldhulp'), ref('dq_controle_doelen'), ref('dq_controle_kcc'),
                     ref('dq_controle_hr'), ref('dq_controle_cbs'), ref('dq_controle_zaken'),
                     ref('dq_controle_inburgering'),
                     ref('dq_controle_maatregelen')] %}
with bevindingen as (
    select systeem as bron, object, coalesce(nullif(trim(sleutel), ''), 'rij ' || rij) as sleutel, controle,
           case when controle = 'bron_geblokkeerd' then 'blokkerend' else 'waarschuwing' end as ernst,
           omschrijving, levering, 1 as voorkeur
    from {{ source('raw_meta', 'quarantaine') }}
    union all
    select systeem, object, coalesce(nullif(trim(sleutel), ''), 'rij ' || rij), controle,
           case when controle in ('exacte_dubbele_rij', 'bsn_8_cijfers') then 'info' else 'waarschuwing' end,
           omschrijving, levering, 1
    from {{ source('raw_meta', 'markeringen') }}
    {%- for controle in controles if execute and load_relation(controle) is not none %}
    union all
    select bron, object, sleutel, controle, ernst, omschrijving, cast(levering as date), 2
    from {{ controle }}
    {%- endfor %}
    {%- if execute and load_relation(gx_afwijkingen) is not none %}
    union all
    select a.bron, a.object, coalesce(a.sleutel, '(hele levering)'), a.controle, a.ernst, a.omschrijving, a.levering, 3
    from {{ gx_afwijkingen }} as a
    where (a.suite, a.run_id) in (select (r.suite, arg_max(r.run_id, r.gevalideerd_op))
                                  from {{ gx_resultaten }} as r group by r.suite)
    {%- endif %}
)
select bron, object, sleutel, controle, ernst, omschrijving, levering,
       -- a source that cannot be read keeps its last good state: the others still publish
       ernst = 'blokkerend' and controle <> 'bron_geblokkeerd' as stopt_publicatie,
       cast('{{ env_var("PDW_RUN_ID", invocation_id) }}' as varchar) as run_id
from bevindingen
qualify row_number() over (partition by bron, object, sleutel, controle, levering order by voorkeur, omschrijving) = 1
order by bron, object, controle, sleutel, levering
