"""Scale-out on a real broker: two worker processes in one consumer group.

Kafka's model: partitions bound parallelism, the group spreads them over its members, and a
member's table state (here the dedup table, changelog-backed) moves with its partitions. The
test shows the group sharing a 4-partition input, then one worker stopping in the middle of a
burst and the other taking over its partitions with the state intact: every article id comes
out, ids seen before the handover are still recognised as duplicates after it, and a repeat on
the output (at-least-once) is only ever the same id with the same enrichment id.

Loopback only; every loop is bounded in rounds and in time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2

from streams.settings import Settings
from tests.support import Worker, collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

PARTITIONS = 4


def _partition(article_id: str) -> int:
    """Where Kafka's default partitioner puts a key (as ``streams produce`` does)."""
    return (murmur2(article_id.encode()) & 0x7FFFFFFF) % PARTITIONS


def _ids(prefix: str, per_partition: int) -> list[str]:
    """Ids spread evenly: ``per_partition`` on every partition of the input."""
    buckets: dict[int, list[str]] = {p: [] for p in range(PARTITIONS)}
    i = 0
    while any(len(b) < per_partition for b in buckets.values()):
        candidate = f"{prefix}-{i}"
        bucket = buckets[_partition(candidate)]
        if len(bucket) < per_partition:
            bucket.append(candidate)
        i += 1
        assert i < 10_000
    return [a for p in range(PARTITIONS) for a in buckets[p]]


def _article(article_id: str) -> bytes:
    return json.dumps({
        "id": article_id, "url": f"https://news.example.org/{article_id}", "title": article_id,
        "body": ("Russia warned the United States on Tuesday of new aggravations. "
                 "Ukraine thanked Poland for its help."),
        "published_at": "2022-02-20T10:00:00Z", "source": {"name": "Example Wire"},
    }).encode()


def _enriched(worker: Worker) -> float:
    return worker.counter("streams_articles_total", outcome="enriched")


def _duplicates(worker: Worker) -> float:
    return worker.counter("streams_articles_total", outcome="duplicate")


def _lag(settings: Settings) -> dict[int, int | None]:
    """Messages of the input topic the group has not committed, by partition (None: no commit)."""
    async def run() -> dict[int, int | None]:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
        consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers)
        await admin.start()
        await consumer.start()
        try:
            committed = await admin.list_consumer_group_offsets(settings.app_id)
            tps = [TopicPartition(settings.topics.articles, p) for p in range(PARTITIONS)]
            ends = await consumer.end_offsets(tps)
            return {tp.partition: ends[tp] - committed[tp].offset if tp in committed else None
                    for tp in tps}
        finally:
            await consumer.stop()
            await admin.close()

    return asyncio.run(run())


def _offsets(settings: Settings) -> str:
    try:
        return f"uncommitted input messages by partition: {_lag(settings)}"
    except Exception as exc:  # diagnostics only
        return f"offsets unavailable: {exc!r}"


def _state(*workers: Worker) -> str:
    """Counters and log tails, for failure messages."""
    out = []
    for w in workers:
        try:
            counters = [ln for ln in w.metrics().splitlines() if ln.startswith("streams_articles_total")]
        except OSError as exc:
            counters = [f"metrics unavailable: {exc}"]
        out.append(f"--- worker :{w.settings.web_port}\n" + "\n".join(counters) + "\n" + w.log()[-3000:])
    return "\n".join(out)


