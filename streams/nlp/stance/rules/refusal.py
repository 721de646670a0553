"""Refusals: cooperation that fell through, that is refused, ruled out, or defied.

CAMEO codes a refusal as what was refused (12x, "refuse to ease the blockade":
1246), not as the cooperation negated away:

* ``failed_cooperation``: "failed to reach agreement" rejects it;
* ``refusal``: "would not call off their march", "will never give in" refuse to yield;
* ``ruled_out``: "removing the sanctions is out of the question";
* ``defiance``: a hostile act carried on "despite appeals" or "in defiance of" an
  order refuses to yield to it ("vowed to continue their sit-in despite an order to
  disperse": 1242).
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.words import ASKING_NOUNS

#: Controllers that say an act was sought and did not come about.
_FAILING = frozenset({"fail", "unable"})


@event_rule("failed_cooperation")
def failed_cooperation(ctx: SentenceContext, e: Event) -> Event:
    """"failed to reach agreement", "were unable to agree": cooperation that fell through is
    its rejection (12x), as the CAMEO examples code it, not cooperation negated away."""
    if not e.negated or e.root not in coding.COOPERATIVE_ROOTS or ctx.syntax.negated(e.token):
        return e
    t = e.token if e.token.pos_ == "VERB" else ctx.syntax.governor(e.token)
    while t is not None and t.dep_ in ("xcomp", "acomp") and t.head.i != t.i:
        t = t.head
        if (ctx.lemmas.lemma(t) if t.pos_ == "VERB" else t.lower_) in _FAILING:
            e.code, e.negated, e.composed = coding.reject(e.code), False, True
            break
    return e


#: Auxiliaries of a refusal when negated: "would not call off", "will never give in", "won't".
_REFUSING_AUX = frozenset({"will", "would", "wo", "'ll", "shall"})


def _stated_refusal(ctx: SentenceContext, tok: Token) -> bool:
    """"would not call off", "there would be *no* concessions", "would never allow X to ...":
    a "will"/"would" clause negated at the act, at its noun, or at the verb controlling it."""
    sx = ctx.syntax
    verb = tok if tok.pos_ == "VERB" else sx.governor(tok)
    negated_noun = tok.pos_ != "VERB" and sx.negated(tok)
    for _ in range(3):
        if verb is None:
            return False
        if (sx.negated(verb) or negated_noun) and sx.aux_lemmas(verb) & _REFUSING_AUX:
            return True
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


@event_rule("refusal")
def refusal(ctx: SentenceContext, e: Event) -> Event:
    """"would not call off their march", "will never give in to pressure": cooperation its
    actor says it will not give is refused (12x), as CAMEO codes a refusal to yield, not
    cooperation negated away.  Only a stated refusal counts: "did not meet" reports what
    did not happen."""
    if not e.negated or e.root not in coding.COOPERATIVE_ROOTS:
        return e
    if not _stated_refusal(ctx, e.token):
        return e
    e.code, e.negated, e.composed = coding.reject(e.code), False, True
    e.future = e.hypothetical = False
    return e


_BE = frozenset({"is", "are", "was", "were", "be", "been", "remains", "remained", "'s"})


def _rules_out(cop: Token) -> bool:
    """Whether the predicate of ``cop`` rules its subject out: "is out of the question", "is
    off the table", "is not an option"."""
    for c in cop.children:
        if c.lower_ == "out" and any(g.lower_ == "question" for o in c.children if o.lower_ == "of"
                                     for g in o.children):
            return True
        if c.lower_ == "off" and any(g.dep_ == "pobj" and g.lower_ == "table" for g in c.children):
            return True
        if c.dep_ == "attr" and c.lower_ == "option" and any(
                g.dep_ == "neg" or g.lower_ == "no" for g in (*cop.children, *c.children)):
            return True
    return False


@event_rule("ruled_out")
def ruled_out(ctx: SentenceContext, e: Event) -> Event:
    """"removing the sanctions is out of the question": an act ruled out is refused (12x) when
    cooperative, and did not happen when hostile ("a strike on Iran is off the table")."""
    tok = e.token
    if tok.dep_ not in ("csubj", "nsubj") or tok.head.lower_ not in _BE or not _rules_out(tok.head):
        return e
    if e.root in coding.COOPERATIVE_ROOTS:
        e.code, e.composed = coding.reject(e.code), True
    else:
        e.negated = True
    return e


#: What refusing to yield is, by the act carried on: a protest (1242), force (1246).
_DEFIED = {"14": "1242", "133": "1242", "15": "1246", "18": "1246", "19": "1246", "20": "1246",
           "138": "1246", "13": "124"}


def _in_spite(v: Token) -> bool:
    """Whether clause ``v`` itself goes on "despite" an appeal, an order or pressure, or "in
    defiance of" someone."""
    for c in v.children:
        if c.dep_ != "prep":
            continue
        objects = [g for g in c.children if g.dep_ == "pobj"]
        if c.lower_ == "despite" and any(g.lower_ in ASKING_NOUNS for g in objects):
            return True
        if c.lower_ == "in" and any(g.lower_ == "defiance" for g in objects):
            return True
    return False


#: Verbs of carrying an act on: defiance is going on with it, not a new attack.
_CARRYING_ON = frozenset({"continue", "press", "keep", "persist", "proceed", "push", "maintain",
                          "stay", "remain", "resume", "pursue"})


def _defies(ctx: SentenceContext, v: Token) -> bool:
    """Whether clause ``v``, a clause controlling it, or the clause it controls ("vowed *to
    press on* ... despite appeals") carries an act on in spite of an appeal.  An attack
    made "despite appeals for restraint" is still the attack."""
    chain = [v, *(c for c in v.children if c.dep_ == "xcomp")]
    t = v
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i and len(chain) < 6:
        t = t.head
        chain.append(t)
    # (or on the object of the act carried on: "pressed on with their *offensive* despite ...")
    held = [g for t in chain for c in t.children if c.dep_ in ("dobj", "prep")
            for g in ([c] if c.dep_ == "dobj" else c.children) if g.dep_ in ("dobj", "pobj")]
    return any(_carries_on(ctx, t) for t in chain) and any(_in_spite(t) for t in chain + held)


def _carries_on(ctx: SentenceContext, t: Token) -> bool:
    """"continue", "press on", "go ahead": not "carried out", which is the act itself."""
    lemma = ctx.lemmas.lemma(t) if t.pos_ == "VERB" else t.lower_
    if lemma in ("carry", "go"):
        return any(c.dep_ in ("prt", "advmod") and c.lower_ in ("on", "ahead") for c in t.children)
    return lemma in _CARRYING_ON


@event_rule("defiance")
def defiance(ctx: SentenceContext, e: Event) -> Event:
    """"vowed to press on with their offensive despite Western appeals for a ceasefire": force
    or protest carried on in spite of an appeal to stop refuses to yield (1246, 1242)."""
    code = _DEFIED.get(e.code[:3]) or _DEFIED.get(e.root)
    if code is None or e.negated or e.hypothetical:
        return e
    verb = e.token if e.token.pos_ == "VERB" else ctx.syntax.governor(e.token)
    if verb is None or not _defies(ctx, verb):
        return e
    e.code, e.composed, e.future = code, True, False
    return e
