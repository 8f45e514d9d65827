"""Names vulture cannot see being used: they are called by frameworks, not by our code."""
from pdw import metrics, prognose, pseudonym

pseudonym.Plugin  # dbt-duckdb loads the plugin class by module name (profiles.yml)
pseudonym.Plugin.initialize  # dbt-duckdb calls it with the plugin's config
pseudonym.Plugin.configure_connection  # dbt-duckdb calls it for every connection
prognose.reeksen  # called by the dbt Python models int_kpi_prognose and int_uitkeringen_prognose
prognose.voorspel  # idem
prognose.eerdere  # idem
metrics.write_compiled  # run by name in a subprocess (pdw.metrics.compiled_saved_queries)
plugin_config  # the parameter dbt-duckdb passes to initialize
progress_bars  # a GX context variable (orchestration/quality.py), read by GX
_key  # an autouse pytest fixture (tests/test_loading.py)
get_asset_key  # dagster-dbt calls it on the translator (orchestration/dbt.py)
_cli_version  # dagster-dbt reads and calls these on its CLI resource (orchestration/dbt.py)
_initialize_dbt_core_adapter
eenheid  # a table's unit line, read by the report template (orchestration/templates/bestuursrapportage.html.j2)
handle_starttag  # html.parser.HTMLParser callbacks (tests/test_rapport.py)
handle_data
handle_endtag
pytest_collection_modifyitems  # pytest hooks (tests/conftest.py)
pytest_collection_finish
