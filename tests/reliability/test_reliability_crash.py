"""``kill -9`` in the middle of a stream: at-least-once with idempotent effects.

After a hard kill and a restart on the same data dir, every article is
enriched at least once (identically), every stance event of an uninterrupted
run is on the dyad topic, no alert id is published twice, and the dyad
states the worker keeps equal those of an uninterrupted run (the pure engine
over the same events, see ``reference.py``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from streams.nlp import Analyzer
from streams.risk import RiskConfig
from tests.reliability.checks import ARTICLES, assert_matches_uninterrupted_run
from tests.reliability.harness import (
    article_id,
    enriched_count,
    fault_worker,
    produce_keyed,
    wait_until,
)
from tests.reliability.reference import corpus
from tests.support import create_topics, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FAST_SESSION = {"BROKER_SESSION_TIMEOUT": "20", "BROKER_HEARTBEAT_INTERVAL": "3"}


def test_kill_9_mid_stream_loses_nothing_and_pages_once(
        kafka: str, tmp_path: Path, analyzer: Analyzer) -> None:
    lines, ref = corpus("crash", ARTICLES, analyzer)
    # The calibrated model holds a level over a 10-day horizon, so the three-week corpus pages
    # less often than it used to (12 alerts, was over 20, and no resolve within the corpus);
    # what the kill must not disturb is still there: raises and escalations on both sides of it.
    transitions = {a.transition for a in ref.alerts}
    assert len(ref.alerts) >= 10 and {"raise", "escalate"} <= transitions, (
        "the corpus must raise and escalate alerts", len(ref.alerts), transitions)
    settings = unique_settings(kafka, partitions=1)
    assert settings.risk == RiskConfig()
    create_topics(settings)
    # Recovery waits for the killed member's session to expire (Faust's default
    # is 60 s); a shorter one keeps the test fast and changes nothing else.
    worker = fault_worker(settings, tmp_path, **FAST_SESSION).start()
    restarted = None
    try:
        worker.wait_ready()
        produce_keyed(settings, [(article_id(line).encode(), line) for line in lines])
        wait_until(lambda: enriched_count(worker) >= ARTICLES // 3, timeout=180,
                   interval=0.2, what="a third of the articles enriched")
        before = enriched_count(worker)
        worker.kill9()
        assert before < ARTICLES, "the kill must land mid-stream"

        started = time.monotonic()
        restarted = fault_worker(settings, tmp_path, same_as=worker).start()
        restarted.wait_ready()
        # The killed member never left the group: the broker waits out its
        # session timeout before the new one gets the partitions.
        wait_until(lambda: enriched_count(restarted) > 0, timeout=150, what="restarted worker consuming")
        stats = assert_matches_uninterrupted_run(settings, ref, restarted.log())
        stats["enriched_before_kill"] = int(before)
        stats["recovery_seconds"] = int(time.monotonic() - started)
        print(f"kill -9 recovery: {stats}")
    finally:
        worker.stop()
        if restarted is not None:
            restarted.stop()
