# Inside-Out: `make serve` sets up and runs the kit; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test bench load install clean screenshots

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
# tests, and the grading tests, together in one process each. 2 matches this machine's
# cores: with 4 the suite took 35 min instead of 64 (load average 12-17 from other work),
# but two grading tests with time limits (test_crafted_corpus: a 50 MB print, a whole run
# under 120 s) failed for want of CPU. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m tests.support.preflight
	@url="$${INSIDEOUT_TEST_DATABASE_URL:-$$(bash .ci/postgres-url 2>/dev/null)}"; \
	  INSIDEOUT_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest tests --ignore=tests/benchmarks --durations=25 \
	  -n $(TEST_WORKERS) --dist loadscope

# The load test through nginx, two servers and PostgreSQL (tests/deploy/test_proxy_load.py).
load: $(STAMP)
	@url="$${INSIDEOUT_TEST_DATABASE_URL:-$$(bash .ci/postgres-url 2>/dev/null)}"; \
	  INSIDEOUT_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest tests/deploy -m load -s -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -s -p no:cacheprovider

# The course's annotated screenshots of the sandbox (course/assets/screenshots/), made from
# a freshly seeded sandbox in Chromium; tests/site/test_screenshots.py says when to rerun it.
screenshots: $(STAMP)
	$(BIN)/python -m tests.support.screenshots

clean:
	rm -rf site .insideout .pytest_cache
