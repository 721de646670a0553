"""Fault-injection helpers: a broker of our own, workers with extra settings, accounting.

Everything here runs real processes on loopback: a Kafka broker started with
``deploy/kafka/kafkactl`` (so a test can stop and start it without disturbing
the session broker), ``streams worker`` subprocesses, and aiokafka clients.
Every wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.kafka_io import client_options
from streams.localbroker import LocalBroker
from streams.risk import DyadState
from streams.settings import Settings
from tests.support import Worker, new_worker, settings_env

# -- articles -----------------------------------------------------------------

#: Country pairs the analyzer resolves, and verbs it codes (CAMEO 11-19 hostile,
#: 04-05 cooperative).  Sentences vary per article so they are distinct events,
#: not near-duplicates of one wire story.
PAIRS = (
    ("Russia", "the United States"), ("Ukraine", "Poland"), ("China", "Japan"),
    ("Iran", "Israel"), ("India", "Pakistan"), ("Turkey", "Greece"),
    ("North Korea", "South Korea"), ("France", "Germany"),
)
HOSTILE = ("warned", "threatened", "condemned", "accused", "attacked", "sanctioned",
           "denounced", "criticized")
COOPERATIVE = ("praised", "thanked", "supported", "met with", "welcomed",
               "signed an agreement with")
TOPICS = ("the border", "the islands", "the embassy", "missile tests", "trade", "the pipeline",
          "fishing rights", "the election")
#: Outlets in the risk engine's built-in registry (streams/risk/data/outlets.yaml): only
#: registered outlets corroborate, so the corpus's dyads can reach warning and critical.
OUTLETS = ("reuters.com", "apnews.com", "afp.com", "bloomberg.com", "dpa.com", "efe.com", "ansa.it",
           "kyodonews.net", "yna.co.kr", "pti.in", "upi.com", "interfax.com", "ukrinform.net",
           "nytimes.com", "washingtonpost.com", "wsj.com", "latimes.com")
#: Event time of article 0; each further article is ``MINUTES_PER_ARTICLE`` later.
EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
MINUTES_PER_ARTICLE = 15


def body(i: int) -> str:
    """Two sentences; each dyad turns hostile for three days in every nine."""
    day = i * MINUTES_PER_ARTICLE // 1440
    out = []
    for j in (0, 1):
        k = (i * 3 + j * 5) % len(PAIRS)
        a, b = PAIRS[k]
        verbs = HOSTILE if (day // 3 + k) % 3 == 0 else COOPERATIVE
        verb = verbs[(i + j) % len(verbs)]
        out.append(f"{a} {verb} {b} over {TOPICS[(i * 7 + j) % len(TOPICS)]} on day {i}{j}.")
    return " ".join(out)


def article(i: int, *, prefix: str = "art", **overrides: object) -> bytes:
    """A valid article with a short body of two stance-bearing sentences.

    Event times rise with ``i``, so the dyad topic sees each dyad's events in
    event-time order whenever the articles are processed in order.
    """
    published = EPOCH + timedelta(minutes=i * MINUTES_PER_ARTICLE)
    value: dict[str, object] = {
        "id": f"{prefix}-{i}",
        "url": f"https://{OUTLETS[i % len(OUTLETS)]}/{prefix}/{i}",
        "title": f"Report {i}",
        "body": body(i),
        "published_at": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": {"name": f"Outlet {i % len(OUTLETS)}", "domain": OUTLETS[i % len(OUTLETS)]},
    }
    value.update(overrides)
    return json.dumps(value).encode()


def article_id(line: bytes) -> str:
    return str(json.loads(line)["id"])


# -- workers ------------------------------------------------------------------


@dataclass
class FaultWorker(Worker):
    """A worker subprocess with extra ``STREAMS_*`` variables (timeouts, store...)."""

    extra_env: dict[str, str] = field(default_factory=dict)

    def start(self) -> FaultWorker:
        env = {**os.environ, **settings_env(self.settings), **self.extra_env}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams", "worker"], env=env,
            stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def full_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def try_counter(self, name: str, **labels: str) -> float | None:
        try:
            return self.counter(name, **labels)
        except OSError:
            return None


def fault_worker(settings: Settings, workdir: Path, *, same_as: FaultWorker | None = None,
                 **env: str) -> FaultWorker:
    """A worker of ``settings``; ``same_as`` reuses another's data dir and port (a restart)."""
    if same_as is not None:
        return FaultWorker(same_as.settings, workdir, extra_env={**same_as.extra_env, **env})
    base = new_worker(settings, workdir)
    return FaultWorker(base.settings, workdir, extra_env=env)


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.5,
               what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} not met within {timeout}s")


# -- a broker of our own --------------------------------------------------------


@contextmanager
def own_broker(data_dir: Path) -> Iterator[LocalBroker]:
    """A broker on free ports with its own data dir, to stop and start at will."""
    broker = LocalBroker(data_dir, stop_timeout_s=30, timeout_s=150)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


# -- producing and reading back -------------------------------------------------------


def produce_keyed(settings: Settings, items: Iterable[tuple[bytes | None, bytes | None]],
                  topic: str | None = None, rate: float | None = None) -> int:
    """Send (key, value) pairs as they are (``None`` values included), acks=all."""
    async def run() -> int:
        producer = AIOKafkaProducer(acks="all", max_request_size=4_000_000,
                                    **client_options(settings))
        await producer.start()
        sent = 0
        started = time.monotonic()
        try:
            pending = []
            for key, value in items:
                pending.append(await producer.send(topic or settings.topics.articles, value, key=key))
                sent += 1
                if rate:
                    delay = started + sent / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
            await asyncio.gather(*pending)
        finally:
            await producer.stop()
        return sent

    return asyncio.run(run())


