"""The analysis core: text in, entities and stances out.  No I/O, no Kafka.

One ``Analyzer`` per process holds the spaCy pipeline and the gazetteer; its
methods are pure functions of their arguments, so the offline command and
the worker produce identical results for identical input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from streams.contracts import Entity, Stance
from streams.contracts.enriched import TextField
from streams.nlp import gazetteer
from streams.nlp.model import load_pipeline
from streams.nlp.resolve import resolve_entities
from streams.nlp.stance import extract_stances

ANALYZER_VERSION = "0.1.0"



@dataclass(frozen=True, slots=True)
class Analysis:
    """What the core read in one text."""

    field: TextField
    entities: list[Entity] = dc_field(default_factory=list)
    stances: list[Stance] = dc_field(default_factory=list)
    sentences: int = 0
    tokens: int = 0


#: "U.S.-Russia", "U.S.-led": spaCy splits a hyphen only after a letter, so
#: these stayed one token and lost their actor.
_HYPHEN_AFTER_ABBREVIATION = r"(?<=\.)-(?=[A-Za-z])"


def _split_abbreviation_hyphens(nlp: Language) -> None:
    infixes = list(nlp.Defaults.infixes or [])
    if _HYPHEN_AFTER_ABBREVIATION in infixes:
        return
    infixes.append(_HYPHEN_AFTER_ABBREVIATION)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.Defaults.infixes = tuple(infixes)


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
        _split_abbreviation_hyphens(self.nlp)
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
        entities = resolve_entities(doc, published_at, field)
        return Analysis(
            field=field,
            entities=entities,
            stances=extract_stances(doc, entities, field, published_at),
            sentences=sum(1 for _ in doc.sents),
            tokens=len(doc),
        )
