"""Verbal conflict: which complaint, accusation or denial a word codes.

* ``protest``: a government "protesting" complains (114); crowds demonstrate (141);
* ``accusation``: "accused X of espionage" -- the charge picks the sub-code of 112;
* ``denial``: "denied that its army crossed" denies a claim (016), it rejects nothing;
* ``instruction``: telling an actor *to* act demands (100), telling it what one *will*
  do (or is ready to do) commits (030), unless the addressee yields first, which
  threatens (130); composition then codes the act told of inside either.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.words import INTENT_CONTROL

#: Nouns of crowds: "protesters protested" is a demonstration, "Russia protested" a complaint.
_CROWD_NOUNS = frozenset({
    "protester", "protesters", "protestors", "demonstrators", "youths", "students", "workers",
    "people", "thousands", "hundreds", "supporters", "activists", "residents", "crowds",
    "crowd", "villagers", "farmers", "opponents", "refugees", "teachers", "doctors",
    "women", "men", "citizens", "locals", "fans", "union", "unions",
})


@event_rule("protest")
def protest(ctx: SentenceContext, e: Event) -> Event:
    """A government "protesting" complains (114); crowds demonstrate (141)."""
    if e.code != "141" or e.token.pos_ != "VERB" or not e.sources or e.composed:
        return e  # composed: a rally's demand, already read as the rally's (protest_demands)
    heads, _, _ = ctx.syntax.subject_heads(e.token)
    if heads and not any(h.lower_ in _CROWD_NOUNS or _is_people(ctx, h) for h in heads):
        e.code = "114"
    return e


def _is_people(ctx: SentenceContext, h: Token) -> bool:
    """A people named by its plural ("Palestinians", "Kurds") is a crowd, not a government."""
    m = ctx.index.at(h)
    return m is not None and m.entity.label == "NORP" and h.tag_ in ("NNS", "NNPS")


@event_rule("accusation")
def accusation(ctx: SentenceContext, e: Event) -> Event:
    """"accused X of espionage" is 1125: the charge picks the sub-code."""
    if e.code != "112" or e.composed:
        return e
    words = frozenset(t.lower_ for c in e.token.children
                      if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")
                      for t in c.subtree)
    if words:
        e.code = coding.accuse(e.code, words)
    return e


@event_rule("denial")
def denial(ctx: SentenceContext, e: Event) -> Event:
    """"denied that its army crossed": denying a claim is 016, not rejecting."""
    if e.lemma == "deny" and e.code == "120" and any(
            c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and c.tag_ == "VBG")
            for c in e.token.children):
        e.code = "016"
    return e


#: Verbs of leaving: ordering someone to leave the country expels them (166).
_LEAVE_FORMS = frozenset({"leave", "depart", "quit", "exit"})


@event_rule("instruction")
def instruction(ctx: SentenceContext, e: Event) -> Event:
    """"told Japan to abandon whaling" is a demand (100); "told ECOWAS it would step aside" intent (030).

    Ordering or telling someone to leave expels them (166).  Pressing someone *to* act
    ("pressured the workers to cancel the strike") demands it: pressure with an aim is a
    demand (100), composed with what it asks; pressure alone coerces (170).
    """
    if e.lemma == "pressure" and e.token.pos_ == "VERB" and not e.negated and any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in e.token.children):
        e.code = "100"
        return e
    if e.lemma not in ("tell", "instruct", "order") or e.negated:
        return e
    told = any(a.kind == "direct" for a in e.targets) or (
        e.passive and any(c.dep_ == "nsubjpass" for c in e.token.children))  # "X was told by Y"
    if not told:
        return e
    if any(c.dep_ == "xcomp" and (c.lower_ in _LEAVE_FORMS or any(  # "to close its offices and leave"
            g.dep_ == "conj" and g.lower_ in _LEAVE_FORMS for g in c.children))
           for c in e.token.children) or \
            any(c.lower_ == "out" and c.dep_ in ("prt", "advmod", "prep") for c in e.token.children):
        e.code = "166"  # "ordered the UN to leave", "ordered a British diplomat out"
        return e
    if e.code != "010":
        return e
    for c in e.token.children:
        aux = {g.lower_ for g in c.children if g.dep_ in ("aux", "auxpass")}
        if c.dep_ == "xcomp" and "to" in aux and not ctx.syntax.negated(c):
            e.code = "100"
            return e
        ready = any(g.dep_ == "acomp" and g.lower_ in INTENT_CONTROL for g in c.children)
        if c.dep_ == "ccomp" and (aux & {"will", "would", "'ll", "shall"} or ready) and \
                not ctx.syntax.negated(c):
            # "told Kyiv he would ...", "told Kyiv he was ready to ..."; what one will do
            # *unless* the addressee yields is an ultimatum (130)
            unless = any(m.dep_ == "mark" and m.lower_ == "unless" for g in c.subtree
                         for m in g.children)
            e.code = "130" if unless else "030"
            return e
        if c.dep_ == "ccomp" and aux & {"must", "should"}:  # "was told by X that it must ..."
            e.code = "100"
            return e
        if c.dep_ in ("ccomp", "parataxis") and _imperative(c):
            e.code = "100"  # "'Stop the attacks,' the minister told Russia": an order
            return e
    return e


def _imperative(v: Token) -> bool:
    """A bare verb with no subject, auxiliary or complementiser: "*Leave* our territory"."""
    return v.tag_ == "VB" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark", "expl") for c in v.children)
