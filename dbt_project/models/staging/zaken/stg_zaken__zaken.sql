-- Snapshot with lawful destruction (SOURCES.md, zaken). Per uuid the versions of the latest delivery
-- that held it; of two versions in one dump the more advanced holds (einddatum set, then resultaat
-- set), then the later page. A zaak missing from the latest dump counts on only when it was destroyed
-- under the archive rules (its last version: archiefnominatie vernietigen, archiefactiedatum on or
-- before the delivery that lacked it); otherwise it was deleted. The initiator of a destroyed zaak was
-- purged from raw by the loader; its pseudonym is kept where the FG allows it (DECISIONS.md 14), else
-- the zaak counts as a person of its own (fct_zaken). Result texts map to codes after trimming,
-- lower-casing and collapsing spaces; a closed zaak without a mapped result is ONBEKEND.
with versies as (
    select
        *,
        bool_or(_levering_tot is null) over (partition by uuid) as actueel,
        max(_levering_tot) over (partition by uuid) as weg_bij
    from {{ source('raw_zaken', 'zaken') }}
),
laatste as (
    select *
    from versies
    where (actueel and _levering_tot is null) or (not actueel and _levering_tot = weg_bij)
    qualify row_number() over (
        partition by uuid order by einddatum is not null desc, heeft_resultaat desc nulls last, _rij desc
    ) = 1
),
resultaten as (
    select distinct on (tekst) code, tekst
    from (
        select code, unnest(string_split(omschrijving, '|')) as tekst
        from {{ ref('codes') }}
        where lijst = 'zaak_resultaat'
    )
    order by tekst, code
),
initiatoren as (
    select uuid, pseudoniem(initiator_bsn) as pseudoniem
    from laatste
    where initiator_bsn is not null
    union all
    select uuid, pseudoniem
    from {{ source('raw_zaken', 'vernietigde_initiatoren') }}
),
zaken as (
    select
        laatste.*,
        not laatste.actueel as vernietigd,
        {{ tekst_genormaliseerd('laatste.resultaat') }} as resultaat_tekst,
        coalesce(g_code.cbs_code, g_naam.cbs_code) as gemeente_code,
        coalesce(g_code.organisatie, g_naam.organisatie, {{ zaken_organisatie('laatste.bronorganisatie') }}) as organisatie_code
    from laatste
    left join {{ ref('gemeenten') }} as g_code on g_code.cbs_code = upper(trim(laatste.gemeente))
    left join {{ ref('gemeenten') }} as g_naam on lower(g_naam.naam) = lower(trim(laatste.gemeente))
    where laatste.actueel or (laatste.archiefnominatie = 'vernietigen' and laatste.archiefactiedatum <= laatste.weg_bij)
)
select
    zaken.uuid,
    zaken.identificatie,
    zaken.organisatie_code as organisatie,
    zaken.gemeente_code as gemeente,
    trim(zaken.gemeente) as gemeente_geleverd,
    zaken.zaaktype,
    zaaktype.categorie,
    zaken.registratiedatum,
    zaken.startdatum,
    zaken.einddatum,
    case
        when zaken.einddatum is not null then coalesce(r.code, 'ONBEKEND')
    end as resultaat,
    zaken.resultaat_tekst is not null and r.code is null as resultaat_onbekend,
    zaken.heeft_resultaat,
    initiatoren.pseudoniem,
    upper(trim(zaken.inkomensbron)) as inkomensbron,
    upper(trim(zaken.onderwerp)) as onderwerp,
    {{ maatregel_code_geleverd('zaken.maatregel_code') }} as maatregel_code_geleverd,
    {{ maatregel_code('zaken.maatregel_code') }} as maatregel_code,
    zaken.vernietigd,
    zaken._levering
from zaken
left join {{ ref('codes') }} as zaaktype on zaaktype.lijst = 'zaaktype' and zaaktype.code = zaken.zaaktype
left join resultaten as r on r.tekst = zaken.resultaat_tekst
left join initiatoren on initiatoren.uuid = zaken.uuid
