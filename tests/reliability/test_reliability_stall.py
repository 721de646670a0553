"""SIGTERM stops a worker at any moment, also while its publishing is stuck on a broker.

The worker's own broker is stopped while articles are still queued, so publishing fails
and is retried (at-least-once); SIGTERM then must stop the worker promptly, and a
restart once the broker is back must still enrich every article: stopping loses nothing.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.reliability.harness import (
    article,
    article_id,
    enriched_count,
    fault_worker,
    own_broker,
    produce_keyed,
    read_outcomes,
    wait_until,
)
from tests.support import create_topics, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ARTICLES = 300
#: A forced exit leaves its group member behind until its session expires (cf. the crash test).
FAST_SESSION = {"BROKER_SESSION_TIMEOUT": "20", "BROKER_HEARTBEAT_INTERVAL": "3"}


def test_sigterm_stops_a_worker_whose_publishing_is_stuck(tmp_path: Path) -> None:
    lines = [article(i, prefix="stall") for i in range(ARTICLES)]
    with own_broker(tmp_path / "broker") as broker:
        settings = unique_settings(broker.address, partitions=1)
        create_topics(settings)
        worker = fault_worker(settings, tmp_path, **FAST_SESSION).start()
        try:
            worker.wait_ready()
            produce_keyed(settings, [(article_id(line).encode(), line) for line in lines])
            wait_until(lambda: enriched_count(worker) >= 20, timeout=120, interval=0.2,
                       what="some articles enriched")
            broker.stop()
            wait_until(lambda: (worker.try_counter("streams_publish_retries_total") or 0) > 0,
                       timeout=90, interval=0.5, what="publishing retried against the stopped broker")
            assert enriched_count(worker) < ARTICLES
            started = time.monotonic()
            code = worker.stop(signal.SIGTERM, timeout=45)
            took = time.monotonic() - started
            print(f"\nSIGTERM during a publish stall: exit {code} after {took:.1f}s")
            assert code in (0, 1) and not worker.alive(), f"SIGTERM did not stop the worker ({code})"
            assert took < 30, f"SIGTERM took {took:.0f}s"
        finally:
            if worker.alive():
                worker.kill9()

        broker.start()
        again = fault_worker(settings, tmp_path, same_as=worker).start()
        try:
            again.wait_ready()
            outcomes = read_outcomes(settings, expect_enriched={article_id(x) for x in lines},
                                     timeout=240, idle=120)
            assert set(outcomes.enriched_ids) == {article_id(x) for x in lines}
            assert outcomes.dead_letters == []
        finally:
            again.stop(timeout=30)
