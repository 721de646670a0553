"""Graceful shutdown: SIGTERM finishes in-flight work and commits, so a restart repeats nothing."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from streams.nlp import Analyzer
from tests.reliability.checks import ARTICLES, assert_matches_uninterrupted_run
from tests.reliability.harness import (
    article_id,
    enriched_count,
    fault_worker,
    produce_keyed,
    read_to_end,
    wait_until,
)
from tests.reliability.reference import corpus
from tests.support import create_topics, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_sigterm_mid_stream_commits_and_restart_repeats_nothing(
        kafka: str, tmp_path: Path, analyzer: Analyzer) -> None:
    lines, ref = corpus("crash", ARTICLES, analyzer)
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    worker = fault_worker(settings, tmp_path).start()
    restarted = None
    try:
        worker.wait_ready()
        produce_keyed(settings, [(article_id(line).encode(), line) for line in lines])
        wait_until(lambda: enriched_count(worker) >= ARTICLES // 3, timeout=180,
                   interval=0.2, what="a third of the articles enriched")
        stopping = time.monotonic()
        code = worker.stop(signal.SIGTERM, timeout=60)
        stop_seconds = time.monotonic() - stopping
        assert code == 0, worker.log()
        assert stop_seconds < 30, f"SIGTERM took {stop_seconds:.0f}s"
        done_before = {r.key for r in read_to_end(settings, [settings.topics.enriched])}
        assert 0 < len(done_before) < ARTICLES, "the stop must land mid-stream"

        restarted = fault_worker(settings, tmp_path, same_as=worker).start()
        restarted.wait_ready()
        stats = assert_matches_uninterrupted_run(settings, ref, restarted.log())
        # Nothing committed is consumed again: no article enriched twice, and the
        # restarted worker saw no copy of an article it had already marked seen.
        assert stats["articles_enriched_twice"] == 0, stats
        assert stats["stance_events_published_twice"] == 0, stats
        reprocessed = restarted.counter("streams_articles_total", outcome="duplicate")
        risk_repeats = restarted.counter("streams_risk_events_total", outcome="duplicate")
        assert reprocessed == 0 and risk_repeats == 0, (reprocessed, risk_repeats)
        print(f"graceful stop: {stop_seconds:.1f}s, {len(done_before)} done before, {stats}")
    finally:
        worker.stop()
        if restarted is not None:
            restarted.stop()
