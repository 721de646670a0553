"""Topic values → the console's rows: pure functions, no Kafka, no database.

Each value is validated by its topic's contract first: what the console shows is what the
schema promises, and a value that does not validate is refused with the reason (the
consumer logs it with its position and counts it; it stays on the topic).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from streams.contracts.enriched import EnrichedArticle, Stance
from streams.contracts.geo import Alert, StanceEvent
from streams.pipeline.ids import stable_id
from streams.risk.config import RiskConfig
from streams.risk.state import S_CONFLICT, S_COOPERATION
from streams.risk.weights import contribution

Kind = Literal["alert", "stance_event", "enriched"]
Row = dict[str, Any]


class Rejected(ValueError):
    """A topic value the console cannot store, with the reason."""


@dataclass
class Rows:
    """Rows to upsert, by table name."""

    alerts: list[Row] = field(default_factory=list)
    stance_events: list[Row] = field(default_factory=list)
    articles: list[Row] = field(default_factory=list)
    evidence: list[Row] = field(default_factory=list)

    def extend(self, other: Rows) -> None:
        for name in self.tables():
            getattr(self, name).extend(getattr(other, name))

    @staticmethod
    def tables() -> tuple[str, ...]:
        return ("alerts", "stance_events", "articles", "evidence")

    def __len__(self) -> int:
        return sum(len(getattr(self, name)) for name in self.tables())


def naive_utc(moment: datetime) -> datetime:
    """The stored form of a time: UTC without a zone (SQLite keeps none)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def epoch_day(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp() // 86400)


def materialise(kind: Kind, value: bytes | None, risk: RiskConfig) -> Rows:
    """The rows one topic value becomes; :class:`Rejected` when it is not a valid value."""
    if not value:
        raise Rejected("empty value")
    try:
        if kind == "alert":
            return Rows(alerts=[alert_row(Alert.model_validate_json(value), value)])
        if kind == "stance_event":
            return Rows(stance_events=[stance_event_row(StanceEvent.model_validate_json(value), risk)])
        article = EnrichedArticle.model_validate_json(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "value"
        raise Rejected(f"not a valid {kind}: {where}: {first.get('msg', '')}") from None
    return Rows(articles=[article_row(article, value)], evidence=list(evidence_rows(article)))


def alert_row(alert: Alert, raw: bytes) -> Row:
    a, b = alert.dyad.split("|")
    return {
        "alert_id": alert.alert_id, "dyad": alert.dyad, "country_a": a, "country_b": b,
        "level": alert.level, "previous_level": alert.previous_level, "transition": alert.transition,
        "score": alert.score, "as_of": naive_utc(alert.as_of), "explanation": alert.explanation,
        "capped_by": alert.capped_by, "value": raw.decode("utf-8"),
    }


def stance_event_row(event: StanceEvent, risk: RiskConfig) -> Row:
    weights = contribution(event, risk)
    a, b = event.dyad.split("|")
    return {
        "event_id": event.event_id, "dyad": event.dyad, "country_a": a, "country_b": b,
        "source_code": event.source_code, "target_code": event.target_code,
        "source_country": event.source_country, "target_country": event.target_country,
        "cameo_code": event.cameo_code, "plover": event.plover, "quad_class": event.quad_class,
        "goldstein": event.goldstein, "polarity": event.polarity, "confidence": event.confidence,
        "event_time": naive_utc(event.event_time), "event_day": epoch_day(event.event_time),
        "conflict": weights[S_CONFLICT], "cooperation": weights[S_COOPERATION],
        "article_id": event.article_id, "url": event.url, "outlet": event.outlet,
        "sentence": event.sentence, "origin": event.origin,
    }


def article_row(article: EnrichedArticle, raw: bytes) -> Row:
    return {
        "article_id": article.id, "enrichment_id": article.enrichment_id, "title": article.title,
        "url": article.url, "outlet": outlet_of(article), "published_at": naive_utc(article.published_at),
        "language": article.language, "status": article.status,
        "reasons": json.dumps(article.reasons), "tone": article.tone, "value": raw.decode("utf-8"),
    }


def outlet_of(article: EnrichedArticle) -> str:
    """The outlet as stance events name it (``streams.pipeline.enrich.outlet_of``, which takes
    the input article; importing that module would load the language model)."""
    return (article.source.domain or article.source.name).lower()


def stance_event_id(article_id: str, stance: Stance) -> str:
    """The id the stance's event has on the stance-event topic (the recipe of
    ``streams.pipeline.enrich.stance_event``; a test checks the two agree)."""
    ev = stance.evidence
    return stable_id(article_id, ev.field, ev.sentence_start, ev.trigger_span[0],
                     stance.source.code, stance.target.code, stance.cameo_code)


def evidence_rows(article: EnrichedArticle) -> Iterable[Row]:
    for stance in article.stances:
        ev = stance.evidence
        yield {
            "event_id": stance_event_id(article.id, stance), "article_id": article.id,
            "field": ev.field, "sentence": ev.sentence, "trigger": ev.trigger, "speaker": ev.speaker,
            "source_code": stance.source.code, "target_code": stance.target.code,
            "cameo_code": stance.cameo_code, "plover": stance.plover, "goldstein": stance.goldstein,
            "negated": stance.negated, "hypothetical": stance.hypothetical,
        }
