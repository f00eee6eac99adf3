# Quick start: `make run` plays, `make test` runs every check. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3
# The hypothesis profile of the property tests (registered in tests/conftest.py): "default" for
# `make test`, "reliability" explores twenty times as many examples, e.g.
# `make test HYPOTHESIS_PROFILE=reliability` (pytest alone: --hypothesis-profile=reliability).
HYPOTHESIS_PROFILE ?= default
export HYPOTHESIS_PROFILE

.PHONY: run test bench clean browser postgres lock test-latest schema reliability mutation model

LOCK := requirements.lock
UV_VERSION := 0.13.9

# Every install comes from the committed lock (exact versions, checked by hash), so a fresh
# machine gets exactly what CI tested. `make lock` refreshes it on purpose.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve every dependency to its newest release allowed by pyproject.toml, for Python 3.10+
# on every platform, with hashes. Review the diff, run `make test`, commit both.
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet uv==$(UV_VERSION)
	.lock-venv/bin/uv pip compile pyproject.toml tools/build.in --extra test --extra fonts \
	  --universal --python-version 3.10 --generate-hashes --upgrade --quiet -o $(LOCK)

# The suite against the newest releases instead of the lock: an early warning that the next
# `make lock` needs work. Informational; `make test` is what must pass.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade '.[test]'
	.venv-latest/bin/python -m pytest -q -p no:cacheprovider

run: $(STAMP)
	$(PY) main.py

# Headless Chromium and CJK fonts for the report and map rendering tests, Graphviz for the map
# layout and tmux for the terminal-at-80-columns test (Debian packages); without root those
# tests are skipped with a reason, everything else still runs.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi cjk && \
	  command -v dot >/dev/null 2>&1 && command -v tmux >/dev/null 2>&1 || \
	  { (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk graphviz tmux) >/dev/null 2>&1 || \
	    echo "note: could not install chromium/fonts-noto-cjk/graphviz/tmux (needs root); those tests will be skipped"; }

# Debian's PostgreSQL server binaries, so the store tests run against a real server as well as
# SQLite. The tests start their own throw-away cluster on a private socket in a temp dir
# (tests/postgres_server.py); nothing is configured system-wide. Without root they are skipped.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  { (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null 2>&1 || \
	    echo "note: could not install postgresql (needs root); the PostgreSQL store tests will be skipped"; }

test: $(STAMP) browser postgres
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) tools/format_reference.py --check
	$(VENV)/bin/check-jsonschema --check-metaschema schema/scenario.schema.json
	$(VENV)/bin/check-jsonschema --schemafile schema/scenario.schema.json simulator/library/*.yaml
	$(PY) main.py validate simulator/library
	$(PY) main.py test simulator/library
	$(PY) -m pytest

# The JSON Schema and the reference tables of docs/scenario-format.md, from the loader's field tables.
schema: $(STAMP)
	$(PY) tools/format_reference.py

# The break-it pass in one command: mutated scenario files through validate, play and report
# (never a traceback), kill -9 at random moments of a terminal call (resume, no lost turn), a
# full disk and a read-only data folder (a small tmpfs, as root; skipped with the reason
# elsewhere). The same checks run small in `make test`; here at 25x, a few minutes in all.
# RELIABILITY_SEED=N replays a run.
reliability: $(STAMP)
	RELIABILITY_SCALE=$${RELIABILITY_SCALE:-25} HYPOTHESIS_PROFILE=reliability timeout 1200 $(PY) -m pytest -q \
	  -p no:cacheprovider tests/test_reliability.py tests/test_properties.py tests/test_fuzz.py

# Every benchmark runs even when an earlier one misses a target; the target fails at the end if any did.
bench: $(STAMP)
	@status=0; for b in run window classroom store recognise; do \
	  echo "$(PY) benchmarks/$$b.py"; $(PY) benchmarks/$$b.py || status=1; done; exit $$status

# Mutation testing (tools/mutation.py): mutmut's deliberate bugs in simulator/core (each must fail a
# test), then each HTML template field unescaped in turn (the hostile-text tests must fail). The core
# has ~8,800 mutants, hours here, so by default a seeded uniform random sample of MUTATION_SAMPLE of
# them runs and the killed share is printed with its 95% confidence interval, raw and with the
# equivalent mutants of tools/mutation_explained.txt left out, per module too. MUTATION_ARGS=--all
# runs every mutant; MUTATION_ARGS="--modules scoring engine" only those modules; MUTATION_ARGS=--unkilled
# re-runs only the sample's mutants not killed before (after adding tests). The core part stops at
# MUTATION_TIMEOUT seconds and reports what it decided by then. Here (2 busy cores) the first run
# spends ~13 min writing the mutants and mapping tests to functions (kept in mutants/ for the next
# runs), then ~10 s per mutant.
MUTATION_SAMPLE ?= 100
MUTATION_TIMEOUT ?= 1800
MUTATION_ARGS ?=
mutation: $(STAMP)
	nice -n 10 $(PY) tools/mutation.py --sample $(MUTATION_SAMPLE) --timeout $(MUTATION_TIMEOUT) $(MUTATION_ARGS)

# Rebuild the free-text recogniser's models from the exemplar corpus (simulator/data/exemplars/) and
# the library's options: the n-gram models (simulator/recogniser/model-en.npz, model-zh.npz, about a
# minute) and the meaning model both languages share (meaning.npz: the sentence encoder fine-tuned in
# NumPy, about 8 minutes on two cores). Commit the result.
model: $(STAMP)
	$(PY) -m simulator.recogniser.train
	$(PY) -m simulator.recogniser.meaning_train

clean:
	rm -rf $(VENV) .venv-latest .lock-venv build *.egg-info .pytest_cache .hypothesis .ruff_cache mutants
