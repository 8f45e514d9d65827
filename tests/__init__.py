"""The test suite: real DuckDB files, dbt runs, Dagster materialisations, PostgreSQL and Chromium."""
