-- Date spine (var datum_van .. datum_tot) with month attributes; the month grid of the KPIs joins on it.
select
    cast(d as date) as datum,
    cast(year(d) as integer) as jaar,
    cast(quarter(d) as integer) as kwartaal,
    cast(month(d) as integer) as maandnummer,
    strftime(d, '%Y-%m') as periode,
    cast(date_trunc('month', d) as date) as maand_start,
    cast(last_day(d) as date) as maand_einde,
    cast(d as date) = last_day(d) as is_maandeinde,
    cast(isodow(d) as integer) as dag_van_week
from generate_series(
    timestamp '{{ var("datum_van", "2000-01-01") }}', timestamp '{{ var("datum_tot", "2040-12-31") }}', interval 1 day
) as t (d)
