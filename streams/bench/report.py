"""``streams bench``: every performance figure of the product, in one run.

Absolute times on shared 2-core machines are noisy, so the targets are
ratios measured in the same run (core vs naive spaCy, Kafka vs offline,
two workers vs one).  Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from typing import Any

from streams.bench.core import bench_core, bench_naive
from streams.bench.corpus import base_articles, corpus

TARGETS = {
    "core_vs_naive": 1.3,
    "framework_tax": 0.90,
    "two_vs_one_worker": 1.5,
    "latency_p99_ms": 500.0,
    "alert_latency_ms": 2000.0,
    "risk_offline_events_per_s": 20_000,
    "risk_broker_events_per_s": 5_000,
}


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run(n_articles: int, broker: bool, risk_events: int) -> dict[str, Any]:
    from streams.risk.bench import bench_offline
    from streams.settings import Settings

    articles = corpus(n_articles)
    _, described = base_articles()
    result: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
                              "machine": _machine(),
                              "corpus": f"{n_articles} articles cycling over {described}"}
    result["core"] = bench_core(articles)
    result["naive"] = bench_naive(articles)
    result["core_vs_naive"] = result["core"]["articles_per_s"] / result["naive"]["articles_per_s"]
    result["risk_offline"] = bench_offline(risk_events)
    if broker:
        from streams.bench.e2e import run_broker_benchmarks

        warmup = corpus(n_articles + 60)[n_articles:]
        e2e = run_broker_benchmarks(articles, warmup, result["core"]["articles_per_s"],
                                    top_k=Settings().metrics_top_k,
                                    risk_events=risk_events)
        result.update(e2e)
        one = e2e["one_worker"]["articles_per_s"]
        result["framework_tax"] = one / result["core"]["articles_per_s"]
        result["two_vs_one_worker"] = e2e["two_workers"]["articles_per_s"] / one
    return result


def table(result: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []

    def add(name: str, value: float | None, fmt: str, target: str = "") -> None:
        rows.append((name, "—" if value is None else format(value, fmt), target))

    core, naive = result["core"], result["naive"]
    add("core articles/s (offline, 1 process)", core["articles_per_s"], ".1f")
    add("core tokens/s", core["tokens_per_s"], ".0f")
    add("core ms/article median", core["median_ms"], ".1f")
    add("core ms/article p99", core["p99_ms"], ".1f")
    add("actor-table lookup µs", core.get("actor_lookup_us"), ".0f", "< 200")
    add("gazetteer ms per 400-word doc", core.get("gazetteer_ms_per_doc"), ".1f", "< 20")
    add("naive en_core_web_sm articles/s", naive["articles_per_s"], ".1f")
    add("core / naive", result["core_vs_naive"], ".2f", "≥ 1.3")
    risk = result["risk_offline"]
    add("risk engine events/s offline (per CPU s)", risk["events_per_second"], ".0f", "≥ 20,000")
    if "one_worker" in result:
        add("end to end articles/s, 1 worker", result["one_worker"]["articles_per_s"], ".1f")
        add("end to end articles/s, 2 workers", result["two_workers"]["articles_per_s"], ".1f")
        add("framework tax (1 worker / offline core)", result["framework_tax"], ".2f", "≥ 0.90")
        add("2 workers / 1 worker", result["two_vs_one_worker"], ".2f", "≥ 1.5")
        for run in ("one_worker", "two_workers"):
            cpu, n = result[run]["cpu"], result[run]["workers"]
            rows.append((f"  CPU ms/article, {n} worker{'s' if n > 1 else ''}: "
                         "analysis / main / broker / client",
                         f"{cpu['analysis_ms']:.1f} / {cpu['worker_main_ms']:.1f} / "
                         f"{cpu['broker_ms']:.1f} / {cpu['bench_client_ms']:.1f}",
                         f"idle cores {cpu['idle_cores']:.2f}"))
        lat = result["latency_half_capacity"]
        add(f"latency p50 ms at {lat['rate_per_s']:.1f}/s (half capacity)", lat["p50_ms"], ".0f")
        add("latency p95 ms", lat["p95_ms"], ".0f")
        add("latency p99 ms", lat["p99_ms"], ".0f", "≤ 500")
        rb = result["risk_broker"]
        add("risk engine events/s through the broker", rb["events_per_s"], ".0f", "≥ 5,000")
        add("alert latency p50 ms (produce → alert)", rb["alert_latency"]["p50_ms"], ".0f")
        add(f"alert latency p99 ms ({rb['alert_latency']['samples']} alerts)",
            rb["alert_latency"]["p99_ms"], ".0f", "≤ 2,000")
        add("peak RSS per worker MiB (main + analysis child)",
            result["one_worker"]["peak_rss_mib"], ".0f", "≤ 700")
        add(f"RSS MiB before → after {rb['dyads']} dyads", rb["rss_after_dyads_mib"], ".0f",
            f"from {rb['rss_before_dyads_mib']:.0f}")
    width = max(len(r[0]) for r in rows)
    lines = [f"{'figure'.ljust(width)}  {'value':>10}  target", "-" * (width + 22)]
    lines += [f"{n.ljust(width)}  {v:>10}  {t}" for n, v, t in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="streams bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=300, help="articles per measurement")
    parser.add_argument("--risk-events", type=int, default=20_000)
    parser.add_argument("--offline-only", action="store_true", help="skip the broker figures")
    parser.add_argument("--json", default="bench-results.json", help="where to write the figures")
    args = parser.parse_args(argv)
    result = run(args.articles, not args.offline_only, args.risk_events)
    print(f"{result['machine']} — {result['corpus']}")
    print(table(result))
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, default=str)
    print(f"figures written to {args.json}")
    return 0
