"""The aiokafka log rate limit: visible, not flooding."""

from __future__ import annotations

import logging

import pytest

from streams.agents.logs import RateLimitFilter, quiet_kafka_client_logs


def test_repeated_messages_pass_once_per_interval_with_a_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 1.0, 2.0, 11.0, 11.5])
    monkeypatch.setattr("streams.agents.logs.time.monotonic", lambda: next(clock))
    limiter = RateLimitFilter(interval=10)
    records = [logging.LogRecord("aiokafka.conn", logging.ERROR, __file__, 1,
                                 "Unable to connect to %s", ("node",), None) for _ in range(5)]
    passed = [limiter.filter(r) for r in records]
    assert passed == [True, False, False, True, False]
    assert "[2 similar messages" in str(records[3].msg)


def test_every_aiokafka_logger_is_limited() -> None:
    import aiokafka.conn  # noqa: F401 - registers its logger

    quiet_kafka_client_logs()
    quiet_kafka_client_logs()  # idempotent
    logger = logging.getLogger("aiokafka.conn")
    assert sum(isinstance(f, RateLimitFilter) for f in logger.filters) == 1
