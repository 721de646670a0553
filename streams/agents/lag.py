"""Consumer lag per assigned source partition, measured by the worker itself.

faust-streaming's Prometheus sensor has no lag metric (it exports the
highwater seen in fetch responses and the committed offset as two gauges,
and clears them on every rebalance).  We measure lag the way
``kafka-consumer-groups`` does: the partition's log end offset, asked of the
broker, minus the group's committed offset, for every partition of an
agent's source topic currently assigned to this worker.  Asking the broker
(rather than reading the highwater of the last fetch) keeps the number
honest when the worker is stuck and has stopped fetching, which is exactly
when lag matters.

Only partitions assigned to this worker are exported, and partitions that
leave the assignment are removed, so summing across workers never counts a
partition twice for long.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from faust.types import TP

from streams.agents.faust_compat import committed_offsets
from streams.agents.metrics import CONSUMER_LAG, CONSUMER_LAG_UPDATED

log = logging.getLogger(__name__)

#: Seconds between measurements; the worker uses ``STREAMS_METRICS_LAG_INTERVAL_S``.
DEFAULT_LAG_INTERVAL_S = 5.0
#: A measurement that takes longer than this is abandoned (broker trouble).
LAG_TIMEOUT_S = 10.0


def partition_lag(end_offset: int, committed: int | None, earliest: int | None = None) -> int:
    """Messages not yet committed.  Without a commit, everything retained counts."""
    start = committed if committed is not None else (earliest or 0)
    return max(0, end_offset - start)


def source_topics(app: Any) -> set[str]:
    """Topic names the app's agents consume (changelogs and reply topics excluded)."""
    names: set[str] = set()
    for agent in app.agents.values():
        names.update(getattr(agent.channel, "topics", ()) or ())
    return names


async def measure_lag(consumer: Any, topics: Iterable[str]) -> dict[TP, int]:
    """Lag of each assigned partition of ``topics``, in messages."""
    wanted = set(topics)
    tps = sorted(tp for tp in consumer.assignment() if tp.topic in wanted)
    if not tps:
        return {}
    ends: Mapping[TP, int] = await consumer.highwaters(*tps)
    # Faust keeps the committed offset (the next offset to read) per TP.
    committed: Mapping[TP, int | None] = committed_offsets(consumer)
    uncommitted = [tp for tp in tps if committed.get(tp) is None]
    earliest: Mapping[TP, int] = await consumer.earliest_offsets(*uncommitted) if uncommitted else {}
    return {
        tp: partition_lag(ends[tp], committed.get(tp), earliest.get(tp))
        for tp in tps if ends.get(tp) is not None
    }


def export_lag(lags: Mapping[TP, int]) -> None:
    """Set the gauges and drop partitions that are no longer ours."""
    current = {(tp.topic, str(tp.partition)) for tp in lags}
    for tp, lag in lags.items():
        CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(lag)
    for labels in _exported_labels() - current:
        CONSUMER_LAG.remove(*labels)
    CONSUMER_LAG_UPDATED.set(time.time())


def clear_lag() -> None:
    for labels in _exported_labels():
        CONSUMER_LAG.remove(*labels)


def _exported_labels() -> set[tuple[str, str]]:
    return {
        (s.labels["topic"], s.labels["partition"])
        for metric in CONSUMER_LAG.collect() for s in metric.samples
    }


async def update_lag(app: Any, timeout: float = LAG_TIMEOUT_S) -> None:
    """One measurement; failures (mid-rebalance, broker away) keep the last values."""
    try:
        lags = await asyncio.wait_for(measure_lag(app.consumer, source_topics(app)), timeout)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.debug("consumer lag not measured: %r", exc)
        return
    export_lag(lags)


def install_lag_monitor(app: Any, interval: float = DEFAULT_LAG_INTERVAL_S) -> None:
    """Measure lag every ``interval`` seconds while the worker runs."""

    async def consumer_lag() -> None:
        await update_lag(app)

    async def forget_revoked(sender: Any, revoked: set[TP], **kwargs: Any) -> None:
        clear_lag()

    app.timer(interval=interval, name="streams.consumer_lag")(consumer_lag)
    app.on_partitions_revoked.connect(forget_revoked)
