"""Shared fixtures: the analyzer (loaded once) and a real Kafka broker.

The broker is started with ``deploy/kafka/kafkactl`` on a port of its own and
a fresh data directory, once per test session, and stopped at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.harness import LocalBroker, free_port  # noqa: F401 - free_port re-exported

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KAFKACTL = REPO / "deploy" / "kafka" / "kafkactl"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared evaluation data lives beside the repo)")
    return path


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
