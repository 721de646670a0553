"""Speech attribution: acts inside someone's reported speech or quote.

The speech frames of the sentence (:mod:`streams.nlp.stance.context`) say
which verb of saying governs a token; an act inside one is *reported*, its
speaker the subject of that verb.  Inside a quote, an act with no source of
its own is the speaker's ('"We will respond," Russia said').
"""

from __future__ import annotations

from dataclasses import replace

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.syntax import in_ranges


@event_rule("speech_attribution")
def speech_attribution(ctx: SentenceContext, e: Event) -> Event:
    """Marks quoted and reported acts and names their speaker."""
    frame = ctx.frames.get(e.token.i)
    e.in_quote = in_ranges(e.token.i, ctx.quotes)
    if frame is None or frame.verb.i == e.token.i:
        return e
    e.reported = True
    e.speaker = frame.subject[0] if frame.subject else None
    e.speaker_args = ctx.syntax.args(frame.subject, 1, "direct")
    if not e.sources and e.in_quote and e.speaker_args:
        e.sources = [replace(a, path=a.path + 2) for a in e.speaker_args]
    return e
