"""Arguments a clause gives an act that its own patterns do not reach.

* ``clause_source``: a protest named by a noun, aimed at someone but with no
  actor of its own, in an adjunct of a verb that codes nothing else, is the
  protest of that verb's subject ("Palestinian youths threw stones *during
  demonstrations against* the Israeli army").
* ``clause_target``: an act with a source and no target, in a clause that
  names exactly one other actor, is read as aimed at that actor ("Chirac
  issued a stern reminder Saturday *to Iraq* that it must cooperate",
  "Denmark accepted a formula for ending its dispute with its *European
  common market* partners").  The argument rules find objects, target prepositions and
  modifiers; wire copy also puts the counterpart in a dative of a light verb,
  inside the object's own phrase or in a purpose clause, where no argument
  pattern reaches.  Without this rule such a sentence gave no stance at all,
  though ``stance_between`` given both mentions coded it.

The clause is that of the verb that governs both the act and its source
(the source's own verb); an act embedded in it as a clause of its own ("that
it must cooperate *with the UN*") keeps its participants to itself.

Only verbs: a nominal act ("our demands", "the expulsions") has its
arguments inside its own phrase (``noun_arguments``), and the names around
it are the arguments of the verb that holds it.

The target is weak evidence (kind ``implicit``, the lowest confidence
factor), and the rule stays out of the way of everything that knows better:
it runs after every coding rule, and only when the clause holds exactly one
candidate actor that is not the source or a modifier inside the source's
phrase, not a speaker or the source of an attribution ("according to X", "X
said"), not the same actor as the source, not placed or given as an example
("in X", "of X", "like X"), not inside another clause (relative, adverbial,
reported, a coordinated verb) and not the actor of another act of the
sentence ("several years after Gondor's crowds burned its embassy" is that
act's).  Two candidates are ambiguous and left alone.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance.build import distinct_actors
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.mentions import Mention
from streams.nlp.stance.rules.base import sentence_rule
from streams.nlp.stance.syntax import Arg, path_length

#: Roots whose acts are not aimed at anyone named beside them: statements
#: (a frame) and mobilisation ("launched war games near the border").
_UNAIMED_ROOTS = frozenset({"01", "15"})
#: Farther than this on the parse, a name is another story of the sentence.
MAX_PATH = 8
#: Prepositions that place a name (where the thing acted on is, whose it is) or
#: give it as an example, not aim an act at it: "criticized the statues *in*
#: Ukraine", "safe countries *like* Albania".
_PLACING = frozenset({"in", "at", "of", "across", "near", "inside", "within", "throughout",
                      "around", "into", "outside", "along", "like", "including", "unlike"})
#: Dependencies that open another clause inside the act's clause (and coordinated verbs).
_OTHER_CLAUSES = frozenset({"relcl", "advcl", "ccomp", "parataxis"})
#: Attribution heads: a name under them says who reported, not who was acted on.
_ATTRIBUTION = frozenset({"according", "quoting", "citing"})


@sentence_rule("clause_source")
def clause_source(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """Protest nouns aimed at someone, with no actor, take the subject of the verb that holds them."""
    triggers = {e.token.i for e in events}
    for e in events:
        if e.sources or not e.targets or e.root != "14" or e.token.pos_ != "NOUN":
            continue
        e.sources = adjunct_subject(ctx, e.token, triggers, [a.mention for a in e.targets])
    return events


def adjunct_subject(ctx: SentenceContext, noun: Token, triggers: set[int],
                    others: list[Mention]) -> list[Arg]:
    """The actor of a protest noun in an adjunct: the subject of the verb that holds it.

    "Palestinian youths threw stones *during demonstrations* against the army", "they were
    keeping their stores shut *in a strike* demanding ...": nothing when the verb is an act
    of its own ("condemned the protests against X"), passive, or its subject is one of
    ``others`` (the protest's own counterparts).
    """
    held = adjunct_holder(ctx, noun, triggers)
    if held is None:
        return []
    verb, heads, path = held
    found = [(m, d) for h in heads[:1] for m, d in ctx.syntax.np_mentions(h)
             if all(distinct_actors(m.actor, t.actor) for t in others)]
    if not found:
        return []
    m, depth = found[0]
    return [Arg(m, path + depth + path_length(verb, noun), "direct")]


def adjunct_holder(ctx: SentenceContext, noun: Token,
                   triggers: set[int]) -> tuple[Token, list[Token], int] | None:
    """The verb that holds a noun in its adjunct, with its (active) subject heads and their path."""
    if noun.dep_ != "pobj":
        return None
    verb = _clause_head(noun)
    if verb.i in triggers or verb.pos_ != "VERB":
        return None  # "condemned the protests against X": the verb is an act of its own
    for _ in range(3):  # "keeping their stores *shut* in a strike": the verb with a subject
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) or \
                verb.dep_ not in ("oprd", "xcomp", "acomp") or verb.head.pos_ not in ("VERB", "AUX"):
            break
        verb = verb.head
    heads, path, passive = ctx.syntax.subject_heads(verb)
    return None if passive or not heads else (verb, heads, path)


@sentence_rule("clause_target")
def clause_target(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """Targetless acts aimed at the one other actor their clause names."""
    # a name that does an act of the sentence is that act's actor (an act's own source
    # is no candidate for it either), and a speaker only reports
    taken = {id(a.mention) for e in events if not e.is_speech for a in e.sources}
    speakers = {t.i for frame in ctx.frames.values() for t in frame.subject}
    for e in events:
        if not (e.targets or not e.sources or e.is_speech or e.root in _UNAIMED_ROOTS
                or e.from_between or e.token.pos_ != "VERB"):
            _aim(ctx, e, taken, speakers)
    return events


def _aim(ctx: SentenceContext, e: Event, taken: set[int], speakers: set[int]) -> None:
    sources = [a.mention for a in e.sources]
    clause = _clause_head(_common_ancestor(e.token, ctx.sent.doc[sources[0].head]))
    # an embedded act's own clause names its own participants ("it must cooperate with the UN")
    inner = e.token if e.token.pos_ == "VERB" and e.token.i != clause.i else None
    found: list[tuple[int, Mention]] = []
    for m in ctx.index.mentions:
        head = ctx.sent.doc[m.head]
        if id(m) in taken or any(m.start < s.end and s.start < m.end for s in sources):
            continue
        if any(_inside(head, ctx.sent.doc[s.head]) for s in sources):
            continue  # a modifier of the source's own phrase ("the *British* Red Cross")
        if not any(distinct_actors(s.actor, m.actor) for s in sources):
            continue
        if m.head in speakers or _attributed(head) or not _inside(head, clause):
            continue
        if (inner is not None and _inside(head, inner)) or _elsewhere(head, clause):
            continue
        distance = path_length(e.token, head)
        if distance <= MAX_PATH:
            found.append((distance, m))
    if len({m.actor.code for _, m in found}) != 1:
        return
    distance, target = min(found, key=lambda pair: pair[0])
    e.targets = [Arg(target, distance, "implicit")]
    e.factors["clause_target"] = 1.0


def _common_ancestor(a: Token, b: Token) -> Token:
    """The lowest token that has both ``a`` and ``b`` in its subtree."""
    above_a = {a.i, *(t.i for t in a.ancestors)}
    return next((t for t in (b, *b.ancestors) if t.i in above_a), a.sent.root)


def _clause_head(tok: Token) -> Token:
    """The verb whose clause holds ``tok``: itself when a verb, else its nearest verbal ancestor."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _inside(tok: Token, clause: Token) -> bool:
    return tok.i == clause.i or clause.is_ancestor(tok)


def _elsewhere(tok: Token, clause: Token) -> bool:
    """Whether ``tok`` is placed by a preposition, or sits in another clause inside this one.

    "recognises breakaway regions, *orders troops into Donbas*": the second
    verb is another act, and what it names is not the first one's target; so
    is a relative, adverbial or reported clause ("..., which the Home Office
    rejects, and strain *the UK's* welfare").
    """
    if tok.dep_ == "pobj" and tok.head.lower_ in _PLACING:
        return True
    t = tok
    while t.i != clause.i and t.head.i != t.i:
        if t.dep_ in _OTHER_CLAUSES or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")) \
                or t.dep_ == "punct":
            return True
        t = t.head
    return False


def _attributed(tok: Token) -> bool:
    """Whether ``tok`` names a reporter: under "according to", "quoting", or a speech verb's agent."""
    for a in tok.ancestors:
        if a.lower_ in _ATTRIBUTION:
            return True
        if a.dep_ in ("ccomp", "xcomp", "advcl", "acl", "relcl", "ROOT"):
            return False
    return False
