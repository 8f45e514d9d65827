{#- Generic data tests used by the model ymls (no dbt_utils dependency). -#}

{% test unieke_combinatie(model, kolommen) %}
{#- No two rows share these columns (NULL counts as a value, like a natural key). -#}
select {{ kolommen | join(', ') }}, count(*) as aantal
from {{ model }}
group by {{ kolommen | join(', ') }}
having count(*) > 1
{% endtest %}

{% test geldig_interval(model, van, tot) %}
{#- An interval never ends before it starts. -#}
select * from {{ model }} where {{ tot }} is not null and {{ tot }} < {{ van }}
{% endtest %}

{% test ligt_tussen(model, column_name, laag, hoog) %}
{#- The column lies within [laag, hoog] (SQL expressions; a NULL bound does not bind). -#}
select * from {{ model }} where {{ column_name }} < {{ laag }} or {{ column_name }} > {{ hoog }}
{% endtest %}
