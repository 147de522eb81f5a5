# Inside-Out: `make serve` sets up and runs the kit; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test bench install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	@touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/insideout serve

# The PostgreSQL runs use $$INSIDEOUT_TEST_DATABASE_URL, or a local Debian cluster
# that .ci/postgres-url starts when it can; without either they are skipped, saying why.
# The suite runs in TEST_WORKERS processes (pytest-xdist); tests/conftest.py keeps a file's
# tests, the site tests and the grading tests together in one process each. Browser tests spend most of their
# time waiting for pages, so more processes than cores pay. TEST_WORKERS=0 runs in one.
TEST_WORKERS ?= 4
test: $(STAMP)
	$(BIN)/python -m tests.support.preflight
	@url="$${INSIDEOUT_TEST_DATABASE_URL:-$$(bash .ci/postgres-url 2>/dev/null)}"; \
	  INSIDEOUT_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest tests --ignore=tests/benchmarks --durations=25 \
	  -n $(TEST_WORKERS) --dist loadscope

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -s -p no:cacheprovider

clean:
	rm -rf site .insideout .pytest_cache
