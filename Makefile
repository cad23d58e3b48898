# The two front doors: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo_company
DEMO_CONFIG := $(DEMO_DIR)/c360.yml
PUBLISHED := $(DEMO_DIR)/warehouse/published/current.duckdb
# The demo service desk accepts this token; a real company sets its own variable (README).
export C360_SERVICE_DESK_TOKEN ?= demo-token

.PHONY: demo test test-slow test-soak install run-demo lint clean-demo metrics

install: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

# ./c360.yml, where `c360` looks without --config, points at the demo's (unless you have one):
# the README's `c360 sql "..."` then works as written from here
$(DEMO_CONFIG): | $(BIN)/.installed
	$(BIN)/c360 demo --out $(DEMO_DIR)
	@test -e c360.yml || ln -s $(DEMO_CONFIG) c360.yml

# One nightly run against the demo: its service desk API runs in the background meanwhile.
define run_demo_night
	@$(BIN)/c360 demo-api --config $(DEMO_CONFIG) & api=$$!; \
	trap "kill $$api 2>/dev/null" EXIT; \
	sleep 2; kill -0 $$api 2>/dev/null || { echo "demo-api did not start: is its port taken?"; exit 1; }; \
	$(BIN)/c360 run --config $(DEMO_CONFIG)
endef

$(PUBLISHED): $(DEMO_CONFIG)
	$(run_demo_night)

# Another nightly run (after `c360 demo-advance`, say), whatever is published already.
run-demo: $(DEMO_CONFIG)
	$(run_demo_night)

demo: $(PUBLISHED)
	$(BIN)/c360 dashboard --config $(DEMO_CONFIG)

test: install
	$(BIN)/python -m pytest

# Spark (pyspark and dbt-spark) only for the tests that build the project on it
$(BIN)/.installed-spark: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	@touch $@

# the tests that need a bigger company, a whole engine or many nights (disk full, bigger than memory,
# Spark, the thirty-night soak); CI runs them too
test-slow: install $(BIN)/.installed-spark
	$(BIN)/python -m pytest -m slow

# the thirty nights with faults injected at random alone (tests/test_soak.py; about 20 minutes here)
test-soak: install
	$(BIN)/python -m pytest -m soak

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry .
	$(BIN)/lint-imports
	# each model as dbt compiles it (the dbt templater); an empty database is enough to compile
	C360_WORK_DB=$$(mktemp -d)/lint.duckdb $(BIN)/sqlfluff lint dbt_project --processes 2

# METRICS.md from the metric definitions' dbt doc blocks (dbt_project/models/marts/_metrics.md)
metrics: install
	$(BIN)/python -m c360.metrics_page

clean-demo:
	rm -rf $(DEMO_DIR)
	@test ! -L c360.yml || rm c360.yml
