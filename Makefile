# Zorgtoezicht — two commands matter: `make run` (the whole chain, embedded) and `make test` (the suite).
# Needs only Python 3.11 and make; uv is installed into .local/tools on first use. `make test` also needs
# Java 17 and Maven (Kafka) and Node/npm (Spectral, AsyncAPI CLI: pinned in tools/node, installed into .local/node).
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .local/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
NODE_PREFIX := .local/node
NODE_STAMP := $(NODE_PREFIX)/.installed
NODE_LOCK := tools/node/package.json tools/node/package-lock.json

.PHONY: setup node-tools run test token openapi asyncapi clean

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 ($(PYTHON)) is required"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

$(STAMP): $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen --all-packages --quiet
	@touch $(STAMP)

setup: $(STAMP)

# The Node tools from tools/node/package-lock.json (npm ci: exactly the locked versions). Built in a
# folder of its own and moved into place whole, under a lock, so that no test ever reads a cut-short
# install and two runs starting together install once. Without npm the tests that need Node say so
# (and fail under REQUIRE_TOOLS=1).
$(NODE_STAMP): $(NODE_LOCK)
	@mkdir -p .local
	@$$(command -v flock >/dev/null && echo flock .local/node.lock) $(MAKE) --no-print-directory node-install  # no flock (macOS): unlocked

.PHONY: node-install
node-install:
	@if [ -f $(NODE_STAMP) ] && [ $(NODE_STAMP) -nt tools/node/package-lock.json ] && [ $(NODE_STAMP) -nt tools/node/package.json ]; then exit 0; fi; \
	tmp=$$(mktemp -d .local/node.install.XXXXXX) && chmod 755 $$tmp && \
	cp $(NODE_LOCK) $$tmp/ && \
	echo "Installing the Node tools (tools/node/package-lock.json) into $(NODE_PREFIX)" && \
	(cd $$tmp && npm ci --no-audit --no-fund --loglevel=error) && \
	touch $$tmp/.installed && rm -rf $(NODE_PREFIX) && mv $$tmp $(NODE_PREFIX) || { rm -rf $$tmp; exit 1; }

node-tools:
	@if command -v npm >/dev/null; then $(MAKE) -s --no-print-directory $(NODE_STAMP); \
	else echo "!! npm not found: the Spectral and AsyncAPI tests will skip (REQUIRE_TOOLS=1 makes that a failure)"; fi

## run: PostgreSQL (embedded wheel) + all four services in one process on 8101–8104
run: $(STAMP)
	$(VENV)/bin/python -m zorgtoezicht.embedded

## test: the whole suite on real PostgreSQL and a real Kafka broker (REQUIRE_KAFKA=1 makes a missing broker
## fatal, REQUIRE_TOOLS=1 a missing node, npm, spectral, asyncapi or ruff)
test: $(STAMP) node-tools
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
	rm -rf $(VENV) .local/pgdata .local/node .pytest_cache
