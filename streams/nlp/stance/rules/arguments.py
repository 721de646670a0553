"""Arguments: who acts and who is acted on, for each trigger.

The source (who acts) is the subject, the passive ``by`` phrase, the
controller of an ``xcomp`` or the possessor of an event noun; the target
(who is acted on) is, in order of preference, the object, a target preposition ("sanctions *on* X"), a looser
preposition ("warned *of* X"), a content clause, and -- only for acts done
*to* a place -- a locative ("attacks *in* Kyiv").  Arguments are actor
mentions reached through the noun phrase (see
:meth:`~streams.nlp.stance.syntax.Syntax.args`).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from streams.nlp.inflection import verb_forms
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.mentions import Mention
from streams.nlp.stance.rules.base import event_rule
from streams.nlp.stance.syntax import Arg, Syntax, path_length
from streams.nlp.stance.words import (
    FROM_SOURCE_VERBS,
    LIGHT_PREP_VERBS,
    LIGHT_VERBS,
    LOCATIVE_PREPS,
    MEASURE_NOUNS,
    PRIMARY_PREPS,
    RECEIVING_VERBS,
    SECONDARY_PREPS,
    SPEECH_VERBS,
    TERMINATIVE,
)

#: Codes whose ``of`` phrase names the actor, not the target ("withdrawal of US troops").
_OF_IS_SOURCE_PREFIXES = ("087", "15")
#: Roots for which a place ("in Kyiv") can be the target: acts done *to* a place
#: (force, coercion, assault, and investigation: "sent inspectors to sites in Iran").
_PLACE_TARGET_ROOTS = frozenset({"09", "15", "17", "18", "19", "20"})
_PLACE_TARGET_CODES = frozenset({"042"})
#: Material cooperation and conflict (CAMEO quad classes 2 and 4) besides the place roots.
_MATERIAL_ROOTS = frozenset({"06", "07", "08", "14", "16"})
#: Confidence factor of an act stated as the purpose of another ("sent troops to protect X").
PURPOSE_FACTOR = 0.7


@event_rule("verb_arguments")
def verb_arguments(ctx: SentenceContext, e: Event) -> Event:
    """Sources and targets of a verb trigger."""
    if e.token.pos_ != "VERB":
        return e
    v, sx = e.token, ctx.syntax
    heads, path, passive = sx.subject_heads(v)
    e.passive = passive
    e.sources = sx.args(heads, path, "direct")
    if passive and not e.sources and e.lemma in FROM_SOURCE_VERBS:  # "was freed from X"
        e.sources = sx.args([o for p, o in sx.prep_objects(v) if p == "from"], 2, "direct")
    located = located_target(e)
    direct = sx.args(sx.object_heads(v, passive), 1, "direct", pointers=True, located=located)
    primary: list[Arg] = []
    secondary: list[Arg] = []
    locative: list[Arg] = []
    pattern_preps = e.entry.pattern.prep or frozenset()
    if e.root == "01" and e.lemma in SPEECH_VERBS:
        # a statement is *to* someone only with an addressee: "told the US", "said to X"
        direct = [a for a in direct if a.mention.head in
                  {c.i for c in v.children if c.dep_ in ("dobj", "dative")}]
        direct += sx.args([obj for prep, obj in sx.prep_objects(v) if prep == "to"], 2, "prep")
        e.targets = dedup([a for a in direct
                            if id(a.mention) not in {id(x.mention) for x in e.sources}])
        return e
    particles = e.entry.pattern.prt or frozenset()
    addressees: list[Arg] = []
    for prep, obj in verb_preps(sx, v):
        if prep in particles:  # "cordoned off the roads": the particle parsed as a preposition
            direct += sx.args([obj], 1, "direct", pointers=True, located=located)
        elif prep == "to" and e.root == "11" and prep not in pattern_preps:
            # "complained to the UN over Israeli raids": the UN hears it, Israel is its target
            addressees += sx.args([obj], 2, "prep")
        elif prep in PRIMARY_PREPS or prep in pattern_preps:
            primary += sx.args([obj], 2, "prep", pointers=True, located=located)
        elif prep in SECONDARY_PREPS:
            secondary += sx.args([obj], 2, "secondary")
        elif prep in LOCATIVE_PREPS:
            locative += sx.args([obj], 2, "locative")
    if not direct:  # "imposed sanctions on X" with the prep on the noun
        for h in sx.object_heads(v, passive):
            for prep, obj in sx.prep_objects(h):
                if prep in PRIMARY_PREPS:
                    primary += sx.args([obj], 3, "prep")
                elif prep in LOCATIVE_PREPS:  # "bombed airfields across Ukraine"
                    locative += sx.args([obj], 3, "locative")
    clause: list[Arg] = []
    if not (direct or primary):
        for c in v.children:
            if c.dep_ in ("ccomp",) or (c.dep_ == "xcomp" and e.root in ("01", "13", "11")):
                clause += clause_args(ctx, v, c)
            elif is_purpose(c) and e.root not in ("01",):
                # "began a hunger strike *to protest against Sweden's decision*": the act
                # is aimed at whom its purpose names
                clause += clause_args(ctx, v, c)
    e.targets = choose(e, direct, primary, secondary or addressees, clause, locative)
    if e.lemma in RECEIVING_VERBS and e.root == "07":
        # "X received aid from Y", "aid from Y was received by X": Y gives, X is given to
        froms = [o for h in (v, *sx.object_heads(v, passive))
                 for p, o in sx.prep_objects(h) if p == "from"]
        giver = sx.args(froms, 2, "direct")
        if giver:
            e.sources, e.targets = giver, [Arg(a.mention, a.path, "direct") for a in e.sources]
    if is_purpose(v):
        # a purpose ("staged a strike *to demand* ..."): the main clause's act is the event
        e.factors["purpose"] = PURPOSE_FACTOR
    return e


@event_rule("noun_arguments")
def noun_arguments(ctx: SentenceContext, e: Event) -> Event:
    """Sources and targets of a noun (or any non-verb) trigger."""
    if e.token.pos_ == "VERB":
        return e
    n, sx = e.token, ctx.syntax
    heads, path, _ = sx.noun_source_heads(n, e.entry.pattern.lv or frozenset(),
                                          said=e.root in _SAID_ROOTS)
    e.sources = sx.args(heads, path, "direct")
    mods = [Arg(m, 1, "modifier") for m in sx.modifier_mentions(n)]
    anti = [a for a in mods if is_anti(a.mention, n)]
    mods = [a for a in mods if a not in anti]
    of_source = e.code.startswith(_OF_IS_SOURCE_PREFIXES)
    located = located_target(e)
    primary: list[Arg] = list(anti)
    secondary: list[Arg] = []
    locative: list[Arg] = []
    between: list[Arg] = []
    for prep, obj in phrase_preps(sx, n):
        if prep == "between" or prep == "among":
            between += sx.args([obj], 2, "prep")
        elif prep == "of" and of_source:
            if not e.sources:
                e.sources = sx.args([obj], 2, "direct")
        elif prep == "by":
            continue
        elif prep in PRIMARY_PREPS or prep == "of":  # "protests against abuses by X": X
            primary += sx.args([obj], 2, "prep", pointers=prep != "of", located=located)
        elif prep in SECONDARY_PREPS:
            secondary += sx.args([obj], 2, "secondary")
        elif prep in LOCATIVE_PREPS:
            locative += sx.args([obj], 2, "locative")
    gov = sx.governor(n)
    if gov is not None and ctx.lemmas.lemma(gov) in _light_or_pattern(e):
        for prep, obj in sx.prep_objects(gov):
            if prep in PRIMARY_PREPS:
                primary += sx.args([obj], 3, "prep", pointers=True, located=located)
            elif prep in SECONDARY_PREPS:
                secondary += sx.args([obj], 3, "secondary")
            elif prep in LOCATIVE_PREPS:
                locative += sx.args([obj], 3, "locative")
        if sx.negated(gov):
            e.negated = True
        purposes = [c for c in gov.children if is_purpose(c)]
    else:
        purposes = []
    if not e.sources and mods:
        e.sources = mods
    elif mods:
        primary += mods
    if between and not e.sources:
        e.sources = between
        e.from_between = True
    elif between:
        primary += between
    if gov is not None and n.dep_ == "dobj" and gov.lower_ in _REACTION_FORMS and e.root in _SAID_ROOTS:
        # "the raid *drew* condemnation from Egypt": the words answer whoever did what drew them
        subjects, spath, passive = sx.subject_heads(gov)
        if not e.sources:  # "drew condemnation on Monday *from Egypt*": hung on the verb
            e.sources = sx.args([g for p, g in sx.prep_objects(gov) if p == "from"], 2, "direct")
        # whose act it was: the subject's owner ("*Russia's* annexation of Crimea"), else the subject
        owners = [c for h in subjects for c in h.children if c.dep_ in ("poss", "amod", "compound")
                  and sx.index.at(c) is not None] or subjects
        if not passive:
            primary += [a for a in sx.args(owners, spath + 1, "prep")
                        if a.mention not in [b.mention for b in e.sources]]
    clause = [a for c in purposes for a in clause_args(ctx, c.head, c)]  # "began a strike to protest X"
    clause += [a for c in n.children if is_content_clause(c)  # "expressed hope that X would ..."
               for a in clause_args(ctx, n, c)]
    e.targets = choose(e, [], primary, secondary, clause, locative)
    return e


def verb_preps(sx: Syntax, v: Token) -> list[tuple[str, Token]]:
    """(preposition, object) pairs of a verb, including those hung on its adverbs.

    The parser often attaches the verb's preposition to an adverb or a
    word it took for one: "worked closely *with* X", "moved closer *to* X",
    "contribute a million florin *to* X" (with "florin" read as an adverb).
    """
    found = list(sx.prep_objects(v))
    for c in v.children:
        if (c.dep_ == "advmod" and c.pos_ == "ADV") or c.dep_ == "prt" or (
                c.dep_ == "prep" and not any(g.dep_ == "pobj" for g in c.children)):
            found += sx.prep_objects(c)  # ... and "pulled troops out *of* X"
    return found


def is_content_clause(c: Token) -> bool:
    """A "that" clause completing a noun: "hope *that X will ...*", "fears *that ...*"."""
    return c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX") and any(
        g.dep_ == "mark" and g.lower_ == "that" for g in c.children)


def is_purpose(v: Token) -> bool:
    """An infinitive clause of purpose: "sent troops *to protect* X"."""
    return v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def phrase_preps(sx: Syntax, n: Token) -> list[tuple[str, Token]]:
    """Prepositional phrases of an event noun, and of the phrase it modifies.

    An event noun used as a modifier ("*mediation* mission between X and
    Y", "*peace* talks with X") takes its arguments from the phrase's head,
    and one counted by a quantity from the quantity's.
    """
    found = list(sx.prep_objects(n))
    if n.dep_ == "compound" and n.head.i != n.i and n.head.pos_ == "NOUN":
        found += sx.prep_objects(n.head)
    if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lower_ in MEASURE_NOUNS:
        # "70 million dollars of aid *for Romania*": the phrase hangs on the quantity
        found += [(p, o) for p, o in sx.prep_objects(n.head.head) if o.i != n.i]
    return found


def clause_args(ctx: SentenceContext, v: Token, clause_head: Token) -> list[Arg]:
    """Mentions heading their own phrase inside a content clause, as clause targets."""
    out = []
    seen: set[int] = set()
    for t in clause_head.subtree:
        m = ctx.index.at(t)
        if m is not None and id(m) not in seen and t.i == m.head:
            seen.add(id(m))
            out.append(Arg(m, path_length(v, t), "clause"))
    return out


def choose(e: Event, direct: list[Arg], primary: list[Arg], secondary: list[Arg],
           clause: list[Arg], locative: list[Arg]) -> list[Arg]:
    """The first non-empty group of targets, in order of preference, minus the sources."""
    source_ids = {id(a.mention) for a in e.sources}
    place_ok = place_target(e)
    for group in (direct, primary, secondary, clause, locative if place_ok else []):
        kept = [a for a in group if id(a.mention) not in source_ids]
        if kept:
            return dedup(kept)
    return []


def located_target(e: Event) -> bool:
    """Whether a thing acted on stands for the country it is in ("evacuated settlements *in
    Gaza*", "blocked roads *in Algiers*"): for material acts and investigations, not for
    words ("condemned the bombing *in Manchester*" is not aimed at Britain)."""
    return place_target(e) or e.root in _MATERIAL_ROOTS


def place_target(e: Event) -> bool:
    """Whether a place can be the target of ``e``: an act done *to* a place."""
    return e.root in _PLACE_TARGET_ROOTS or e.code in _PLACE_TARGET_CODES


def dedup(args: Sequence[Arg]) -> list[Arg]:
    """One argument per mention (the nearest), in text order."""
    best: dict[int, Arg] = {}
    for a in args:
        key = id(a.mention)
        if key not in best or best[key].path > a.path:
            best[key] = a
    return sorted(best.values(), key=lambda a: a.mention.start)


def is_anti(m: Mention, n: Token) -> bool:
    """"anti-US protests": the modifier is the target, not the actor."""
    doc = n.doc
    k = m.start - 1
    while k >= 0 and doc[k].text in ("-",):
        k -= 1
    return k >= 0 and doc[k].lower_ in ("anti", "anti-")


#: Roots of acts a noun names as words (appeals, demands, criticism, rejection, threats,
#: protests): their "from" phrase is their author.
_SAID_ROOTS = frozenset({"02", "10", "11", "12", "13", "14"})


#: Verbs whose subject drew the words their object names ("the raid *drew* condemnation").
_REACTION_FORMS = frozenset(f for v in ("draw", "prompt", "provoke", "spark", "trigger", "earn",
                                         "attract") for f in verb_forms(v))


def _light_or_pattern(e: Event) -> frozenset[str]:
    """Verbs whose prepositions are the noun's own: light ("remained on alert *in* X"),
    terminative ("suspended its cooperation *with* X") or named by the row."""
    return LIGHT_VERBS | LIGHT_PREP_VERBS | TERMINATIVE | (e.entry.pattern.lv or frozenset())
