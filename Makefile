# opsfirst: the two commands a new user needs are `make lab` and `make test` (see README.md).
# Everything installs into .venv beside this file; nothing is installed system-wide.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Extra arguments for JupyterLab, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-m 'not slow'"
PYTEST_ARGS ?=
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# nbgrader runs some tools (alembic) by name: the venv's bin must come first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help lab test test-fast bench datasets release hub hub-remove clean

help:
	@echo "make lab    - install the kit in .venv and open the course in JupyterLab"
	@echo "make test   - install the kit with its test tools and run the whole suite"
	@echo "make bench  - speed benchmarks: staffing vs pyworkforce, simulator vs ciw, grading vs nbgrader, FCR vs DuckDB, shifts vs pyworkforce (ratios), forecasts on bank_calls vs statsmodels (WAPE)"
	@echo "make release - regenerate exercises/ (the student version) from solutions/ with nbgrader"
	@echo "make datasets - rebuild datasets/ (CSV files and the data dictionary) from the code"
	@echo "make hub   - (root, Linux) a demo JupyterHub for a cohort: a coach, three learners (deploy/README.md)"
	@echo "make clean  - remove .venv and build leftovers"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.kit: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.kit

# JupyterLab starts from the repository root: nbgrader's extensions read nbgrader_config.py
# from the server's working directory. First every assignment of exercises/ goes into the local
# exchange (.nbgrader/exchange), so the Assignment List shows it. It opens the course's front
# door, course/README.md, rendered: deploy/lab/overrides.json makes Markdown Preview the viewer
# of markdown files (JupyterLab reads it as its application settings, nothing in your home).
lab: $(VENV)/.kit
	cd "$(CURDIR)" && $(BIN)/opsfirst exchange
	cd "$(CURDIR)" && exec $(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir="$(CURDIR)" \
	    --LabApp.app_settings_dir="$(CURDIR)/deploy/lab" $(LAB_ARGS) course/README.md

# The browser test (tests/lab/test_browser.py) drives Debian's chromium: installed here when it is
# missing and we are root (CI); elsewhere the script does nothing and that test skips.
test: $(VENV)/.test
	@sh tests/lab/ensure-chromium.sh
	cd "$(CURDIR)" && $(BIN)/python -m pytest -n auto --dist loadscope $(PYTEST_ARGS)

test-fast: PYTEST_ARGS += -m "not slow"
test-fast: test

# Staffing against pyworkforce (installed only in a separate .bench venv), the simulator against
# ciw, opsfirst grade against sequential nbgrader, repeat-contact FCR against DuckDB (in its own
# .bench/fcr-venv), least-cost shifts against pyworkforce's scheduler (.bench/venv), forecasts against
# statsmodels' ETS and MSTL (.bench/forecasting-venv). Each prints ratios measured in its one run; see benchmarks/README.md.
bench: $(VENV)/.test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/simulation.py
	$(BIN)/python benchmarks/grading.py
	$(BIN)/python benchmarks/fcr.py
	$(BIN)/python benchmarks/scheduling.py
	$(BIN)/python benchmarks/forecasting.py

# The student version of every assignment, committed; a test fails when it is out of date.
release: $(VENV)/.kit
	cd "$(CURDIR)" && $(BIN)/opsfirst release

# Every dataset is rebuilt by its seeded builder in src/opsfirst/datasets/builders; a test
# checks that the shipped files equal what this writes.
datasets: $(VENV)/.test
	cd "$(CURDIR)" && $(BIN)/python -m opsfirst.datasets.builders

# A cohort on one server (deploy/README.md): installs the kit for every user under /opt/opsfirst
# (HUB_PREFIX) with Debian's python3, configurable-http-proxy from npm, makes the demo users,
# releases the assignments as the coach and runs JupyterHub (HUB_IP, HUB_PORT, HUB_PASSWORD).
hub: $(VENV)/.kit
	cd "$(CURDIR)" && $(BIN)/python deploy/hub/hub.py demo

hub-remove: $(VENV)/.kit
	cd "$(CURDIR)" && $(BIN)/python deploy/hub/hub.py remove

clean:
	rm -rf $(VENV) .bench build dist src/*.egg-info
