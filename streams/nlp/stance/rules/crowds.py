"""Crowds: what protesters, strikers and rioters do is protest (CAMEO 14).

CAMEO codes the collective action of a population by its form, whatever verb
names it: a boycott by consumers or unions is a boycott (143), not an
embargo (163); truckers blocking a border obstruct passage (144), not a
blockade by a state (191); rioters torching a consulate or storming an
embassy protest violently (145), they neither destroy property (1712) nor use
military force (190).  A protest that states a demand is coded as that
protest with the demand's subject (1411 "demonstrate for leadership
change" ... 1454), not as a bare demand: "marched in Baghdad demanding the
administrator's removal" is a demonstration aimed at whoever must yield.

* ``protest_demands``: a demand or appeal stated by a protest action
  ("rallied ... demanding", "went on strike to press") becomes that protest;
* ``crowd_action``: a boycott, blockade or act of violence whose authors are a
  crowd is the matching form of protest.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.roles import STATE_ROLES
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import hyphenated, verb_forms
from streams.nlp.stance.rules.base import event_rule, sentence_rule
from streams.nlp.stance.rules.clause import adjunct_subject
from streams.nlp.stance.rules.force import ARMED_ROLES, IRREGULAR_FORCES, MILITARY_NOUNS
from streams.nlp.stance.words import ASKING_NOUNS, CROWD_NOUNS

#: Base protest codes: 141 demonstrate, 142 hunger strike, 143 strike or boycott,
#: 144 obstruct passage, 145 violent protest; each has sub-codes 1-4 by the demand.
_PROTEST_VERBS: dict[str, str] = {
    "march": "141", "rally": "141", "demonstrate": "141", "protest": "141", "gather": "141",
    "picket": "141", "parade": "141", "chant": "141", "assemble": "141", "converge": "141",
    "fast": "142",
    "strike": "143", "boycott": "143",
    "block": "144", "blockade": "144", "barricade": "144", "occupy": "144", "cordon": "144",
    "riot": "145", "torch": "145", "burn": "145", "storm": "145", "attack": "145", "clash": "145",
    "hurl": "145", "throw": "145", "smash": "145", "ransack": "145", "loot": "145", "stone": "145",
    "vandalize": "145", "vandalise": "145",
}
#: Nouns that name the protest the governing verb stages ("staged a walkout", "went on strike").
_PROTEST_NOUNS: dict[str, str] = {
    "protest": "141", "demonstration": "141", "rally": "141", "march": "141", "sit-in": "141",
    "vigil": "141", "picket": "141",
    "strike": "143", "walkout": "143", "stoppage": "143", "boycott": "143", "shutdown": "143",
    "stayaway": "143", "stay-away": "143", "fast": "142",
    "blockade": "144", "barricade": "144", "roadblock": "144",
    "riot": "145", "fire": "145",
}
#: Heads that name states and their officials ("Arab states boycotted the summit").
_OFFICIAL_NOUNS = frozenset({
    "state", "states", "country", "countries", "nation", "nations", "government", "governments",
    "minister", "ministers", "official", "officials", "leader", "leaders", "authorities",
    "regime", "ministry", "president", "parliament", "lawmakers", "diplomats", "embassy",
})
#: Assaults on people that stay assaults whoever commits them: beating, killing, bombing.
_HARMING_PEOPLE = frozenset({"182", "183", "185"})
#: A mob is a crowd when it riots, an armed band when it kills (see ``_is_crowd``).
_MOBS = frozenset({"mob", "mobs"})
_ARMED_NOUNS = IRREGULAR_FORCES - _MOBS
#: Demand sub-codes (1041 leadership ... 1044 institutions) carry into the protest's sub-code.
_DEMAND_KINDS = ("1041", "1042", "1043", "1044", "0241", "0242", "0243", "0244")


#: Every form of the protest verbs ("hurled", "barricading"): the analyzer's lemmatizer
#: knows only the lexicon's verbs.
_PROTEST_FORMS: dict[str, str] = {form: lemma for lemma in _PROTEST_VERBS for form in verb_forms(lemma)}


def _singular(word: str) -> str:
    """A protest noun's singular ("strikes" -> "strike"); other words as they are."""
    return word[:-1] if word.endswith("s") and word[:-1] in _PROTEST_NOUNS else word


def _noun_kind(n: Token) -> str | None:
    """The base protest code of a protest noun ("strike": 143, "*hunger* strike": 142)."""
    word = _singular(n.lower_)
    if word == "strike" and any(c.lower_ == "hunger" for c in n.children):
        return "142"
    return _PROTEST_NOUNS.get(word)


