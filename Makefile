# coupwatch: `make demo` builds everything and shows it; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The publishers' files: $COUPWATCH_MIRROR, else the shared mirror beside this checkout, else download.
MIRROR ?= $(or $(COUPWATCH_MIRROR),$(abspath $(wildcard ../shared/data/raw)))
export COUPWATCH_MIRROR := $(MIRROR)
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck bench clean install system-deps

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "publishers' files from: $(if $(MIRROR),$(MIRROR),the publishers' official URLs)"
	$(BIN)/coupwatch data build
	$(BIN)/coupwatch panel --country MLI --from 2010 --to 2023 \
	  --columns pt_attempts,pt_successes,cdp_events,milex_gdp,v2x_polyarchy,v2x_jucon,v2x_ex_military,ucdp_conflicts,gdp_pc_growth
	$(BIN)/coupwatch backtest
	$(BIN)/coupwatch forecast --top 20

# Debian packages for the browser and PDF tests (chromium, poppler, fonts): installed only when missing.
system-deps:
	bash scripts/system-deps

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/build.py
	$(BIN)/python bench/backtest.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
