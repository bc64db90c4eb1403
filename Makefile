# Zorgtoezicht — two commands matter: `make run` (the whole chain, embedded) and `make test` (the suite).
# Needs only Python 3.11 and make; uv is installed into .local/tools on first use.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .local/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced

.PHONY: setup run test token openapi asyncapi clean

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

$(STAMP): $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --all-packages --quiet
	@touch $(STAMP)

setup: $(STAMP)

## run: PostgreSQL (embedded wheel) + all four services in one process on 8101–8104
run: $(STAMP)
	$(VENV)/bin/python -m zorgtoezicht.embedded

## test: the whole suite on real PostgreSQL and a real Kafka broker (REQUIRE_KAFKA=1 makes a missing broker fatal)
test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## token: a token for the local setup, e.g. make token CLIENT=cibg SCOPES="register.zorgaanbieders.schrijven"
token: $(STAMP)
	@$(VENV)/bin/python -m zorgtoezicht.devauth token "$(CLIENT)" $(SCOPES)

## openapi: print a service's OpenAPI document, e.g. make openapi SERVICE=register
openapi: $(STAMP)
	@$(VENV)/bin/python -m $(SERVICE) openapi

## asyncapi: regenerate docs/asyncapi.json from the event catalogue
asyncapi: $(STAMP)
	$(VENV)/bin/python -m zorgtoezicht.events.asyncapi docs/asyncapi.json

clean:
	rm -rf $(VENV) .local/pgdata .pytest_cache
