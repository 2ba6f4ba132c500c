# The two commands of the README: `make demo` and `make test`.
# Both create the virtual environment and install what they need by themselves.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_PIPELINES := $(sort $(wildcard pipelines/*.yaml))

.PHONY: install sysdeps demo test lint unit reliability bench-smoke stack-up stack-down stack-status clean

# The engine's compiled cell readers (native/, Rust) are a speed-up only: they
# build with cargo (rustup puts it in ~/.cargo/bin) when it is there; without
# it the pure engine (Arrow) runs and a one-line note says so.
export PATH := $(HOME)/.cargo/bin:$(PATH)
NATIVE := native/Cargo.toml native/Cargo.lock native/pyproject.toml $(wildcard native/src/*.rs)

$(STAMP): pyproject.toml $(NATIVE)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@if command -v cargo >/dev/null; then \
	  $(BIN)/python -m pip install --quiet ./native || \
	    echo "make: the compiled extension (native/) did not build; the pure engine is used" >&2; \
	else \
	  echo "make: no Rust toolchain (cargo): the pure engine is used; the compiled extension in native/ is an optional speed-up" >&2; \
	fi
	touch $(STAMP)

## The pages' browser libraries (Leaflet, Swagger UI; axe-core for the browser tests)
## come from the npm registry as publisher/web/package-lock.json pins them, into
## publisher/web/node_modules (ignored by git; a wheel built after this includes
## them). Without npm the pages say that a library is missing where a map or the
## API documentation would be.
ASSETS := publisher/web/node_modules/.package-lock.json
$(ASSETS): publisher/web/package.json publisher/web/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --prefix publisher/web; \
	else \
	  echo "make: no npm: the pages show a message in place of maps and the API documentation, and the browser tests fail" >&2; \
	fi

install: $(STAMP) $(ASSETS)

## Run the shipped pipelines end to end on the embedded default (local catalogue
## in ./.publisher) and show what was published.
demo: install
	$(BIN)/publisher run $(DEMO_PIPELINES)
	$(BIN)/publisher catalog list

## System packages the tests need beyond the stack (Debian): headless Chromium
## renders the HTML reports and runs the pages' browser tests (Playwright drives
## it; no browser is downloaded); valgrind counts instructions for
## benchmarks/validate_instructions.py. Each command is its package's name.
SYSDEPS := chromium valgrind
sysdeps:
	@missing=""; for cmd in $(SYSDEPS); do command -v $$cmd >/dev/null || missing="$$missing $$cmd"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

lint: install
	$(BIN)/ruff check publisher tests pipelines benchmarks
	$(BIN)/mypy publisher
	@if command -v cargo >/dev/null; then cargo test --quiet --release --manifest-path native/Cargo.toml; \
	else echo "make: no Rust toolchain: the compiled extension's own tests are skipped" >&2; fi

## Tests that need no server (quick).
unit: install sysdeps
	$(BIN)/python -m pytest -m "not stack"

## The whole test suite: brings the real stack (PostgreSQL, Redis, Solr, S3, CKAN)
## up on 127.0.0.1, runs every test and every benchmark in its quick mode, and takes
## the stack down again. If the stack does not come up, the tests still run and the
## stack tests fail naming the service.
test: lint sysdeps
	deploy/local/up || echo "make test: the stack did not come up; its tests will say which service failed" >&2
	$(BIN)/python -m pytest; rc=$$?; $(BENCH_SMOKE) || rc=1; deploy/local/down || rc=1; exit $$rc

## Every script in benchmarks/ in its quick mode (small sizes; thresholds are not
## judged): a benchmark that no longer runs fails. api, ckan_publish and reliability
## need the stack, so it comes up and goes down as in `make test`.
BENCH_SMOKE := $(BIN)/python benchmarks/_smoke.py
bench-smoke: install sysdeps
	deploy/local/up
	$(BENCH_SMOKE); rc=$$?; deploy/local/down || rc=1; exit $$rc

## Faults survived, bad input refused, nothing lost or leaked: a table.
reliability: install sysdeps
	deploy/local/up
	$(BIN)/python benchmarks/reliability.py; rc=$$?; deploy/local/down || rc=1; exit $$rc

stack-up:
	deploy/local/up

stack-down:
	deploy/local/down

stack-status:
	deploy/local/status

clean:
	rm -rf $(VENV) .publisher .pytest_cache .mypy_cache .ruff_cache
