"""From spaCy entity spans to entities with actor references.

This is the seam where actor resolution lives: the gazetteer decides
country mentions today; dated roles, titles, metonyms and coreference
refine it (see ``streams.nlp.actors``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from spacy.tokens import Doc, Span

from streams.contracts import ActorRef, Entity
from streams.contracts.enriched import TextField
from streams.nlp import gazetteer

#: Entity labels we report; dates, numbers and the like are not actors.
REPORTED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
#: Labels whose mentions can stand for a political actor.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def resolve_entities(doc: Doc, published_at: datetime | None, field: TextField) -> list[Entity]:
    """Every reported entity of ``doc`` with its actor, offsets into ``doc.text``."""
    return list(_entities(doc.ents, field))


def _entities(spans: Iterable[Span], field: TextField) -> Iterable[Entity]:
    for span in spans:
        if span.label_ not in REPORTED_LABELS:
            continue
        actor = _actor(span) if span.label_ in ACTOR_LABELS else None
        yield Entity(
            field=field,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            label=span.label_,
            actor=actor,
            usage="actor" if actor is not None else "other",
        )


def _actor(span: Span) -> ActorRef | None:
    return gazetteer.resolve_surface(span.text)
