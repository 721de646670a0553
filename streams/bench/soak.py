"""Soak run: one worker fed at a steady rate for minutes, watched for drift.

``python -m streams.bench.soak --minutes 10 --rate 20`` starts a broker of its
own (``kafkactl`` on free loopback ports), one ``streams worker`` and a
producer, and reports, after a warm-up:

* throughput stability: articles enriched per minute, and their spread;
* latency produce → enriched (p50/p95/p99/max), matching output ids to the
  moment each article was sent;
* memory: the worker's resident set (``VmRSS``, the process and its
  children) right after warm-up and at the end; the target is < 10 % growth;
* completeness: every article sent comes out enriched or dead-lettered.

It prints a table and writes the figures as JSON.  A benchmark command, not
a unit test: the run is bounded by ``--minutes`` plus a bounded drain.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.bench.core import percentile
from streams.bench.corpus import corpus
from streams.harness import Worker, new_worker, unique_settings
from streams.kafka_io import client_options, ensure_topics
from streams.localbroker import LocalBroker
from streams.settings import Settings

RSS_TARGET_GROWTH = 0.10
SAMPLE_EVERY_S = 5.0


@dataclass
class Run:
    """What was sent and seen, with wall-clock times (seconds since the start)."""

    started: float = field(default_factory=time.time)
    sent_at: dict[str, float] = field(default_factory=dict)
    enriched_at: dict[str, float] = field(default_factory=dict)
    latency_ms: dict[str, float] = field(default_factory=dict)
    dead_letters: int = 0
    duplicates_out: int = 0
    samples: list[dict[str, float]] = field(default_factory=list)

    def t(self) -> float:
        return time.time() - self.started


async def produce(settings: Settings, run: Run, rate: float, seconds: float) -> None:
    """Send distinct articles at ``rate`` per second for ``seconds``, stamping ``ingested_at``."""
    n = int(rate * seconds)
    articles = corpus(n)
    producer = AIOKafkaProducer(acks="all", linger_ms=5, **client_options(settings))
    await producer.start()
    try:
        begin = time.monotonic()
        for i, article in enumerate(articles):
            delay = begin + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            article["ingested_at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            run.sent_at[article["id"]] = run.t()
            await producer.send(settings.topics.articles, json.dumps(article).encode(),
                                key=article["id"].encode())
        await producer.flush()
    finally:
        await producer.stop()


async def consume(settings: Settings, run: Run, stop: asyncio.Event) -> None:
    """Match enriched output to what was sent; count dead letters."""
    consumer = AIOKafkaConsumer(settings.topics.enriched, settings.topics.dead_letters,
                                auto_offset_reset="earliest", **client_options(settings))
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=250)
            now = run.t()
            for tp, messages in batch.items():
                for message in messages:
                    if tp.topic == settings.topics.dead_letters:
                        run.dead_letters += 1
                        continue
                    article_id = json.loads(message.value or b"{}").get("id", "")
                    if article_id in run.enriched_at:
                        run.duplicates_out += 1
                    elif article_id in run.sent_at:
                        run.enriched_at[article_id] = now
                        run.latency_ms[article_id] = (now - run.sent_at[article_id]) * 1000
    finally:
        await consumer.stop()


async def sample(worker: Worker, run: Run, stop: asyncio.Event) -> None:
    assert worker.proc is not None
    while not stop.is_set():
        if worker.proc.poll() is not None:
            raise RuntimeError(f"worker exited with {worker.proc.returncode}:\n{worker.log()}")
        # The whole process tree: the analysis child counts too.
        run.samples.append({"t": run.t(), "rss_kib": worker.rss_kib(),
                            "enriched": len(run.enriched_at)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)


async def soak(settings: Settings, worker: Worker, minutes: float, rate: float,
               warmup_s: float, drain_s: float) -> Run:
    run = Run()
    stop = asyncio.Event()
    consumer = asyncio.create_task(consume(settings, run, stop))
    sampler = asyncio.create_task(sample(worker, run, stop))
    try:
        await produce(settings, run, rate, minutes * 60)
        deadline = time.monotonic() + drain_s
        while len(run.enriched_at) + run.dead_letters < len(run.sent_at) and time.monotonic() < deadline:
            if sampler.done():
                break
            await asyncio.sleep(0.5)
    finally:
        stop.set()
        await asyncio.gather(consumer, sampler)
    return run


def summarise(run: Run, rate: float, minutes: float, warmup_s: float) -> dict[str, Any]:
    """Per-minute rates, latency percentiles and RSS growth, after the warm-up."""
    end = minutes * 60
    per_minute = []
    for m in range(math.ceil(minutes)):
        lo, hi = m * 60.0, (m + 1) * 60.0
        done = [a for a, t in run.enriched_at.items() if lo <= t < hi]
        lat = [run.latency_ms[a] for a in done]
        minute_rss = [s["rss_kib"] for s in run.samples if lo <= s["t"] < hi]
        per_minute.append({
            "minute": m + 1,
            "sent": sum(1 for t in run.sent_at.values() if lo <= t < hi),
            "enriched": len(done),
            "p50_ms": percentile(lat, 0.50), "p99_ms": percentile(lat, 0.99),
            "rss_mib": statistics.median(minute_rss) / 1024 if minute_rss else float("nan"),
            "warm": lo >= warmup_s,
        })
    warm_minutes = [m for m in per_minute if m["warm"]]
    rates = [m["enriched"] / 60 for m in warm_minutes]
    steady = [run.latency_ms[a] for a, t in run.sent_at.items() if t >= warmup_s and a in run.latency_ms]
    rss = rss_growth([(s["t"], int(s["rss_kib"])) for s in run.samples], warmup_s, end)
    mean_rate = statistics.fmean(rates) if rates else float("nan")
    return {
        "rate_target_per_s": rate,
        "minutes": minutes,
        "warmup_s": warmup_s,
        "sent": len(run.sent_at),
        "enriched": len(run.enriched_at),
        "dead_letters": run.dead_letters,
        "missing": len(run.sent_at) - len(run.enriched_at) - run.dead_letters,
        "enriched_twice": run.duplicates_out,
        "throughput": {
            "mean_per_s": mean_rate,
            "min_per_s": min(rates, default=float("nan")),
            "max_per_s": max(rates, default=float("nan")),
            "cv": (statistics.pstdev(rates) / mean_rate) if len(rates) > 1 and mean_rate else 0.0,
        },
        "latency_ms": {
            "p50": percentile(steady, 0.50), "p95": percentile(steady, 0.95),
            "p99": percentile(steady, 0.99), "max": max(steady, default=float("nan")),
            "samples": len(steady),
        },
        "rss": rss,
        "per_minute": per_minute,
        "rss_samples": [(round(s["t"], 1), s["rss_kib"]) for s in run.samples],
    }


def rss_growth(samples: list[tuple[float, int]], warmup_s: float, end_s: float) -> dict[str, float]:
    """RSS growth after warm-up, robust to the allocator's sample-to-sample jitter.

    Compares the median of the first and of the last minute of samples (or of
    the first and last fifth of a shorter window), and fits a least-squares
    slope to all of them.
    """
    warm = [(t, kib / 1024) for t, kib in samples if warmup_s <= t <= end_s]
    if len(warm) < 2:
        nan = float("nan")
        return {"after_warmup_mib": nan, "end_mib": nan, "peak_mib": nan, "growth": nan,
                "slope_mib_per_h": nan, "target_growth": RSS_TARGET_GROWTH}
    span = min(60.0, (warm[-1][0] - warm[0][0]) / 5) or 1.0
    first = statistics.median(m for t, m in warm if t <= warm[0][0] + span)
    last = statistics.median(m for t, m in warm if t >= warm[-1][0] - span)
    mean_t = statistics.fmean(t for t, _ in warm)
    mean_m = statistics.fmean(m for _, m in warm)
    var = sum((t - mean_t) ** 2 for t, _ in warm)
    slope = sum((t - mean_t) * (m - mean_m) for t, m in warm) / var if var else 0.0
    return {"after_warmup_mib": first, "end_mib": last,
            "peak_mib": max(kib for _, kib in samples) / 1024,
            "growth": (last - first) / first, "slope_mib_per_h": slope * 3600,
            "target_growth": RSS_TARGET_GROWTH}


def table(result: dict[str, Any]) -> str:
    lines = [f"{'minute':>6} {'sent':>6} {'enriched':>9} {'/s':>6} {'p50 ms':>8} {'p99 ms':>8} "
             f"{'RSS MiB':>8}  (median of the minute's samples)"]
    for m in result["per_minute"]:
        lines.append(f"{m['minute']:>6} {m['sent']:>6} {m['enriched']:>9} {m['enriched'] / 60:>6.1f} "
                     f"{m['p50_ms']:>8.0f} {m['p99_ms']:>8.0f} {m['rss_mib']:>8.1f}"
                     + ("" if m["warm"] else "  (warm-up)"))
    th, lat, rss = result["throughput"], result["latency_ms"], result["rss"]
    verdict = "ok" if rss["growth"] < rss["target_growth"] else "ABOVE TARGET"
    lines += [
        "",
        f"sent {result['sent']}, enriched {result['enriched']}, dead letters {result['dead_letters']}, "
        f"missing {result['missing']}, enriched twice {result['enriched_twice']}",
        f"throughput after warm-up: mean {th['mean_per_s']:.2f}/s, min {th['min_per_s']:.2f}, "
        f"max {th['max_per_s']:.2f}, cv {th['cv']:.3f} (target rate {result['rate_target_per_s']}/s)",
        f"latency produce→enriched after warm-up: p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, "
        f"p99 {lat['p99']:.0f} ms, max {lat['max']:.0f} ms ({lat['samples']} articles)",
        f"worker RSS (median of first / last minute after warm-up): {rss['after_warmup_mib']:.1f} → "
        f"{rss['end_mib']:.1f} MiB ({rss['growth'] * 100:+.1f}%, target < {rss['target_growth'] * 100:.0f}%: "
        f"{verdict}); trend {rss['slope_mib_per_h']:+.1f} MiB/h; peak {rss['peak_mib']:.1f} MiB",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="producing time (default 10)")
    parser.add_argument("--rate", type=float, default=4.0,
                        help="articles per second (default 4: about half of one worker's capacity "
                             "on the bench corpus on a 2-core machine)")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds left out of the figures (default: 60, or 20%% of a shorter run)")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--drain", type=float, default=120.0, help="max seconds to wait for the tail")
    parser.add_argument("--broker", help="use this broker instead of starting one")
    parser.add_argument("--json", default="soak-results.json", help="where to write the figures")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.rate <= 0:
        parser.error("--minutes and --rate must be positive")
    warmup = args.warmup if args.warmup is not None else min(60.0, args.minutes * 60 * 0.2)

    workdir = Path(tempfile.mkdtemp(prefix="streams-soak-"))
    broker = None if args.broker else LocalBroker(workdir / "kafka")
    address = args.broker or broker.start()  # type: ignore[union-attr]
    worker = None
    try:
        settings = unique_settings(address, partitions=args.partitions)
        asyncio.run(ensure_topics(settings))
        worker = new_worker(settings, workdir).start()
        worker.wait_ready()
        print(f"soak: {args.minutes:g} min at {args.rate:g} articles/s, broker {address}, "
              f"worker pid {worker.proc.pid if worker.proc else '?'}, log {worker.log_path}",
              file=sys.stderr)
        run = asyncio.run(soak(worker.settings, worker, args.minutes, args.rate, warmup, args.drain))
        result = summarise(run, args.rate, args.minutes, warmup)
        result["worker_exit"] = worker.stop()
    finally:
        if worker is not None:
            worker.stop()
        if broker is not None:
            broker.stop()
    print(table(result))
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
    print(f"figures written to {args.json}")
    return 0 if result["missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
