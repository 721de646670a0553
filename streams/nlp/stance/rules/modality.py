"""Modality: negation, hypotheticals, obligation and future intent of each act.

``modality`` reads the trigger's clause and the chain of clauses that
control it ("must be ready *to mediate*": ready -> be): negators, modal
verbs, control verbs that negate ("refused"), announce intent ("plans") or
make the act hypothetical ("may"), and if-clauses.  ``intent`` then recodes
a stated future act as an expression of intent (03) or, for hostile acts,
a threat (13); ``conditional_threat`` first makes an act stated as depending on
another's conduct ("will cut aid *unless* X ...") such a future act, aimed at
that other.  ``background`` marks an act named in a time adjunct of
another ("*after talks with Brazil*, South Africa pledged ...") as the
setting of the news rather than the news.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.syntax import Arg
from streams.nlp.stance.words import (
    FUTURE_MODALS,
    HYPOTHETICAL_CONTROL,
    HYPOTHETICAL_MODALS,
    INTENT_CONTROL,
    MANDATIVE_WORDS,
    NEGATING_CONTROL,
    NO_CHOICE_NOUNS,
    OBLIGATION_CONTROL,
    OBLIGATION_MODALS,
)


@event_rule("modality")
def modality(ctx: SentenceContext, e: Event) -> Event:
    """Sets ``negated``, ``hypothetical``, ``future`` and ``obligation``."""
    sx = ctx.syntax
    tok = e.token
    verb = tok if tok.pos_ == "VERB" else sx.governor(tok)
    if sx.negated(tok):
        e.negated = True
    if verb is None:
        if any(c.lower_ in ("possible", "potential", "planned", "proposed", "threatened")
               for c in tok.children if c.dep_ == "amod"):
            e.hypothetical = True
        return e
    # "would host and mediate talks": a conjunct with no subject or auxiliary of its own
    # shares the first conjunct's modality
    while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i \
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        verb = verb.head
    chain = [verb]
    t = verb
    while (t.dep_ in ("xcomp", "acl", "acomp") or _moved_to(ctx, t)) and t.head.i != t.i \
            and len(chain) < 6:
        t = t.head  # "must be ready to mediate": ready -> be; "would move to lift": -> move
        chain.append(t)
    for k, v in enumerate(chain):
        if k > 0 and v.i in ctx.trigger_ids:
            break  # the trigger above composes with this one
        low = ctx.lemmas.lemma(v) if v.pos_ == "VERB" else v.lower_
        if k > 0:
            if low in NEGATING_CONTROL and chain[k - 1].lower_ not in _FASTING:
                e.negated = True
            elif low in INTENT_CONTROL:
                e.future = True
            elif low in HYPOTHETICAL_CONTROL:
                e.hypothetical = True
            elif low in OBLIGATION_CONTROL and obliges(v, chain[k - 1]):
                e.obligation = "must"  # "Y had to withdraw", "Y was obliged to cancel"
        if k > 0 and sx.negated(v):
            e.negated = True
        for c in v.children:
            if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD":
                m = c.lower_
                if m in FUTURE_MODALS:
                    e.future = True
                elif m in OBLIGATION_MODALS and not _inverted_if(v):
                    e.obligation = m  # ("*Should* X strike, ..." is a condition)
                elif m == "would" and (e.reported or e.in_quote):
                    # "announced it would prohibit all aid": a hostile measure made known is
                    # decided, not a threat (cooperation stated as future stays an intention,
                    # as PLOVER reads all future cooperation)
                    e.future = not (_announced(ctx, v) and e.root in coding.HOSTILE_ROOTS)
                elif m in HYPOTHETICAL_MODALS:
                    e.hypothetical = True
            if c.lower_ == "going" and c.dep_ == "aux":
                e.future = True
        if v.dep_ == "xcomp" and v.head.lower_ == "going":
            e.future = True
        if v.pos_ == "ADJ" and v.lower_ in INTENT_CONTROL:
            e.future = True
    if no_choice_but(ctx, verb) or mandative(ctx, verb):
        e.obligation = "must"
    if sx.in_conditional(verb):
        e.hypothetical = True
    return e


def _moved_to(ctx: SentenceContext, v: Token) -> bool:
    """"would move (quickly) *to lift* the embargo": the act that moving to do is, parsed as a
    purpose clause of "move"."""
    return v.dep_ == "advcl" and v.head.pos_ == "VERB" and ctx.lemmas.lemma(v.head) == "move" \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def obliges(control: Token, v: Token) -> bool:
    """Whether ``control`` puts its subject under the obligation to do ``v``.

    "had *to withdraw*", "was obliged (required) *to cancel*": the "to" infinitive of a
    "have" or of a passive or adjective of obliging ("the law requires Y to ..." names no
    obliged subject of its own, so only the passive counts).
    """
    if v.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return False
    if control.lower_ == "bound":  # "duty-bound to", not "bound to fail"
        return any(c.lower_ == "duty" for c in control.children)
    return control.lower_ in ("have", "has", "had", "having") or control.pos_ == "ADJ" or \
        any(c.dep_ == "auxpass" for c in control.children)


def mandative(ctx: SentenceContext, v: Token) -> bool:
    """"was adamant that South Africa *bear* the cost", "stipulated that the UN *mediate*": a
    "that" clause in the bare form, with its own subject, under a word of insisting."""
    if v.dep_ != "ccomp" or v.tag_ not in ("VB", "VBP") or v.head.i == v.i or \
            ctx.lemmas.lemma(v) != v.lower_ or not any(c.dep_ == "nsubj" for c in v.children):
        return False
    head = v.head
    words = {ctx.lemmas.lemma(head)} | {c.lower_ for c in head.children if c.dep_ == "acomp"}
    return bool(words & MANDATIVE_WORDS)


def no_choice_but(ctx: SentenceContext, v: Token) -> bool:
    """"Y had no option but to lift the embargo": the act Y is left no choice about."""
    return left_no_choice(ctx, v) is not None


def left_no_choice(ctx: SentenceContext, v: Token) -> Token | None:
    """The "had" of "Y had no option (choice) but to *v*", the "but" hung on the verb or on
    its noun, if ``v`` is that act."""
    but = v.head
    if v.dep_ != "pcomp" or but.lower_ != "but" or but.head.i == but.i:
        return None
    have, nouns = but.head, [c for c in but.head.children if c.dep_ == "dobj"]
    if have.lower_ in NO_CHOICE_NOUNS and have.dep_ == "dobj":  # "had no choice *but* to ..."
        have, nouns = have.head, [have]
    chosen = ctx.lemmas.lemma(have) == "have" and any(
        n.lower_ in NO_CHOICE_NOUNS and any(d.lower_ == "no" for d in n.children) for n in nouns)
    return have if chosen else None


#: "stopped *eating* to demand ...": a hunger strike for the demand, which stopping does not negate.
_FASTING = frozenset({"eating", "eat"})
#: Verbs that make a decision known: what they report "would" happen is decided.
_DECISION_VERBS = frozenset({"announce", "decide"})


def _announced(ctx: SentenceContext, v: Token) -> bool:
    """Whether clause ``v`` is what a decision verb made known ("announced it would ...")."""
    return v.dep_ == "ccomp" and v.head.pos_ == "VERB" and \
        ctx.lemmas.lemma(v.head) in _DECISION_VERBS


#: Modal auxiliaries under which an act made conditional on another's conduct is a threat.
_CONDITIONAL_MODALS = FUTURE_MODALS | {"may", "might", "could", "would", "can"}


@event_rule("conditional_threat")
def conditional_threat(ctx: SentenceContext, e: Event) -> Event:
    """"X will (may) end its mission *unless* Y ...": an act made to depend on another's conduct.

    It is a future act (``intent`` then codes a hostile one as a threat, 13x), not a
    hypothetical one, and the subject of the condition, when it is an actor, is whom
    it is aimed at.  "If Y does not ..." is the same condition.
    """
    verb = e.token if e.token.pos_ == "VERB" else ctx.syntax.governor(e.token)
    if verb is None or e.negated or ctx.syntax.negated(verb) or \
            e.root in ("01", "02", "03", "10", "12", "13"):
        return e
    if not any(c.dep_ == "aux" and c.lower_ in _CONDITIONAL_MODALS for c in verb.children):
        return e
    sources = {a.mention.char_span for a in e.sources}

    def conduct(c: Token) -> list[Arg]:
        """Who the condition ``c`` is on, other than the act's own source."""
        subjects = [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
        return [a for a in ctx.syntax.args(subjects, 2, "direct")
                if a.mention.char_span not in sources]

    # "unless Y ...", "if Y does not ...", and "if Y keeps striking": an act made to depend
    # on what another actor does (a condition on no actor, "if talks fail", stays hypothetical)
    conditions = []
    for c in verb.children:
        marks = {m.lower_ for m in c.children if m.dep_ == "mark"} | _inverted_if(c)
        if c.dep_ != "advcl" or not marks & {"unless", "if"} or not (
                # a finite clause ("if Y attacks", "if Y does not comply"), not a misparsed
                # name ("if ..., Hans Van *den* Broek said")
                c.tag_ in ("VBZ", "VBD", "VBP", "VBG", "VBN")
                or any(g.dep_ in ("aux", "auxpass") for g in c.children)):
            continue
        aimed = conduct(c)
        if "unless" in marks or ctx.syntax.negated(c) or aimed or _named_subject(c):
            conditions.append(aimed)
    if not conditions:
        return e
    e.future, e.hypothetical = True, False
    aimed = conditions[0]
    if aimed:
        e.targets = aimed + [
            a for a in e.targets if a.mention.char_span not in {b.mention.char_span for b in aimed}]
    return e


def _inverted_if(c: Token) -> set[str]:
    """{"if"} for a condition stated by inversion: "*Should* American forces strike ...",
    "*Were* Taiwan to declare independence ..."."""
    subjects = [g.i for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
    return {"if"} if subjects and any(
        g.dep_ == "aux" and g.lower_ in ("should", "were", "had") and g.i < min(subjects)
        for g in c.children) else set()


def _named_subject(c: Token) -> bool:
    """Whether condition ``c`` is on what a named body does ("if the French Senate approved
    the bill"), though no actor was resolved in it; "if talks fail" names no one."""
    return any(g.dep_ in ("nsubj", "nsubjpass") and (g.pos_ == "PROPN" or g.ent_type_ in (
        "ORG", "GPE", "NORP", "PERSON")) for g in c.children)


@event_rule("intent")
def intent(ctx: SentenceContext, e: Event) -> Event:
    """A stated future act is an expression of intent (03) or a threat (13)."""
    # a composed act of ending ("would call off the protests": 082) is still stated as future
    if not e.future or e.negated or e.root in ("01", "02", "03", "10", "12", "13") or \
            (e.composed and e.root not in ("08", "16")):
        return e
    if e.root in ("09", "11"):
        e.hypothetical = True
        return e
    e.code = coding.intent(e.code)
    e.composed = True
    return e


#: Prepositions of time adjuncts whose object is the setting of the main act.
_BACKGROUND_PREPS = frozenset({"after", "before", "during", "following", "since", "amid", "ahead",
                               "despite"})
#: Nouns of a standing quarrel: an act done "in" one is done within it, not the quarrel itself.
_STANDING_CONFLICTS = frozenset({"dispute", "disputes", "row", "standoff", "stand-off", "feud",
                                 "spat", "quarrel", "conflict", "war", "confrontation"})
#: How much an act in such an adjunct counts against the act it sets the scene for.
BACKGROUND_FACTOR = 0.7


@event_rule("background")
def background(ctx: SentenceContext, e: Event) -> Event:
    """"After talks with X, Y pledged ...": the talks are the setting, the pledge the news.

    So is a relative clause on the subject ("Iran, which detained the sailors, said
    it would free them").
    """
    t = e.token
    if t.dep_ == "relcl" and t.head.dep_ in ("nsubj", "nsubjpass") and t.head.head.pos_ == "VERB":
        # "Iran, which detained 15 sailors last month, said it would free them"
        e.factors["background"] = BACKGROUND_FACTOR
        return e
    if t.dep_ == "acl" and t.tag_ == "VBN" and t.head.dep_ in ("dobj", "nsubjpass") and \
            t.head.head.i in ctx.trigger_ids:
        # "shortened the nightly curfew *imposed* in Sudan": the act named the thing acted on
        e.factors["background"] = BACKGROUND_FACTOR
        return e
    for _ in range(3):
        if t.dep_ in ("pobj", "pcomp"):
            prep = t.head
            if prep.lower_ == "of" and prep.head.lower_ == "ahead":  # "ahead of talks"
                prep = prep.head
            setting = prep.lower_ in _BACKGROUND_PREPS or (
                # "backed down *in its dispute with* the EU": the quarrel is where it happens
                prep.lower_ == "in" and t.lower_ in _STANDING_CONFLICTS)
            if setting and prep.head.pos_ in ("VERB", "AUX") and prep.head.i != e.token.i:
                e.factors["background"] = BACKGROUND_FACTOR
            return e
        if t.dep_ not in ("compound", "amod", "conj", "appos") or t.head is t:
            return e
        t = t.head
    return e