@dataclass(frozen=True)
class Out:
    topic: str
    key: bytes | None
    value: bytes | None
    timestamp_ms: int


def read_all(settings: Settings, topics: list[str], *, until: Callable[[list[Out]], bool],
             timeout: float, idle: float = 15.0) -> list[Out]:
    """Read the topics from the beginning until ``until(records)``, ``idle`` s of silence or timeout."""
    async def run() -> list[Out]:
        consumer = AIOKafkaConsumer(*topics, group_id=None, enable_auto_commit=False,
                                    auto_offset_reset="earliest", fetch_max_bytes=8_000_000,
                                    max_partition_fetch_bytes=4_000_000, **client_options(settings))
        await consumer.start()
        out: list[Out] = []
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        try:
            while time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=500, max_records=5000)
                if batch:
                    last = time.monotonic()
                    for tp, messages in batch.items():
                        out.extend(Out(tp.topic, m.key, m.value, m.timestamp) for m in messages)
                    if until(out):
                        return out
                elif until(out) or time.monotonic() - last > idle:
                    return out
        finally:
            await consumer.stop()
        return out

    return asyncio.run(run())


@dataclass
class Outcomes:
    """What came out of the enrich agent, read back from its topics."""

    enriched: list[dict[str, object]]
    dead_letters: list[dict[str, object]]

    @property
    def enriched_ids(self) -> Counter[str]:
        return Counter(str(e["id"]) for e in self.enriched)


def read_outcomes(settings: Settings, *, expect_enriched: set[str] | None = None,
                  expect_total: int | None = None, timeout: float = 180.0,
                  idle: float = 20.0) -> Outcomes:
    """Read enriched + dead letters until the expected outcomes are there (or time runs out)."""
    t = settings.topics
    topics = [t.enriched, t.dead_letters]

    def done(records: list[Out]) -> bool:
        ids = {json.loads(r.value or b"{}").get("id") for r in records if r.topic == t.enriched}
        if expect_enriched is not None and not expect_enriched <= ids:
            return False
        if expect_total is not None:
            n = sum(1 for r in records if r.topic in (t.enriched, t.dead_letters))
            if n < expect_total:
                return False
        return expect_enriched is not None or expect_total is not None

    records = read_all(settings, topics, until=done, timeout=timeout, idle=idle)
    by_topic: dict[str, list[dict[str, object]]] = {name: [] for name in topics}
    for r in records:
        by_topic[r.topic].append(json.loads(r.value or b"{}"))
    return Outcomes(by_topic[t.enriched], by_topic[t.dead_letters])


def enriched_count(worker: FaultWorker) -> float:
    return worker.try_counter("streams_articles_total", outcome="enriched") or 0.0


def assigned_partitions(worker: FaultWorker, topic: str) -> set[int]:
    """Partitions of ``topic`` the worker reports as its own (its consumer-lag gauge).

    The gauge has a sample for each source partition assigned to the worker, refreshed every
    few seconds, so an answer lags a rebalance by at most that long; a worker not serving
    metrics owns nothing.
    """
    try:
        text = worker.metrics()
    except OSError:
        return set()
    owned: set[int] = set()
    for line in text.splitlines():
        if line.startswith("streams_consumer_lag_messages{") and f'topic="{topic}"' in line:
            owned.add(int(line.split('partition="', 1)[1].split('"', 1)[0]))
    return owned


def read_to_end(settings: Settings, topics: list[str], timeout: float = 60.0) -> list[Out]:
    """Everything on the topics now: from the beginning up to their current end offsets."""
    async def run() -> list[Out]:
        consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False,
                                    auto_offset_reset="earliest", fetch_max_bytes=8_000_000,
                                    max_partition_fetch_bytes=4_000_000, **client_options(settings))
        await consumer.start()
        out: list[Out] = []
        try:
            # Every topic of a test (changelogs included) has ``settings.partitions``.
            partitions = [TopicPartition(t, p) for t in topics for p in range(settings.partitions)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                positions = [await consumer.position(tp) for tp in partitions]
                if all(pos >= ends[tp] for pos, tp in zip(positions, partitions, strict=True)):
                    return out
                batch = await consumer.getmany(timeout_ms=500, max_records=5000)
                for tp, messages in batch.items():
                    out.extend(Out(tp.topic, m.key, m.value, m.timestamp) for m in messages
                               if m.offset < ends[tp])
            raise TimeoutError(f"could not read {topics} to their end in {timeout}s")
        finally:
            await consumer.stop()

    return asyncio.run(run())


def final_states(settings: Settings, timeout: float = 60.0) -> dict[str, DyadState]:
    """The last value per dyad on the worker's ``dyad-state`` changelog (what a restart restores)."""
    from tests.reliability.reference import changelog_topic, decode_state

    last: dict[str, bytes | None] = {}
    for r in read_to_end(settings, [changelog_topic(settings, "dyad-state")], timeout):
        last[json.loads(r.key or b'""')] = r.value
    return {dyad: decode_state(v) for dyad, v in last.items() if v is not None}
