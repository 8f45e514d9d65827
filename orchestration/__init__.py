"""The Dagster code location of the participatie data warehouse."""
