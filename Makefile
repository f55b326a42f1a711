# SafeBorders Assistant — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama.cpp (llama-cpp-python, llama-server) compiled for any x86-64 with AVX2 rather than for this very CPU: built
# "native" on a CPU with AMX it crashed (segmentation fault) at the first prompt. The wheel is built without pip's
# cache, so that no native build cached earlier is taken instead.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: setup run index test test-fast lint eval bench clean llama-server serve-llm

setup: $(STAMP)

# Reinstall when the lock changes (requirements.txt lists the direct dependencies; its header says how to
# regenerate the lock). torch comes first so pip takes the CPU build on this machine.
$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet --no-cache-dir --no-deps "$$(grep -io '^llama-cpp-python==[^ ]*' requirements.lock)"
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# llama.cpp's own server (parallel slots, continuous batching), built from the llama.cpp sources of the pinned
# llama-cpp-python release: the wheel ships the library, not the server.
LLAMA_SERVER := $(VENV)/bin/llama-server
LLAMA_SRC := $(VENV)/llama-server-src

llama-server: $(LLAMA_SERVER)

$(LLAMA_SERVER): | $(STAMP)
	rm -rf $(LLAMA_SRC) && mkdir -p $(LLAMA_SRC)
	$(PY) -m pip download --quiet --no-deps --no-binary :all: --dest $(LLAMA_SRC) \
		"llama_cpp_python==$$($(PY) -c 'import llama_cpp; print(llama_cpp.__version__)')"
	tar -xzf $(LLAMA_SRC)/llama_cpp_python-*.tar.gz -C $(LLAMA_SRC) --strip-components=1
	cmake -S $(LLAMA_SRC)/vendor/llama.cpp -B $(LLAMA_SRC)/build -DCMAKE_BUILD_TYPE=Release \
		-DBUILD_SHARED_LIBS=OFF $(CMAKE_ARGS) -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
		-DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF > /dev/null
	cmake --build $(LLAMA_SRC)/build --target llama-server -j $$(nproc) > $(LLAMA_SRC)/build.log
	cp $(LLAMA_SRC)/build/bin/llama-server $@
	rm -rf $(LLAMA_SRC)

# The model server in the foreground with the settings' slots (llm.server.*); `make run` starts it itself when
# llm.server.start is true (SAFEBORDERS_LLM__SERVER__START=true).
serve-llm: $(LLAMA_SERVER)
	$(PY) -m rag.llm_server

index: setup
	$(PY) -m ingestion build

# Exit 1: some files failed to index (each listed with its reason) and the app starts on everything else;
# exit 2: the build itself failed (nothing was indexed) and the app does not start on a stale index.
run: setup
	@$(PY) -m ingestion build; status=$$?; \
	if [ $$status -eq 1 ]; then \
		echo "make run: some documents were not indexed (listed above as FAILED); starting on the rest" >&2; \
	elif [ $$status -ne 0 ]; then \
		echo "make run: the index build failed (exit $$status, see above); the app is not started" >&2; \
		exit $$status; \
	fi
	$(PY) -m app.serve --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: setup $(LLAMA_SERVER)
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not server and not browser"

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy core ingestion rag app analysis evaluation

eval: setup
	$(PY) -m evaluation.run

bench: setup $(LLAMA_SERVER)
	$(PY) -m benchmarks.run

clean:
	rm -rf data/index
