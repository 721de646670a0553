"""Helpers for integration tests: real workers on a real broker (see streams.harness).

Imported as ``tests.support`` (``tests`` is a package; pytest puts the repository root on
``sys.path`` for it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from streams.harness import (  # noqa: F401 - re-exported for the tests
    Worker,
    new_worker,
    settings_env,
    unique_settings,
)
from streams.kafka_io import Record, consume, ensure_topics, produce_lines
from streams.localbroker import LocalBroker, free_port  # noqa: F401 - re-exported for the tests
from streams.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared evaluation data lives beside the repo)")
    return path


def create_topics(settings: Settings) -> None:
    asyncio.run(ensure_topics(settings))


def produce(settings: Settings, lines: Iterable[bytes], topic: str | None = None) -> int:
    """Send the lines and return how many were delivered; every one must be."""
    result = asyncio.run(produce_lines(settings, lines, topic or settings.topics.articles))
    assert result.ok, result
    return result.delivered


def collect(settings: Settings, topics: list[str], expected: int, timeout: float = 120.0,
            idle: float = 20.0) -> list[Record]:
    """Consume from the beginning until ``expected`` records or time runs out."""
    async def run() -> list[Record]:
        out: list[Record] = []

        async def loop() -> None:
            async for rec in consume(settings, topics, idle_timeout=idle):
                out.append(rec)
                if len(out) >= expected:
                    return

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(loop(), timeout)
        return out

    return asyncio.run(run())
