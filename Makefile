# Sortie: `make run` builds the data from seeds/ and serves the dashboard;
# `make test` installs everything the tests need (system packages included) and runs them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DATA ?= data
HOST ?= 127.0.0.1
PORT ?= 8050
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run etl dashboard test test-fast browser eval bench bench-dates bench-dashboard bench-etl lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: etl dashboard

etl: $(STAMP)
	$(PY) -m etl run seeds --data $(DATA)

dashboard: $(STAMP)
	$(VENV)/bin/sortie-dashboard --data $(DATA) --host $(HOST) --port $(PORT)

# Debian's Chromium and its driver, for the browser tests.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

test: $(STAMP) browser lint
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check etl dashboard tests benchmarks
	$(VENV)/bin/ruff format --check etl dashboard tests benchmarks

format: $(STAMP)
	$(VENV)/bin/ruff check --fix etl dashboard tests benchmarks
	$(VENV)/bin/ruff format etl dashboard tests benchmarks

eval: $(STAMP)
	$(PY) benchmarks/eval.py --shared $(SHARED)
	$(PY) benchmarks/eval_reviewed.py --data $(DATA) --shared $(SHARED)

bench: bench-dates bench-etl bench-dashboard

bench-dates: $(STAMP)
	$(PY) benchmarks/bench_dates.py

bench-etl: $(STAMP)
	$(PY) benchmarks/bench_etl.py
	$(PY) benchmarks/bench_long_article.py

bench-dashboard: $(STAMP)
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_review.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
