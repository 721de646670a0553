"""Prometheus metrics of the worker, and the small functions agents call to record them.

Names follow Prometheus conventions: base units in the name (``_seconds``,
``_messages``), ``_total`` on counters, and labels whose values come from
small closed sets (outcome, reason, stage, quad class, level, topic,
partition).  The one open-ended label, ``dyad``, is exposed only for the
top-K dyads at scrape time, so at most K series carry it per worker.

Every labelled counter whose label values are known up front is initialised
at zero, so ``rate()`` returns 0 rather than nothing before the first event,
and dashboards and alert rules see a series from the first scrape.

``docs/observability.md`` describes each metric for operators.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import get_args

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from streams.contracts.deadletter import DeadLetterReason
from streams.contracts.enriched import EnrichedArticle

# ``*_created`` series double the series count and no query here uses them.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
# Process (CPU, RSS, open fds, start time), Python and GC metrics: the same
# collectors prometheus_client puts in its default registry.
for _collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.register(_collector)

#: Default K of the top-K dyad risk gauge; the worker sets ``STREAMS_METRICS_TOP_K``.
DEFAULT_TOP_K = 20
#: Dyads remembered per worker for the top-K ranking.  Country pairs number
#: about 31k; beyond this the least tense dyad is forgotten.
MAX_TRACKED_DYADS = 50_000

OUTCOMES = ("enriched", "dead_letter", "duplicate", "skipped", "rekeyed")
DEAD_LETTER_REASONS: tuple[str, ...] = get_args(DeadLetterReason)
STAGES = ("decode", "analyse", "publish", "risk")
#: What a worker publishes (``streams_publish_rejected_total{output}``).
PUBLISHED_OUTPUTS = ("enriched", "rekeyed", "dead_letter", "alert")
QUAD_CLASSES = ("1", "2", "3", "4")
RISK_OUTCOMES = ("applied", "duplicate", "invalid")
ALERT_LEVELS = ("none", "watch", "warning", "critical")
ALERT_TRANSITIONS = ("raise", "escalate", "deescalate", "resolve")
LEVEL_RANK = {level: rank for rank, level in enumerate(ALERT_LEVELS)}

# --- articles -----------------------------------------------------------------

ARTICLES = Counter(
    "streams_articles_total",
    "Input messages by final outcome (enriched, dead_letter, duplicate, skipped: a dead letter "
    "the broker refused) or re-keyed.",
    ["outcome"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "streams_dead_letters_total",
    "Input messages sent to the dead-letter topic, by reason.",
    ["reason"],
    registry=REGISTRY,
)
#: Decode takes ~0.1 ms, a publish or a risk update a few ms, analysis up to
#: the analysis timeout (10 s by default): 100 µs to 30 s covers them all.
STAGE_SECONDS = Histogram(
    "streams_stage_duration_seconds",
    "Time spent per processing stage.",
    ["stage"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
             0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
#: Live traffic is sub-second to seconds; a backlog or a replay is minutes to
#: hours, which the top buckets still tell apart.
END_TO_END_SECONDS = Histogram(
    "streams_end_to_end_latency_seconds",
    "From an article's ingested_at (else its Kafka timestamp) to its enriched value being acknowledged.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
             600.0, 1800.0, 3600.0),
    registry=REGISTRY,
)
ARTICLE_ENTITIES = Histogram(
    "streams_article_entities",
    "Named entities found per enriched article.",
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
    registry=REGISTRY,
)
ARTICLE_STANCES = Histogram(
    "streams_article_stances",
    "Stances (actor-to-actor acts) found per enriched article.",
    buckets=(0, 1, 2, 3, 5, 10, 20, 50, 100),
    registry=REGISTRY,
)
STANCE_EVENTS = Counter(
    "streams_stance_events_total",
    "Stance events published to the dyad topic, by quad class "
    "(1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict).",
    ["quad_class"],
    registry=REGISTRY,
)
PUBLISH_RETRIES = Counter(
    "streams_publish_retries_total",
    "Times publishing an outcome failed (broker trouble) and was retried.",
    registry=REGISTRY,
)
PUBLISH_REJECTED = Counter(
    "streams_publish_rejected_total",
    "Outputs the producer or broker refused for good (too large, invalid, not authorised), "
    "by what was being published; each became a dead letter or, for a dead letter, a skip.",
    ["output"],
    registry=REGISTRY,
)
UNREADABLE_RECORDS = Counter(
    "streams_unreadable_records_total",
    "Fetched records the Kafka client could not read at all, skipped and dead-lettered, by topic.",
    ["topic"],
    registry=REGISTRY,
)

# --- risk ---------------------------------------------------------------------

RISK_EVENTS = Counter(
    "streams_risk_events_total",
    "Stance events the risk agent consumed, by outcome (applied, duplicate, invalid).",
    ["outcome"],
    registry=REGISTRY,
)
ALERTS = Counter(
    "streams_alerts_total",
    "Alerts published, by the level entered and the transition (raise, escalate, deescalate, resolve).",
    ["level", "transition"],
    registry=REGISTRY,
)

# --- Kafka client and worker ----------------------------------------------------

CONSUMER_LAG = Gauge(
    "streams_consumer_lag_messages",
    "Messages in an assigned source partition not yet committed by this worker "
    "(log end offset minus committed offset).",
    ["topic", "partition"],
    registry=REGISTRY,
)
CONSUMER_LAG_UPDATED = Gauge(
    "streams_consumer_lag_updated_timestamp_seconds",
    "Unix time of the last successful consumer lag measurement.",
    registry=REGISTRY,
)
MESSAGES_RECEIVED = Counter(
    "streams_kafka_messages_received_total",
    "Messages the worker's consumer received, by topic.",
    ["topic"],
    registry=REGISTRY,
)
MESSAGES_SENT = Counter(
    "streams_kafka_messages_sent_total",
    "Messages the worker's producer had acknowledged, by topic.",
    ["topic"],
    registry=REGISTRY,
)
SEND_ERRORS = Counter(
    "streams_kafka_send_errors_total",
    "Messages the worker's producer failed to send.",
    registry=REGISTRY,
)
SEND_SECONDS = Histogram(
    "streams_kafka_send_duration_seconds",
    "From handing a message to the producer to the broker's acknowledgement.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
COMMIT_SECONDS = Histogram(
    "streams_kafka_commit_duration_seconds",
    "Time to commit consumer offsets (after flushing the producer).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
REBALANCES = Counter(
    "streams_rebalances_total",
    "Consumer group rebalances this worker took part in.",
    registry=REGISTRY,
)
REBALANCE_SECONDS = Histogram(
    "streams_rebalance_duration_seconds",
    "From a rebalance starting to its end, table recovery included.",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0),
    registry=REGISTRY,
)
BUFFER_FULL = Counter(
    "streams_topic_buffer_full_total",
    "Times a partition's buffer was full and the consumer had to wait (back-pressure).",
    registry=REGISTRY,
)
WORKER_UP = Gauge(
    "streams_worker_up",
    "1 while the worker's Faust app is started (tables recovered, agents running), else 0.",
    registry=REGISTRY,
)
BUILD_INFO = Gauge(
    "streams_build_info",
    "Always 1; the labels say which code is running.",
    ["version", "analyzer_version"],
    registry=REGISTRY,
)

for _outcome in OUTCOMES:
    ARTICLES.labels(_outcome)
for _reason in DEAD_LETTER_REASONS:
    DEAD_LETTERS.labels(_reason)
for _stage in STAGES:
    STAGE_SECONDS.labels(_stage)
for _quad in QUAD_CLASSES:
    STANCE_EVENTS.labels(_quad)
for _outcome in RISK_OUTCOMES:
    RISK_EVENTS.labels(_outcome)
for _output in PUBLISHED_OUTPUTS:
    PUBLISH_REJECTED.labels(_output)
for _level in ALERT_LEVELS:
    for _transition in ALERT_TRANSITIONS:
        ALERTS.labels(_level, _transition)


# --- recording functions ----------------------------------------------------------

def record_enriched(enriched: EnrichedArticle, kafka_timestamp_ms: int | None,
                    now: float | None = None) -> None:
    """Count what an enriched article carried and how long it took to get here.

    Call once the enriched value is acknowledged by Kafka.  The latency starts
    at ``ingested_at`` (the crawler's clock) when present, else at the input
    message's Kafka timestamp.  A negative latency (clock skew) is not
    observed: it would drag the percentiles towards zero without meaning.
    """
    ARTICLE_ENTITIES.observe(len(enriched.entities))
    ARTICLE_STANCES.observe(len(enriched.stances))
    started = _start_of(enriched.ingested_at, kafka_timestamp_ms)
    if started is not None:
        latency = (time.time() if now is None else now) - started
        if latency >= 0:
            END_TO_END_SECONDS.observe(latency)


def _start_of(ingested_at: datetime | None, kafka_timestamp_ms: int | None) -> float | None:
    if ingested_at is not None:
        return ingested_at.timestamp()
    if kafka_timestamp_ms is not None and kafka_timestamp_ms > 0:
        return kafka_timestamp_ms / 1000.0
    return None


def record_alert(level: str, transition: str = "raise") -> None:
    """Count one published alert.  Unknown values are counted as ``other``."""
    ALERTS.labels(_known(level, ALERT_LEVELS), _known(transition, ALERT_TRANSITIONS)).inc()


def record_dyad_risk(dyad: str, score: float, level: str) -> None:
    """Remember a dyad's current risk (0-100) and alert level for the top-K gauges."""
    DYAD_RISK.update(dyad, score, level)


def forget_dyad_risk(dyads: Iterable[str] | None = None) -> None:
    """Forget some dyads (all when ``None``), e.g. when their partitions are revoked."""
    DYAD_RISK.forget(dyads)


def set_build_info(version: str, analyzer_version: str) -> None:
    BUILD_INFO.clear()
    BUILD_INFO.labels(version, analyzer_version).set(1)


def _known(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else "other"


# --- top-K dyad risk ----------------------------------------------------------------

class DyadRiskCollector(Collector):
    """The K most tense dyads, ranked by alert level then score, at scrape time.

    Ranking by level first keeps every critical dyad ahead of a merely
    high-scoring one (hysteresis lets a critical dyad's score sit below a
    warning dyad's).  Computing the ranking per scrape instead of per event
    keeps the hot path O(1) and leaves no stale series behind when a dyad
    drops out of the top K.
    """

    def __init__(self, top_k: int = DEFAULT_TOP_K, max_tracked: int = MAX_TRACKED_DYADS) -> None:
        self.top_k = top_k
        self.max_tracked = max_tracked
        self._dyads: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def update(self, dyad: str, score: float, level: str) -> None:
        rank = LEVEL_RANK.get(level, 0)
        score = min(100.0, max(0.0, float(score)))
        with self._lock:
            if rank == 0 and score == 0.0:
                self._dyads.pop(dyad, None)
                return
            self._dyads[dyad] = (rank, score)
            if len(self._dyads) > self.max_tracked:
                del self._dyads[min(self._dyads, key=self._dyads.__getitem__)]

    def forget(self, dyads: Iterable[str] | None = None) -> None:
        with self._lock:
            if dyads is None:
                self._dyads.clear()
            else:
                for dyad in dyads:
                    self._dyads.pop(dyad, None)

    def snapshot(self) -> dict[str, tuple[int, float]]:
        with self._lock:
            return dict(self._dyads)

    def collect(self) -> Iterator[Metric]:
        dyads = self.snapshot()
        top = heapq.nlargest(self.top_k, dyads.items(), key=lambda item: (item[1], item[0]))
        score = GaugeMetricFamily(
            "streams_dyad_risk_score",
            "Current risk score (0-100) of the top-K dyads on this worker.", labels=["dyad"])
        level = GaugeMetricFamily(
            "streams_dyad_alert_level",
            "Current alert level of the top-K dyads (0 none, 1 watch, 2 warning, 3 critical).",
            labels=["dyad"])
        for dyad, (rank, value) in top:
            score.add_metric([dyad], value)
            level.add_metric([dyad], rank)
        counts = GaugeMetricFamily(
            "streams_dyads", "Dyads this worker tracks, by current alert level.", labels=["level"])
        per_level = dict.fromkeys(range(len(ALERT_LEVELS)), 0)
        for rank, _ in dyads.values():
            per_level[rank] += 1
        for rank, name in enumerate(ALERT_LEVELS):
            counts.add_metric([name], per_level[rank])
        yield score
        yield level
        yield counts

    def describe(self) -> Iterator[Metric]:
        # Names only: lets the registry refuse a clash without calling collect().
        yield GaugeMetricFamily("streams_dyad_risk_score", "", labels=["dyad"])
        yield GaugeMetricFamily("streams_dyad_alert_level", "", labels=["dyad"])
        yield GaugeMetricFamily("streams_dyads", "", labels=["level"])


DYAD_RISK = DyadRiskCollector()
REGISTRY.register(DYAD_RISK)
