"""CAMEO-code probes: is every kind of event CAMEO names coded in the right PLOVER category?

    python -m streams.evaluation.probes [--show N]

The PLOVER gold records are the CAMEO manual's examples, about one per code,
so each half of them exercises codes the other half barely touches: fitting
the lexicon to the development half taught it those codes and little else.
``data/cameo_probes.tsv`` holds two plain sentences of our own for every CAMEO
code that has a PLOVER category (604 sentences, real actors, written from the
code's name); ``data/cameo_probes_wire.tsv`` one more per code in the structures
of real wire copy (attribution, passives, nominal events, reported speech,
appositions, leading clauses, quotes; 302 sentences); ``data/cameo_probes_styles.tsv``
three per code of three or four digits (a modern wire sentence, a 1990s agency
sentence, a harder structure; 849 sentences), written later and kept unread until Stop
27, which read the misses of one half of it (split by a hash of the sentence, as the
PLOVER halves are) and left the other half unread: its held-out half measures phrasings
nobody fitted the rules to, and ``--show`` prints only the dev half's misses.
``data/cameo_probes_news.tsv`` (Stop 31) holds 560 sentences of wire and agency copy written by
writers who saw neither the rules nor any evaluation set, codes spread as in real news; it is
split and read the same way. ``data/plover_probes_vocabulary.tsv`` (Stop 31) gives a PLOVER
category, not a code, for sentences written by the same kind of writers to use a different event
word in every sentence: a measure of the lexicon's reach; also split and half read.
``data/plover_probes_leads.tsv`` (Stop 32) gives PLOVER categories for 750 more such sentences in
the shape of real agency leads (attribution, hard syntax, nominal events, idioms); split and half
read the same way.  ``data/cameo_probes_codebook.tsv`` (Stop 33) holds four sentences for every
code of three or four digits in the manner of an event-coding manual's examples (the shape of the
PLOVER gold records themselves), two plain and two in harder structures, by such writers; split
and half read the same way.  This module
scores
them the way the PLOVER evaluation does: the category of ``stance_between``
the two mentions against the code's.  Needs no ``../shared``; ``streams
eval`` reports every set with the other figures.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.evaluation.stance import StanceAnalyzer, plover_category, split_of

PROBES = Path(__file__).resolve().parent / "data" / "cameo_probes.tsv"
WIRE_PROBES = PROBES.with_name("cameo_probes_wire.tsv")
STYLE_PROBES = PROBES.with_name("cameo_probes_styles.tsv")
NEWS_PROBES = PROBES.with_name("cameo_probes_news.tsv")
VOCABULARY_PROBES = PROBES.with_name("plover_probes_vocabulary.tsv")
LEADS_PROBES = PROBES.with_name("plover_probes_leads.tsv")
CODEBOOK_PROBES = PROBES.with_name("cameo_probes_codebook.tsv")
#: The probe sets by name, as ``streams eval`` reports them.
SETS = {"plain": PROBES, "wire": WIRE_PROBES, "styles": STYLE_PROBES, "news": NEWS_PROBES,
        "vocabulary": VOCABULARY_PROBES, "leads": LEADS_PROBES, "codebook": CODEBOOK_PROBES}
#: Sets of which only the dev half was read to change the rules (the other is held out).
HALF_READ = frozenset({"styles", "news", "vocabulary", "leads", "codebook"})


@dataclass(frozen=True, slots=True)
class Probe:
    """One sentence written for a CAMEO code, with the mentions of who acts on whom."""

    code: str
    text: str
    source: str
    target: str

    @property
    def category(self) -> str:
        """The PLOVER category the probe expects: its code's, or the one it names."""
        return self.code if self.code.isalpha() else plover_category(self.code) or "-"

    def span(self, mention: str) -> tuple[int, int]:
        at = self.text.index(mention)
        return at, at + len(mention)


def load_probes(path: Path = PROBES) -> list[Probe]:
    """The probes of ``path`` (comment lines start with ``#``; the first other line is the header)."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return [Probe(r["code"], r["text"], r["source"], r["target"])
            for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def evaluate_probes(analyzer: StanceAnalyzer, probes: Sequence[Probe] | None = None) -> dict[str, Any]:
    """Category and root accuracy of ``stance_between`` over the probes, with each miss."""
    probes = load_probes() if probes is None else probes
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    roots = 0
    misses: list[dict[str, Any]] = []
    for p in probes:
        stance = analyzer.stance_between(p.text, p.span(p.source), p.span(p.target))
        got = stance.cameo_code if stance else None
        want = p.category
        total[want] += 1
        in_category = plover_category(got) == want
        # (a probe that names a category, not a code, has no root: its category stands for it)
        roots += bool(got and got[:2] == p.code[:2]) if p.code.isdigit() else in_category
        if in_category:
            right[want] += 1
        else:
            misses.append({"code": p.code, "category": want, "got": got,
                           "got_category": plover_category(got), "text": p.text,
                           "source": p.source, "target": p.target})
    n = len(probes)
    missed = {m["text"] for m in misses}
    halves = {}
    for half in ("dev", "heldout"):  # by a hash of the sentence, as the PLOVER halves
        part = [p for p in probes if split_of(p.text) == half]
        if part:
            halves[half] = round(sum(1 for p in part if p.text not in missed) / len(part), 4)
    return {
        "probes": n,
        "category_accuracy": round(sum(right.values()) / n, 4) if n else None,
        "category_accuracy_by_half": halves,
        "root_accuracy": round(roots / n, 4) if n else None,
        "uncoded": sum(1 for m in misses if m["got"] is None),
        "by_category": {c: f"{right[c]}/{total[c]}" for c in sorted(total)},
        "misses": misses,
    }


def readable(name: str, misses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The misses of set ``name`` one may read: of a half-read set, its dev half's only."""
    if name in HALF_READ:
        return [m for m in misses if split_of(m["text"]) == "dev"]
    return misses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="score the CAMEO-code probe sentences")
    parser.add_argument("--show", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)
    from streams.nlp import Analyzer

    analyzer = Analyzer()
    for name, path in SETS.items():
        report = evaluate_probes(analyzer, load_probes(path))
        misses = report.pop("misses")
        print(name, json.dumps(report, indent=1))
        for m in readable(name, misses)[:args.show]:
            print(f"{m['code']:5s} {m['category']:11s} got {m['got'] or '-':5s} "
                  f"{m['got_category'] or '-':11s} | {m['text']}  [{m['source']} -> {m['target']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
