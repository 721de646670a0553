"""Obligation: "X said Y must ..." is X demanding (must) or appealing (should) of Y.

* ``obligation``: an act under "must"/"should" (found by ``modality``)
  becomes a demand (10) or appeal (02) by the one imposing it -- the
  speaker, or else the actor of the nearest governing clause ("issued a
  reminder that it must ...") -- of the act's own sources;
* ``wish``: "X wants Y to act" asks Y to (an appeal, 02x) from X;
* ``bare_obligation``: the same when the obliged act has no event word at
  all ("X declared that Y must drop barriers"); added only for addressees
  no other event already covers.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import LexEntry, Pattern
from streams.nlp.stance.rules.base import event_rule, sentence_rule
from streams.nlp.stance.rules.modality import left_no_choice, mandative, no_choice_but, obliges
from streams.nlp.stance.syntax import Arg, in_ranges
from streams.nlp.stance.words import OBLIGATION_CONTROL, OBLIGATION_MODALS, SPEECH_VERBS


@event_rule("obligation")
def obligation(ctx: SentenceContext, e: Event) -> Event:
    """"X said Y must withdraw": X demands (must) or appeals (should) of Y.

    The one imposing the obligation is the speaker, or else the actor of
    the nearest governing clause ("issued a reminder that it must ...").
    """
    if e.obligation is None or e.negated or e.token.pos_ != "VERB":
        return e
    demander = e.speaker_args if e.reported else []
    if not demander:
        demander = governing_actor(ctx, e.token)
    if not demander:
        return e
    demander_ids = {id(a.mention) for a in demander}
    addressees = [a for a in e.sources if id(a.mention) not in demander_ids]
    subjects = ctx.syntax.subject_heads(e.token)[0]
    if not e.sources or (subjects and all(h.lower_ in ("it", "they", "he", "she") for h in subjects)):
        # "told Zagreb (that) it had to hand over ...": the one told is the one obliged
        addressees = [a for a in told(ctx, e.token) + _left_no_choice_subject(ctx, e.token)
                      if id(a.mention) not in demander_ids] or addressees
    if not addressees and e.sources:
        return e  # "we must ...": a resolution, not a demand
    code = coding.demand(e.code) if e.obligation == "must" else coding.appeal(e.code)
    return replace(e, code=code, sources=list(demander), targets=addressees,
                   composed=True, obligation=None, factors=dict(e.factors))


#: Verbs of wanting another to act: "rebels *want* South Africa to act as mediator".
_WANTING = frozenset({"want", "wish"})


@event_rule("wish")
def wish(ctx: SentenceContext, e: Event) -> Event:
    """"Iran wants Washington to lift its sanctions": wanting another to act asks it to (02x),
    from the one who wants it."""
    sx = ctx.syntax
    tok = e.token if e.token.pos_ == "VERB" else sx.governor(e.token)  # "act *as mediator*"
    if tok is None:
        return e
    want = tok.head
    if tok.pos_ != "VERB" or tok.dep_ not in ("ccomp", "xcomp") or want.i == tok.i or \
            want.pos_ != "VERB" or ctx.lemmas.lemma(want) not in _WANTING or \
            e.negated or sx.negated(want) or e.root in ("01", "02", "10"):
        return e
    asked = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    heads, path, passive = sx.subject_heads(want)
    wanters = [] if passive else sx.args(heads, path, "direct")
    wanter_ids = {id(a.mention) for a in wanters}
    addressees = [a for a in sx.args(asked, 1, "direct") if id(a.mention) not in wanter_ids]
    if not wanters or not addressees:
        return e
    return replace(e, code=coding.appeal(e.code), sources=wanters, targets=addressees,
                   composed=True, future=False, hypothetical=False, factors=dict(e.factors))


def told(ctx: SentenceContext, tok: Token) -> list[Arg]:
    """The addressee of the speech verb whose clause holds ``tok`` ("*told Zagreb* it had to")."""
    t = tok
    for _ in range(4):
        if t.head.i == t.i:
            return []
        t = t.head
        if t.pos_ == "VERB" and ctx.lemmas.lemma(t) in SPEECH_VERBS:
            objects = [c for c in t.children if c.dep_ in ("dobj", "dative")]
            return ctx.syntax.args(objects, 1, "direct")
    return []


def _left_no_choice_subject(ctx: SentenceContext, tok: Token) -> list[Arg]:
    """Who "had no choice but to" do ``tok``: the subject of that "had"."""
    have = left_no_choice(ctx, tok)
    if have is None:
        return []
    heads, path, passive = ctx.syntax.subject_heads(have)
    return [] if passive else ctx.syntax.args(heads, path, "direct")


def governing_actor(ctx: SentenceContext, tok: Token) -> list[Arg]:
    """Actor mentions of the subject of the nearest clause above ``tok``'s own."""
    sx = ctx.syntax
    own = {id(a.mention) for a in sx.args(sx.subject_heads(tok)[0], 1, "direct")}
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            return []
        t = t.head
        if t.pos_ not in ("VERB", "AUX"):
            continue
        heads, path, passive = sx.subject_heads(t)
        if passive:
            continue
        found = [a for a in sx.args(heads, path, "direct") if id(a.mention) not in own]
        if found:
            return found
    return []


@sentence_rule("bare_obligation")
def bare_obligation(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """Adds obligations stated without an event word, for targets not yet covered."""
    covered = {t.i for e in events if not e.is_speech for t in e.token.subtree}
    return events + [e for e in bare_obligations(ctx)
                     if not any(a.mention.head in covered for a in e.targets)]


def _obliged(ctx: SentenceContext, t: Token) -> str | None:
    """"must" when clause ``t`` obliges its subject: "Y had to ...", "Y was obliged to ..."."""
    for c in (t, *(a for a in t.children if a.dep_ == "acomp")):  # "was *duty-bound* to"
        low = ctx.lemmas.lemma(c) if c.pos_ == "VERB" else c.lower_
        if low in OBLIGATION_CONTROL and any(obliges(c, x) for x in c.children):
            return "must"
    return "must" if any(no_choice_but(ctx, c) for b in t.children if b.lower_ == "but"
                         for c in b.children) else None


def bare_obligations(ctx: SentenceContext) -> list[Event]:
    """"X declared that Y must drop barriers": a demand (100), "should" an appeal (020)."""
    sx = ctx.syntax
    out: list[Event] = []
    for t in ctx.sent:
        if t.pos_ not in ("VERB", "AUX") or t.dep_ != "ccomp":
            continue
        modal = next((c.lower_ for c in t.children if c.dep_ == "aux" and c.tag_ == "MD"
                      and c.lower_ in OBLIGATION_MODALS), None) or _obliged(ctx, t)
        head = t.head
        if mandative(ctx, t):
            modal = "must"
        elif modal is None or ctx.lemmas.lemma(head) not in SPEECH_VERBS:
            continue
        if sx.negated(t):
            continue
        speaker_heads, path, passive = sx.subject_heads(head)
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        speakers = sx.args(speaker_heads, path, "direct")
        addressees = [a for a in sx.args(subj, 2, "clause")
                      if id(a.mention) not in {id(x.mention) for x in speakers}]
        if passive or not speakers or not addressees:
            continue
        code = "100" if modal == "must" else "020"
        entry = LexEntry(ctx.lemmas.lemma(head), "V", Pattern(), code, 0.6)
        e = Event(head, entry, code, 0.6, entry.lemma, sources=speakers,
                  targets=addressees, composed=True, span=(head.i, head.i + 1))
        e.in_quote = in_ranges(t.i, ctx.quotes)
        out.append(e)
    return out
