{#- The KPI list is the metrics layer: every metric with `config.meta.berekening` is a KPI of
    marts.kpi. berekening says how months combine into a year (KPIS.md, "Further rules"):
      telling            flow count: year = sum of months
      aandeel            flow share: teller/noemer, year and organisation from summed counts
      stand              month-end stock: year = the last month of the year in the data period
      stand_aandeel      share of a month-end stock: year = the last month's share
      gemiddelde         mean of month-end stocks (meta.teller names the stock measure):
                         year = mean of the months; month = year-to-date mean
      gemiddeld_aandeel  monthly share, year = mean of the monthly shares
    teller and noemer are the measures of the metric (simple) or of its numerator and
    denominator (ratio), so marts.kpi counts with exactly the measure MetricFlow uses. -#}
{% macro kpi_metrieken() %}
    {%- set kpis = [] -%}
    {%- if execute -%}
        {%- for metric in graph.metrics.values() | sort(attribute='name') -%}
            {%- set meta = metric.config.meta or metric.meta -%}
            {%- if meta.berekening -%}
                {%- if meta.teller -%}
                    {%- set teller, noemer = meta.teller, none -%}
                {%- elif metric.type == 'ratio' -%}
                    {%- set teller = _maatstaf_van(metric.type_params.numerator.name) -%}
                    {%- set noemer = _maatstaf_van(metric.type_params.denominator.name) -%}
                {%- else -%}
                    {%- set teller, noemer = _maatstaf_van(metric.name), none -%}
                {%- endif -%}
                {%- do kpis.append({'code': metric.name, 'berekening': meta.berekening,
                                    'teller': teller, 'noemer': noemer}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(kpis) }}
{% endmacro %}

{% macro _maatstaf_van(metric_name) %}
    {%- set metric = graph.metrics['metric.' ~ project_name ~ '.' ~ metric_name] -%}
    {%- if metric.type != 'simple' or metric.filter -%}
        {{ exceptions.raise_compiler_error("KPI-metriek " ~ metric_name ~ " moet een eenvoudige metriek zonder filter zijn: de regel hoort als vlag in het feit") }}
    {%- endif -%}
    {{ return(metric.type_params.measure.name) }}
{% endmacro %}

{#- Where a measure lives: its fact model, the SQL of its aggregate and its month. -#}
{% macro maatstaf(name) %}
    {%- for model in graph.semantic_models.values() -%}
        {%- for measure in model.measures if measure.name == name -%}
            {%- set tijd_naam = measure.agg_time_dimension or model.defaults.agg_time_dimension -%}
            {%- set tijd = (model.dimensions | selectattr('name', 'equalto', tijd_naam) | first) -%}
            {%- set gemeente = (model.entities | selectattr('name', 'equalto', 'gemeente') | first) -%}
            {%- set expr = measure.expr or measure.name -%}
            {%- set aggregaat = 'count(distinct ' ~ expr ~ ')' if measure.agg == 'count_distinct' else measure.agg ~ '(' ~ expr ~ ')' -%}
            {{ return({'model': model.depends_on.nodes[0].split('.')[-1], 'aggregaat': aggregaat,
                       'tijd': tijd.expr or tijd.name, 'gemeente': gemeente.expr or gemeente.name}) }}
        {%- endfor -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Maatstaf " ~ name ~ " staat in geen enkel semantisch model") }}
{% endmacro %}