def _wait(condition: Callable[[], bool], timeout: float, what: str,
          diagnostics: Callable[[], str] = str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{diagnostics()}")


def test_two_workers_share_partitions_and_hand_over_with_state(
        kafka: str, tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    settings = unique_settings(kafka, partitions=PARTITIONS)
    create_topics(settings)
    tag = uuid.uuid4().hex[:6]
    first, second = new_worker(settings, tmp_path), new_worker(settings, tmp_path)

    def diagnostics() -> str:
        return _offsets(settings) + "\n" + _state(first, second)

    try:
        # 0. One worker owns every partition and has done some work (its model is loaded).
        first.start().wait_ready()
        warm_up = _ids(f"{tag}-warm", per_partition=1)
        produce(settings, [_article(a) for a in warm_up])
        _wait(lambda: _enriched(first) >= len(warm_up), 120, "the first worker to warm up", diagnostics)

        # 1. Scale out: a second worker joins the group. Feed rounds of ids covering every
        #    partition until both workers have enriched some (the group rebalances meanwhile).
        second.start().wait_ready()
        shared = list(warm_up)
        for round_no in range(12):
            batch = _ids(f"{tag}-r{round_no}", per_partition=2)
            produce(settings, [_article(a) for a in batch])
            shared += batch
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _enriched(first) + _enriched(second) < len(shared):
                time.sleep(0.5)
            if _enriched(second) > 0 and _enriched(first) > len(warm_up):
                break
        assert _enriched(first) > len(warm_up) and _enriched(second) > 0, f"work not shared\n{diagnostics()}"
        _wait(lambda: _enriched(first) + _enriched(second) >= len(shared), 60,
              "every shared id to be enriched once", diagnostics)
        before_handover = (_enriched(first), _enriched(second))

        # 2. Hand-over: a burst on every partition, and the second worker stops (SIGTERM: it
        #    finishes or abandons its in-flight messages, commits, leaves the group) while the
        #    burst is being processed. The first worker must take over its partitions.
        burst = _ids(f"{tag}-burst", per_partition=10)
        produce(settings, [_article(a) for a in burst])
        time.sleep(0.5)
        assert second.stop(timeout=60) is not None

        # 3. State moved with the partitions: every id enriched before the hand-over, about
        #    half of them by the stopped worker, is a duplicate for the survivor; new ids are
        #    enriched.
        duplicates_before = _duplicates(first)
        produce(settings, [_article(a) for a in shared])
        fresh = _ids(f"{tag}-after", per_partition=3)
        produce(settings, [_article(a) for a in fresh])
        # Drained: the group has committed every input message (a partition left behind here
        # is one the survivor took over but does not consume).
        _wait(lambda: all(n == 0 for n in _lag(settings).values()), 120,
              "the surviving worker to consume every partition to the end", diagnostics)
        assert _duplicates(first) - duplicates_before >= len(shared)

        everything = shared + burst + fresh
        records = collect(settings, [settings.topics.enriched, settings.topics.dead_letters],
                          len(everything) + len(shared), timeout=120, idle=15)
        letters = [json.loads(r.value or b"") for r in records if r.topic == settings.topics.dead_letters]
        values = [json.loads(r.value or b"") for r in records if r.topic == settings.topics.enriched]
        seen = Counter(v["id"] for v in values)
        missing = sorted(set(everything) - set(seen))
        assert not missing and not letters, (
            f"missing: {missing} (partitions {sorted(_partition(m) for m in missing)}), "
            f"dead letters: {letters}\n{diagnostics()}")
        enrichment_ids: dict[str, set[str]] = {}
        for v in values:
            enrichment_ids.setdefault(v["id"], set()).add(v["enrichment_id"])
        assert all(len(e) == 1 for e in enrichment_ids.values()), "a repeat with a different enrichment"
        repeats = sum(n - 1 for n in seen.values())
        # The re-sent ids were never enriched again: the dedup state survived the hand-over.
        assert all(seen[a] == 1 for a in shared), {a: seen[a] for a in shared if seen[a] > 1}
        # Burst messages the stopped worker had finished but not yet committed come to the
        # survivor again; the moved dedup state recognises them too.
        redelivered = _duplicates(first) - duplicates_before - len(shared)
        assert redelivered >= 0
        assert _enriched(first) > before_handover[0]
        record_property("handover_repeats", repeats)
        record_property("handover_redelivered_duplicates", redelivered)
        print(f"\nscale-out: {len(everything)} ids, enriched by worker 1/2 before the hand-over "
              f"{before_handover[0]:.0f}/{before_handover[1]:.0f}, repeats on the output: {repeats}, "
              f"redelivered and dropped as duplicates: {redelivered:.0f}")
    finally:
        second.stop()
        first.stop()
