"""Prometheus metrics of the worker.  Names follow Prometheus conventions."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

ARTICLES = Counter(
    "streams_articles_total",
    "Input messages by final outcome (enriched, dead_letter, duplicate) or re-keyed.",
    ["outcome"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "streams_dead_letters_total",
    "Input messages sent to the dead-letter topic, by reason.",
    ["reason"],
    registry=REGISTRY,
)
STAGE_SECONDS = Histogram(
    "streams_stage_duration_seconds",
    "Time spent per processing stage.",
    ["stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
STANCE_EVENTS = Counter(
    "streams_stance_events_total",
    "Stance events published to the dyad topic, by quad class.",
    ["quad_class"],
    registry=REGISTRY,
)
PUBLISH_RETRIES = Counter(
    "streams_publish_retries_total",
    "Times publishing an outcome failed (broker trouble) and was retried.",
    registry=REGISTRY,
)
