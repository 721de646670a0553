"""Shared fixtures: the analyzer (loaded once) and a real Kafka broker.

The broker is started with ``deploy/kafka/kafkactl`` on a port of its own and
a fresh data directory, once per test session, and stopped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.localbroker import LocalBroker


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    from streams.nlp import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of a real single-node KRaft broker on loopback."""
    broker = LocalBroker(tmp_path_factory.mktemp("kafka-data"))
    address = broker.start()
    try:
        yield address
    finally:
        broker.stop()
