# Everything a fresh machine needs, from python3 alone:
#   make run    install (locked) and run the nightly job on the shipped sample data
#   make test   install (locked) and run the tests
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export GX_ANALYTICS_ENABLED := false
export DAGSTER_TELEMETRY_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install run test serve benchmark docs dagster-dev sample-data clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

# uv.lock pins every package; --locked fails instead of silently re-resolving. --compile-bytecode writes
# the .pyc files once here: with PYTHONDONTWRITEBYTECODE set (as on our machines) every process would
# otherwise compile dagster, dbt, pandas and GX from source at each start (seconds of CPU per run).
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/betamonitor run

# The PostgreSQL instance test starts its own server from Debian's postgresql (installed here if missing).
# Two workers take the test files slowest first, a whole file each (order: tests/conftest.py); the job
# runs several files read are made once (tests/e2e/conftest.py). The 15 slowest tests are listed at the end.
# The tests' temporary directories are in memory (/dev/shm, when writable): a job run commits to the
# Dagster instance's SQLite files and to DuckDB hundreds of times, and each sync to disk is wall time
# (about 15% of the end-to-end tests on this machine). One directory per checkout (pytest empties it at
# the start); removed after a passing run, kept after a failure to look at.
TEST_TMP := $(shell test -w /dev/shm && echo /dev/shm/betamonitor-tests-$$(id -u)-$$(echo "$(CURDIR)" | cksum | cut -d' ' -f1))
test: install
	bash scripts/ci/install_chromium.sh
	scripts/ci/install_postgresql.sh
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15 $(if $(TEST_TMP),--basetemp=$(TEST_TMP))
	$(if $(TEST_TMP),rm -rf $(TEST_TMP))

# The publication site of the last `make run`: http://127.0.0.1:8000/site/index.html
serve: install
	$(VENV)/bin/betamonitor serve

# Wall time and peak memory per stage (ingest, dbt, gates, publish): cold / no-change / new-delivery
# runs on the sample, full runs on the sample scaled x10 and x100, and the DuckDB floor query.
# Not a test (see docs/benchmarks.md). E.g. `make benchmark BENCH_ARGS="--scales 1,10 --repeat 3"`
# or `make benchmark BENCH_ARGS=--quick`.
BENCH_ARGS ?= --scales 1,10,100
benchmark: install
	$(VENV)/bin/python benchmarks/pipeline_benchmark.py $(BENCH_ARGS)

# Static dbt docs (model and column lineage) in dbt_project/target/static_index.html (one file,
# open it in a browser). Built on the warehouse of the last `make run`.
docs: install
	test -f state/warehouse.duckdb || $(VENV)/bin/betamonitor run
	cd dbt_project && BETAMONITOR_WAREHOUSE=../state/warehouse.duckdb ../$(VENV)/bin/dbt docs generate --profiles-dir . --static

# The Dagster UI (asset graph, runs, schedule, sensor) on http://127.0.0.1:3000, on the same
# persistent instance as `betamonitor run`: $DAGSTER_HOME, else state/dagster_home (beside the warehouse).
dagster-dev: install
	DAGSTER_HOME="$$($(VENV)/bin/python -m orchestration.instance)" $(VENV)/bin/dagster dev -w workspace.yaml

# The audit workbooks draw their institutions from the generated programs/, so they come second.
sample-data: install
	$(VENV)/bin/python scripts/generate_sample_data.py
	$(VENV)/bin/python scripts/generate_audit_workbooks.py

clean:
	rm -rf state published dbt_project/target
