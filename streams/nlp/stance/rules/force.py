"""Force: which kind of violence (or none) a violent word codes.

* ``labour_strike``: a "strike" nobody aims at anyone is a labour strike (143);
* ``peacekeeping``: peacekeepers arriving or deployed provide peacekeeping (074);
* ``military_force``: generic violence ("attacked", "killed") by the armed
  forces of a state is conventional military force (190), by militants,
  gunmen or mobs it stays unconventional violence (18), and a politician
  "attacking" a rival attacks in words (111);
* ``joint_exercise``: exercises held by forces of different states are joint (062).
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule

#: Heads of source phrases that make generic violence conventional military force.
_MILITARY_NOUNS = frozenset({
    "forces", "force", "troops", "troop", "army", "armies", "soldiers", "soldier", "military",
    "navy", "jets", "warplanes", "aircraft", "artillery", "tanks", "marines", "paratroopers",
    "units", "battalion", "battalions", "warships", "drones", "missiles", "airforce",
})
#: ... and those that keep it unconventional (CAMEO 18).
_IRREGULAR_FORCES = frozenset({
    "militants", "gunmen", "rebels", "guerrillas", "guerillas", "insurgents", "terrorists",
    "militiamen", "militia", "militias", "extremists", "bombers", "attackers", "jihadists",
    "mob", "mobs", "assailants", "kidnappers", "separatists", "fighters", "settlers",
})
_LABOUR_VERBS = frozenset({"stage", "hold", "call", "begin", "end", "go", "organize", "organise",
                           "continue", "announce", "launch"})


@event_rule("labour_strike")
def labour_strike(ctx: SentenceContext, e: Event) -> Event:
    """A "strike" that nobody aims at anyone is a labour strike (143)."""
    if e.lemma != "strike" or e.token.pos_ not in ("NOUN", "PROPN") or e.code != "190":
        return e
    aimed = any(p in ("on", "against", "at") for p, _ in ctx.syntax.prep_objects(e.token))
    gov = ctx.syntax.governor(e.token)
    mods = {c.lower_ for c in e.token.children if c.dep_ in ("amod", "compound", "nummod")}
    # nobody "goes on strike" with weapons, even "against the government"
    gone_on = gov is not None and ctx.lemmas.lemma(gov) == "go"
    if gone_on or (not aimed and (mods & {"day", "week", "national", "nationwide", "indefinite", "-"}
                                  or (gov is not None and ctx.lemmas.lemma(gov) in _LABOUR_VERBS))):
        e.code = "143"
    return e


@event_rule("peacekeeping")
def peacekeeping(ctx: SentenceContext, e: Event) -> Event:
    """Peacekeepers arriving or deployed somewhere: provide peacekeeping (074)."""
    if e.root not in ("04", "15") or e.token.pos_ != "VERB":
        return e
    heads, _, _ = ctx.syntax.subject_heads(e.token)
    words = {t.lower_ for h in heads for t in h.subtree}
    if words & {"peacekeepers", "peacekeeping", "peace-keeping", "peacekeeper"}:
        e.code = "074"
    return e


@event_rule("military_force")
def military_force(ctx: SentenceContext, e: Event) -> Event:
    """Generic violence ("attacked", "killed") by armed forces of a state is 190.

    CAMEO keeps conventional military force (19) apart from the
    unconventional violence of militants, gunmen and mobs (18).
    """
    if e.code != "18" or not e.sources:
        return e
    heads: list[Token]
    if e.token.pos_ == "VERB":
        heads, _, _ = ctx.syntax.subject_heads(e.token)
    else:
        heads, _, _ = ctx.syntax.noun_source_heads(e.token)
        heads = heads or [e.token]
    words = {h.lower_ for h in heads} | {
        c.lower_ for h in heads for c in h.children if c.dep_ in ("compound", "amod")}
    roles = {a.mention.actor.role for a in e.sources}
    if words & _IRREGULAR_FORCES or roles & {"REB", "INS", "UAF", "CRM", "RAD"}:
        return e
    if e.lemma in ("attack", "assault") and not words & _MILITARY_NOUNS and \
            all(a.mention.entity.label == "PERSON" for a in e.sources):
        e.code = "111"  # a politician "attacking" a rival attacks in words
        return e
    state_actor = all(a.mention.actor.country is not None for a in e.sources)
    if words & _MILITARY_NOUNS or roles & {"MIL"} or (
            state_actor and any(ctx.index.at(h) is not None for h in heads)):
        e.code = "190"
    return e


@event_rule("joint_exercise")
def joint_exercise(ctx: SentenceContext, e: Event) -> Event:
    """Exercises held together by forces of different states are joint (062)."""
    if e.code != "150":
        return e
    countries = {a.mention.actor.country for a in e.sources if a.mention.actor.country}
    if len(countries) >= 2:
        e.code = "062"
    return e
