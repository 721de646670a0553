"""The analysis core: text in, entities and stances out.  No I/O, no Kafka.

One ``Analyzer`` per process holds the spaCy pipeline and the gazetteer; its
methods are pure functions of their arguments, so the offline command and
the worker produce identical results for identical input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.contracts import ActorRef, Entity, Stance
from streams.contracts.enriched import TextField
from streams.nlp import gazetteer
from streams.nlp.model import load_pipeline

ANALYZER_VERSION = "0.1.0"

#: Entity labels we report; dates, numbers and the like are not actors.
REPORTED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
#: Labels whose mentions can stand for a political actor.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the core read in one text."""

    field: TextField
    entities: list[Entity] = dc_field(default_factory=list)
    stances: list[Stance] = dc_field(default_factory=list)
    sentences: int = 0
    tokens: int = 0


def _add_gazetteer(nlp: Language) -> None:
    """Put the country gazetteer in front of NER, tagging each hit with its code."""
    if "country_gazetteer" in nlp.pipe_names:
        return
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="country_gazetteer",
        before="ner",
        config={"phrase_matcher_attr": "ORTH", "validate": False},
    )
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": e.label, "pattern": e.surface, "id": e.code} for e in gazetteer.entries()]
    )


class Analyzer:
    """Entity tagging and actor resolution (stance detection plugs in here)."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_pipeline()
        _add_gazetteer(self.nlp)
        self.version = ANALYZER_VERSION

    def analyze(
        self, text: str, published_at: datetime | None = None, field: TextField = "body"
    ) -> Analysis:
        """Analyse one text; offsets in the result index into ``text``."""
        return self._analysis(self.nlp(text), published_at, field)

    def analyze_many(
        self, texts: Sequence[tuple[str, TextField]], published_at: datetime | None = None
    ) -> list[Analysis]:
        """Analyse several texts of one article in a single ``nlp.pipe`` batch."""
        docs = self.nlp.pipe(text for text, _ in texts)
        return [
            self._analysis(doc, published_at, name)
            for doc, (_, name) in zip(docs, texts, strict=True)
        ]

    def _analysis(self, doc: Doc, published_at: datetime | None, field: TextField) -> Analysis:
        entities = list(self._entities(doc.ents, field))
        return Analysis(
            field=field,
            entities=entities,
            stances=[],
            sentences=sum(1 for _ in doc.sents),
            tokens=len(doc),
        )

    def _entities(self, spans: Iterable[Span], field: TextField) -> Iterable[Entity]:
        for span in spans:
            if span.label_ not in REPORTED_LABELS:
                continue
            actor = self._actor(span) if span.label_ in ACTOR_LABELS else None
            yield Entity(
                field=field,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=span.label_,
                actor=actor,
                usage="actor" if actor is not None else "other",
            )

    @staticmethod
    def _actor(span: Span) -> ActorRef | None:
        return gazetteer.resolve_surface(span.text)
