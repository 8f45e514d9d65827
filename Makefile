# Set-up is two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint dev bench lock system-deps

# Every dependency, transitive ones included, at the version in requirements.lock (docs/dependencies.md).
$(BIN)/pdw: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-virtualenv -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "requirements.lock does not satisfy pyproject.toml: run make lock"; exit 1; }
	touch $@

# Resolve pyproject.toml into requirements.lock, keeping the pins it has; LOCK_FLAGS=--upgrade moves them all.
# Then record the demo world anew if it changed (docs/dependencies.md).
lock:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --universal --quiet $(LOCK_FLAGS) -o requirements.lock

demo: $(BIN)/pdw
	$(BIN)/pdw demo

# The tests use a real PostgreSQL server and a real headless Chromium from Debian's packages.
system-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v chromium >/dev/null || { \
	  echo "Installing postgresql and chromium (Debian packages) ..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql chromium >/dev/null; }

# ruff, sqlfluff, check-yaml and vulture, as the pre-commit hooks run them (.pre-commit-config.yaml)
lint: $(BIN)/pdw
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

# Two pytest-xdist workers, the demo world's tests together on one of them (docs/testing.md).
test: system-deps lint
	$(BIN)/pytest -n 2 --dist loadgroup --no-loadscope-reorder

dev: $(BIN)/pdw
	$(BIN)/pdw dev

# One bench run per scale (docs/benchmark.md): make bench SCALES="S M XL"
SCALES ?= S
bench: $(BIN)/pdw
	$(BIN)/python -m bench.run --scales $(SCALES)
