"""Shared fixtures: the analyzer (loaded once) and a real Kafka broker.

The broker is started with ``deploy/kafka/kafkactl`` on a port of its own and
a fresh data directory, once per test session, and stopped at the end.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KAFKACTL = REPO / "deploy" / "kafka" / "kafkactl"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared evaluation data lives beside the repo)")
    return path


from streams.harness import free_port  # noqa: E402 - re-exported for tests


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    from streams.nlp import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of a real single-node KRaft broker on loopback."""
    port = free_port()
    cport = free_port()
    env = dict(os.environ, STREAMS_KAFKA_PORT=str(port), STREAMS_KAFKA_CONTROLLER_PORT=str(cport),
               STREAMS_KAFKA_DATA=str(tmp_path_factory.mktemp("kafka-data")))
    out = subprocess.run([str(KAFKACTL), "start"], env=env, check=True, text=True,
                         stdout=subprocess.PIPE).stdout.strip().splitlines()
    address = out[-1] if out else f"127.0.0.1:{port}"
    try:
        yield address
    finally:
        subprocess.run([str(KAFKACTL), "stop"], env=env, check=False)
