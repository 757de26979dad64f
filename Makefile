# Two commands set everything up on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIOS := scenarios/baseline.yaml $(filter-out scenarios/baseline.yaml,$(sort $(wildcard scenarios/*.yaml)))

.PHONY: report reference test lint typecheck unit bench fuzz clean

UV := $(VENV)/tools/bin/uv

# The venv is made without pip; uv (from PyPI, fetched with the interpreter's own pip into
# .venv/tools) installs the package: several times faster than pip for numpy, SciPy and
# matplotlib, which keeps `make report` on a clean clone quick.
$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(VENV)/tools "uv>=0.4"

# Bytecode is compiled at install time (the dependencies by uv, the package by compileall), so
# a machine with PYTHONDONTWRITEBYTECODE set does not recompile numpy, pydantic and matplotlib
# in every process.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	$(BIN)/python -m compileall -q decision
	touch $@

# pyDecision is the one peer with ELECTRE III; its own dependencies (LLM clients, a web server)
# are not needed by the module the cross-check loads, so it is installed without them.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	$(UV) pip install --quiet --no-deps --python $(BIN)/python "pyDecision==5.1.8"
	$(BIN)/python -m compileall -q decision
	touch $@ $(VENV)/.installed

report: $(VENV)/.installed
	$(BIN)/decision compare $(SCENARIOS) --methods wsm,topsis,vikor,promethee --out reports

# The field reference of model and scenario files, generated from the specs (a test checks the
# committed docs/reference.md is what this writes).
reference: $(VENV)/.installed
	$(BIN)/decision schema --reference > docs/.reference.md.tmp
	mv docs/.reference.md.tmp docs/reference.md

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check decision tests benchmarks tools examples

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy decision

unit: $(VENV)/.installed-dev
	$(BIN)/python -m compileall -q decision
	$(BIN)/pytest

test: lint typecheck unit

# Long runs of every test that reads FUZZ_EXAMPLES (fuzzers, property tests, the concurrent
# report writers): CI runs a bounded number of examples of each.
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/pytest -p no:cacheprovider \
		$$(grep -rl FUZZ_EXAMPLES tests --include='*.py' | sort)

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
