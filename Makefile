# The two commands of the README: `make demo` and `make test`.
# Both create the virtual environment and install what they need by themselves.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_PIPELINES := pipelines/defect-reports.yaml pipelines/tree-cadastre.yaml

.PHONY: install demo test lint unit clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the shipped pipelines end to end on the embedded default (local catalogue
## in ./.publisher) and show what was published.
demo: install
	$(BIN)/publisher run $(DEMO_PIPELINES)
	$(BIN)/publisher catalog list

lint: install
	$(BIN)/ruff check publisher tests pipelines
	$(BIN)/mypy publisher

unit: install
	$(BIN)/python -m pytest

## The whole test suite.
test: lint unit

clean:
	rm -rf $(VENV) .publisher .pytest_cache .mypy_cache .ruff_cache
