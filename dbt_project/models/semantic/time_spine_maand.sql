-- Month grain time spine: lets MetricFlow join month-grain facts (month-end stands) without a day spine.
select cast(range as date) as date_month
from range(date '2010-01-01', date '2041-01-01', interval 1 month)
