# Two commands set everything up on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIOS := scenarios/baseline.yaml $(filter-out scenarios/baseline.yaml,$(sort $(wildcard scenarios/*.yaml)))

.PHONY: report test lint typecheck unit bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

report: $(VENV)/.installed
	$(BIN)/decision compare $(SCENARIOS) --methods wsm,topsis,vikor,promethee --out reports

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check decision tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy decision

unit: $(VENV)/.installed-dev
	$(BIN)/pytest

test: lint typecheck unit

fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
