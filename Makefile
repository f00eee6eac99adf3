# Quick start: `make run` plays, `make test` runs every check. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: run test bench clean browser lock test-latest schema model

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

# Headless Chromium and CJK fonts for the report and map rendering tests (Debian packages);
# without root the browser tests are skipped with a reason, everything else still runs.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi cjk || \
	  { (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null 2>&1 || \
	    echo "note: could not install chromium/fonts-noto-cjk (needs root); browser tests will be skipped"; }

test: $(STAMP) browser
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

bench: $(STAMP)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/window.py
	$(PY) benchmarks/recognise.py

# Rebuild the free-text recogniser's models (simulator/recogniser/model-en.npz, model-zh.npz)
# from the exemplar corpus (simulator/data/exemplars/) and the library's options. Commit the result.
model: $(STAMP)
	$(PY) -m simulator.recogniser.train

clean:
	rm -rf $(VENV) .venv-latest .lock-venv build *.egg-info .pytest_cache .hypothesis .ruff_cache
