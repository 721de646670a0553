"""What an uninterrupted run produces, computed without Kafka.

The offline command's core (``process_lines``) gives the enriched values and
the stance events in article order; the pure risk engine (``replay``, then
``advance`` to the stance partition's event-time watermark, as the worker's
timer does) gives the dyad states and the alerts.  Fault tests compare what
the worker published, and the state it kept, with this.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka.partitioner import murmur2

from streams.contracts import Alert, StanceEvent
from streams.nlp import Analyzer
from streams.pipeline.offline import process_lines
from streams.risk import DyadState, RiskConfig, advance, replay, to_seconds
from streams.settings import Settings


@dataclass(frozen=True)
class Reference:
    enriched: dict[str, str]  # article id -> enriched JSON
    events: list[StanceEvent]
    states: dict[str, DyadState]
    alerts: list[Alert]

    @property
    def alert_ids(self) -> set[str]:
        return {a.alert_id for a in self.alerts}


def partition_of(key: str, partitions: int) -> int:
    """Where Kafka's default partitioner puts a key."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def reference(lines: Sequence[bytes], analyzer: Analyzer, config: RiskConfig,
              partitions: int) -> Reference:
    """Enriched values, stance events, final dyad states and alerts of an uninterrupted run.

    Valid only when each dyad's events reach the risk agent in article order
    (one article partition) and event times rise with it, which is how the
    fault tests build their input.
    """
    out, dlq = io.StringIO(), io.StringIO()
    process_lines(iter(lines), out, dlq, analyzer=analyzer, include_stance_events=True)
    enriched: dict[str, str] = {}
    events: list[StanceEvent] = []
    for line in out.getvalue().splitlines():
        obj = json.loads(line)
        if "enrichment_id" in obj:
            enriched[obj["id"]] = line
        else:
            events.append(StanceEvent.model_validate_json(line))
    return reference_for_events(enriched, events, config, partitions)


def reference_for_events(enriched: dict[str, str], events: list[StanceEvent], config: RiskConfig,
                         partitions: int) -> Reference:
    states, alerts = replay(events, config, flush_at_end=False)
    watermark: dict[int, float] = {}
    for e in events:
        p = partition_of(e.dyad, partitions)
        watermark[p] = max(watermark.get(p, 0.0), to_seconds(e.event_time))
    for dyad in sorted(states):
        states[dyad], raised = advance(states[dyad], watermark[partition_of(dyad, partitions)], config)
        alerts.extend(raised)
    return Reference(enriched, events, states, alerts)


def changelog_topic(settings: Settings, table: str) -> str:
    return f"{settings.app_id}-{table}-changelog"


def decode_state(value: bytes) -> DyadState:
    """A ``dyad-state`` changelog value: the state's JSON, JSON-encoded by the table."""
    text = json.loads(value)
    return DyadState.from_json(text if isinstance(text, str) else json.dumps(text))


def state_differences(got: dict[str, DyadState], want: dict[str, DyadState]) -> list[str]:
    problems = [f"{d}: missing" for d in sorted(set(want) - set(got))]
    problems += [f"{d}: unexpected" for d in sorted(set(got) - set(want))]
    for d in sorted(set(got) & set(want)):
        if not got[d].approx_equal(want[d]):
            g, w = got[d].to_dict(), want[d].to_dict()
            fields = sorted(k for k in set(g) | set(w) if g.get(k) != w.get(k))
            problems.append(f"{d}: differs in {fields}")
    return problems


_CORPORA: dict[tuple[str, int, int], tuple[list[bytes], Reference]] = {}


def corpus(prefix: str, n: int, analyzer: Analyzer, partitions: int = 1) -> tuple[list[bytes], Reference]:
    """``n`` articles of the fault-test corpus and their reference, computed once per session."""
    from tests.reliability.harness import article

    key = (prefix, n, partitions)
    if key not in _CORPORA:
        lines = [article(i, prefix=prefix) for i in range(n)]
        _CORPORA[key] = (lines, reference(lines, analyzer, RiskConfig(), partitions))
    return _CORPORA[key]