def protest_kind(ctx: SentenceContext, head: Token) -> str | None:
    """The base protest code a token stands for ("marched", "went on strike"), if any."""
    lemma = ctx.lemmas.lemma(head) if head.pos_ == "VERB" else head.lower_
    lemma = _PROTEST_FORMS.get(head.lower_, lemma)
    if head.pos_ in ("NOUN", "PROPN"):  # "a strike demanding ...", "the blockade ... demanding"
        return _noun_kind(head)
    nouns = [c for c in head.children if c.dep_ in ("dobj", "attr")]
    nouns += [g for c in head.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for n in nouns:
        word = _singular(n.lower_)
        if word in ("food", "work", "job") and lemma in ("refuse", "stop", "walk", "down", "stay",
                                                         "go"):  # "went without food"
            return "142" if word == "food" else "143"
        if (n.lower_.removesuffix("s") in _ROADS and lemma in ("cut", "close", "seal", "shut")) \
                or (word == "traffic" and lemma in ("stop", "block", "halt", "disrupt", "paralyse")):
            return "144"  # "cut the highways linking La Paz": obstructing passage
        if word in _PROTEST_NOUNS and not (word == "fire" and lemma != "set"):
            return _noun_kind(n)
    if lemma == "walk" and any(c.dep_ == "prt" and c.lower_ in ("off", "out") for c in head.children):
        return "143"
    if head.lower_ in ("eating", "eat") and head.dep_ == "xcomp" and \
            ctx.lemmas.lemma(head.head) in ("stop", "refuse"):
        return "142"  # "stopped eating to demand ...": a hunger strike
    return _PROTEST_VERBS.get(lemma)


def _joined(ctx: SentenceContext, join: Token) -> tuple[Token, str | None]:
    """What joining a crowd in a demand is: the deed the joining explains ("rioted, joining
    ..."), else a demonstration when a crowd is joined ("joined protesters in demanding")."""
    if join.dep_ == "advcl" and (kind := protest_kind(ctx, join.head)) is not None:
        return join.head, kind
    joined = _with_members([c for c in join.children if c.dep_ == "dobj"])
    return join, "141" if any(c.lower_ in CROWD_NOUNS for c in joined) else None


#: Ways that a crowd can cut: "cut the highways", "sealed off the roads".
_ROADS = frozenset({"road", "highway", "route", "street", "bridge", "railway", "railroad"})


#: Counts of people: "thousands of protesters" are protesters.
_COUNTS = frozenset({"thousands", "hundreds", "dozens", "scores", "tens", "millions", "hundred",
                     "thousand", "dozen", "group", "groups", "band", "bands"})


def _with_members(heads: list[Token]) -> list[Token]:
    """``heads`` and, for a count among them ("*thousands of* demonstrators"), its members."""
    return heads + [g for h in heads if h.lower_ in _COUNTS for c in h.children
                    if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def _author_heads(ctx: SentenceContext, e: Event) -> list[Token] | None:
    """Heads of the event's source phrase, or ``None`` when an author is the state or armed.

    The source phrase counts even when it names no actor ("rioters set fire to the US
    consulate": the crowd is who acts, whoever the stance is later credited to).
    """
    heads = ctx.syntax.source_heads(e.token)  # of a passive: its "by" phrase
    if not heads and e.token.pos_ != "VERB":  # "rioters *set* fire to": the row's own light verb
        heads = ctx.syntax.noun_source_heads(e.token, e.entry.pattern.lv or frozenset())[0]
    heads = _with_members(heads)  # "*thousands of* demonstrators stormed ..."
    if (e.passive and not heads) or \
            any(a.mention.actor.role in STATE_ROLES | ARMED_ROLES for a in e.sources):
        return None  # "fishermen detained off Kismayo" are acted upon, by nobody named
    # "anti-government demonstrators" are not the government
    return None if state_or_armed(heads) else heads


def state_or_armed(heads: list[Token]) -> bool:
    """Whether phrases ``heads`` name officials, soldiers or an armed band by their words
    ("anti-government demonstrators" are not the government)."""
    words = {h.lower_ for h in heads} | {hyphenated(c) or c.lower_ for h in heads for c in h.children}
    return bool(words & (_ARMED_NOUNS | MILITARY_NOUNS | _OFFICIAL_NOUNS))


def _is_crowd(ctx: SentenceContext, e: Event) -> bool:
    """The event's authors are a crowd or a people: none is the state or an armed group.

    A mob that wrecks property protests ("mobs ransacked shops"); one that kills or beats
    people commits violence, whatever it demands.
    """
    heads = _author_heads(ctx, e)
    if heads is None or (e.root in ("18", "19", "20") and any(h.lower_ in _MOBS for h in heads)):
        return False
    return _crowd_in(ctx, heads)


def _crowd_in(ctx: SentenceContext, heads: list[Token]) -> bool:
    """Whether one of phrases ``heads`` is a crowd ("protesters") or a people ("Kurds")."""
    return any(h.lower_ in CROWD_NOUNS or _is_people(ctx, h) for h in heads)


def _is_people(ctx: SentenceContext, h: Token) -> bool:
    """A people named by its plural ("Iraqis", "Kurds") acting together is a crowd."""
    m = ctx.index.at(h)
    # the token itself is the people ("Iraqis"), not a noun it modifies ("Serbian nationalists")
    return m is not None and h.ent_type_ == "NORP" and h.tag_ in ("NNS", "NNPS")


def _with_demand(base: str, demand: str) -> str:
    return base + demand[3] if demand[:4] in _DEMAND_KINDS else base


#: Verbs of pressing an aim on someone: "to pressure Biya into ...", "to force the regime to".
PRESSING = frozenset({"pressure", "press", "push", "force", "compel"})


def _aim_of_protest(e: Event) -> bool:
    """Whether ``e`` can be what a protest is for: a demand or appeal, a rejection ("to
    resist the eradication drive"), or pressing the target ("to pressure Biya into ...")."""
    if e.root == "12":  # "rejecting Israeli calls to end them" refuses to yield, it asks nothing
        return not any(c.dep_ == "dobj" and c.lower_ in ASKING_NOUNS for c in e.token.children)
    return e.root in ("10", "02") or e.lemma in PRESSING


@sentence_rule("protest_demands")
def protest_demands(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """"rallied ... demanding X" is a demonstration for X (141x), not a bare demand."""
    by_token = {e.token.i: e for e in events}
    for e in events:
        if not _aim_of_protest(e) or e.token.pos_ != "VERB" or \
                e.token.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp", "relcl") or e.negated:
            continue
        head = e.token.head
        base = protest_kind(ctx, head)
        for _ in range(4):  # "torched police stations in Basra demanding ...": up to the verb
            if base is None and head.lower_ in ("aimed", "aims", "aim"):  # "the march was aimed at pressing"
                head = next((c for c in head.children if c.dep_ == "nsubjpass"), head)
                base = protest_kind(ctx, head)
            if base is None and ctx.lemmas.lemma(head) == "join" and head.pos_ == "VERB":
                # "rioted, *joining* demonstrators in demanding ...": the act joined in
                head, base = _joined(ctx, head)
            if base is None and head.dep_ == "acl" and head.head.pos_ == "NOUN":
                # "cut the highways linking La Paz ... to resist": the clause hung on the object
                head = head.head
            elif base is not None or head.pos_ in ("VERB", "AUX") or head.head is head:
                break
            head = head.head
            base = protest_kind(ctx, head)
        outer = by_token.get(head.i)
        if not e.sources and outer is not None and head.pos_ in ("NOUN", "PROPN"):
            e.sources = outer.sources  # "the march *by Roma activists* was aimed at pressing"
        if not e.sources and base is not None and head.pos_ == "NOUN":
            # "keeping their stores shut *in a strike demanding* ...": the strikers hold it
            e.sources = adjunct_subject(ctx, head, set(by_token) - {head.i},
                                        [a.mention for a in e.targets])
        if not e.sources and base is not None and head.pos_ == "VERB":
            # "coca growers cut the highways ... to resist": the protesters are its subject,
            # when they are a crowd (an armed band's violence is not protest)
            heads, path, passive = ctx.syntax.subject_heads(head)
            if not passive and _crowd_in(ctx, heads):
                e.sources = ctx.syntax.args(heads, path, "direct")
        if base is None or not e.sources:
            continue
        # a rally or a hunger strike is a protest whoever stages it; marching, violence
        # and blockades are only when a crowd, not an army or a state, commits them
        staged = head.pos_ in ("NOUN", "PROPN") or any(
            c.dep_ in ("dobj", "attr") and _singular(c.lower_) in _PROTEST_NOUNS for c in head.children)
        if not (base in ("141", "142") and staged) and _author_heads(ctx, e) is None:
            continue
        if e.future or e.hypothetical or (outer is not None and (outer.future or outer.hypothetical)):
            continue  # "would blockade Paris to demand ...": a threat, coded as one later
        e.code = _with_demand(base, e.code)
        e.composed = True
        if abs(head.i - e.token.i) <= 6:  # far apart, the demand word alone is the evidence
            e.span = (min(e.span[0], head.i), max(e.span[1], head.i + 1))
        if outer is not None and outer is not e:
            outer.consumed = True
    return [e for e in events if not e.consumed]


@event_rule("crowd_action")
def crowd_action(ctx: SentenceContext, e: Event) -> Event:
    """A crowd's boycott is a strike or boycott (143), its blockade 144, its violence 145;
    lifting its own blockade eases its protest (082), not a military blockade (0872)."""
    if (e.root not in ("16", "17", "18", "19") and e.code != "0872") or not _is_crowd(ctx, e):
        return e
    if e.code == "0872":
        e.code = "082"
    elif e.lemma == "boycott":
        e.code = "143"
    elif e.lemma in ("block", "blockade", "barricade") or e.code == "191":
        e.code = "144"
    elif e.root in ("17", "18", "19") and e.code not in ("181", "186") \
            and e.code[:3] not in _HARMING_PEOPLE:
        e.code = "145"  # (a crowd that beats or kills people assaults them: 182, 183)
    return e
