# One command to set up and run the app, one to set up and run the tests.
#   make run    -> creates .venv, installs requirements.txt, starts the app on :8501
#                  (another port: PORT=8600 make run, make run PORT=8600 or
#                  STREAMLIT_SERVER_PORT=8600 make run)
#   make test   -> creates .venv, installs requirements-dev.txt, axe-core (npm, for the
#                  accessibility audit), Debian's chromium (for the browser tests) and
#                  nginx (deploy/nginx.conf's routing test), runs ruff and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# PORT wins, then Streamlit's own STREAMLIT_SERVER_PORT, then 8501. (A plain `PORT ?= 8501`
# passed --server.port 8501, and the command-line flag overrode STREAMLIT_SERVER_PORT.)
PORT   ?= $(or $(STREAMLIT_SERVER_PORT),8501)

.PHONY: run test lint bench docker-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py --server.port $(PORT)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.dev node_modules/.installed
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_nginx.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/bench_core.py

docker-check:
	bash scripts/docker_check.sh

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
