"""Emotion: verbs of feeling aim the act the other way round.

"Hungary's refusal *angered* Denmark", "Denmark was *disappointed by* Hungary's
handling of the crisis": the one who feels (the experiencer) disapproves of the
one who caused the feeling (the stimulus).  The experiencer is the object of the
active verb and the subject of the passive or adjective; the stimulus is the
active subject, or the object of "by", "with", "at", "over" or "about".  The
lexicon codes these verbs 110 (disapprove); this rule turns their arguments round.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.words import EXPERIENCER_VERBS

#: Prepositions that name what the feeling is about.
_STIMULUS_PREPS = frozenset({"by", "with", "at", "over", "about"})


@event_rule("experiencer")
def experiencer(ctx: SentenceContext, e: Event) -> Event:
    """The one who feels is the source, what made them feel it the target."""
    tok = e.token
    if e.lemma not in EXPERIENCER_VERBS or tok.pos_ not in ("VERB", "ADJ"):
        return e
    sx = ctx.syntax
    if tok.pos_ == "VERB" and not sx.is_passive(tok):
        # "Hungary's refusal angered Denmark": the subject caused it, the object feels it
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        e.sources, e.targets = sx.args(objects, 1, "direct"), e.sources
        return e
    e.sources = sx.args(_experiencer_heads(tok), 1, "direct")
    stimuli = [o for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ in _STIMULUS_PREPS
               for o in c.children if o.dep_ == "pobj"]
    e.targets = sx.args(stimuli, 2, "prep", pointers=True)
    return e


def _experiencer_heads(tok: Token) -> list[Token]:
    """The subject of "was angered" or of the copula of "was (deeply) disappointed"."""
    host = tok.head if tok.dep_ in ("acomp", "xcomp") and tok.head.i != tok.i else tok
    return [c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")]
