"""The risk agent on a real broker: alerts equal the offline engine's, across restarts."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.cameo import lookup
from streams.contracts import StanceEvent
from streams.risk import replay
from streams.settings import Settings
from tests.support import collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

START = datetime(2024, 3, 1, tzinfo=UTC)
OUTLETS = ["reuters.com", "apnews.com", "bbc.co.uk", "afp.com"]  # registered outlets


def _event(n: int, hours: float, code: str) -> StanceEvent:
    entry = lookup(code)
    digest = hashlib.sha256(f"risk-agent-{n}".encode()).hexdigest()
    return StanceEvent(
        event_id=digest[:32], dyad="RUS|UKR", source_code="RUSMIL", target_code="UKR",
        source_country="RUS", target_country="UKR", cameo_code=entry.code,
        plover=entry.plover or "NONE", quad_class=entry.quad_class, goldstein=entry.goldstein,
        polarity=entry.polarity, confidence=0.9, event_time=START + timedelta(hours=hours),
        article_id=f"a-{n}", url=f"https://{OUTLETS[n % 4]}/{n}", outlet=OUTLETS[n % 4],
        sentence=f"Russian forces shelled Ukrainian positions, report {n}.",
        signature=digest[32:48],
    )


def _escalation() -> list[StanceEvent]:
    """A quiet month of talks, then a surge of attacks from four outlets, then calm."""
    calm = [_event(i, hours=i * 24.0, code="042") for i in range(30)]
    surge = [_event(100 + i, hours=30 * 24 + i * 0.5, code="190") for i in range(40)]
    after = [_event(200 + i, hours=33 * 24 + i * 24.0, code="040") for i in range(20)]
    return calm + surge + after


def _values(events: list[StanceEvent]) -> list[bytes]:
    return [e.model_dump_json().encode() for e in events]


def _alerts(settings: Settings, expected: int) -> list[dict[str, object]]:
    records = collect(settings, [settings.topics.alerts], expected, timeout=90, idle=15)
    return [json.loads(r.value or b"") for r in records]


def test_streamed_alerts_equal_offline_replay_across_a_restart(kafka: str, tmp_path: Path) -> None:
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    events = _escalation()
    _, offline = replay(events, settings.risk, flush_at_end=False)
    assert any(a.level in ("warning", "critical") for a in offline), "scenario must escalate"

    worker = new_worker(settings, tmp_path).start()
    worker.wait_ready()
    produce(settings, _values(events[:50]), topic=settings.topics.stance_events)
    first = _alerts(settings, sum(1 for a in offline if a.triggering_event_id in
                                  {e.event_id for e in events[:50]}))
    assert worker.stop() == 0, worker.log()

    # Same app id and data dir: the table comes back from RocksDB + changelog.
    again = type(worker)(worker.settings, tmp_path).start()
    again.wait_ready()
    try:
        produce(settings, _values(events[50:]), topic=settings.topics.stance_events)
        streamed = _alerts(settings, len(offline))
    finally:
        again.stop()
    ids = [a["alert_id"] for a in streamed]
    assert len(ids) == len(set(ids)), "an alert was published twice"
    assert ids == [a.alert_id for a in offline]
    assert [a["alert_id"] for a in first] == ids[: len(first)]
    levels = [a["level"] for a in streamed]
    assert "warning" in levels or "critical" in levels
    top = streamed[levels.index("warning") if "warning" in levels else 0]
    assert top["top_events"] and top["explanation"]


def test_invalid_stance_events_become_dead_letters(kafka: str, tmp_path: Path) -> None:
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    worker = new_worker(settings, tmp_path).start()
    try:
        worker.wait_ready()
        produce(settings, [b'{"dyad": "RUS|UKR"}', b"not json"], topic=settings.topics.stance_events)
        records = collect(settings, [settings.topics.dead_letters], 2, timeout=60)
    finally:
        worker.stop()
    reasons = {json.loads(r.value or b"")["reason"] for r in records}
    assert reasons == {"invalid_event"}


def _other_dyad(n: int, hours: float) -> StanceEvent:
    event = _event(1000 + n, hours, "042")
    return event.model_copy(update={"dyad": "DEU|FRA",
                                    "source_code": "FRA", "target_code": "DEU",
                                    "source_country": "FRA", "target_country": "DEU"})


def test_quiet_dyad_resolves_on_partition_event_time_and_survives_restart(
        kafka: str, tmp_path: Path) -> None:
    """The timer moves a quiet dyad forward with its partition's event time."""
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    events = _escalation()[:70]  # calm month + surge: RUS|UKR ends at warning
    later = [_other_dyad(i, hours=90 * 24 + i) for i in range(3)]  # resolved by day 82, elsewhere
    worker = new_worker(settings, tmp_path).start()
    worker.wait_ready()
    try:
        produce(settings, _values(events + later), topic=settings.topics.stance_events)
        alerts = _alerts(settings, 100)
    finally:
        assert worker.stop() == 0, worker.log()
    rus_ukr = [a for a in alerts if a["dyad"] == "RUS|UKR"]
    assert rus_ukr[-1]["level"] == "none" and rus_ukr[-1]["transition"] == "resolve", worker.log()

    again = type(worker)(worker.settings, tmp_path).start()
    again.wait_ready()
    try:
        produce(settings, _values([_other_dyad(9, hours=91 * 24)]),
                topic=settings.topics.stance_events)
        after = _alerts(settings, len(alerts) + 1)
    finally:
        again.stop()
    ids = [a["alert_id"] for a in after]
    assert len(ids) == len(set(ids)), "the restored state re-emitted an alert"
