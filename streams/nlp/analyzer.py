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

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from streams.contracts import Entity, Stance
from streams.contracts.enriched import TextField
from streams.nlp import gazetteer, parsing
from streams.nlp.model import load_pipeline
from streams.nlp.resolve import resolve_entities
from streams.nlp.stance import Sentiment, extract_stances, sentiment_toward, stance_between
from streams.nlp.structure import TITLE_ABBREVIATIONS

ANALYZER_VERSION = "0.3.0"


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


def _keep_title_abbreviations(nlp: Language) -> None:
    """One token for "Lt.", "Capt." and the like (see ``structure.TITLE_ABBREVIATIONS``)."""
    for title in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(title, [{ORTH: title}])  # type: ignore[union-attr]


def _add_gazetteer(nlp: Language) -> None:
    """Put the actor gazetteer right after NER (see ``streams.nlp.gazetteer``)."""
    if gazetteer.GAZETTEER_PIPE in nlp.pipe_names:
        return
    nlp.add_pipe(gazetteer.GAZETTEER_PIPE, after="ner")


class Analyzer:
    """Entity tagging and actor resolution (stance detection plugs in here)."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = parsing.configure(nlp if nlp is not None else load_pipeline())
        _split_abbreviation_hyphens(self.nlp)
        _keep_title_abbreviations(self.nlp)
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

    def stance_between(
        self, text: str, source_span: tuple[int, int], target_span: tuple[int, int]
    ) -> Stance | None:
        """The stance of the mention at ``source_span`` toward the one at ``target_span``.

        Spans are character offsets into ``text``; an unresolved mention gets
        the placeholder actor ``XXX`` (see ``streams.nlp.stance``).
        """
        doc = self.nlp(text)
        return stance_between(doc, resolve_entities(doc, None, "body"), source_span, target_span)

    def sentiment_toward(self, text: str, target_span: tuple[int, int]) -> tuple[Sentiment, float]:
        """Negative, neutral or positive toward the mention at ``target_span``, with a score."""
        doc = self.nlp(text)
        return sentiment_toward(doc, resolve_entities(doc, None, "body"), target_span)

    def _analysis(self, doc: Doc, published_at: datetime | None, field: TextField) -> Analysis:
        entities = resolve_entities(doc, published_at, field)
        return Analysis(
            field=field,
            entities=entities,
            stances=extract_stances(doc, entities, field, published_at),
            sentences=sum(1 for _ in doc.sents),
            tokens=len(doc),
        )
