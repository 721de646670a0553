"""The trigger lexicon (``lexicon.tsv``) and its closed-vocabulary lemmatizer.

The shared spaCy pipeline runs without its lemmatizer (nothing else reads
lemmas), so instead of re-enabling it for every token of every article we
generate the inflected forms of the closed vocabulary we care about once, at
load time (:mod:`streams.nlp.inflection`), and match tokens by their
lower-cased surface form.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from spacy.tokens import Token

from streams.cameo import lookup
from streams.nlp.inflection import nominalized_verbs, noun_forms, verb_forms
from streams.nlp.stance.words import EXPERIENCER_VERBS, NOT_VERB_ACTS

__all__ = ["Lexicon", "VerbLemmas", "default_lexicon", "noun_forms", "parse_pattern", "verb_forms"]

Pos = Literal["V", "N"]
@dataclass(frozen=True, slots=True)
class Pattern:
    """Constraints a trigger occurrence must satisfy (see ``lexicon.tsv``)."""

    prt: frozenset[str] | None = None
    prep: frozenset[str] | None = None
    obj: frozenset[str] | None = None
    mod: frozenset[str] | None = None
    lv: frozenset[str] | None = None
    clause: frozenset[str] | None = None  # complementizers of a required content clause

    @property
    def specificity(self) -> int:
        return sum(x is not None for x in (self.prt, self.prep, self.obj, self.mod, self.lv,
                                           self.clause))


@dataclass(frozen=True, slots=True)
class LexEntry:
    lemma: str
    pos: Pos
    pattern: Pattern
    code: str
    weight: float

    @property
    def root(self) -> str:
        return self.code[:2]


_PATTERN_KEYS = frozenset({"prt", "prep", "obj", "mod", "lv", "clause"})


def parse_pattern(text: str) -> Pattern:
    """``"prt=off;obj=tie|relation"`` -> Pattern; nouns in obj/mod get plurals."""
    if text.strip() in ("", "-"):
        return Pattern()
    parts: dict[str, frozenset[str]] = {}
    for clause in text.split(";"):
        key, _, value = clause.partition("=")
        key = key.strip()
        if key not in _PATTERN_KEYS or not value:
            raise ValueError(f"bad lexicon pattern {text!r}")
        alts = [a.strip().lower() for a in value.split("|") if a.strip()]
        if key in ("obj", "mod"):
            parts[key] = frozenset(f for a in alts for f in noun_forms(a))
        elif key == "lv":
            parts[key] = frozenset(alts)  # compared with verb lemmas
        else:
            parts[key] = frozenset(alts)
    return Pattern(**parts)


def _rows(text: str) -> Iterator[dict[str, str]]:
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    yield from csv.DictReader(lines, delimiter="\t")


class Lexicon:
    """Trigger entries indexed by inflected surface form, per part of speech."""

    def __init__(self, entries: Iterable[LexEntry]) -> None:
        self.entries = tuple(entries)
        self._verbs: dict[str, list[LexEntry]] = {}
        self._nouns: dict[str, list[LexEntry]] = {}
        for entry in self.entries:
            index, forms = (
                (self._verbs, verb_forms(entry.lemma))
                if entry.pos == "V"
                else (self._nouns, noun_forms(entry.lemma))
            )
            for form in forms:
                index.setdefault(form, []).append(entry)
        # most specific first, then file order (stable sort)
        for index in (self._verbs, self._nouns):
            for form, items in index.items():
                index[form] = sorted(items, key=lambda e: -e.pattern.specificity)

    @classmethod
    def from_tsv(cls, text: str) -> Lexicon:
        entries = []
        for n, row in enumerate(_rows(text), start=2):
            pos = row["pos"].strip()
            code = row["code"].strip()
            if pos not in ("V", "N"):
                raise ValueError(f"lexicon row {n}: pos must be V or N, got {pos!r}")
            try:
                entry_code = lookup(code).code  # validates against the CAMEO table
            except LookupError as exc:
                raise ValueError(f"lexicon row {n}: {exc}") from exc
            if entry_code != code:
                raise ValueError(f"lexicon row {n}: {code} is not a CAMEO code")
            weight = float(row["weight"])
            if not 0.0 < weight <= 1.0:
                raise ValueError(f"lexicon row {n}: weight must be in (0, 1]")
            entries.append(LexEntry(row["lemma"].strip().lower(), pos,  # type: ignore[arg-type]
                                    parse_pattern(row["pattern"]), code, weight))
        return cls(entries)

    def rows(self, form: str, pos: Pos) -> list[LexEntry]:
        """Entries for a lower-cased word form used as a verb or noun, most specific first."""
        return (self._verbs if pos == "V" else self._nouns).get(form, [])

    def candidates(self, token: Token) -> list[LexEntry]:
        """Entries whose form and part of speech match ``token`` (patterns unchecked).

        The tokenizer splits hyphenated words ("sit-in", "cease-fire", "strong-armed"); their
        last part, the phrase's head, stands for the whole word.
        """
        pos = token.pos_
        form = hyphenated(token) or token.lower_
        if pos == "ADJ":
            # "was deeply *disappointed* by": a verb of feeling as an adjective is still the verb
            return [e for e in self._verbs.get(form, []) if e.lemma in EXPERIENCER_VERBS]
        if pos not in ("VERB", "NOUN", "PROPN"):
            return []
        if pos == "VERB":
            # "took Tokyo to *task*": tagged an infinitive, but the object of a preposition
            if token.dep_ == "pobj" and form in self._nouns:
                return self._nouns[form]
            return self._verbs.get(form, [])
        rows = self._nouns.get(form, [])
        if not rows and form.endswith("ing"):
            # a verb's own noun: "Ethiopia's *lifting* of the state of emergency", "the
            # *shelling* of Kharkiv" (its object is the "of" phrase, its actor the possessor)
            return self._verbs.get(form, [])
        if not rows and pos == "NOUN":
            return self._nominal_rows(form)
        return rows

    def _nominal_rows(self, form: str) -> list[LexEntry]:
        """The verb rows of a noun made from a known verb with a suffix.

        "the *deportation* of thousands of Haitians by the Dominican Republic", "Moscow's
        *reversal* of its ban": like a verb's "-ing" noun, its object is the "of" phrase and
        its actor the possessor or the "by" phrase.  Speech frames stay verbs' (a
        "declaration" is what was declared), and nouns that name a thing rather than the act
        (``NOT_VERB_ACTS``) are skipped.
        """
        if form in NOT_VERB_ACTS or form.removesuffix("s") in NOT_VERB_ACTS:
            return []
        for verb in nominalized_verbs(form):
            rows = [e for e in self._verbs.get(verb, []) if e.lemma == verb]
            if rows:
                return [e for e in rows if not e.code.startswith("01")]
        return []

    @property
    def verb_lemmas(self) -> frozenset[str]:
        """Verbs the lexicon names: its verb rows, and the light verbs of its noun rows.

        ``lv=`` verbs are compared by lemma, so they must be lemmatized too
        ("*reasserted* friendship" is ``reassert``).
        """
        lvs = {v for e in self.entries if e.pattern.lv for v in e.pattern.lv}
        return frozenset({e.lemma for e in self.entries if e.pos == "V"} | lvs)


def hyphenated(token: Token) -> str | None:
    """"sit-in" when ``token`` is the "in" of "sit - in" written without spaces, else ``None``."""
    i = token.i
    if i < 2:
        return None
    hyphen, first = token.doc[i - 1], token.doc[i - 2]
    if hyphen.text != "-" or hyphen.whitespace_ or first.whitespace_:
        return None
    return f"{first.lower_}-{token.lower_}"


@cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, parsed and validated once per process."""
    text = resources.files("streams.nlp.stance").joinpath("lexicon.tsv").read_text("utf-8")
    return Lexicon.from_tsv(text)


class VerbLemmas:
    """Closed-vocabulary verb lemmatizer: form -> lemma for the verbs we name."""

    def __init__(self, lemmas: Iterable[str]) -> None:
        self._by_form: dict[str, str] = {}
        for lemma in sorted(set(lemmas)):
            for form in verb_forms(lemma):
                self._by_form.setdefault(form, lemma)
        for lemma in sorted(set(lemmas)):  # a lemma is always its own lemma
            self._by_form[lemma] = lemma

    def lemma(self, token: Token) -> str:
        """The lemma when ``token`` is a form of a known verb, else its lower form."""
        return self._by_form.get(token.lower_, token.lower_)
