"""Keep a broker outage visible in the log without flooding it.

While Kafka is down aiokafka retries connections and metadata in tight loops
and logs every attempt (thousands of lines a second).  Each distinct message
of an aiokafka logger is let through once per interval, with a count of how
many identical ones were held back since.
"""

from __future__ import annotations

import logging
import time

INTERVAL_S = 10.0


class RateLimitFilter(logging.Filter):
    """Pass each (logger, message template) at most once per ``interval`` seconds."""

    def __init__(self, interval: float = INTERVAL_S) -> None:
        super().__init__()
        self.interval = interval
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} [{held} similar messages in the last {self.interval:.0f}s]"
        if len(self._last) > 10_000:  # bounded: templates, not values, are keys
            self._last.clear()
        return True


def quiet_kafka_client_logs(interval: float = INTERVAL_S) -> None:
    """Rate-limit every aiokafka logger of this process (idempotent)."""
    shared = RateLimitFilter(interval)
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "aiokafka"]
    for name in ["aiokafka", *names]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitFilter) for f in logger.filters):
            logger.addFilter(shared)
