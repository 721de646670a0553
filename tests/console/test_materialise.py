"""Topic values → rows: every real value of the sample feed, and what is refused."""

from __future__ import annotations

import json

import pytest

from streams.console.materialise import Rejected, materialise
from streams.settings import Settings
from tests.console.values import TopicValues

RISK = Settings().risk


def test_every_sample_value_becomes_rows(values: TopicValues) -> None:
    assert values.alerts and values.stance_events and values.enriched
    for value in values.alerts:
        (row,) = materialise("alert", value, RISK).alerts
        published = json.loads(value)
        assert row["alert_id"] == published["alert_id"]
        assert (row["country_a"], row["country_b"]) == tuple(published["dyad"].split("|"))
        assert json.loads(row["value"]) == published
    for value in values.stance_events:
        (row,) = materialise("stance_event", value, RISK).stance_events
        published = json.loads(value)
        assert row["event_id"] == published["event_id"]
        assert row["conflict"] >= 0 and row["cooperation"] >= 0
        hostile = published["polarity"] == "hostile"
        assert (row["conflict"] > 0) == (hostile and published["goldstein"] != 0)


def test_evidence_is_keyed_by_the_stance_events_ids(values: TopicValues) -> None:
    """The enriched article's stances must find their stance events: the console recomputes
    the worker's event id, so the two recipes must agree on every real event."""
    evidence_ids = set()
    for value in values.enriched:
        rows = materialise("enriched", value, RISK)
        assert rows.articles[0]["article_id"] == json.loads(value)["id"]
        evidence_ids |= {r["event_id"] for r in rows.evidence}
    event_ids = {json.loads(v)["event_id"] for v in values.stance_events}
    assert event_ids <= evidence_ids


@pytest.mark.parametrize(("kind", "value", "reason"), [
    ("alert", b"", "empty value"),
    ("alert", b"{not json", "not a valid alert"),
    ("stance_event", b'{"event_id": "x"}', "not a valid stance_event"),
    ("enriched", b"[]", "not a valid enriched"),
])
def test_invalid_values_are_refused_with_the_reason(kind: str, value: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        materialise(kind, value, RISK)  # type: ignore[arg-type]


def test_a_value_of_another_topic_is_refused(values: TopicValues) -> None:
    with pytest.raises(Rejected, match="not a valid alert"):
        materialise("alert", values.stance_events[0], RISK)
