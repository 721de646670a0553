"""Stances read from the tone of a quote, when the quote has no event word.

'"Americans are not heeding our logic," Ryabkov said' is Russia disapproving
of the US: the sentiment toward the quoted actor (explicit evaluative words
first, else the sentiment model) becomes a disapproval (110) or praise (051)
by the speaker, at reduced weight.

This is not a registered sentence rule: it needs the whole document and its
entities, and the sentiment model codes sentences itself (through
``streams.nlp.stance.sentence``), so it runs after the rules, in
``extract_stances`` only.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from streams.contracts import Entity
from streams.nlp.stance.build import distinct_actors
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import LexEntry, Pattern
from streams.nlp.stance.mentions import Mention
from streams.nlp.stance.sentiment import lexical_polarity, locate, sentiment_toward
from streams.nlp.stance.syntax import Arg, path_length

#: Below this probability of a non-neutral tone nothing is coded.
QUOTE_TONE_THRESHOLD = 0.55
QUOTE_TONE_WEIGHT = 0.5


def quote_events(ctx: SentenceContext, events: list[Event], doc: Doc,
                 entities: Sequence[Entity], group: Sequence[Mention]) -> list[Event]:
    """Disapproval (110) or praise (051) read from the tone of a quote toward an actor."""
    linked = {(id(a.mention), id(p.mention)) for e in events if not e.is_speech
              for a in e.sources for p in e.targets}
    out: list[Event] = []
    for target in group:
        frame = ctx.frames.get(target.head)
        if frame is None or not any(a <= target.head < b for a, b in ctx.quotes):
            continue
        speakers = [a for a in ctx.syntax.args(frame.subject, 1, "direct")
                    if a.mention is not target and distinct_actors(a.mention.actor, target.actor)]
        speakers = [a for a in speakers if (id(a.mention), id(target)) not in linked]
        if not speakers:
            continue
        located = locate(doc, target.char_span)
        lexical = lexical_polarity(located) if located is not None else 0
        label, prob = sentiment_toward(doc, entities, target.char_span)
        if lexical:  # explicit evaluative words decide; the model's view sets the weight
            label, prob = ("negative" if lexical < 0 else "positive"), max(prob, 0.6)
        elif label == "neutral" or prob < QUOTE_TONE_THRESHOLD:
            continue
        code = "110" if label == "negative" else "051"
        verb = frame.verb
        entry = LexEntry(verb.lower_, "V", Pattern(), code, QUOTE_TONE_WEIGHT * prob)
        out.append(Event(verb, entry, code, QUOTE_TONE_WEIGHT * prob, verb.lower_,
                         sources=speakers, targets=[Arg(target, path_length(verb, doc[target.head]),
                                                        "clause")],
                         reported=True, in_quote=True, speaker=frame.subject[0],
                         speaker_args=speakers, span=(verb.i, verb.i + 1)))
    return out
