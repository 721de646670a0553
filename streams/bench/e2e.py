"""End-to-end figures through a real broker: throughput, latency, risk, memory.

Every figure comes from real processes on loopback: a KRaft broker started
with ``kafkactl``, ``streams worker`` processes, aiokafka clients.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pycountry
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.bench.core import percentile
from streams.bench.cpu import CpuMeter
from streams.cameo import lookup
from streams.contracts import StanceEvent
from streams.harness import Worker, new_worker, process_tree, unique_settings
from streams.kafka_io import client_options, ensure_topics
from streams.localbroker import LocalBroker
from streams.settings import Settings

#: How often the drain is polled; 50 ms is about 1% of a 20,000-event drain.
RATE_POLL_S = 0.05
#: Fresh dyads surged to sample alert latency (a few alerts each).
ALERT_DYADS = 10


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(values, 0.50), "p95_ms": percentile(values, 0.95),
            "p99_ms": percentile(values, 0.99), "samples": len(values)}


async def _pump(settings: Settings, articles: list[dict[str, Any]], rate: float | None,
                topic_out: str, expect: int, timeout: float,
                meter: CpuMeter | None = None) -> tuple[float, list[float]]:
    """Produce articles (stamping ``ingested_at``), consume outputs; (elapsed, latencies ms).

    ``meter`` measures CPU from the first article produced to the last output.
    """
    options = client_options(settings)
    consumer = AIOKafkaConsumer(topic_out, auto_offset_reset="latest", **options)
    await consumer.start()
    await consumer.seek_to_end()
    await asyncio.sleep(1.0)
    producer = AIOKafkaProducer(acks="all", linger_ms=5, **options)
    await producer.start()
    latencies: list[float] = []
    received = 0
    if meter is not None:
        meter.start()
    started = time.time()

    async def produce() -> None:
        for i, article in enumerate(articles):
            if rate:
                delay = started + i / rate - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            stamped = dict(article, ingested_at=datetime.now(UTC).isoformat())
            await producer.send(settings.topics.articles, json.dumps(stamped).encode(),
                                key=article["id"].encode())
        await producer.flush()

    async def consume() -> None:
        nonlocal received
        while received < expect:
            batch = await consumer.getmany(timeout_ms=500)
            now = time.time()
            for messages in batch.values():
                for message in messages:
                    value = json.loads(message.value)
                    if value.get("ingested_at"):
                        sent = datetime.fromisoformat(value["ingested_at"]).timestamp()
                        latencies.append((now - sent) * 1000)
                    received += 1

    with suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(produce(), consume()), timeout)
    elapsed = time.time() - started
    if meter is not None:
        meter.stop()
    await producer.stop()
    await consumer.stop()
    return elapsed, latencies[:received]


def _start_workers(settings: Settings, count: int, workdir: Path) -> list[Worker]:
    workers = [new_worker(settings, workdir).start() for _ in range(count)]
    for worker in workers:
        worker.wait_ready()
    return workers


def bench_pipeline(broker: LocalBroker, articles: list[dict[str, Any]], workers: int,
                   workdir: Path, warmup: list[dict[str, Any]]) -> dict[str, Any]:
    """Capacity of ``workers`` processes, measured as a burst after a warm-up,
    with the CPU each kind of process spent per article meanwhile."""
    settings = unique_settings(broker.address, partitions=max(2, workers))
    asyncio.run(ensure_topics(settings))
    procs = _start_workers(settings, workers, workdir)
    meter = CpuMeter({
        "worker_main": lambda: [w.proc.pid for w in procs if w.proc],
        "analysis": lambda: [p for w in procs if w.proc for p in process_tree(w.proc.pid)[1:]],
        "broker": lambda: [broker.pid] if broker.pid else [],
        "bench_client": lambda: [os.getpid()],
    })
    try:
        _warm_up(settings, procs, warmup)
        elapsed, _ = asyncio.run(_pump(settings, articles, None, settings.topics.enriched,
                                       len(articles), 600, meter))
        enriched = sum(w.counter("streams_articles_total", outcome="enriched") for w in procs)
        peak = max(w.rss_kib(peak=True) for w in procs)
    finally:
        for w in procs:
            w.stop()
    return {"workers": workers, "articles": len(articles),
            "articles_per_s": len(articles) / elapsed, "enriched_total": enriched,
            "peak_rss_mib": peak / 1024, "cpu": meter.per_item_ms(len(articles)),
            "settings": settings}


def _warm_up(settings: Settings, procs: list[Worker], warmup: list[dict[str, Any]],
             chunk: int = 10) -> None:
    """Feed warm-up articles until every worker has enriched one.

    Only then has the group settled (each worker owns its partitions) and
    every analysis child run: a rebalance or a cold model inside the
    measured burst would be charged to throughput.
    """
    for start in range(0, len(warmup), chunk):
        part = warmup[start:start + chunk]
        asyncio.run(_pump(settings, part, None, settings.topics.enriched, len(part), 180))
        if start and all(w.counter("streams_articles_total", outcome="enriched") for w in procs):
            return
    raise RuntimeError("warm-up ended before every worker had enriched an article")


def bench_latency(broker: str, articles: list[dict[str, Any]], rate: float, workdir: Path,
                  warmup: list[dict[str, Any]]) -> dict[str, Any]:
    """produce→enriched latency of one worker fed at ``rate`` articles/s."""
    settings = unique_settings(broker, partitions=2)
    asyncio.run(ensure_topics(settings))
    procs = _start_workers(settings, 1, workdir)
    try:
        _warm_up(settings, procs, warmup)
        _, latencies = asyncio.run(_pump(settings, articles, rate, settings.topics.enriched,
                                         len(articles), 600))
    finally:
        for w in procs:
            w.stop()
    return {"rate_per_s": rate, **_percentiles(latencies)}


def _country_codes() -> list[str]:
    return sorted(c.alpha_3 for c in pycountry.countries)


def stance_events(n: int, dyads: int, start: datetime, seed: str, code: str = "190",
                  hours_step: float = 0.01, first_dyad: int = 0) -> list[StanceEvent]:
    """Deterministic events of one code spread over ``dyads`` dyads and four outlets."""
    codes = _country_codes()
    pairs = [(codes[i % len(codes)], codes[(i * 7 + 1) % len(codes)])
             for i in range(first_dyad, first_dyad + dyads)]
    pairs = [(a, b) if a != b else (a, codes[0]) for a, b in pairs]
    entry = lookup(code)
    events = []
    for i in range(n):
        a, b = pairs[i % dyads]
        digest = hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()
        outlet = f"outlet{i % 4}.example"
        events.append(StanceEvent(
            event_id=digest[:32], dyad="|".join(sorted((a, b))), source_code=a, target_code=b,
            source_country=a, target_country=b, cameo_code=entry.code,
            plover=entry.plover or "NONE", quad_class=entry.quad_class, goldstein=entry.goldstein,
            polarity=entry.polarity, confidence=0.9,
            event_time=start + timedelta(hours=i * hours_step), article_id=f"{seed}-{i}",
            url=f"https://{outlet}/{i}", outlet=outlet, sentence=f"{a} attacked {b} ({i}).",
            signature=digest[32:48]))
    return events


async def _produce_events(settings: Settings, events: list[StanceEvent]) -> dict[str, float]:
    producer = AIOKafkaProducer(acks="all", linger_ms=5, **client_options(settings))
    await producer.start()
    sent_at: dict[str, float] = {}
    try:
        for event in events:
            await producer.send(settings.topics.stance_events, event.model_dump_json().encode(),
                                key=event.dyad.encode())
            sent_at[event.event_id] = time.time()
        await producer.flush()
    finally:
        await producer.stop()
    return sent_at


def _drain_rate(worker: Worker, expect: int, timeout: float) -> float:
    """Events/s the risk agent applies while draining a backlog of ``expect``.

    Timed from the first poll that sees an applied event to the one that
    sees them all, so worker start-up and table recovery are not charged.
    """
    deadline = time.monotonic() + timeout
    first: tuple[float, float] | None = None
    while time.monotonic() < deadline:
        done, now = worker.counter("streams_risk_events_total"), time.monotonic()
        if first is None and done > 0:
            first = (now, done)
        if done >= expect:
            break
        time.sleep(RATE_POLL_S)
    if first is None or done <= first[1]:
        raise TimeoutError(f"risk agent applied {done:.0f} of {expect} events in {timeout}s")
    return (done - first[1]) / (now - first[0])


def bench_risk_broker(broker: str, workdir: Path, n_events: int, top_k: int) -> dict[str, Any]:
    """Coded events/s through the risk agent, alert latency, and RSS with many dyads."""
    settings = unique_settings(broker, partitions=2)
    asyncio.run(ensure_topics(settings))
    # Throughput: a backlog on geo.stance-events.v1 (a backfill, or a worker
    # catching up), drained by a worker started after it was written.
    events = stance_events(n_events, dyads=50, start=datetime(2023, 1, 1, tzinfo=UTC),
                           seed="throughput", code="042")
    asyncio.run(_produce_events(settings, events))
    worker = _start_workers(settings, 1, workdir)[0]
    out: dict[str, Any] = {}
    try:
        out["events_per_s"] = _drain_rate(worker, n_events, timeout=600)

        # Alert latency: fresh dyads, a calm baseline, then a surge sent one by one.
        latencies = asyncio.run(_alert_latency(settings))
        out["alert_latency"] = _percentiles(latencies)

        # Memory with 10x more dyads than the top-K the gauges keep.
        before = worker.rss_kib()
        many = stance_events(10 * top_k * 5, dyads=10 * top_k,
                             start=datetime(2025, 1, 1, tzinfo=UTC), seed="dyads")
        asyncio.run(_produce_events(settings, many))
        deadline = time.time() + 300
        target = worker.counter("streams_risk_events_total") + len(many)
        while time.time() < deadline and worker.counter("streams_risk_events_total") < target:
            time.sleep(0.2)
        out["rss_before_dyads_mib"] = before / 1024
        out["rss_after_dyads_mib"] = worker.rss_kib() / 1024
        out["dyads"] = 10 * top_k
    finally:
        worker.stop()
    return out


async def _alert_latency(settings: Settings, dyads: int = ALERT_DYADS) -> list[float]:
    """produce → alert latency of each alert raised by surges on fresh dyads.

    Each dyad gets a calm baseline, then hostile events sent one at a time
    (spaced like a breaking story) while a consumer collects alerts.
    """
    consumer = AIOKafkaConsumer(settings.topics.alerts, auto_offset_reset="latest",
                                **client_options(settings))
    await consumer.start()
    await consumer.seek_to_end()
    await asyncio.sleep(1.0)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    producing = True

    async def collect() -> None:
        while producing or time.time() < quiet_until:
            batch = await consumer.getmany(timeout_ms=200)
            now = time.time()
            for messages in batch.values():
                for message in messages:
                    trigger = json.loads(message.value)["triggering_event_id"]
                    if trigger in sent_at:
                        latencies.append((now - sent_at[trigger]) * 1000)

    quiet_until = float("inf")
    collector = asyncio.create_task(collect())
    try:
        for i in range(dyads):
            calm = stance_events(30, dyads=1, start=datetime(2024, 6, 1, tzinfo=UTC),
                                 seed=f"calm{i}", code="042", hours_step=24.0, first_dyad=60 + i)
            surge = stance_events(20, dyads=1, start=datetime(2024, 7, 1, 12, tzinfo=UTC),
                                  seed=f"surge{i}", code="190", hours_step=0.25, first_dyad=60 + i)
            await _produce_events(settings, calm)
            for event in surge:
                sent_at.update(await _produce_events(settings, [event]))
                await asyncio.sleep(0.05)
        producing = False
        quiet_until = time.time() + 3.0  # alerts still in flight
        await collector
    finally:
        collector.cancel()
        await consumer.stop()
    return latencies


def run_broker_benchmarks(articles: list[dict[str, Any]], warmup: list[dict[str, Any]],
                          core_rate: float, top_k: int, risk_events: int) -> dict[str, Any]:
    """Start a broker of our own, run every broker-side figure, stop it."""
    workdir = Path(tempfile.mkdtemp(prefix="streams-bench-"))
    broker = LocalBroker(workdir / "kafka")
    address = broker.start()
    try:
        one = bench_pipeline(broker, articles, 1, workdir, warmup)
        two = bench_pipeline(broker, articles, 2, workdir, warmup)
        half = one["articles_per_s"] / 2
        n_latency = max(50, int(half * 30))
        latency = bench_latency(address, articles[:n_latency], half, workdir, warmup)
        risk = bench_risk_broker(address, workdir, risk_events, top_k)
    finally:
        broker.stop()
    for result in (one, two):
        result.pop("settings", None)
    return {"one_worker": one, "two_workers": two, "latency_half_capacity": latency,
            "risk_broker": risk, "core_rate": core_rate}
