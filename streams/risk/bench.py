"""Offline throughput of the engine: how many stance events per second ``apply`` folds.

Run ``python -m streams.risk.bench [N]``.  Events are generated up front
(deterministically) so that only ``apply`` is timed: 50 dyads, a news-like
mix of codes, a dozen registered outlets, every third event a syndicated copy of an
earlier story, and small arrival jitter inside the grace period.
Serialization for a table is not included; ``state_json_ms`` reports a
round trip of the largest state separately, because the worker pays it on
every table write.  Throughput is reported per CPU second of this process
(robust to other load on the machine) and per wall second.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.cameo import lookup
from streams.contracts.geo import StanceEvent
from streams.risk.config import RiskConfig
from streams.risk.engine import apply
from streams.risk.state import DyadState

_COUNTRIES = ["USA", "RUS", "CHN", "UKR", "IRN", "ISR", "IND", "PAK", "FRA", "DEU", "TUR"]
_CODES = ["190", "193", "138", "112", "111", "163", "042", "043", "057", "036", "010", "0871"]
#: Registered outlets (streams/risk/data/outlets.yaml), so that corroboration and the level caps
#: are exercised as in production; unregistered ones would all be one source, held at watch.
_OUTLETS = ["reuters.com", "apnews.com", "afp.com", "bbc.co.uk", "nytimes.com", "theguardian.com",
            "lemonde.fr", "dw.com", "aljazeera.com", "nhk.or.jp", "thehindu.com", "tass.com"]


def generate(n_events: int, seed: int = 7, dyads: int = 50) -> list[StanceEvent]:
    """A deterministic, news-like event stream over ``dyads`` dyads."""
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < dyads:
        a, b = rng.sample(_COUNTRIES, 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events: list[StanceEvent] = []
    stories: list[tuple[str, str, str, float]] = []  # (source, target, signature, hours)
    for i in range(n_events):
        hours = i * 0.01 + rng.uniform(0.0, 0.2)  # ~100 events/hour, jitter < grace
        if stories and i % 3 == 0:
            source, target, base, _ = stories[rng.randrange(max(0, len(stories) - 50), len(stories))]
            signature = f"{int(base, 16) ^ (1 << rng.randrange(64)):016x}"
        else:
            source, target = pairs[rng.randrange(dyads)]
            signature = hashlib.blake2b(f"s{seed}-{i}".encode(), digest_size=8).hexdigest()
            stories.append((source, target, signature, hours))
        entry = lookup(rng.choice(_CODES))
        events.append(
            StanceEvent(
                event_id=hashlib.sha256(f"b{seed}-{i}".encode()).hexdigest()[:32],
                dyad="|".join(sorted((source, target))),
                source_code=source + "GOV",
                target_code=target,
                source_country=source,
                target_country=target,
                cameo_code=entry.code,
                plover=entry.plover,
                quad_class=entry.quad_class,
                goldstein=entry.goldstein,
                polarity=entry.polarity,
                confidence=round(rng.uniform(0.4, 1.0), 2),
                event_time=start + timedelta(hours=hours),
                article_id=f"a{i}",
                url=f"https://{_OUTLETS[i % 12]}/{i}",
                outlet=rng.choice(_OUTLETS),
                sentence=f"Sentence {i}: {source} and {target} ({entry.name}).",
                signature=signature,
            )
        )
    return events


def bench_offline(n_events: int = 50_000, config: RiskConfig | None = None) -> dict[str, Any]:
    """Time ``apply`` over ``n_events`` generated events on one core."""
    config = config or RiskConfig()
    events = generate(n_events)
    states: dict[str, DyadState] = {}
    alerts = 0
    began, began_cpu = time.perf_counter(), time.process_time()
    for event in events:
        state, raised = apply(states.get(event.dyad), event, config)
        states[event.dyad] = state
        alerts += len(raised)
    seconds = time.perf_counter() - began
    cpu_seconds = time.process_time() - began_cpu

    largest = max(states.values(), key=lambda s: len(s.to_json()))
    began = time.perf_counter()
    for _ in range(20):
        DyadState.from_json(largest.to_json())
    json_ms = (time.perf_counter() - began) / 20 * 1000
    return {
        "events": n_events,
        "dyads": len(states),
        "wall_seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        #: Per CPU second of this process: robust to other load on the machine.
        "events_per_second": round(n_events / max(cpu_seconds, 1e-9)),
        "events_per_wall_second": round(n_events / seconds),
        "alerts": alerts,
        "largest_state_bytes": len(largest.to_json()),
        "state_json_ms": round(json_ms, 2),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(json.dumps(bench_offline(count), indent=2))
