"""Entity and actor evaluation on the shared development sets (``../shared/eval``).

Always scored the same way, so numbers compare across versions (see
``docs/resolution.md``):

* **gum_news** (24 Wikinews articles with GUM's entity annotation):
  exact-span micro-F1 for person / organisation / place on *named* mentions,
  typed and untyped, and actor-code accuracy on mentions of political actors
  (gold codes from ``data/gum_political_actors.tsv``).  Reported on all
  documents and on two halves split by a hash of the document id: ``dev``
  (read while writing the rules) and ``heldout``.
* **PETRARCH-2 unit tests**, with ``PETR.Validate.actors.txt`` and
  ``agents.txt`` (role nouns) loaded through :mod:`streams.nlp.actors.petrarch`:
  actor-code accuracy of the expected source and target codes.
* **PLOVER**: the country of each gold source/target mention as resolved
  (mention-level, independent of stance detection).

Run: ``python -m streams.evaluation.entities [--shared ../shared]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from streams.contracts import Entity
from streams.evaluation.actor_sets import (
    PETRARCH_ACTORS,
    PETRARCH_FILE,
    PLOVER_FILE,
    EntityAnalyzer,
    evaluate_petrarch_actors,
    evaluate_plover_mentions,
    read_jsonl,
)

GUM_DIR = ("eval", "gum_news")
GUM_FILE = "gum_news_entities.jsonl"
POLITICAL_ACTORS = Path(__file__).resolve().parent / "data" / "gum_political_actors.tsv"

#: Our labels -> GUM's entity types.  NORP (nationalities, "Russian") has no GUM
#: counterpart: GUM does not mark adjectives as mentions, so NORP is not scored.
LABEL_TO_TYPE = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
                 "FAC": "place"}
SCORED_TYPES = ("person", "organization", "place")
#: Part-of-speech tags allowed *inside* a name ("Church of Scientology", "Wright-Patterson").
_NAME_GLUE = frozenset({"ADP", "DET", "CCONJ", "PART", "PUNCT", "NUM"})
_LEADING = frozenset({"the", "The", "THE"})
_TRAILING = frozenset({"'s", "'", "’s", "’"})


# ---------------------------------------------------------------- reading GUM


@dataclass(slots=True)
class GumSentence:
    sent_id: str
    text: str
    tokens: list[str]
    pos: list[str]
    mentions: list[dict[str, Any]]
    #: index of each token's syntactic head in the sentence (-1 for the root)
    heads: list[int] = field(default_factory=list)
    #: character offsets of each token in the document text
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class GumDoc:
    doc_id: str
    created: date | None
    sentences: list[GumSentence]
    text: str = ""


def _conllu(directory: Path) -> tuple[dict[str, list[tuple[str, int]]], dict[str, date]]:
    """(UPOS, head index) per token per sentence id, and each document's creation date."""
    pos: dict[str, list[tuple[str, int]]] = {}
    dates: dict[str, date] = {}
    for path in sorted(directory.glob("*.conllu")):
        doc_id = path.stem
        sent_id = None
        tags: list[tuple[str, int]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# meta::dateCreated"):
                dates[doc_id] = date.fromisoformat(line.split("=", 1)[1].strip()[:10])
            elif line.startswith("# sent_id"):
                sent_id, tags = line.split("=", 1)[1].strip(), []
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    tags.append((cols[3], int(cols[6]) - 1 if cols[6].isdigit() else -1))
            elif not line and sent_id:
                pos[sent_id] = tags
                sent_id = None
        if sent_id:
            pos[sent_id] = tags
    return pos, dates


def load_gum(gum_dir: Path) -> list[GumDoc]:
    """The gum_news documents, their sentences joined by newlines, tokens located."""
    pos, dates = _conllu(gum_dir / "conllu")
    docs: dict[str, GumDoc] = {}
    for row in read_jsonl(gum_dir / GUM_FILE):
        doc = docs.setdefault(row["doc"], GumDoc(row["doc"], dates.get(row["doc"]), []))
        tags = pos.get(row["sent_id"], [("X", -1)] * len(row["tokens"]))
        doc.sentences.append(GumSentence(row["sent_id"], row["text"], row["tokens"], [t for t, _ in tags],
                                         row["mentions"], [h for _, h in tags]))
    for doc in docs.values():
        parts: list[str] = []
        offset = 0
        for sent in doc.sentences:
            cursor = 0
            for token in sent.tokens:
                at = sent.text.find(token, cursor)
                if at < 0:
                    at = cursor  # never happens on the shipped data; keep going
                sent.spans.append((offset + at, offset + at + len(token)))
                cursor = at + len(token)
            parts.append(sent.text)
            offset += len(sent.text) + 1
        doc.text = "\n".join(parts)
    return list(docs.values())


def split_of(doc_id: str) -> str:
    """``dev`` or ``heldout``: a stable half of the documents by id hash."""
    return "dev" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 == 0 else "heldout"


# ---------------------------------------------------------------- mentions


Key = tuple[str, int, int]  # sent_id, first token, last token (inclusive)


def normalise(tokens: Sequence[str], first: int, last: int) -> tuple[int, int] | None:
    """Drop a leading "the" and a trailing possessive: "the Korean People 's Army 's"."""
    while first < last and tokens[first] in _LEADING:
        first += 1
    while last > first and tokens[last] in _TRAILING:
        last -= 1
    return (first, last) if first <= last else None


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", text.casefold().replace("'s", "")) if w]


def _head(sent: GumSentence, first: int, last: int) -> int:
    for i in range(first, last + 1):
        h = sent.heads[i] if i < len(sent.heads) else -1
        if not first <= h <= last:
            return i
    return last


def _proper_run(sent: GumSentence, first: int, last: int, at: int) -> tuple[int, int] | None:
    """The run of proper nouns around token ``at`` (hyphens and dots may join them)."""
    if sent.pos[at] != "PROPN":
        return None
    lo = hi = at
    while lo > first and (sent.pos[lo - 1] == "PROPN" or (sent.tokens[lo - 1] in ("-", ".")
                          and lo - 2 >= first and sent.pos[lo - 2] == "PROPN")):
        lo -= 1
    while hi < last and (sent.pos[hi + 1] == "PROPN" or (sent.tokens[hi + 1] in ("-", ".")
                         and hi + 2 <= last and sent.pos[hi + 2] == "PROPN")):
        hi += 1
    return lo, hi


def named_span(sent: GumSentence, mention: dict[str, Any]) -> tuple[int, int] | None:
    """The name inside a GUM mention, or ``None`` for a nominal or pronoun.

    GUM mentions are whole noun phrases ("U.S. President Donald Trump 's",
    "Lee Cheuk-yan of the Labour Party", "team member Rodaba Noori"); the
    *named mention* is the name in it: for a mention linked to Wikipedia, the
    longest run of its tokens that spells consecutive words of the title
    ("Donald Trump", "Trump", "Church of Scientology"); otherwise, or when
    no such run exists, the run of proper nouns around the phrase's
    syntactic head (when the head is a proper noun).  A leading "the" and a
    trailing possessive are dropped.
    """
    bounds = normalise(sent.tokens, mention["tok_start"], mention["tok_end"])
    if bounds is None:
        return None
    first, last = bounds
    title = mention.get("wikipedia")
    if title:
        words = _words(re.sub(r"_\(.*\)$", "", title).replace("_", " "))
        best: tuple[int, int] | None = None
        for i in range(first, last + 1):
            for j in range(last, i - 1, -1):
                if best is not None and j - i <= best[1] - best[0]:
                    break
                got = _words(" ".join(sent.tokens[i:j + 1]))
                if got and _contiguous(got, words) and "PROPN" in sent.pos[i:j + 1]:
                    best = (i, j)
        if best is not None:
            return best
    run = _proper_run(sent, first, last, _head(sent, first, last))
    if run is None or not title:
        return run
    text = " ".join(sent.tokens[run[0]:run[1] + 1])
    abbreviation = text.isupper() or "." in text
    if abbreviation or set(_words(text)) & set(_words(title.replace("_", " "))):
        return run
    return None  # "The President" linked to Donald_Trump: a title, not a name


def _contiguous(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[k:k + n] == part for k in range(len(whole) - n + 1))


def gold_mentions(sent: GumSentence) -> tuple[dict[Key, str], dict[Key, dict[str, Any]], set[Key]]:
    """Named gold mentions (key -> type), their records, and spans of unscored mentions."""
    named: dict[Key, str] = {}
    records: dict[Key, dict[str, Any]] = {}
    other: set[Key] = set()
    for m in sent.mentions:
        bounds = normalise(sent.tokens, m["tok_start"], m["tok_end"])
        if bounds is None:
            continue
        name = named_span(sent, m) if m["type"] in SCORED_TYPES else None
        if name is not None:
            key = (sent.sent_id, *name)
            named.setdefault(key, m["type"])
            records.setdefault(key, m)
        else:
            other.add((sent.sent_id, *bounds))
    other -= set(named)
    return named, records, other


_Where = dict[int, tuple[GumSentence, int]]


def _token_index(doc: GumDoc) -> tuple[_Where, _Where]:
    starts: dict[int, tuple[GumSentence, int]] = {}
    ends: dict[int, tuple[GumSentence, int]] = {}
    for sent in doc.sentences:
        for i, (s, e) in enumerate(sent.spans):
            starts.setdefault(s, (sent, i))
            ends[e] = (sent, i)
    return starts, ends


def predicted_mentions(doc: GumDoc,
                       entities: Sequence[Entity]) -> tuple[dict[Key, str], dict[Key, Entity], int]:
    """Our entities as GUM token spans (key -> type); entities not on token edges are counted."""
    from streams.nlp.resolve import is_nominal

    starts, ends = _token_index(doc)
    typed: dict[Key, str] = {}
    by_key: dict[Key, Entity] = {}
    unaligned = 0
    for e in entities:
        kind = LABEL_TO_TYPE.get(e.label)
        if kind is None or is_nominal(e):
            continue
        a, b = starts.get(e.start), ends.get(e.end)
        if a is None or b is None or a[0] is not b[0]:
            unaligned += 1
            continue
        sent = a[0]
        bounds = normalise(sent.tokens, a[1], b[1])
        if bounds is None:
            continue
        key = (sent.sent_id, *bounds)
        typed[key] = kind
        by_key[key] = e
    return typed, by_key, unaligned


def _f1(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def read_political_actors(path: Path = POLITICAL_ACTORS) -> dict[str, str]:
    """Wikipedia title -> gold actor code (on the document's date)."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if line.strip() and not line.startswith("#")),
                              delimiter="\t"):
            out[row[0]] = row[1]
    return out


# ---------------------------------------------------------------- gum scoring


@dataclass(slots=True)
class _Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    untyped_tp: int = 0
    untyped_fp: int = 0
    untyped_fn: int = 0
    unaligned: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    codes: list[dict[str, Any]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, other: _Tally) -> None:
        for name in ("tp", "fp", "fn", "untyped_tp", "untyped_fp", "untyped_fn", "unaligned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_type.update(other.by_type)
        self.codes += other.codes
        self.errors.update(other.errors)


def _score_doc(doc: GumDoc, entities: Sequence[Entity], gold_codes: dict[str, str]) -> _Tally:
    tally = _Tally()
    gold: dict[Key, str] = {}
    records: dict[Key, dict[str, Any]] = {}
    unscored: set[Key] = set()
    for sent in doc.sentences:
        named, recs, other = gold_mentions(sent)
        gold.update(named)
        records.update(recs)
        unscored |= other
    pred, by_key, tally.unaligned = predicted_mentions(doc, entities)
    for key, kind in pred.items():
        if key in gold:
            tally.untyped_tp += 1
            if gold[key] == kind:
                tally.tp += 1
                tally.by_type[f"{kind}:tp"] += 1
            else:
                tally.fp += 1
                tally.fn += 1
                tally.by_type[f"{kind}:fp"] += 1
                tally.by_type[f"{gold[key]}:fn"] += 1
                tally.errors[f"type {gold[key]}->{kind}"] += 1
        elif key in unscored:
            continue  # a nominal or non-P/O/P mention of GUM's: neither right nor wrong
        else:
            tally.fp += 1
            tally.untyped_fp += 1
            tally.by_type[f"{kind}:fp"] += 1
            tally.errors["spurious or wrong span"] += 1
    for key, kind in gold.items():
        if key not in pred:
            tally.fn += 1
            tally.untyped_fn += 1
            tally.by_type[f"{kind}:fn"] += 1
            tally.errors["missed or wrong span"] += 1
    for key, rec in records.items():
        code = gold_codes.get(rec.get("wikipedia") or "")
        if code is None:
            continue
        exact = by_key.get(key)
        entity = exact or _inside(key, by_key)
        got = entity.actor.code if entity is not None and entity.actor is not None else None
        if entity is not None and entity.usage == "place" and entity.actor is not None:
            got = entity.actor.country  # a country named as a place is still the country
        tally.codes.append({"doc": doc.doc_id, "text": rec["text"], "title": rec["wikipedia"],
                            "gold": code, "got": got, "span_found": exact is not None})
    return tally


def _inside(key: Key, by_key: dict[Key, Entity]) -> Entity | None:
    """The last of our entities inside a gold span (the head of an English noun phrase)."""
    inner = [(k, e) for k, e in by_key.items() if k[0] == key[0] and key[1] <= k[1] and k[2] <= key[2]
             and e.actor is not None]
    return max(inner, key=lambda ke: ke[0][2])[1] if inner else None


def _gum_summary(t: _Tally, docs: int) -> dict[str, Any]:
    codes = t.codes
    right = sum(1 for c in codes if c["gold"] == c["got"])
    country = sum(1 for c in codes if c["got"] and c["gold"][:3] == c["got"][:3])
    found = [c for c in codes if c["span_found"]]
    per_type = {k: _f1(t.by_type[f"{k}:tp"], t.by_type[f"{k}:fp"], t.by_type[f"{k}:fn"])["f1"]
                for k in SCORED_TYPES}
    return {
        "documents": docs,
        "named_mentions": t.tp + t.fn,
        "typed": _f1(t.tp, t.fp, t.fn),
        "untyped": _f1(t.untyped_tp, t.untyped_fp, t.untyped_fn),
        "f1_by_type": per_type,
        "unaligned_predictions": t.unaligned,
        "actor_mentions": len(codes),
        "actor_code_accuracy": round(right / len(codes), 4) if codes else None,
        "actor_country_accuracy": round(country / len(codes), 4) if codes else None,
        "actor_spans_found": len(found),
        "actor_code_accuracy_when_span_found": (
            round(sum(1 for c in found if c["gold"] == c["got"]) / len(found), 4) if found else None),
        "actor_code_errors": [f"{c['text']} ({c['title']}): {c['gold']} got {c['got']}"
                              for c in codes if c["gold"] != c["got"]][:25],
        "errors": dict(t.errors),
    }


def evaluate_gum(analyzer: EntityAnalyzer, gum_dir: Path) -> dict[str, Any]:
    """Named-mention F1 and political-actor code accuracy on gum_news."""
    gold_codes = read_political_actors()
    docs = load_gum(gum_dir)
    tallies: dict[str, _Tally] = {"dev": _Tally(), "heldout": _Tally(), "all": _Tally()}
    counts: Counter[str] = Counter()
    for doc in docs:
        when = datetime.combine(doc.created, datetime.min.time(), UTC) if doc.created else None
        entities = analyzer.analyze(doc.text, published_at=when).entities
        tally = _score_doc(doc, entities, gold_codes)
        tallies[split_of(doc.doc_id)].add(tally)
        tallies["all"].add(tally)
        counts[split_of(doc.doc_id)] += 1
    counts["all"] = len(docs)
    report: dict[str, Any] = {name: _gum_summary(t, counts[name]) for name, t in tallies.items()}
    report["note"] = ("named = GUM person/organization/place mentions whose tokens (without a leading "
                      "'the' or trailing possessive) are proper nouns with only ADP/DET/CCONJ/PART/PUNCT/"
                      "NUM inside; the same normalisation applies to our spans; NORP and nominal "
                      "coreference mentions are not scored; predictions on GUM's unscored mentions "
                      "(nominals, other types) are ignored; actor codes use the article's creation date")
    return report


# ---------------------------------------------------------------- entry point


def evaluate_entities(analyzer: EntityAnalyzer, shared_dir: Path) -> dict[str, Any]:
    """Every entity/actor metric whose data is present under ``shared_dir``."""
    report: dict[str, Any] = {}
    gum = shared_dir.joinpath(*GUM_DIR)
    if (gum / GUM_FILE).exists():
        report["gum_news"] = evaluate_gum(analyzer, gum)
    if shared_dir.joinpath(*PETRARCH_FILE).exists() and shared_dir.joinpath(*PETRARCH_ACTORS).exists():
        report["petrarch_actors"] = evaluate_petrarch_actors(analyzer, shared_dir)
    plover = shared_dir.joinpath(*PLOVER_FILE)
    if plover.exists():
        report["plover_mentions"] = evaluate_plover_mentions(analyzer, plover)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    from streams.nlp import Analyzer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    args = parser.parse_args(argv)
    if not args.shared.exists():
        print(f"{args.shared}: absent")
        return 0
    json.dump(evaluate_entities(Analyzer(), args.shared), sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
