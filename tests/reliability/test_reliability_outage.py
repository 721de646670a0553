"""Broker outage: the broker stops for 30 s mid-stream and comes back.

The test runs its own broker (kafkactl on free ports) so stopping it does not
disturb other tests.  The worker must ride the outage out in the same process
(no crash loop), reconnect by itself, lose nothing, page once, and end in the
state of an uninterrupted run; the outage must be visible in its logs/metrics.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from streams.nlp import Analyzer
from tests.reliability.checks import ARTICLES, assert_matches_uninterrupted_run
from tests.reliability.harness import (
    article_id,
    enriched_count,
    fault_worker,
    own_broker,
    produce_keyed,
    wait_until,
)
from tests.reliability.reference import corpus
from tests.support import create_topics, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OUTAGE_SECONDS = 30
#: Log volume a 30 s outage may cause (a few lines per second is plenty).
MAX_OUTAGE_LOG_MIB = 2.0
#: What the worker's log shows while the broker is away (aiokafka / faust / ours).
TROUBLE = re.compile(r"publishing failed|KafkaConnectionError|Unable to connect|"
                     r"NodeNotReady|RequestTimedOut|KafkaTimeoutError|Connection.*(refused|reset)|"
                     r"coordinator.*(dead|unknown|not available)", re.IGNORECASE)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_broker_outage_is_ridden_out_without_loss(
        tmp_path: Path, analyzer: Analyzer) -> None:
    lines, ref = corpus("crash", ARTICLES, analyzer)
    with own_broker(tmp_path / "broker") as broker:
        settings = unique_settings(broker.address, partitions=1)
        create_topics(settings)
        worker = fault_worker(settings, tmp_path).start()
        try:
            worker.wait_ready()
            first, rest = lines[: ARTICLES * 3 // 4], lines[ARTICLES * 3 // 4:]
            produce_keyed(settings, [(article_id(line).encode(), line) for line in first])
            wait_until(lambda: enriched_count(worker) >= ARTICLES // 4, timeout=180,
                       interval=0.2, what="a quarter of the articles enriched")
            pid = worker.pid
            log_bytes, cpu = worker.log_path.stat().st_size, cpu_seconds(pid)
            broker.stop()
            assert not broker.running()
            deadline = time.monotonic() + OUTAGE_SECONDS
            while time.monotonic() < deadline:  # alive throughout, not restarting
                assert worker.alive() and worker.pid == pid, worker.log()
                time.sleep(1)
            log_during_outage = worker.full_log()
            outage_log_mib = (worker.log_path.stat().st_size - log_bytes) / 2**20
            outage_cpu = cpu_seconds(pid) - cpu
            broker.start()

            # New input after the outage flows too.
            produce_keyed(settings, [(article_id(line).encode(), line) for line in rest])
            stats = assert_matches_uninterrupted_run(settings, ref, worker.log(), timeout=240)
            assert worker.alive() and worker.pid == pid, "the worker was restarted"
            log = worker.full_log()
            assert log.count("[^StreamsWorker]: Ready") == 1, "the worker started more than once"
            troubles = TROUBLE.findall(log_during_outage)
            retries = worker.counter("streams_publish_retries_total")
            send_errors = worker.counter("streams_kafka_send_errors_total")
            assert troubles or retries or send_errors, "the outage left no trace in logs or metrics"
            stats |= {"log_lines_about_trouble": len(troubles), "publish_retries": int(retries),
                      "kafka_send_errors": int(send_errors), "outage_log_mib": round(outage_log_mib, 1),
                      "outage_cpu_s": round(outage_cpu, 1)}
            print(f"broker outage of {OUTAGE_SECONDS}s: {stats}")
            # Last, so it cannot hide the checks above: an outage must not flood
            # the logs (a disk filling up is the next outage).
            assert outage_log_mib < MAX_OUTAGE_LOG_MIB, (
                f"{outage_log_mib:.1f} MiB of worker log in a {OUTAGE_SECONDS}s outage "
                f"({outage_cpu:.0f} CPU-s): aiokafka retry loops logging every attempt")
        finally:
            worker.stop()
