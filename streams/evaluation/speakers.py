"""How many quotes get a speaker: the sample articles and the gum_news documents.

There is no gold attribution for these texts, so this counts coverage, the
same way every time: the spoken quotes (:meth:`Quote.is_speech`: four words or
a verb, so scare quotes do not count) and how many of them get

* a speaker from the **sentence's speech frames** alone (the attribution stance
  coding had before document-level speakers: a verb of saying with a subject
  in the quote's own sentence), and
* a speaker from **the document** (:func:`attribute_quotes`),

each also counted when the speaker resolved to an actor.  ``--show`` prints
every quote with its speaker, for checking by eye.

    python -m streams.evaluation.speakers [--shared ../shared] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from streams.nlp.resolve import resolve_entities
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.mentions import actor_mentions, group_by_sentence
from streams.nlp.stance.sentence import sentence_context
from streams.nlp.stance.speakers import Quote, attribute_quotes

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"


def _texts(shared: Path) -> dict[str, list[str]]:
    """Texts per set: sample titles and bodies, and each gum_news document."""
    samples = []
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            a = json.loads(line)
            samples += [a.get("title") or "", a.get("body") or ""]
    out = {"samples": samples}
    gum = shared / "eval" / "gum_news"
    if gum.exists():
        from streams.evaluation.entities import load_gum

        out["gum_news"] = [d.text for d in load_gum(gum)]
    return out


def _frame_speaker(doc: Doc, quote: Quote, ctxs: dict[int, SentenceContext]) -> tuple[bool, bool]:
    """(has a speaker, the speaker is an actor) by the sentence speech frames of the quote's tokens."""
    named = actor = False
    for i in range(quote.start, quote.end):
        ctx = ctxs.get(i)
        frame = ctx.frames.get(i) if ctx is not None else None
        if ctx is None or frame is None or not frame.subject:
            continue
        named = True
        if ctx.syntax.args(frame.subject, 1, "direct"):
            actor = True
            break
    return named, actor


def count(analyzer: Any, texts: Sequence[str], show: bool = False) -> dict[str, int]:
    """Spoken quotes and how many get a speaker (and an actor), by frames and by the document."""
    totals = dict.fromkeys(("quotes", "spoken", "frame_speaker", "frame_actor", "document_speaker",
                            "document_actor"), 0)
    for doc, text in zip(analyzer.nlp.pipe(texts), texts, strict=True):
        entities = resolve_entities(doc, None, "body")
        mentions = actor_mentions(doc, entities)
        quotes = attribute_quotes(doc, mentions, entities)
        totals["quotes"] += len(quotes)
        spoken = [q for q in quotes if q.is_speech(doc)]
        if not spoken:
            continue
        sentences = list(doc.sents)
        ctxs: dict[int, SentenceContext] = {}
        for sent, group in zip(sentences, group_by_sentence(sentences, mentions), strict=True):
            if any(q.start < sent.end and sent.start < q.end for q in spoken):
                ctx = sentence_context(sent, group)
                for i in range(sent.start, sent.end):
                    ctxs[i] = ctx
        for q in spoken:
            totals["spoken"] += 1
            named, actor = _frame_speaker(doc, q, ctxs)
            totals["frame_speaker"] += named
            totals["frame_actor"] += actor
            sp = q.speaker
            totals["document_speaker"] += sp is not None
            totals["document_actor"] += sp is not None and sp.mention is not None
            if show:
                words = doc[q.start:q.end].text.strip().replace("\n", " ")
                code = f", {sp.mention.actor.code}" if sp is not None and sp.mention is not None else ""
                who = f"{text[sp.start:sp.end]} ({sp.how}{code})" if sp is not None else "-"
                print(f"{'F' if named else ' '} {who:<40} | {words[:90]}")
    return totals


def evaluate_speakers(analyzer: Any, shared: Path, show: bool = False) -> dict[str, dict[str, int]]:
    """Counts per set (``samples``, ``gum_news`` when present)."""
    return {name: count(analyzer, texts, show) for name, texts in _texts(shared).items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.evaluation.speakers",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--show", action="store_true", help="print every spoken quote and its speaker")
    args = parser.parse_args(argv)
    from streams.nlp import Analyzer

    print(json.dumps(evaluate_speakers(Analyzer(), args.shared, args.show), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
