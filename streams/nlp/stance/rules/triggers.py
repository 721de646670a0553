"""Triggers: the tokens whose form and pattern match a row of the lexicon.

``lexicon.tsv`` rows name a word form and, optionally, a pattern around it:
a particle ("call *off*"), a preposition ("arrive *in*"), object words
("halt *aid*"), modifiers ("*hunger* strike"), a governing light verb
("*lodge* a protest") or a content clause ("allowed *that* ...").  Each
token gets the first row that matches; that row gives the event its code,
weight and lemma.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import LexEntry, hyphenated
from streams.nlp.stance.rules.base import sentence_rule
from streams.nlp.stance.words import COLLECTIVE_NOUNS, MEASURE_NOUNS, PEOPLE_NOUNS

#: Particles a parser may take for prepositions ("closed *down* the paper").
_PARTICLES = frozenset({"down", "off", "up", "out"})

#: Month names that are also event words ("March", "May"): as dates they are no event.
MONTHS = frozenset({"March", "May"})


@sentence_rule("lexicon_triggers")
def lexicon_triggers(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """One event per token with a matching lexicon row; records ``ctx.trigger_ids``."""
    found = list(events)
    for tok in ctx.sent:
        if tok.text in MONTHS and (tok.pos_ == "PROPN" or tok.ent_type_ == "DATE"):
            continue  # "in March 1988" names a month, not a protest march
        for entry in ctx.lexicon.candidates(tok):
            if matches(ctx, entry, tok):
                found.append(Event(tok, entry, entry.code, entry.weight, entry.lemma,
                                   span=(tok.i, tok.i + 1)))
                break
    ids = {e.token.i for e in found}
    # one event per phrase: a trigger compounded into another ("*war* games") is the head's
    found = [e for e in found if not (e.token.dep_ == "compound" and e.token.head.i in ids
                                      and e.token.head.i != e.token.i)]
    # a trigger that names the trade of some people is no act: "*aid* workers", "the *aid*
    # group said", "*protest* leaders"
    found = [e for e in found if not (e.token.dep_ == "compound" and e.token.pos_ == "NOUN"
                                      and e.token.head.lower_ in PEOPLE_NOUNS)]
    ctx.trigger_ids = {e.token.i for e in found}
    return found


def matches(ctx: SentenceContext, entry: LexEntry, tok: Token) -> bool:
    """Whether the pattern of ``entry`` holds around ``tok``."""
    p = entry.pattern
    if p.prt is not None and not any(
            # ("*set* them *free*": a predicate of the object, parsed as one)
            # ("said *no* to": an interjection)
            c.dep_ in ("prt", "advmod", "prep", "oprd", "acomp", "intj") and c.lower_ in p.prt
            for c in tok.children) and not _particle_after(tok, p.prt):
        return False
    if p.prep is not None and not any(
            # "agent" is spaCy's label of the passive by-phrase
            c.dep_ in ("prep", "dative", "agent") and c.lower_ in p.prep
            for h in prep_hosts(ctx, tok) for c in h.children) and not (
            # "pushed *for* the US to back the plan": the preposition parsed as the marker
            # of the clause it introduces
            "for" in p.prep and any(g.dep_ == "mark" and g.lower_ == "for" for c in tok.children
                                    if c.dep_ == "advcl" for g in c.children)):
        return False
    if p.obj is not None and not (object_words(ctx, tok) & p.obj):
        return False
    if p.mod is not None and not any(
            c.dep_ in ("compound", "amod", "nmod") and (c.lower_ in p.mod or hyphenated(c) in p.mod)
            for c in tok.children):
        return False
    if p.clause is not None and not any(
            # (a noun's content clause is its "acl": "the charge *that Iran had* ...")
            c.dep_ in ("ccomp", "acl") and any(g.dep_ == "mark" and g.lower_ in p.clause
                                      for g in c.children) for c in tok.children):
        return False
    if p.lv is not None:
        gov = ctx.syntax.governor(tok)
        if gov is None or ctx.lemmas.lemma(gov) not in p.lv:
            return False
    return True


def _particle_after(tok: Token, particles: frozenset[str]) -> bool:
    """"hand *over* 60 soldiers": a particle tagged as one, right after the verb, whatever
    the parser hung it on (here the number, as "more than")."""
    nxt = tok.i + 1
    return nxt < len(tok.doc) and tok.doc[nxt].lower_ in particles and (
        tok.doc[nxt].tag_ == "RP" or tok.doc[nxt].dep_ == "amod")  # ("set *free* two priests")


def prep_hosts(ctx: SentenceContext, tok: Token) -> list[Token]:
    """Where a pattern's preposition may hang: the trigger (or its particle), its object, its light verb.

    A prepositional phrase attaches to the verb or to its object noun
    indifferently in news English and in the parse ("adopted a resolution
    *with* X", "took action *against* X", "signed a set of deals *with* X"),
    so a ``prep=`` pattern holds on any of them.
    """
    hosts = [tok]
    if tok.pos_ == "VERB":
        # "pushed back *against* X": the preposition hung on the particle or adverb
        hosts += [c for c in tok.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.pos_ == "ADV")]
        for h in ctx.syntax.object_heads(tok, ctx.syntax.is_passive(tok)):
            hosts.append(h)
            if h.lower_ in MEASURE_NOUNS:  # "a set *of* resolutions with X"
                hosts += [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"]
    else:
        gov = ctx.syntax.governor(tok)
        if gov is not None:
            hosts.append(gov)
    return hosts


def object_words(ctx: SentenceContext, v: Token) -> set[str]:
    """Head and modifier words of the object (of a noun: its ``of`` or ``on`` phrase)."""
    words: set[str] = set()
    if v.pos_ != "VERB":
        # ("the *ban on* the Muslim Brotherhood", "restrictions on rallies")
        heads = [g for c in v.children if c.dep_ == "prep" and c.lower_ in ("of", "on")
                 for g in c.children if g.dep_ == "pobj"]
    else:
        heads = ctx.syntax.object_heads(v, ctx.syntax.is_passive(v))
        # "provided Gondor *with aid*", "supplied X *with weapons*": the thing given
        heads += [g for c in v.children if c.dep_ == "prep" and c.lower_ == "with"
                  for g in c.children if g.dep_ == "pobj"]
        # "gave Saddam Hussein *48 hours* to leave": a counted span after a double object
        # parses as an adverbial of the verb
        heads += [c for c in v.children if c.dep_ == "npadvmod"
                  and any(g.dep_ == "nummod" for g in c.children)]
        # "closed down the newspaper": a particle right after the verb parsed as a preposition
        heads += [g for c in v.children if c.i == v.i + 1 and (
                      (c.dep_ == "prep" and c.lower_ in _PARTICLES) or c.dep_ == "prt")
                  for g in c.children if g.dep_ == "pobj"]  # ("handed *in* their weapons")
    for h in heads:
        words.add(hyphenated(h) or h.lower_)  # "violated the cease-fire"
        # "sent fuel, *funds* and equipment": each of coordinated objects is one
        heads += [c for c in h.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        if h.lower_ in COLLECTIVE_NOUNS:  # "admitted *a team of* OAS observers": its members
            heads += [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"]
        for c in h.children:
            if c.dep_ in ("compound", "amod", "nmod"):
                words.add(c.lower_)
            elif c.dep_ == "prep" and c.lower_ == "of":
                words.update(g.lower_ for g in c.children if g.dep_ == "pobj")
    return words
