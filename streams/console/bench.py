"""Page-load times of the console with a large store: ``python -m streams.console.bench``.

Fills a store (SQLite in a temporary directory, or ``--db URL``) with synthetic but valid
values (stance events and alerts built with the topic contracts, an article and evidence per
event), serves the real application on a free loopback port and times each page over HTTP,
as a browser would fetch it (server time + transfer; no rendering).  Prints one row per page:
median, 95th percentile and the slowest of ``--repeat`` loads, and the page's size.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from streams.console.auth import Credentials
from streams.console.materialise import Rows, alert_row, stance_event_row
from streams.console.store import open_store, write
from streams.contracts.geo import Alert, Contribution, ScoreComponents, StanceEvent
from streams.pipeline.ids import stable_id
from streams.risk.config import RiskConfig

#: Hostile and cooperative CAMEO codes with their Goldstein weight, quad class and PLOVER.
CODES = [("190", -10.0, 4, "ASSAULT", "hostile"), ("173", -5.0, 4, "COERCE", "hostile"),
         ("112", -2.0, 3, "ACCUSE", "hostile"), ("036", 4.0, 1, "CONSULT", "cooperative"),
         ("057", 8.0, 1, "AGREE", "cooperative"), ("010", 0.0, 1, "", "neutral")]
COUNTRIES = ["RUS", "UKR", "USA", "CHN", "IRN", "ISR", "IND", "PAK", "TUR", "SYR", "PRK", "KOR"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def _event(rng: random.Random, i: int, a: str, b: str, when: datetime) -> StanceEvent:
    code, goldstein, quad, plover, polarity = rng.choice(CODES)
    source, target = (a, b) if rng.random() < 0.5 else (b, a)
    return StanceEvent(
        event_id=stable_id("bench", i), dyad=f"{min(a, b)}|{max(a, b)}", source_code=source,
        target_code=target, source_country=source, target_country=target, cameo_code=code,
        plover=plover, quad_class=quad, goldstein=goldstein, polarity=polarity,
        confidence=round(rng.uniform(0.4, 0.95), 2), event_time=when, article_id=f"bench-{i // 3}",
        url=f"https://outlet{i % 40}.example/{i // 3}", outlet=f"outlet{i % 40}.example",
        sentence=f"Sentence {i}: {source} acts toward {target} ({code}), as reported.",
        signature=f"{i:016x}")


def fill(engine: Engine, events: int, alerts_per_pair: int, seed: int = 7) -> dict[str, int]:
    """``events`` stance events over two years, 30% on RUS|UKR, the rest over 40 other pairs;
    ``alerts_per_pair`` alerts on each pair, naming its events."""
    rng = random.Random(seed)
    risk = RiskConfig()
    pairs = [(a, b) for i, a in enumerate(COUNTRIES) for b in COUNTRIES[i + 1:]][:41]
    by_pair: dict[str, list[StanceEvent]] = {}
    rows, written, alerts = Rows(), 0, 0
    span = timedelta(days=730).total_seconds()
    for i in range(events):
        a, b = ("RUS", "UKR") if rng.random() < 0.3 else rng.choice(pairs[1:])
        event = _event(rng, i, a, b, START + timedelta(seconds=rng.uniform(0, span)))
        by_pair.setdefault(event.dyad, []).append(event)
        rows.stance_events.append(stance_event_row(event, risk))
        rows.evidence.append({
            "event_id": event.event_id, "article_id": event.article_id, "field": "body",
            "sentence": event.sentence, "trigger": "acts", "speaker": None,
            "source_code": event.source_code, "target_code": event.target_code,
            "cameo_code": event.cameo_code, "plover": event.plover, "goldstein": event.goldstein,
            "negated": False, "hypothetical": False})
        if i % 3 == 0:
            rows.articles.append({
                "article_id": event.article_id, "enrichment_id": stable_id("bench-article", i),
                "title": f"Article {i // 3}", "url": event.url, "outlet": event.outlet,
                "published_at": event.event_time.replace(tzinfo=None), "language": "en", "status": "ok",
                "reasons": "[]", "tone": -0.3, "value": "{}"})
        if len(rows) >= 20_000:
            write(engine, rows, {})
            written += len(rows.stance_events)
            rows = Rows()
    for dyad, pair_events in by_pair.items():
        pair_events.sort(key=lambda e: e.event_time)
        for k in range(alerts_per_pair):
            at = pair_events[min(len(pair_events) - 1, (k + 1) * len(pair_events) // (alerts_per_pair + 1))]
            level, previous = ("watch", "none") if k % 2 == 0 else ("none", "watch")
            top = [Contribution(event_id=e.event_id, article_id=e.article_id, url=e.url, outlet=e.outlet,
                                sentence=e.sentence, cameo_code=e.cameo_code, goldstein=e.goldstein,
                                event_time=e.event_time, weight=1.0, outlets=[e.outlet])
                   for e in pair_events[max(0, pair_events.index(at) - 4):pair_events.index(at) + 1]]
            alert = Alert(
                alert_id=stable_id("bench-alert", dyad, k), dyad=dyad, level=level,
                previous_level=previous, transition="raise" if level == "watch" else "resolve",
                score=30.0 if level == "watch" else 10.0,
                components=ScoreComponents(surge=0.5, level=0.5, severity=0.6, corroboration=0.2),
                as_of=at.event_time, triggering_event_id=at.event_id, short_conflict=5.0,
                long_conflict=5.0, baseline=1.0, short_cooperation=0.5, event_count=len(top),
                distinct_outlets=len({e.outlet for e in top}), material_conflict_share=0.5,
                top_events=top, explanation=f"{dyad} changed level (benchmark alert {k}).")
            rows.alerts.append(alert_row(alert, alert.model_dump_json().encode()))
            alerts += 1
    write(engine, rows, {})
    written += len(rows.stance_events)
    return {"stance_events": written, "alerts": alerts, "pairs": len(by_pair)}


async def time_pages(engine: Engine, paths: list[str], repeat: int) -> list[tuple[str, list[float], int]]:
    from aiohttp import ClientSession, web

    from streams.console.web import create_app

    runner = web.AppRunner(create_app(engine, Credentials(), RiskConfig()), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    out = []
    try:
        async with ClientSession() as session:
            for path in paths:
                times, size = [], 0
                for _ in range(repeat + 1):  # the first load warms caches: not counted
                    started = time.perf_counter()
                    async with session.get(base + path) as response:
                        body = await response.read()
                        assert response.status == 200, (path, response.status)
                    times.append((time.perf_counter() - started) * 1000)
                    size = len(body)
                out.append((path, times[1:], size))
    finally:
        await runner.cleanup()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.console.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="stance events stored (default 100000)")
    parser.add_argument("--alerts-per-pair", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20, help="timed loads per page")
    parser.add_argument("--db", help="a SQLAlchemy URL (an empty database); default: SQLite in a temp dir")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="streams-console-bench-") as tmp:
        engine = open_store(args.db or f"sqlite:///{Path(tmp) / 'console.sqlite3'}")
        started = time.perf_counter()
        counts = fill(engine, args.events, args.alerts_per_pair)
        print(f"store ({engine.dialect.name}): {counts['stance_events']} stance events, {counts['alerts']} "
              f"alerts on {counts['pairs']} pairs, filled in {time.perf_counter() - started:.1f} s")
        with engine.connect() as conn:
            from streams.console import queries
            newest, _ = queries.feed(conn, queries.FeedFilter(country="UKR"))
        paths = ["/", "/?level=watch&country=UKR", "/?page=20", f"/alerts/{newest[0]['alert_id']}",
                 "/pairs/RUS-UKR", "/pairs/CHN-USA", "/search?q=ukraine+russia", "/?country=RUS"]
        results = asyncio.run(time_pages(engine, paths, args.repeat))
        engine.dispose()
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'KiB':>6}")
    for path, times, size in results:
        p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]
        print(f"{path[:34]:<34} {statistics.median(times):>10.1f} {p95:>8.1f} {max(times):>8.1f} "
              f"{size / 1024:>6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
