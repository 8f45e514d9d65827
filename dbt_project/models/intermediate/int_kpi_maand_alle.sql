-- Every KPI that marts.kpi computes from monthly counts, as (teller, noemer) per organisatie, gemeente
-- and month: the KPIs of the metrics layer (int_kpi_maand) and those of the sources computed outside it.
-- The one list of which KPIs exist: marts.kpi, the targets (int_doelen) and their forecast read it.
select * from {{ ref('int_kpi_maand') }}
union all by name
select * from {{ ref('int_kpi_maand_personeel') }}
union all by name
select * from {{ ref('int_kpi_maand_kcc') }}
union all by name
select * from {{ ref('int_kpi_maand_tevredenheid') }}
union all by name
select * from {{ ref('int_kpi_maand_financien') }}
union all by name
select * from {{ ref('int_kpi_maand_zaken') }}
union all by name
select * from {{ ref('int_kpi_maand_inburgering') }}
union all by name
select * from {{ ref('int_kpi_maand_maatregelen') }}
union all by name
select * from {{ ref('int_kpi_maand_statushouders') }}
