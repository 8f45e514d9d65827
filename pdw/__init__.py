"""Participatie data warehouse: shared contract, settings and the `pdw` command line."""
