"""Watch the enriched topic live from another thread: when the workers wrote each record.

The failover test measures from these, for the input partitions the killed node led (an
enriched article is on its input partition's number): the stall, the longest stretch
without an enriched article from the kill on, whose end is when enrichment resumed; and
the latency of the first article sent after the kill, which adds any backlog to the stall.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from streams.kafka_io import client_options
from streams.settings import Settings


@dataclass(frozen=True)
class Seen:
    article_id: str
    partition: int
    #: The record's CreateTime: when a worker sent it (epoch seconds).
    written: float


@dataclass
class TopicWatch:
    """Reads ``topic`` from the beginning in a daemon thread until :meth:`stop` (bounded)."""

    settings: Settings
    topic: str
    limit_s: float = 900.0
    seen: list[Seen] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TopicWatch:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()
        return self

    async def _run(self) -> None:
        consumer = AIOKafkaConsumer(self.topic, group_id=None, auto_offset_reset="earliest",
                                    enable_auto_commit=False, **client_options(self.settings))
        await consumer.start()
        deadline = time.monotonic() + self.limit_s
        try:
            while not self._stop.is_set() and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=200)
                for tp, messages in batch.items():
                    self.seen.extend(Seen(str(json.loads(m.value or b"{}").get("id")), tp.partition,
                                          m.timestamp / 1000) for m in messages)
        finally:
            await consumer.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def written(self, partitions: set[int]) -> list[float]:
        return sorted(s.written for s in list(self.seen) if s.partition in partitions)

    def resumed(self, when: float, partitions: set[int], settle_s: float = 20.0) -> float | None:
        """Seconds from ``when`` (epoch) to the end of the longest stretch without an
        enriched article of ``partitions`` (the stall), once one is seen ``settle_s`` after
        ``when``; None until then."""
        times = [t for t in self.written(partitions) if t > when]
        if not times or times[-1] < when + settle_s:
            return None
        after = next(t for t in times if t > when + settle_s)
        window = [when, *(t for t in times if t <= when + settle_s), after]
        end = max(pairwise(window), key=lambda gap: gap[1] - gap[0])[1]
        return end - when

    def first_sent_after(self, when: float, partitions: set[int], sent_at: dict[str, float]) -> float | None:
        """Seconds from ``when`` until an article of ``partitions`` sent after it was enriched."""
        times = [s.written for s in list(self.seen)
                 if s.partition in partitions and sent_at.get(s.article_id, 0.0) > when]
        return min(times) - when if times else None

    def rate(self, start: float, end: float) -> float:
        """Enriched articles per second written in [start, end)."""
        return sum(1 for s in list(self.seen) if start <= s.written < end) / (end - start)


def _describe(settings: Settings, topics: list[str] | None) -> list[dict[str, Any]]:
    """The topics (None: every topic) as the cluster describes them now."""
    async def run() -> list[dict[str, Any]]:
        admin = AIOKafkaAdminClient(**client_options(settings))
        await admin.start()
        try:
            return list(await admin.describe_topics(topics))
        finally:
            await admin.close()

    return asyncio.run(run())


def _partitions(settings: Settings, topic: str) -> list[dict[str, Any]]:
    """The topic's partitions (leader, replicas, isr)."""
    (described,) = _describe(settings, [topic])
    return list(described["partitions"])


def under_replicated(settings: Settings) -> list[str]:
    """``topic-partition`` of every partition in the cluster with fewer in-sync replicas than replicas."""
    return [f"{t['topic']}-{p['partition']}" for t in _describe(settings, None)
            for p in t["partitions"] if len(p["isr"]) < len(p["replicas"])]


def leaders(settings: Settings, topic: str) -> dict[int, int]:
    """Partition -> node id of its leader."""
    return {int(p["partition"]): int(p["leader"]) for p in _partitions(settings, topic)}


def in_sync(settings: Settings, topic: str) -> dict[int, set[int]]:
    """Partition -> node ids of its in-sync replicas."""
    return {int(p["partition"]): set(p["isr"]) for p in _partitions(settings, topic)}
