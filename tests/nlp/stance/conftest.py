"""Helpers for stance tests: code a text with actor mentions we choose.

Actor resolution improves independently of stance detection, so most tests
pin the mentions themselves (``actors={"Senators": "USALEG"}``) and test only
what stance detection does with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from spacy.tokens import Doc

from streams.contracts import ActorRef, Entity, Stance
from streams.nlp.stance import extract_stances
from streams.nlp.stance.mentions import Mention, actor_mentions

Code = Callable[..., list[Stance]]
MentionsOf = Callable[[str, dict[str, str]], tuple[Doc, list[Mention]]]


def make_entities(text: str, actors: dict[str, str]) -> list[Entity]:
    """One entity per occurrence of each surface form, with the given actor code."""
    out = []
    for surface, code in actors.items():
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            role = code[3:6] or None
            ref = ActorRef(code=code, country=code[:3], role=role, name=surface,  # type: ignore[arg-type]
                           basis="test")
            out.append(Entity(field="body", start=m.start(), end=m.end(), text=surface,
                              label="GPE", actor=ref, usage="actor"))
    return sorted(out, key=lambda e: e.start)


@pytest.fixture(scope="session")
def code(analyzer) -> Code:  # type: ignore[no-untyped-def]
    """``code(text, {"Russia": "RUS", ...})`` -> the stances of ``text``."""

    def run(text: str, actors: dict[str, str]) -> list[Stance]:
        doc = analyzer.nlp(text)
        return extract_stances(doc, make_entities(text, actors), "body")

    return run


@pytest.fixture(scope="session")
def mentions_of(analyzer) -> MentionsOf:  # type: ignore[no-untyped-def]
    """``mentions_of(text, {"Russia": "RUS", ...})`` -> the parsed doc and its actor mentions."""

    def run(text: str, actors: dict[str, str]) -> tuple[Doc, list[Mention]]:
        doc = analyzer.nlp(text)
        return doc, actor_mentions(doc, make_entities(text, actors))

    return run


Between = Callable[[str, str, str], "str | None"]


@pytest.fixture(scope="session")
def between(analyzer) -> Between:  # type: ignore[no-untyped-def]
    """``between(text, source, target)`` -> the CAMEO code of the stance between the first
    occurrences of the two mentions (``Analyzer.stance_between``, as the evaluations score it)."""

    def run(text: str, source: str, target: str) -> str | None:
        s, t = text.index(source), text.index(target)
        stance = analyzer.stance_between(text, (s, s + len(source)), (t, t + len(target)))
        return stance.cameo_code if stance else None

    return run


Dyads = Callable[..., "set[tuple[str | None, str | None, str]]"]


@pytest.fixture(scope="session")
def dyads(analyzer) -> Dyads:  # type: ignore[no-untyped-def]
    """``dyads(text, digits=None)`` -> {(source country, target country, CAMEO code)} of
    ``Analyzer.analyze(text)`` alone, as a worker runs it (the code cut to ``digits``)."""

    def run(text: str, digits: int | None = None) -> set[tuple[str | None, str | None, str]]:
        stances = analyzer.analyze(text, datetime(2024, 1, 1, tzinfo=UTC)).stances
        return {(s.source.country, s.target.country, s.cameo_code[:digits]) for s in stances}

    return run
