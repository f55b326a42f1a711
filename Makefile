# SafeBorders Assistant — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run index test test-fast lint eval bench clean

setup: $(STAMP)

# Reinstall when the lock changes (requirements.txt lists the direct dependencies; its header says how to
# regenerate the lock). torch comes first so pip takes the CPU build on this machine.
$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

index: setup
	$(PY) -m ingestion build

# A file that fails to index (exit 1) is reported and skipped; the app still starts on everything else.
run: setup
	$(PY) -m ingestion build || [ $$? -eq 1 ]
	$(PY) -m app.serve --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not server and not browser"

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy core ingestion rag app analysis evaluation

eval: setup
	$(PY) -m evaluation.run

bench: setup
	$(PY) -m benchmarks.run

clean:
	rm -rf data/index
