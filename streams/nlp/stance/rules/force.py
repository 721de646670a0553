"""Force: which kind of violence (or none) a violent word codes.

* ``labour_strike``: a "strike" nobody aims at anyone is a labour strike (143);
* ``peacekeeping``: peacekeepers arriving or deployed provide peacekeeping (074);
* ``military_force``: generic violence ("attacked", "killed") by the armed
  forces of a state is conventional military force (190), by militants,
  gunmen or mobs it stays unconventional violence (18), and a politician
  "attacking" a rival attacks in words (111);
* ``irregular_violence``: the same words by militants, gunmen or rebels
  against anyone but armed forces are unconventional violence (180), and
  their bombs are bombings (183: suicide 1831, car 1832, roadside 1833);
* ``one_sided_violence``: force used on people who do not fight back is assault,
  not war: on crowds it is violent repression (175), on a named person an
  assassination (186), on civilians unconventional violence (180); poison gas
  is a weapon of mass destruction (2041) and a bomb set off by someone who is
  no state's force a bombing (183);
* ``mass_expulsion``: expelling or deporting a people ("Muslims", "ethnic
  Tigrayans") is mass expulsion (201), not the expulsion of persons (174);
* ``joint_exercise``: exercises held by forces of different states, and fighting
  *alongside* another's forces, are military cooperation (062);
* ``truce_violation``: force used "in violation of" (or "in breach of") a truce or a
  peace accord violates it (196).
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.rules.clause import adjunct_holder
from streams.nlp.stance.syntax import Arg
from streams.nlp.stance.words import CROWD_NOUNS

#: Heads of source phrases that make generic violence conventional military force.
MILITARY_NOUNS = frozenset({
    "forces", "force", "troops", "troop", "army", "armies", "soldiers", "soldier", "military",
    "navy", "jets", "warplanes", "aircraft", "artillery", "tanks", "marines", "paratroopers",
    "units", "battalion", "battalions", "warships", "drones", "missiles", "airforce",
})
#: ... and those that keep it unconventional (CAMEO 18).
IRREGULAR_FORCES = frozenset({
    "militants", "gunmen", "rebels", "guerrillas", "guerillas", "insurgents", "terrorists",
    "militiamen", "militia", "militias", "extremists", "bombers", "attackers", "jihadists",
    "mob", "mobs", "assailants", "kidnappers", "separatists", "fighters", "settlers",
})
#: Roles of non-state armed groups.
ARMED_ROLES = frozenset({"REB", "INS", "UAF", "RAD"})
_LABOUR_VERBS = frozenset({"stage", "hold", "call", "begin", "end", "go", "organize", "organise",
                           "continue", "announce", "launch"})


def phrase_words(heads: list[Token]) -> set[str]:
    """The words naming who acts: the heads and their modifiers ("Pakistani *militants*")."""
    return {h.lower_ for h in heads} | {
        c.lower_ for h in heads for c in h.children if c.dep_ in ("compound", "amod")}


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
    # doctors, workers or unions strike against a government with their labour, not arms
    authors = [ctx.syntax.source_heads(e.token)]
    if gov is not None:
        authors.append(ctx.syntax.source_heads(gov))
    # "merchants kept their stalls closed *in a strike* against ...": who holds it
    held = adjunct_holder(ctx, e.token, ctx.trigger_ids - {e.token.i})
    if held is not None:
        authors.append(held[1])
    by_crowd = any(phrase_words(heads) & CROWD_NOUNS for heads in authors)
    labour_words = mods & {"day", "week", "national", "nationwide", "indefinite", "-"}
    staged = gov is not None and ctx.lemmas.lemma(gov) in _LABOUR_VERBS
    if gone_on or by_crowd or (not aimed and (labour_words or staged)):
        e.code = "143"
    return e


#: Purposes that make sending troops protection: "sent soldiers *to protect* Mozambique's north".
PROTECTIVE_VERBS = frozenset({"protect", "defend", "help", "secure", "guard", "assist",
                              "safeguard", "shield"})


@event_rule("peacekeeping")
def peacekeeping(ctx: SentenceContext, e: Event) -> Event:
    """Peacekeepers deployed, or troops sent to protect the target: military protection (074).

    Runs before ``intent``, so troops one is *ready to send* to protect a
    country are a promise of protection (0334), not a threat to mobilise (138).
    """
    if e.root not in ("04", "15") or e.token.pos_ != "VERB":
        return e
    heads, _, _ = ctx.syntax.subject_heads(e.token)
    words = {t.lower_ for h in heads for t in h.subtree}
    if words & {"peacekeepers", "peacekeeping", "peace-keeping", "peacekeeper"}:
        e.code = "074"
        return e
    targets = {a.mention.head for a in e.targets}
    for purpose in e.token.children:
        if purpose.dep_ in ("advcl", "xcomp") and purpose.pos_ == "VERB" and \
                any(g.dep_ == "aux" and g.lower_ == "to" for g in purpose.children):
            # "to help protect": the verb the help is for
            verb = next((c for c in purpose.children if c.dep_ == "xcomp"), purpose) \
                if ctx.lemmas.lemma(purpose) == "help" else purpose
            if ctx.lemmas.lemma(verb) not in PROTECTIVE_VERBS and \
                    ctx.lemmas.lemma(purpose) not in PROTECTIVE_VERBS:
                continue
            protected = [t for o in verb.children if o.dep_ == "dobj" for t in o.subtree]
            # who the troops protect is the target, or nobody else named ("gas installations";
            # not "its interests", which may be the sender's own)
            if any(t.i in targets for t in protected) or not any(
                    ctx.index.at(t) is not None or t.tag_ == "PRP$" for t in protected):
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
    heads = ctx.syntax.source_heads(e.token)
    if e.token.pos_ != "VERB":
        heads = heads or [e.token]
    words = phrase_words(heads)
    roles = {a.mention.actor.role for a in e.sources}
    if words & IRREGULAR_FORCES or roles & (ARMED_ROLES | {"CRM"}):
        return e
    if e.lemma in ("attack", "assault") and not words & MILITARY_NOUNS and \
            all(a.mention.entity.label == "PERSON" for a in e.sources):
        e.code = "111"  # a politician "attacking" a rival attacks in words
        return e
    state_actor = all(a.mention.actor.country is not None for a in e.sources)
    if words & MILITARY_NOUNS or roles & {"MIL"} or (
            state_actor and any(ctx.index.at(h) is not None for h in heads)):
        e.code = "190"
    return e


#: Targets that make an irregular group's attack an act of war (19), not unconventional violence.
_ARMED_TARGETS = MILITARY_NOUNS | frozenset({
    "patrol", "patrols", "convoy", "convoys", "base", "bases", "post", "posts", "positions",
    "checkpoint", "checkpoints", "garrison", "outpost", "outposts", "barracks", "police",
    "policemen", "peacekeepers", "guards", "militants", "rebels", "insurgents", "fighters",
})
_BOMB_WORDS = frozenset({"bomb", "bombs", "explosive", "explosives", "ied", "ieds", "bomber",
                         "bombers", "device", "detonated", "bombing", "bombed"})


@event_rule("irregular_violence")
def irregular_violence(ctx: SentenceContext, e: Event) -> Event:
    """Militants' attacks on civilians are 180, their bombs 183: CAMEO's unconventional violence.

    Conventional force (19) is what armies do to each other; the same verbs
    ("attacked", "stormed", "opened fire") from irregulars at anything but
    an armed target are unconventional violence (18).  Bombs are bombings
    whoever they hit: a roadside bomb on a patrol is 1833.
    """
    if e.code not in ("18", "180", "190", "193", "195", "1712") or not e.sources:
        return e  # shelling and tanks (194) are war whoever fires them
    heads = ctx.syntax.source_heads(e.token)
    words = phrase_words(heads)
    roles = {a.mention.actor.role for a in e.sources}
    if not (words & IRREGULAR_FORCES or "bomber" in words or roles & ARMED_ROLES):
        return e
    near = {t.lower_ for t in e.token.subtree} | {e.token.lower_} | words
    suicide = bool(near & {"suicide", "himself", "herself", "themselves"})
    if e.code == "1712" and not suicide:
        return e  # blowing up power lines destroys property (1712)
    if near & _BOMB_WORDS or e.lemma in ("bomb", "blow"):
        if suicide:
            e.code = "1831"
        elif near & {"car", "truck", "vehicle"}:
            e.code = "1832"
        elif near & {"roadside", "ied", "ieds", "improvised", "landmine", "mine"}:
            e.code = "1833"
        else:
            e.code = "183"
        return e
    if e.root != "19":
        return e
    aimed = {t.lower_ for a in e.targets for t in ctx.sent.doc[a.mention.start:a.mention.end]}
    aimed |= {c.lower_ for c in e.token.children if c.dep_ in ("dobj", "nsubjpass")}
    if not aimed & _ARMED_TARGETS and not any(a.mention.actor.role == "MIL" for a in e.targets):
        e.code = "180"
    return e


#: Targets who do not fight back: force on them is assault (PLOVER), not war.
UNARMED_TARGETS = frozenset({
    "demonstrators", "protesters", "protestors", "marchers", "crowd", "crowds", "mourners",
    "civilians", "residents", "villagers", "worshippers", "worshipers", "spectators",
    "refugees", "prisoners", "detainees", "journalists", "pilgrims", "passengers", "tourists",
    "shoppers", "children", "students", "migrants", "inmates",
    # one person, unarmed: "police shot dead a Palestinian teenager"
    "teenager", "teenagers", "boy", "boys", "girl", "girls", "child", "woman", "women",
    "schoolgirls", "schoolchildren", "pupils", "civilian", "fisherman", "fishermen", "farmer",
    "farmers", "journalist", "worshipper", "protester", "demonstrator", "passer-by",
    "national", "nationals", "dissident", "dissidents", "prisoner", "priests", "monks", "nuns",
    "missionaries", "clerics",
})
#: ... of which crowds: force on them is violent repression (175).
CROWD_TARGETS = frozenset({"demonstrators", "protesters", "protestors", "marchers", "crowd",
                           "crowds", "mourners", "students"})
#: Words of chemical or biological weapons near a violent act (not "tear gas").
WMD_WORDS = frozenset({"nerve", "sarin", "mustard", "chlorine", "anthrax", "ricin",
                       "novichok", "vx", "gassed", "gassing", "chloropicrin", "phosgene",
                       "tabun", "soman"})
_KILLING = frozenset({"kill", "assassinate", "murder", "shoot", "gun", "slay"})


@event_rule("one_sided_violence")
def one_sided_violence(ctx: SentenceContext, e: Event) -> Event:
    """Force on people who do not fight back is assault (18, 175, 20), not war (19).

    PLOVER keeps FIGHT for armed actors using force on each other and
    ASSAULT for harm done to people: firing on demonstrators, killing a
    named leader, gassing villagers, a bomb set off in a crowd.
    """
    if e.root not in ("18", "19") or e.code in ("183", "1831", "1832", "1833"):
        return e
    tok = e.token
    clause = tok.head if tok.dep_ in ("advcl", "conj", "xcomp") else tok
    near = {t.lower_ for t in clause.subtree}
    if near & WMD_WORDS:
        e.code = "2041"
        return e
    sources = ctx.syntax.source_heads(tok) if e.sources else []
    if e.lemma == "raid" and e.sources and (phrase_words(sources) & _POLICE or all(
            a.mention.actor.role == "COP" for a in e.sources)):
        e.code = "170"  # "police raided the party's offices": coercion, not combat
        return e
    state_force = bool(phrase_words(sources) & MILITARY_NOUNS) or any(
        a.mention.actor.role == "MIL" or (a.mention.actor.country is not None
                                          and a.mention.entity.label != "PERSON")
        for a in e.sources)
    if not state_force and near & _BOMB_WORDS and (
            not e.sources or all(a.mention.entity.label == "PERSON" for a in e.sources)):
        e.code = "183"  # "hit by bombs set off by the brothers"
        return e
    aimed = {c.lower_ for c in tok.children if c.dep_ in ("dobj", "nsubjpass")}
    aimed |= {g.lower_ for p in tok.children if p.dep_ == "prep" and p.lower_ in ("at", "on")
              for g in p.children if g.dep_ == "pobj"}
    aimed |= {ctx.sent.doc[a.mention.head].lower_ for a in e.targets}
    if aimed & CROWD_TARGETS:
        e.code = "175"
    elif e.lemma in _KILLING and len(e.targets) == 1 and \
            e.targets[0].mention.entity.label == "PERSON" and not aimed & UNARMED_TARGETS:
        e.code = "186"  # "Israel killed Hamas political leader Ismail Haniyeh"
    elif aimed & UNARMED_TARGETS and e.root == "19":
        e.code = "180"
    return e


#: Who polices: their raids coerce.
_POLICE = frozenset({"police", "policemen", "gendarmes", "gendarmerie"})

_EXPULSIONS = frozenset({"166", "174", "1663"})
#: Words that make an expulsion a people's, not a person's or a group of migrants'.
_MASS_WORDS = frozenset({"mass", "ethnic", "entire", "whole", "population", "populations"})


def _count(tok: Token) -> int:
    """The number a numeral says ("2,000" -> 2000); 0 when it is a word."""
    digits = tok.text.replace(",", "")
    return int(digits) if digits.isdigit() else 0


@event_rule("mass_expulsion")
def mass_expulsion(ctx: SentenceContext, e: Event) -> Event:
    """Expelling a people ("2,000 Muslims", "ethnic Tigrayans") is mass expulsion (201).

    Deporting migrants, nationals or workers, however many, stays the
    expulsion of individuals (174): the mark of 201 is who is driven out.
    """
    if e.code not in _EXPULSIONS:
        return e
    tok = e.token
    if tok.pos_ == "VERB":
        heads = ctx.syntax.object_heads(tok, e.passive)
    else:
        heads = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
    words = {c.lower_ for c in tok.children if c.dep_ == "amod"}
    for h in heads:
        # "thousands of Muslims": the people is the object of "of"
        many = h.lower_ in ("thousands", "tens") or any(
            _count(c) >= 1000 for c in h.subtree if c.like_num)
        people = [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"] if h.like_num or h.lower_ in (
                      "thousands", "hundreds", "tens") else [h]
        words |= {c.lower_ for p in people for c in p.children if c.dep_ in ("amod", "compound")}
        words |= {p.lower_ for p in people}
        if many and any(p.ent_type_ == "NORP" and p.tag_ in ("NNS", "NNPS") for p in people):
            words.add("population")  # thousands of a people, not 168 travellers
    if words & _MASS_WORDS:
        e.code = "201"
    return e


#: Prepositions that make the actor a partner of the act, not its target.
_PARTNER_PREPS = frozenset({"alongside"})


@event_rule("joint_exercise")
def joint_exercise(ctx: SentenceContext, e: Event) -> Event:
    """Exercises or fighting done together by forces of different states are joint (062).

    "Rwandan troops fought *alongside* Mozambican forces": the Mozambicans are
    partners in the fighting, not its target.
    """
    if e.root in ("15", "18", "19") and e.token.pos_ == "VERB" and not e.targets:
        partners = [m for p in e.token.children if p.dep_ == "prep" and p.lower_ in _PARTNER_PREPS
                    for g in p.children if g.dep_ == "pobj" for t in g.subtree
                    if (m := ctx.index.at(t)) is not None]
        if partners:
            e.code = "062"
            e.targets = [Arg(partners[0], 2, "prep")]
            return e
    if e.code != "150":
        return e
    countries = {a.mention.actor.country for a in e.sources if a.mention.actor.country}
    if len(countries) >= 2:
        e.code = "062"
    return e


#: What force "in violation of" breaks, when it is a truce: its nouns.
_TRUCES = frozenset({"ceasefire", "truce", "armistice", "accord", "accords",
                     "agreement", "deal", "pact", "treaty"})


@event_rule("truce_violation")
def truce_violation(ctx: SentenceContext, e: Event) -> Event:
    """"UNITA rebels, *in violation of the Lusaka peace accord*, attacked government troops" (196)."""
    if e.root not in ("18", "19", "20") or e.token.pos_ != "VERB":
        return e
    for prep in e.token.children:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for breach in prep.children:
            if breach.dep_ == "pobj" and breach.lower_ in ("violation", "breach", "defiance"):
                broken = [g for of in breach.children if of.dep_ == "prep" and of.lower_ == "of"
                          for g in of.children if g.dep_ == "pobj"]
                if any(g.lower_ in _TRUCES for g in broken):
                    e.code = "196"
    return e
