"""The worker's metrics: names, recording functions and the bounded top-K dyad gauge."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.agents import metrics
from streams.agents.metrics import REGISTRY, DyadRiskCollector
from streams.contracts import EnrichedArticle

ENRICHED = {
    "enrichment_id": "0" * 16, "id": "a-1", "url": None, "title": "t",
    "published_at": "2022-02-20T10:00:00Z", "source": {"name": "Wire"}, "language": "en",
    "status": "ok", "signature": "0" * 16, "analyzer_version": "test",
    "entities": [{"field": "body", "start": 0, "end": 6, "text": "Russia", "label": "GPE"}] * 3,
}


def _enriched(**overrides: object) -> EnrichedArticle:
    return EnrichedArticle.model_validate_json(json.dumps({**ENRICHED, **overrides}))


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _families() -> dict[str, object]:
    text = generate_latest(REGISTRY).decode()
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_names_follow_prometheus_conventions() -> None:
    families = {name: f for name, f in _families().items() if name.startswith("streams_")}
    assert {"streams_articles", "streams_dead_letters", "streams_stage_duration_seconds",
            "streams_end_to_end_latency_seconds", "streams_article_entities",
            "streams_article_stances", "streams_stance_events", "streams_alerts",
            "streams_consumer_lag_messages", "streams_worker_up", "streams_build_info",
            "streams_dyad_risk_score", "streams_dyads"} <= set(families)
    for name, family in families.items():
        kind = family.type  # type: ignore[attr-defined]
        if kind == "counter":
            # The parser strips ``_total`` from the family; the samples carry it.
            assert all(s.name == f"{name}_total" for s in family.samples), name  # type: ignore[attr-defined]
        if kind == "histogram":
            assert name.endswith(("_seconds", "_entities", "_stances")), name
        labels = {k for s in family.samples for k in s.labels} - {"le"}  # type: ignore[attr-defined]
        assert labels <= {"outcome", "reason", "stage", "quad_class", "level", "transition", "topic",
                          "output", "partition", "dyad", "version", "analyzer_version"}, (name, labels)
    # No ``_created`` twins: they double the series count for nothing.
    assert not any(n.endswith("_created") for n in families)


def test_labelled_counters_exist_at_zero_before_any_event() -> None:
    text = generate_latest(REGISTRY).decode()
    for line in ('streams_articles_total{outcome="dead_letter"}',
                 'streams_dead_letters_total{reason="analysis_timeout"}',
                 'streams_stance_events_total{quad_class="4"}',
                 'streams_alerts_total{level="critical",transition="raise"}',
                 'streams_dyads{level="critical"}'):
        assert line in text


def test_record_enriched_counts_and_times_from_ingested_at() -> None:
    count = _value("streams_end_to_end_latency_seconds_count")
    total = _value("streams_end_to_end_latency_seconds_sum")
    entities = _value("streams_article_entities_sum")
    ingested = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    metrics.record_enriched(_enriched(ingested_at=ingested.isoformat()), kafka_timestamp_ms=1,
                            now=ingested.timestamp() + 2.5)
    assert _value("streams_end_to_end_latency_seconds_count") == count + 1
    assert _value("streams_end_to_end_latency_seconds_sum") - total == 2.5
    assert _value("streams_article_entities_sum") == entities + 3
    assert _value("streams_article_stances_bucket", le="0.0") >= 1


def test_record_enriched_falls_back_to_kafka_timestamp_and_skips_skew() -> None:
    count = _value("streams_end_to_end_latency_seconds_count")
    total = _value("streams_end_to_end_latency_seconds_sum")
    metrics.record_enriched(_enriched(), kafka_timestamp_ms=1_700_000_000_000, now=1_700_000_000.75)
    assert _value("streams_end_to_end_latency_seconds_sum") - total == 0.75
    # A clock ahead of ours (negative latency) and no timestamp at all: not observed.
    metrics.record_enriched(_enriched(), kafka_timestamp_ms=1_700_000_010_000, now=1_700_000_000.0)
    metrics.record_enriched(_enriched(), kafka_timestamp_ms=None)
    assert _value("streams_end_to_end_latency_seconds_count") == count + 1


def test_record_alert_keeps_labels_bounded() -> None:
    before = _value("streams_alerts_total", level="critical", transition="escalate")
    metrics.record_alert("critical", "escalate")
    metrics.record_alert("bogus-level", "bogus")
    assert _value("streams_alerts_total", level="critical", transition="escalate") == before + 1
    assert _value("streams_alerts_total", level="other", transition="other") >= 1


def _collected(collector: DyadRiskCollector) -> dict[str, dict[tuple[str, ...], float]]:
    out: dict[str, dict[tuple[str, ...], float]] = {}
    for family in collector.collect():
        out[family.name] = {tuple(s.labels.values()): s.value for s in family.samples}
    return out


def test_top_k_is_bounded_and_ranks_by_level_then_score() -> None:
    collector = DyadRiskCollector(top_k=3)
    for i in range(100):
        collector.update(f"A{i:02d}|ZZZ", float(i % 60), "watch" if i % 60 >= 30 else "none")
    collector.update("RUS|UKR", 66.0, "critical")      # critical on the way down
    collector.update("CHN|USA", 74.0, "warning")
    got = _collected(collector)
    assert got["streams_dyad_risk_score"] == {("RUS|UKR",): 66.0, ("CHN|USA",): 74.0,
                                              ("A59|ZZZ",): 59.0}
    assert got["streams_dyad_alert_level"][("RUS|UKR",)] == 3
    # Counts cover every tracked dyad, not just the top K; score 0 at "none" is not tracked.
    levels = got["streams_dyads"]
    assert levels[("critical",)] == 1 and levels[("warning",)] == 1
    assert levels[("watch",)] + levels[("none",)] == 98


def test_dyads_can_resolve_and_be_forgotten() -> None:
    collector = DyadRiskCollector(top_k=5, max_tracked=3)
    for dyad, score in (("A|B", 10.0), ("C|D", 20.0), ("E|F", 30.0), ("G|H", 40.0)):
        collector.update(dyad, score, "watch")
    assert set(collector.snapshot()) == {"C|D", "E|F", "G|H"}   # the least tense was dropped
    collector.update("G|H", 0.0, "none")
    collector.forget(["C|D"])
    assert set(collector.snapshot()) == {"E|F"}
    collector.update("X|Y", 250.0, "critical")                  # clamped to 0-100
    assert collector.snapshot()["X|Y"] == (3, 100.0)
    collector.forget()
    assert _collected(collector)["streams_dyad_risk_score"] == {}


def test_module_functions_feed_the_registered_collector() -> None:
    try:
        metrics.record_dyad_risk("IRN|ISR", 81.5, "critical")
        assert _value("streams_dyad_risk_score", dyad="IRN|ISR") == 81.5
        assert _value("streams_dyad_alert_level", dyad="IRN|ISR") == 3
    finally:
        metrics.forget_dyad_risk(["IRN|ISR"])
    assert REGISTRY.get_sample_value("streams_dyad_risk_score", {"dyad": "IRN|ISR"}) is None


def test_build_info_has_one_series() -> None:
    metrics.set_build_info("1.2.3", "a1")
    metrics.set_build_info("1.2.4", "a2")
    samples = [s for f in REGISTRY.collect() if f.name == "streams_build_info" for s in f.samples]
    assert [(s.labels, s.value) for s in samples] == [({"version": "1.2.4", "analyzer_version": "a2"}, 1)]
