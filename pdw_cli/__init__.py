"""The `pdw` command line, on top of the packages it drives: the foundation `pdw` (contract,
settings, pseudonym, metrics), the `simulator` and the Dagster code location `orchestration`."""
