"""Within-document coreference of short forms, by rule.

* People: once "Russia's Deputy Foreign Minister Sergei Ryabkov" is resolved,
  a later "Ryabkov" or "Mr Ryabkov" is the same person and the same actor;
  a surname NER missed is found by its token.
* Nominals: "the ministry" is the last ministry mentioned, "the government"
  the last government (or the last country's), "the country" the last
  country, "the military" the last armed force (or the last country's),
  within a few sentences.  These are reported as mentions (they are who
  acts in "the ministry said"), with a ``coref:nominal`` basis so that
  named-entity scores can leave them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from streams.nlp.actors import Candidate

#: Honorifics dropped before matching a short form to a full name.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "dame"})
#: How far back (in sentences) a nominal looks for its antecedent.
NOMINAL_WINDOW = 4
NOMINAL_BASIS = "coref:nominal"

#: Nominal head -> (what the antecedent must be, role to give a country antecedent).
NOMINALS: dict[str, tuple[str, str | None]] = {
    "ministry": ("ministry", None),
    "department": ("ministry", None),
    "agency": ("ministry", None),
    "embassy": ("ministry", None),
    "government": ("GOV", "GOV"),
    "administration": ("GOV", "GOV"),
    "military": ("MIL", "MIL"),
    "army": ("MIL", "MIL"),
    "country": ("country", None),
}


@dataclass(frozen=True, slots=True)
class Antecedent:
    """A resolved mention a later short form can point to."""

    start: int  # token index
    text: str
    candidate: Candidate | None
    kind: str | None


def name_tokens(text: str) -> list[str]:
    """The words of a person's name without honorifics."""
    words = [w for w in text.replace("’", "'").split() if w.lower() not in _HONORIFICS]
    return [w for w in words if w[:1].isalpha()]


class People:
    """Full names seen in a document, and the actor each stands for."""

    def __init__(self) -> None:
        self._full: list[Antecedent] = []

    def add(self, start: int, text: str, candidate: Candidate | None, kind: str | None) -> None:
        if len(name_tokens(text)) >= 2:
            self._full.append(Antecedent(start, text, candidate, kind))

    def tokens(self) -> dict[str, str]:
        """Each word of a multi-word name -> the full name (first seen)."""
        out: dict[str, str] = {}
        for a in self._full:
            for w in name_tokens(a.text):
                out.setdefault(w, a.text)
        return out

    def surnames(self) -> frozenset[str]:
        return frozenset(name_tokens(a.text)[-1] for a in self._full if a.candidate is not None)

    def find(self, text: str, at: int) -> Antecedent | None:
        """The full name a short form refers to: the nearest before ``at``, else after.

        A short form is the surname, or the name without its first word; two
        different people sharing it make it ambiguous (``None``).
        """
        words = name_tokens(text)
        if not words:
            return None
        matches = [a for a in self._full if _shortens(words, name_tokens(a.text))]
        if not matches:
            return None
        if len({a.text for a in matches}) > 1 and len({_code(a) for a in matches}) > 1:
            return None
        before = [a for a in matches if a.start < at]
        return max(before, key=lambda a: a.start) if before else min(matches, key=lambda a: a.start)


def _code(a: Antecedent) -> str | None:
    return a.candidate.code if a.candidate else None


def _shortens(short: Sequence[str], full: Sequence[str]) -> bool:
    if len(short) >= len(full):
        return False
    return list(full[-len(short):]) == list(short)


def nominal_spans(doc: Doc, taken: set[int]) -> list[tuple[Span, str]]:
    """"the ministry", "the government" ... not inside an entity: (span, head noun)."""
    out = []
    for token in doc:
        head = token.lower_
        if head not in NOMINALS or token.i in taken or token.i == 0:
            continue
        det = doc[token.i - 1]
        if det.lower_ != "the" or det.i in taken:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN") or nxt.text == "-"):
            continue  # "the ministry building", "the government-backed"
        out.append((doc[det.i:token.i + 1], head))
    return out


def nominal_antecedent(head: str, candidates: Sequence[Antecedent]) -> Candidate | None:
    """The actor a nominal refers to, from the mentions before it (nearest first)."""
    wants, role = NOMINALS[head]
    for a in candidates:
        c = a.candidate
        if c is None:
            continue
        if wants == "ministry":
            if a.kind == "institution" and c.role == "GOV":
                return c
        elif wants == "country":
            if a.kind in ("country",):
                return c
        elif c.role == wants:
            return c
        elif a.kind == "country" and c.country is not None and role is not None:
            return replace(c, code=c.country + role, role=role, name=f"{c.name} ({head})",
                           kind="institution")
    return None
