"""Protest as a means: a protest staged to make someone act is a protest against them.

"Medha Patkar began an indefinite fast *to make* the state government halt the dams",
"students fasted for five days *to push* President Eyadema *into* convening a conference",
"activists cordoned off the secretariat *in a push to make* King Gyanendra restore
parliament": CAMEO codes the protest (142 hunger strike, 144 obstruction, 145 riot ...)
aimed at whoever is to be made to act, not the act they are to be made to do (the dams
halted, the conference convened).  ``protest_demands`` reads a stated demand ("rallied,
*demanding* ..."); this rule reads a causative purpose.

* ``protest_means``: a protest staged to make (get, push, force, press, persuade) someone
  act is that protest, by its stagers, aimed at the one made to act; the act they were to
  be made to do, and the protest's own uncoded reading, give way to it.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import LexEntry, Pattern
from streams.nlp.stance.rules.base import sentence_rule
from streams.nlp.stance.rules.crowds import PRESSING, protest_kind, state_or_armed
from streams.nlp.stance.syntax import Arg

#: Verbs of making someone act: "to *make* X halt", "to *get* X to end", "to *push* X into".
_CAUSATIVES = PRESSING | {"make", "get", "persuade", "convince", "coerce"}
#: Nouns of an attempt that hold a purpose: "in a *push* (*bid*, *drive*) to make X ...".
_ATTEMPTS = frozenset({"push", "bid", "drive", "effort", "attempt", "campaign"})


def _made(ctx: SentenceContext, causative: Token) -> list[Arg]:
    """Who ``causative`` makes act: its object ("push *Eyadema* into"), or the subject of
    the clause it governs ("make *the government* halt", "get *X's government* to end")."""
    heads = [c for c in causative.children if c.dep_ == "dobj"]
    heads += [g for c in causative.children if c.dep_ in ("ccomp", "xcomp")
              for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
    return ctx.syntax.args(heads, 2, "direct")


def _protest_of(ctx: SentenceContext, purpose: Token) -> tuple[Token, str] | None:
    """The protest a purpose clause serves: its verb ("*fasted* ... to push") or the verb
    holding the attempt ("*cordoned off* ..., in a push to make"), with its base code."""
    t = purpose
    if t.dep_ in ("acl", "relcl") and t.head.lower_ in _ATTEMPTS:  # "in a push to make"
        t = t.head
        if t.dep_ != "pobj" or t.head.dep_ != "prep":
            return None
        t = t.head
    if t.dep_ not in ("advcl", "prep", "xcomp") or t.head.i == t.i:
        return None
    host = t.head
    kind = protest_kind(ctx, host)
    return (host, kind) if kind is not None and host.pos_ == "VERB" else None


@sentence_rule("protest_means")
def protest_means(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """A protest staged to make someone act is that protest, aimed at them."""
    sx = ctx.syntax
    out = list(events)
    for t in ctx.sent:
        if t.pos_ != "VERB" or ctx.lemmas.lemma(t) not in _CAUSATIVES or sx.negated(t):
            continue
        found = _protest_of(ctx, t)
        made = _made(ctx, t) if found is not None else []
        if found is None or not made:
            continue
        host, kind = found
        heads, path, passive = sx.subject_heads(host)
        stagers = [] if passive else sx.args(heads, path, "direct")
        made = [a for a in made if a.mention not in {s.mention for s in stagers}]
        if not stagers or not made or (state_or_armed(heads) and kind not in ("141", "142")):
            continue  # a state's or an army's blockade is no protest (a rally or a fast is)
        # what the stagers were to make the target do is not the news: the protest is
        purpose = {x.i for x in t.subtree}
        out = [e for e in out if e.token.i not in purpose and e.token.i != host.i
               and not (e.token.head.i == host.i and e.token.pos_ == "NOUN")]
        entry = LexEntry(ctx.lemmas.lemma(host), "V", Pattern(), kind, 0.7)
        out.append(Event(host, entry, kind, 0.7, entry.lemma, sources=stagers, targets=made,
                         composed=True, span=(host.i, host.i + 1)))
    return out
