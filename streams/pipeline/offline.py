"""The offline path: JSONL in, JSONL out, through the same core as the worker."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from streams.contracts import DeadLetter, StanceEvent
from streams.nlp import Analyzer
from streams.pipeline.decode import RawMessage, decode
from streams.pipeline.enrich import DEFAULT_MAX_ANALYZED_CHARS, enrich


def process_lines(
    lines: Iterable[bytes],
    out: TextIO,
    dead_letters: TextIO,
    *,
    analyzer: Analyzer | None = None,
    include_stance_events: bool = False,
    max_analyzed_chars: int = DEFAULT_MAX_ANALYZED_CHARS,
    stance_events: list[StanceEvent] | None = None,
) -> dict[str, int]:
    """Enrich each line; returns counts by outcome (they add up to the input).

    Stance events are appended to ``stance_events`` when given, in the
    order a single-partition worker would publish them (for the risk engine).
    """
    analyzer = analyzer or Analyzer()
    seen: set[str] = set()
    stats = {"input": 0, "enriched": 0, "dead_letter": 0, "duplicate": 0, "stance_events": 0}
    for number, line in enumerate(lines):
        line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        stats["input"] += 1
        result = decode(RawMessage(value=line, offset=number))
        if isinstance(result, DeadLetter):
            dead_letters.write(result.model_dump_json() + "\n")
            stats["dead_letter"] += 1
            continue
        if result.id in seen:
            stats["duplicate"] += 1
            continue
        seen.add(result.id)
        outcome = enrich(result, analyzer, max_analyzed_chars)
        out.write(outcome.enriched.model_dump_json() + "\n")
        stats["enriched"] += 1
        stats["stance_events"] += len(outcome.stance_events)
        if stance_events is not None:
            stance_events.extend(outcome.stance_events)
        if include_stance_events:
            for event in outcome.stance_events:
                out.write(event.model_dump_json() + "\n")
    return stats
