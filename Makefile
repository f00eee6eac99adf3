# Quick start: `make run` plays, `make test` runs every check. Both create .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: run test bench clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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
	$(VENV)/bin/check-jsonschema --check-metaschema schema/scenario.schema.json
	$(VENV)/bin/check-jsonschema --schemafile schema/scenario.schema.json scenarios/*.yaml
	$(PY) main.py validate scenarios
	$(PY) main.py test scenarios
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/window.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis .ruff_cache
