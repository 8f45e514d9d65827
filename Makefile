# Set-up is two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test dev bench system-deps

$(BIN)/pdw: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/pdw
	$(BIN)/pdw demo

# The tests use a real PostgreSQL server and a real headless Chromium from Debian's packages.
system-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v chromium >/dev/null || { \
	  echo "Installing postgresql and chromium (Debian packages) ..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql chromium >/dev/null; }

test: system-deps $(BIN)/pdw
	$(BIN)/pytest

dev: $(BIN)/pdw
	$(BIN)/pdw dev

bench: $(BIN)/pdw
	$(BIN)/python bench/run.py
