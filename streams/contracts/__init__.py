"""Topic contracts: pydantic v2 models, exported to ``schemas/`` as JSON Schema."""

from streams.contracts.article import Article, Source
from streams.contracts.common import dyad_key
from streams.contracts.deadletter import DeadLetter, DeadLetterReason, Header
from streams.contracts.enriched import (
    ActorCount,
    ActorRef,
    EnrichedArticle,
    Entity,
    Evidence,
    Stance,
)
from streams.contracts.geo import Alert, AlertLevel, Contribution, ScoreComponents, StanceEvent

__all__ = [
    "ActorCount", "ActorRef", "Alert", "AlertLevel", "Article", "Contribution", "DeadLetter",
    "DeadLetterReason", "EnrichedArticle", "Entity", "Evidence", "Header", "ScoreComponents",
    "Source", "Stance", "StanceEvent", "dyad_key",
]
