"""Bad input at volume, and runaway analysis: nothing stalls, nothing is lost.

Every message's outcome is known in advance from the pure decoder
(``streams.pipeline.decode``), so the worker is checked message by message:
the dead letters carry the decoder's reason and the original bytes, valid
articles are enriched once, copies are counted as duplicates, and the three
add up to what was sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.harness import (
    article,
    fault_worker,
    produce_keyed,
    read_outcomes,
)
from tests.reliability.hostile import MAX_MESSAGE_BYTES, generate
from tests.support import create_topics, unique_settings

pytestmark = pytest.mark.integration


def _digest(value: bytes | None) -> str | None:
    return None if value is None else hashlib.sha256(value).hexdigest()


@pytest.mark.slow
def test_hostile_input_at_volume_is_fully_accounted(kafka: str, tmp_path: Path) -> None:
    messages = generate(n_hostile=2_000, n_valid=500, n_duplicates=100, n_pathological=36)
    settings = unique_settings(kafka, partitions=2)  # the default 1 MiB input limit
    assert settings.max_message_bytes == MAX_MESSAGE_BYTES
    create_topics(settings)
    worker = fault_worker(settings, tmp_path).start()
    try:
        worker.wait_ready()
        started = time.monotonic()
        sent = produce_keyed(settings, [(m.key, m.value) for m in messages])
        assert sent == len(messages)

        valid_ids = {m.article_id for m in messages if m.reason is None}
        dead = [m for m in messages if m.reason is not None]
        outcomes = read_outcomes(settings, expect_enriched=valid_ids,  # type: ignore[arg-type]
                                 expect_total=len(valid_ids) + len(dead), timeout=300)
        elapsed = time.monotonic() - started
        assert worker.alive(), worker.log()

        # Valid articles: each enriched exactly once, whatever its key.
        assert outcomes.enriched_ids == Counter(valid_ids), worker.log()
        # Dead letters: exactly the invalid messages, with the decoder's reason, byte for
        # byte (by sha256 where the letter had to keep only a prefix to fit the topic).
        letters = outcomes.dead_letters
        expected = Counter((_digest(m.value), m.reason) for m in dead)
        got = Counter((d["original_sha256"], d["reason"]) for d in letters)
        assert got == expected, {
            "missing": sorted({r for (_, r) in (expected - got)}),
            "unexpected": sorted({str(r) for (_, r) in (got - expected)}),
        }
        assert all(d["reason"] and d["detail"] for d in letters)
        for d in letters:
            kept = None if d["original_b64"] is None else base64.b64decode(str(d["original_b64"]))
            assert _digest(kept) == d["original_sha256"] or "value" in d["truncated"]  # type: ignore[operator]
            assert d["original_size"] == len(kept or b"") or "value" in d["truncated"]  # type: ignore[operator]
        assert sum(1 for d in letters if d["truncated"]) == sum(
            1 for m in dead if m.kind == "near_limit_invalid")
        keys = Counter(m.key for m in dead)
        assert Counter(None if d["original_key_b64"] is None
                       else base64.b64decode(str(d["original_key_b64"])) for d in letters) == keys
        # The counters add up to what was sent.
        duplicates = worker.counter("streams_articles_total", outcome="duplicate")
        assert duplicates == sum(1 for m in messages if m.reason is None) - len(valid_ids)
        assert worker.counter("streams_articles_total", outcome="enriched") == len(valid_ids)
        assert worker.counter("streams_articles_total", outcome="dead_letter") == len(dead)
        assert len(outcomes.enriched) + len(letters) + duplicates == sent
        for reason, n in Counter(m.reason for m in dead).items():
            assert worker.counter("streams_dead_letters_total", reason=str(reason)) == n
        assert elapsed < 240, f"{sent} messages took {elapsed:.0f}s"
    finally:
        worker.stop(timeout=30)


def _slow_body_article(i: int, body: str) -> bytes:
    return article(i, prefix="slow", body=body)


_COUNTRIES = ("Russia", "China", "India", "Japan", "France", "Germany", "Iran", "Israel", "Poland")
#: Bodies that take about 10 s to analyse here, ten times the budget below:
#: ~100k characters of one endless sentence full of actors.
RUNAWAY_BODIES = ("Russia " * 14_000, " and ".join(_COUNTRIES * 1_200)[:99_000])
#: Bodies the spaCy tokenizer is quadratic on (a run of punctuation or symbols
#: without whitespace: minutes, holding the GIL) unless the pipeline defuses
#: them first; either way they must not stall the partition.
TOKENIZER_TRAPS = ("!" * 100_000, "\U0001f600" * 20_000, ".," * 50_000)


def test_runaway_analysis_is_dead_lettered_without_stalling(kafka: str, tmp_path: Path) -> None:
    """A 1 s analysis budget: runaway articles become ``analysis_timeout``
    dead letters, and the valid articles queued behind them on the same
    partition are still enriched, promptly (none is charged for another's
    analysis)."""
    timeout_s = 1.0
    settings = unique_settings(kafka, partitions=1,
                               analysis_timeout_s=timeout_s)
    create_topics(settings)
    worker = fault_worker(settings, tmp_path).start()
    bodies = RUNAWAY_BODIES + TOKENIZER_TRAPS
    valid: list[bytes] = []
    slow: list[bytes] = []
    lines: list[bytes] = []
    for block in range(len(bodies) + 1):
        batch = [article(block * 20 + i, prefix="fine") for i in range(20)]
        valid.extend(batch)
        lines.extend(batch)
        if block < len(bodies):
            slow.append(_slow_body_article(block, bodies[block]))
            lines.append(slow[-1])
    runaway_ids = {f"slow-{i}" for i in range(len(RUNAWAY_BODIES))}
    try:
        worker.wait_ready()
        started = time.monotonic()
        produce_keyed(settings, [(json.loads(v)["id"].encode(), v) for v in lines])
        valid_ids = {json.loads(v)["id"] for v in valid}
        outcomes = read_outcomes(settings, expect_enriched=valid_ids, expect_total=len(lines),
                                 timeout=90, idle=30)
        elapsed = time.monotonic() - started
        assert worker.alive(), worker.log()

        timed_out = [d for d in outcomes.dead_letters if d["reason"] == "analysis_timeout"]
        wrongly = sorted(str(d["article_id"]) for d in timed_out
                         if not str(d["article_id"]).startswith("slow-"))
        assert not wrongly, (
            f"{len(wrongly)} valid short articles queued behind a runaway analysis were "
            f"dead-lettered as analysis_timeout: {wrongly[:5]}...")
        enriched = set(outcomes.enriched_ids)
        assert valid_ids <= enriched, worker.log()
        assert enriched - valid_ids <= {f"slow-{i}" for i in range(len(RUNAWAY_BODIES), len(bodies))}
        # Every message has exactly one outcome; the runaways are dead letters
        # carrying their original bytes; the traps may be enriched (defused).
        outcome_ids = Counter([str(e["id"]) for e in outcomes.enriched]
                              + [str(d["article_id"]) for d in outcomes.dead_letters])
        assert outcome_ids == Counter(json.loads(v)["id"] for v in lines)
        assert {str(d["article_id"]) for d in timed_out} >= runaway_ids
        originals = {str(d["article_id"]): base64.b64decode(str(d["original_b64"])) for d in timed_out}
        assert all(originals[f"slow-{i}"] == slow[i] for i in range(len(RUNAWAY_BODIES)))
        assert all(f"{timeout_s}s" in str(d["detail"]) for d in timed_out)
        # Not stalled: a few budgets plus normal work, not the minutes the runaways need.
        assert elapsed < 60, f"partition stalled: {elapsed:.0f}s for {len(lines)} messages"
    finally:
        stopped_at = time.monotonic()
        code = worker.stop(signal.SIGTERM, timeout=30)
        stop_seconds = time.monotonic() - stopped_at
    # SIGTERM must not wait for an abandoned analysis to finish.
    assert stop_seconds < 25 and code == 0, (
        f"worker took {stop_seconds:.0f}s to stop (exit {code}) after a runaway analysis")
