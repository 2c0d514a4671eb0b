# graphmem: `make demo` and `make test` bootstrap everything they need on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: install demo test lint typecheck unit notebooks bench-extractor bench-metaqa \
	bench-resolution bench-llm-calls bench-write-path bench-read-latency bench-paraphrase \
	bench-locomo bench-soak bench-llm-server clean serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: read a sample conversation, build its graph, answer "who works at ...?" (offline)
demo: $(STAMP)
	$(BIN)/graphmem demo

## serve: the REST API on http://127.0.0.1:8000 (OpenAPI at /docs; keys from GRAPHMEM_API_KEYS)
HOST ?= 127.0.0.1
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/graphmem serve --host $(HOST) --port $(PORT)

## test: lint, strict typing, and the whole test suite (networkx, a real Neo4j, a real llama-server)
test: llama-prebuild lint typecheck unit notebooks

lint: $(STAMP)
	$(BIN)/ruff check graphmem api tests bench notebooks
	$(BIN)/ruff format --check graphmem api tests bench notebooks

typecheck: $(STAMP)
	$(BIN)/mypy graphmem api

# The tests' own Neo4j (port 7688, tools/neo4j/test-data), started here and stopped after,
# so a test run never touches the development server on 7687.
TEST_NEO4J := GRAPHMEM_NEO4J_BOLT_PORT=7688 GRAPHMEM_NEO4J_HTTP_PORT=7475 \
	GRAPHMEM_NEO4J_DATA=$(CURDIR)/tools/neo4j/test-data GRAPHMEM_NEO4J_RUN=$(CURDIR)/tools/neo4j/test-run

# The tests' own llama-server (port 8090, tools/llama/test-run) with SmolLM2-135M; built
# once per machine from the llama-cpp-python sdist, cached in ~/.cache/graphmem/llama.
# The first test that needs it starts it (tests/llama_server.py), the session stops it.
TEST_LLAMA := GRAPHMEM_LLAMA_PORT=8090 GRAPHMEM_LLAMA_RUN=$(CURDIR)/tools/llama/test-run \
	PYTHON=$(CURDIR)/$(BIN)/python

unit: $(STAMP)
	$(TEST_NEO4J) $(TEST_LLAMA) tools/neo4j/ctl.sh with $(BIN)/pytest

## notebooks: execute the notebooks (offline, embedded default)
notebooks: $(STAMP)
	$(BIN)/pytest --nbmake notebooks/

## bench-extractor: the offline extractor: CoNLL04 P / R / F1 and speed, LoCoMo relations, add p50
bench-extractor: $(STAMP)
	$(BIN)/python bench/offline_extractor.py --split both

## bench-metaqa: import the MetaQA KB, answer 1/2/3-hop dev questions (SPLIT=test to measure)
SPLIT ?= dev
bench-metaqa: $(STAMP)
	$(BIN)/python bench/metaqa.py --split $(SPLIT)

## bench-resolution: entity resolution on Re-DocRED dev (first 250 docs tune, last 250 report)
bench-resolution: $(STAMP)
	$(BIN)/python bench/entity_resolution.py --split both --vectors

## bench-llm-calls: LLM calls per add on LoCoMo through the fake OpenAI server (SPLIT=test)
bench-llm-calls: $(STAMP)
	$(BIN)/python bench/llm_calls.py --split $(SPLIT)

## bench-write-path: LLM calls per add and add p50/p95, 3,000 single adds of MetaQA facts (fake OpenAI server; EMBEDDER=local)
EMBEDDER ?= hash
bench-write-path: $(STAMP)
	$(BIN)/python bench/write_path.py --embedder $(EMBEDDER)

## bench-locomo: LoCoMo evidence recall@5/@10 of search, fused and per channel (SPLIT=test)
bench-locomo: $(STAMP)
	$(BIN)/python bench/locomo.py --split $(SPLIT)

## bench-paraphrase: our family / company / travel KBs, 1-3-hop questions in everyday words (SPLIT=test|all)
bench-paraphrase: $(STAMP)
	$(BIN)/python bench/paraphrase.py --split $(SPLIT)

## bench-llm-server: 30 CoNLL04 dev sentences through llama-server + SmolLM2: how every add ends, add p50
bench-llm-server: $(STAMP)
	PYTHON=$(CURDIR)/$(BIN)/python tools/llama/ctl.sh with $(BIN)/python bench/llm_server.py

## bench-read-latency: search / query p50-p99 at 1k, 10k, 100k memories (networkx)
bench-read-latency: $(STAMP)
	$(BIN)/python bench/read_latency.py

## bench-soak: crashes (SIGKILL), threads, HTTP clients, tenancy probes, hostile input, networkx and Neo4j (~10 min)
bench-soak: $(STAMP)
	$(TEST_NEO4J) tools/neo4j/ctl.sh with $(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

## neo4j-build: build the local Neo4j 5.26 server (tools/neo4j, Maven; downloads cached in ~/.m2)
neo4j-build:
	tools/neo4j/ctl.sh build

## neo4j-start: start Neo4j in the background (Bolt 127.0.0.1:7687, Browser http://127.0.0.1:7474/browser/, neo4j/graphmem)
neo4j-start:
	tools/neo4j/ctl.sh start

## neo4j-stop: stop the Neo4j started by neo4j-start (data in tools/neo4j/data is kept)
neo4j-stop:
	tools/neo4j/ctl.sh stop

## neo4j: same as neo4j-start
neo4j: neo4j-start

.PHONY: neo4j neo4j-build neo4j-start neo4j-stop

## llama-build: build llama.cpp's llama-server and unpack SmolLM2 (cached in ~/.cache/graphmem/llama)
llama-build: $(STAMP)
	PYTHON=$(CURDIR)/$(BIN)/python tools/llama/ctl.sh build

## llama-prebuild: the same build in the background; `make test` starts with it, so a cold
## build (about 10 min on 2 cores) runs beside the venv install, lint, typing and every test
## but the few on the model server, which run last and wait for it
llama-prebuild:
	PYTHON=$(PYTHON) tools/llama/ctl.sh prebuild

## llama-start: start llama-server with SmolLM2-135M on http://127.0.0.1:8089/v1 (GRAPHMEM_LLAMA_PORT)
llama-start: $(STAMP)
	PYTHON=$(CURDIR)/$(BIN)/python tools/llama/ctl.sh start

## llama-stop: stop the llama-server started by llama-start
llama-stop:
	tools/llama/ctl.sh stop

.PHONY: llama-build llama-prebuild llama-start llama-stop
