-- Day grain time spine for MetricFlow (dbt 1.9+ `time_spine:` config in semantic.yml).
-- Wide enough for every delivery the organisations can have (2010 .. 2040).
select cast(range as date) as date_day
from range(date '2010-01-01', date '2041-01-01', interval 1 day)
