"""Consumer lag: log end offset minus committed offset, per assigned source partition."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from streams.agents import lag
from streams.agents.metrics import REGISTRY


class FakeConsumer:
    """The parts of Faust's consumer that lag measurement uses."""

    def __init__(self, assigned: set[TP], ends: dict[TP, int], committed: dict[TP, int],
                 earliest: dict[TP, int] | None = None) -> None:
        self.assigned = assigned
        self.ends = ends
        # Faust's own committed-offset map (read by lag.measure_lag under Faust's private
        # name) is a defaultdict: reading must not insert.
        self.committed: defaultdict[TP, int | None] = defaultdict(lambda: None, committed)
        self._committed_offset = self.committed
        self.earliest = earliest or {}
        self.asked_earliest: list[TP] = []

    def assignment(self) -> set[TP]:
        return self.assigned

    async def highwaters(self, *tps: TP) -> Mapping[TP, int]:
        return {tp: self.ends[tp] for tp in tps}

    async def earliest_offsets(self, *tps: TP) -> Mapping[TP, int]:
        self.asked_earliest.extend(tps)
        return {tp: self.earliest.get(tp, 0) for tp in tps}


def _gauge(topic: str, partition: int) -> float | None:
    return REGISTRY.get_sample_value("streams_consumer_lag_messages",
                                     {"topic": topic, "partition": str(partition)})


def test_partition_lag() -> None:
    assert lag.partition_lag(100, 40) == 60
    assert lag.partition_lag(100, 100) == 0
    assert lag.partition_lag(100, 120) == 0          # never negative
    assert lag.partition_lag(100, None) == 100       # nothing committed: all of it
    assert lag.partition_lag(100, None, earliest=30) == 70   # retention deleted the rest


def test_measure_lag_only_for_source_topics_and_falls_back_to_earliest() -> None:
    a0, a1, changelog = TP("in", 0), TP("in", 1), TP("app-table-changelog", 0)
    consumer = FakeConsumer({a0, a1, changelog}, ends={a0: 50, a1: 10, changelog: 999},
                            committed={a0: 20}, earliest={a1: 4})
    got = asyncio.run(lag.measure_lag(consumer, {"in"}))
    assert got == {a0: 30, a1: 6}
    assert consumer.asked_earliest == [a1]
    assert a1 not in consumer.committed


def test_export_removes_partitions_no_longer_assigned() -> None:
    lag.export_lag({TP("obs-t", 0): 5, TP("obs-t", 1): 7})
    assert (_gauge("obs-t", 0), _gauge("obs-t", 1)) == (5, 7)
    lag.export_lag({TP("obs-t", 1): 2})
    assert (_gauge("obs-t", 0), _gauge("obs-t", 1)) == (None, 2)
    assert REGISTRY.get_sample_value("streams_consumer_lag_updated_timestamp_seconds")
    lag.clear_lag()
    assert _gauge("obs-t", 1) is None


def test_update_lag_keeps_last_values_when_the_broker_fails() -> None:
    class Broken(FakeConsumer):
        async def highwaters(self, *tps: TP) -> Mapping[TP, int]:
            raise ConnectionError("broker away")

    tp = TP("obs-u", 0)
    agent: Any = SimpleNamespace(channel=SimpleNamespace(topics=("obs-u",)))
    app: Any = SimpleNamespace(agents={"a": agent},
                               consumer=FakeConsumer({tp}, ends={tp: 9}, committed={tp: 1}))
    asyncio.run(lag.update_lag(app))
    assert _gauge("obs-u", 0) == 8
    app.consumer = Broken({tp}, ends={}, committed={})
    asyncio.run(lag.update_lag(app))
    assert _gauge("obs-u", 0) == 8
    lag.clear_lag()


def test_source_topics_come_from_agents() -> None:
    app: Any = SimpleNamespace(agents={
        "enrich": SimpleNamespace(channel=SimpleNamespace(topics=("news.articles.v1",))),
        "rekeyed": SimpleNamespace(channel=SimpleNamespace(topics=("news.articles-rekeyed.v1",))),
        "in-memory": SimpleNamespace(channel=SimpleNamespace()),
    })
    assert lag.source_topics(app) == {"news.articles.v1", "news.articles-rekeyed.v1"}
