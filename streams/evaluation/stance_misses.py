"""Why the stance layer misses events: every miss on the development halves, by cause.

Recall is fixed cause by cause, not sentence by sentence, so the first
question about a sentence with a gold event and no stance is *which stage
lost it*.  The stages are tried in pipeline order and the first that fails
names the cause:

``actor unresolved``
    fewer than two actor mentions in the sentence, and the missing side is
    a name (resolution's job, not the stance layer's);
``pronoun or title actor``
    fewer than two actor mentions, and the missing side is a pronoun or a
    common-noun title ("he", "the minister", "police");
``no trigger in lexicon``
    no token of the sentence has a lexicon row, or none whose pattern holds,
    and no event noun is in the sentence;
``nominal event``
    the event is a noun ("the ban on ...", "talks between ...") that the
    lexicon lacks or whose pattern (light verb, object) did not hold;
``reported speech``
    an act was found inside someone's speech but got no source or target;
``clause structure``
    an act was found outside speech but its arguments were not (conjoined
    verbs, embedded clauses, passives).

Only the ``dev`` halves (split by the hash of the record id, as in
:mod:`streams.evaluation.stance`) and the sample articles are analysed:
the ``heldout`` halves stay unread.

Run: ``python -m streams.evaluation.stance_misses [--shared ../shared] [--show N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from streams.contracts import Entity
from streams.evaluation.petrarch_events import PetrarchSuite
from streams.evaluation.stance import (
    PETRARCH_ACTORS,
    PETRARCH_FILE,
    PLOVER_FILE,
    _jsonl,
    find_mention,
    split_of,
)
from streams.nlp.resolve import resolve_entities
from streams.nlp.stance import extract_stances
from streams.nlp.stance.build import StanceBuilder
from streams.nlp.stance.mentions import actor_mentions
from streams.nlp.stance.rules import run
from streams.nlp.stance.sentence import resources, sentence_context

CAUSES = ("actor unresolved", "pronoun or title actor", "no trigger in lexicon",
          "nominal event", "reported speech", "clause structure")
#: Common-noun heads that stand for an actor without naming it.
TITLE_WORDS = frozenset({
    "minister", "president", "premier", "spokesman", "spokeswoman", "spokesperson",
    "official", "officials", "government", "police", "troops", "forces", "army", "soldiers",
    "rebels", "militants", "leader", "leaders", "authorities", "ministry", "envoy",
    "ambassador", "diplomats", "protesters", "demonstrators", "students", "opposition",
    "military", "navy", "gunmen", "delegation", "regime", "parliament", "lawmakers",
    "senators", "court", "party", "chief", "secretary", "general", "commander", "workers",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "his", "her", "their", "its",
                      "our", "them", "him", "us", "who"})
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles.jsonl"


def _is_title_or_pronoun(text: str) -> bool:
    words = text.strip().split()
    if not words:
        return False
    if words[0].lower() in PRONOUNS and len(words) <= 2:
        return True
    proper = any(w[:1].isupper() for w in words[1:]) or (
        words[0][:1].isupper() and words[0].lower() not in ("the", "a", "an", *TITLE_WORDS))
    return not proper and any(w.lower().strip(".,") in TITLE_WORDS for w in words)


def _event_nouns() -> frozenset[str]:
    """Noun forms that name an event: lexicon nouns, and the bare forms of lexicon verbs."""
    lexicon, _ = resources()
    forms = {f for e in lexicon.entries for f in ((e.lemma,) if e.pos == "N" else (e.lemma, e.lemma + "s"))}
    return frozenset(forms)


def diagnose(sent: Span, entities: Sequence[Entity],
             missing_side: Callable[[], str | None] | None = None) -> str:
    """The first stage that lost the sentence's event (one of :data:`CAUSES`)."""
    doc = sent.doc
    mentions = [m for m in actor_mentions(doc, entities) if sent.start <= m.head < sent.end]
    if len({id(m) for m in mentions}) < 2:
        missing = missing_side() if missing_side else None
        if missing is not None:
            return "pronoun or title actor" if _is_title_or_pronoun(missing) else "actor unresolved"
        lowered = {t.lower_ for t in sent if t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")}
        return "pronoun or title actor" if lowered & (PRONOUNS | TITLE_WORDS) else "actor unresolved"
    ctx = sentence_context(sent, mentions)
    events = [e for e in run(ctx) if not e.is_speech]
    if not events:
        nouns = _event_nouns()
        if any(t.pos_ in ("NOUN", "PROPN") and t.lower_ in nouns for t in sent):
            return "nominal event"
        return "no trigger in lexicon"
    builder = StanceBuilder(doc, entities, "body")
    if builder.build(events, sent):
        return "clause structure"  # stances exist but were filtered (same actor, sports)
    if all(e.reported or e.in_quote for e in events):
        return "reported speech"
    if all(e.token.pos_ in ("NOUN", "PROPN") for e in events):
        return "nominal event"
    return "clause structure"


# -- the sets ----------------------------------------------------------------------------


def _plover_misses(nlp: Language, path: Path) -> Iterator[dict[str, Any]]:
    for record in _jsonl(path):
        if split_of(record["id"]) != "dev":
            continue
        text = record["text"]
        doc = nlp(text)
        entities = resolve_entities(doc, None, "body")
        if extract_stances(doc, entities, "body"):
            continue

        def missing(record: dict[str, Any] = record, doc: Doc = doc,
                    entities: list[Entity] = entities) -> str | None:
            for side in ("source", "target"):
                for actor in record[side]:
                    span = find_mention(doc.text, actor.get("text") or "")
                    if span and not any(e.actor and e.start < span[1] and span[0] < e.end
                                        for e in entities):
                        return str(actor.get("text"))
            return None

        sent = max(doc.sents, key=len)
        yield {"set": "plover", "id": record["id"], "text": text,
               "cause": diagnose(sent, entities, missing)}


def _petrarch_misses(nlp: Language, path: Path, actors_path: Path) -> Iterator[dict[str, Any]]:
    suite = PetrarchSuite.load(nlp, actors_path)  # read as streams.evaluation.stance reads it
    for record in _jsonl(path):
        expected = record.get("expected") or []
        if split_of(str(record["id"])) != "dev" or not expected or any(
                "error" in e or "noevents" in e for e in expected):
            continue
        doc, entities = suite.read(record)
        if extract_stances(doc, entities, "body"):
            continue
        sent = max(doc.sents, key=len)
        yield {"set": "petrarch2", "id": record["id"], "text": record["text"],
               "cause": diagnose(sent, entities)}


def _sample_misses(nlp: Language) -> Iterator[dict[str, Any]]:
    """Sample-article sentences with two or more actors and an event word but no stance."""
    lexicon, _ = resources()
    for line in SAMPLES.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        article = json.loads(line)
        doc = nlp(article.get("body") or "")
        entities = resolve_entities(doc, None, "body")
        found = {s.evidence.sentence for s in extract_stances(doc, entities, "body")}
        mentions = actor_mentions(doc, entities)
        for sent in doc.sents:
            inside = [m for m in mentions if sent.start <= m.head < sent.end]
            if len({m.actor.code for m in inside}) < 2 or sent.text.strip() in found:
                continue
            if not any(lexicon.candidates(t) for t in sent):
                continue
            yield {"set": "samples", "id": article["id"], "text": sent.text.strip(),
                   "cause": diagnose(sent, entities)}


def misses(nlp: Language, shared: Path) -> list[dict[str, Any]]:
    """Every miss of the development halves and the sample articles, with its cause."""
    out = list(_sample_misses(nlp))
    plover = shared.joinpath(*PLOVER_FILE)
    if plover.exists():
        out += _plover_misses(nlp, plover)
    petrarch = shared.joinpath(*PETRARCH_FILE)
    if petrarch.exists():
        out += _petrarch_misses(nlp, petrarch, shared.joinpath(*PETRARCH_ACTORS))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from streams.nlp import Analyzer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument("--show", type=int, default=0, help="print up to N sentences per cause")
    args = parser.parse_args(argv)
    found = misses(Analyzer().nlp, args.shared)
    for name in sorted({m["set"] for m in found}):
        counts = Counter(m["cause"] for m in found if m["set"] == name)
        print(f"{name}: {sum(counts.values())} misses  " + ", ".join(
            f"{cause} {counts[cause]}" for cause in CAUSES if counts[cause]))
    if args.show:
        for cause in CAUSES:
            rows = [m for m in found if m["cause"] == cause][:args.show]
            if rows:
                print(f"\n## {cause}")
                for m in rows:
                    print(f"  [{m['set']}] {m['text'][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
