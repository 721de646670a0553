"""Stance detection: who acts toward whom, CAMEO-coded, from the parse.

Public entry points (pure functions of a parsed ``Doc`` and its entities):

* :func:`extract_stances` -- every directed stance between actor mentions
  of a document (what ``Analyzer.analyze`` reports);
* :func:`stance_between` -- the stance of one given mention toward another
  (for evaluation against gold mentions; unresolved mentions get a
  placeholder actor, code ``XXX``);
* :func:`sentiment_toward` -- negative/neutral/positive toward one mention.

How one sentence is coded -- the rules, their registry and order, and how
to add a rule -- is :mod:`streams.nlp.stance.rules`; the sentence's shared
state is :mod:`~streams.nlp.stance.context`, the coded act
:mod:`~streams.nlp.stance.events` (whose *sources* act on its *targets*),
and turning acts into stances :mod:`~streams.nlp.stance.build`.

See ``docs/stance.md`` for the approach, the lexicon format and the
negation, modality, quote and same-country policies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from spacy.tokens import Doc, Token

from streams.cameo import lookup
from streams.contracts import Entity, Stance
from streams.contracts.enriched import TextField
from streams.nlp.gazetteer import table
from streams.nlp.stance.build import StanceBuilder
from streams.nlp.stance.domestic import domestic_appeal_mentions
from streams.nlp.stance.events import Event, in_sports_context
from streams.nlp.stance.mentions import Mention, actor_mentions, group_by_sentence, mention_at
from streams.nlp.stance.quote_tone import quote_events
from streams.nlp.stance.rules import run
from streams.nlp.stance.sentence import code_sentence, has_trigger, resources, sentence_context
from streams.nlp.stance.sentiment import Sentiment, sentiment_toward
from streams.nlp.stance.speakers import attach, attribute_quotes, speaker_mentions
from streams.nlp.stance.syntax import Arg, path_length
from streams.nlp.structure import is_story

__all__ = [
    "Sentiment",
    "act_of",
    "extract_stances",
    "mention_at",
    "sentiment_toward",
    "stance_between",
]

#: Roots for which an act with no target in its sentence may take the
#: counterpart of the previous sentences ("We expect parity," Price said).
_IMPLICIT_TARGET_ROOTS = frozenset({"02", "10", "11", "12", "13"})
IMPLICIT_TARGET_FACTOR = 0.5
#: How many sentences back the counterpart of an implicit target may be.
IMPLICIT_TARGET_WINDOW = 2
#: Per dependency edge: how the nearest trigger to both mentions is chosen.
NEAREST_DECAY = 0.8
#: Farthest (edges to the source plus edges to the target) a trigger may be and still be
#: read as the act between two given mentions: wire sentences run long, with the act in
#: a participle or a clause of its own (12, from the probes and the PLOVER dev half; was 8).
NEAREST_MAX_PATH = 12


def extract_stances(doc: Doc, entities: Sequence[Entity], field: TextField,
                    published_at: datetime | None = None) -> list[Stance]:
    """Directed stances between the actor mentions of ``doc``.

    Only sentences with two or more actor mentions are parsed for events,
    plus single-actor sentences right after a stance (for the implicit
    counterpart of quotes such as '"We expect parity," Price said').
    ``published_at`` is accepted for symmetry with actor resolution; the
    coding itself does not depend on the date.
    """
    mentions = actor_mentions(doc, entities, places=True)
    if not mentions:
        return []
    sentences = list(doc.sents)
    groups = group_by_sentence(sentences, mentions)
    builder = StanceBuilder(doc, entities, field)
    out: list[Stance] = []
    last_at = -10
    recent: list[tuple[int, Mention, Mention]] = []  # (sentence, source, target)
    by_span = {m.char_span: m for m in mentions}
    quotes = attribute_quotes(doc, mentions, entities)  # speakers may be named sentences away
    for k, (sent, group) in enumerate(zip(sentences, groups, strict=True)):
        if not is_story(sent):
            continue  # a caption, credit, byline, dateline or plea (streams.nlp.structure)
        group = group + speaker_mentions(quotes, sent, group)
        if group:
            group = group + domestic_appeal_mentions(sent, group, resources()[0], table(), field)
        if not group:
            continue
        actors = [m for m in group if not m.place]
        if not actors:
            continue
        multi = len(group) >= 2
        one_side = len({m.actor.country or m.actor.code for m in actors}) == 1
        if not multi and k - last_at > IMPLICIT_TARGET_WINDOW:
            continue
        if not has_trigger(sent):
            continue
        ctx = sentence_context(sent, group)
        attach(ctx, quotes)
        events = run(ctx)
        if len(actors) >= 2 and ctx.quotes and not in_sports_context(sent):  # tone of a game
            events += quote_events(ctx, events, doc, entities, actors)
        if not events:
            continue
        if one_side and k - last_at <= IMPLICIT_TARGET_WINDOW:
            events = events + _with_implicit_targets(events, recent, k)
        stances = builder.build(events, sent)
        if stances:
            out.extend(stances)
            last_at = k
            for s in stances:
                src = by_span.get(s.evidence.source_span)
                tgt = by_span.get(s.evidence.target_span)
                if src is not None and tgt is not None:
                    recent.append((k, src, tgt))
    return out


def _with_implicit_targets(events: list[Event], recent: list[tuple[int, Mention, Mention]],
                           k: int) -> list[Event]:
    """Copies of targetless directed acts aimed at the counterpart of their actor's last stance."""
    out = []
    for e in events:
        if e.targets or not e.sources or e.root not in _IMPLICIT_TARGET_ROOTS or e.negated:
            continue
        e = replace(e, factors=dict(e.factors))
        source = e.sources[0].mention
        country = source.actor.country
        if country is None:
            continue
        counterparts = [
            (other, sk) for sk, src, tgt in reversed(recent) if k - sk <= IMPLICIT_TARGET_WINDOW
            for me, other in ((src, tgt), (tgt, src))
            if me.actor.country == country and other.actor.country not in (None, country)
        ]
        if not counterparts or len({c.actor.country for c, _ in counterparts}) != 1:
            continue  # none, or ambiguous
        other, _ = counterparts[0]
        e.targets = [Arg(other, 1, "implicit")]
        out.append(e)
    return out


# -- stance between two given mentions ---------------------------------------------------

#: A material act is the news over a verbal one between the same two mentions when its
#: confidence is at least this share of the verbal act's.
MATERIAL_OVER_VERBAL = 0.5


def headline(doc: Doc, found: Sequence[Stance]) -> Stance | None:
    """The act between two mentions that is the news: the most confident, but a material one
    over a verbal one that only explains it.

    Wire copy gives the reason or the cry with the deed, in a clause of its own:
    "suspended food deliveries, *accusing* the Houthis of diverting aid", "stormed the
    parliament, *demanding* the overthrow of the president".  What the source did (quad
    classes 2 and 4) is the event; what it said on the way (1 and 3), in an adverbial or
    relative clause that does not hold the deed, is its explanation.  A deed inside the
    words ("threatened *to strike*", "said it would *free* them") is theirs, not the news.
    """
    top = max(found, key=lambda s: s.confidence, default=None)
    if top is None or top.quad_class in (2, 4):
        return top
    said = _trigger(doc, top)
    if said is None or said.dep_ not in ("advcl", "relcl"):
        return top
    inside = {t.i for t in said.subtree}
    deeds = [s for s in found if s.quad_class in (2, 4)
             and s.confidence >= MATERIAL_OVER_VERBAL * top.confidence
             and (deed := _trigger(doc, s)) is not None and deed.i not in inside]
    return max(deeds, key=lambda s: s.confidence, default=top)


#: Yielding in general ("bowed to demands", "gave in to calls"), which a specific concession
#: (08x) it explains makes precise.
YIELD_CODE = "080"
#: Roots of an act that, stated as a purpose, says what the act it is the purpose of is.
_PURPOSE_KEPT_ROOTS = frozenset({"02", "10", "11", "12", "13", "14"})
#: Nouns of a purpose phrase: "in a *step* to ease tensions", "in a *bid* to end the row".
_PURPOSE_NOUNS = frozenset({"step", "move", "bid", "effort", "attempt", "gesture", "drive"})


def _purpose_host(tok: Token) -> Token | None:
    """The verb whose purpose the infinitive holding ``tok`` states ("cut its troops *to ease*
    tensions", "in a *step to ease* tensions"), if ``tok`` is that infinitive."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return None
    if tok.dep_ in ("advcl", "xcomp") and tok.head.pos_ == "VERB":
        return tok.head
    noun = tok.head
    if tok.dep_ in ("acl", "relcl") and noun.lower_ in _PURPOSE_NOUNS and noun.dep_ == "pobj" \
            and noun.head.lower_ == "in" and noun.head.head.pos_ == "VERB":
        return noun.head.head
    return None


def _participle_host(tok: Token) -> Token | None:
    """The verb a participle clause of its own explains ("resigned, *bowing* to demands from X",
    "stormed the parliament, *demanding* the overthrow of Y"), if ``tok`` heads that clause.

    After coordinated deeds ("stormed the building and set cars ablaze, demanding ...") the
    clause hangs on the last; it explains the first, which holds them all.
    """
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.pos_ == "VERB":
        host = tok.head
        while host.dep_ == "conj" and host.head.pos_ == "VERB":
            host = host.head
        return host
    return None


def _host_act(doc: Doc, direct: Stance) -> tuple[Token | None, Callable[[Event], bool]]:
    """The act that the words of ``direct`` only explain, and which of its events are it.

    The explanation names the counterpart; the act it explains is the news, aimed there:
    a purpose ("scaled down its drills *to ease tensions with* North Korea"), a yielding
    ("resigned, *bowing to* demands from X": the concession is made to X) or a cry or a
    charge beside a deed ("stormed the building, *demanding* the overthrow of Y").  A
    protest, a demand or a charge stated as a purpose says what the act is ("shunned work
    *to protest* at X" is a protest).
    """
    said = _trigger(doc, direct)
    if said is None:
        return None, lambda e: False
    if direct.cameo_code[:2] not in _PURPOSE_KEPT_ROOTS and (host := _purpose_host(said)):
        return host, lambda e: True
    if (host := _participle_host(said)) is None:
        return None, lambda e: False
    if direct.cameo_code == YIELD_CODE:
        return host, lambda e: e.code[:2] == YIELD_CODE[:2] and e.code != YIELD_CODE
    if not lookup(direct.cameo_code).is_material:
        return host, lambda e: lookup(e.code).is_material
    return None, lambda e: False


def _held_by(e: Event, host: Token) -> bool:
    """Whether ``e`` is the act of verb ``host``: its words cover it, or its noun is the
    verb's object ("put its forces on high *alert*", "*launched* an offensive")."""
    if e.span[0] <= host.i < e.span[1]:
        return True
    tok = e.token
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    return tok.head.i == host.i or (tok.head.dep_ == "prep" and tok.head.head.i == host.i)


def _trigger(doc: Doc, stance: Stance) -> Token | None:
    span = doc.char_span(*stance.evidence.trigger_span, alignment_mode="expand")
    return span.root if span is not None else None


def stance_between(doc: Doc, entities: Sequence[Entity], source_span: tuple[int, int],
                   target_span: tuple[int, int], field: TextField = "body") -> Stance | None:
    """The stance of the mention at ``source_span`` toward the one at ``target_span``.

    Both spans are character offsets into ``doc.text``.  A span that covers a
    resolved entity takes its actor; otherwise the mention gets the
    placeholder actor ``XXX`` (see :data:`~streams.nlp.stance.mentions.PLACEHOLDER_CODE`).
    When no event of the sentence links the two mentions directly, or only
    a statement does ("X told Y that it was suspending talks"), the event
    of the source (or, failing that, the trigger nearest both mentions on the
    parse) is read as aimed at the target, with reduced confidence.
    """
    source = mention_at(doc, entities, source_span, field)
    target = mention_at(doc, entities, target_span, field)
    if source is None or target is None:
        return None
    sent = doc[source.head].sent
    builder = StanceBuilder(doc, entities, field)
    events = code_sentence(sent, [source, target])
    if not events:
        return None

    def best(candidates: list[Event]) -> Stance | None:
        found = [s for e in candidates for s in builder.build([e], sent, same_actor_ok=True)
                 if s.evidence.source_span == source.char_span
                 and s.evidence.target_span == target.char_span]
        return headline(doc, found)

    # an act that only sets the scene ("the curfew *imposed* in Sudan", "after talks with X")
    # links the two mentions last: the news is what the source did
    direct = best([e for e in events if "background" not in e.factors
                   and not _describes(e, source, target)])
    if direct is not None and direct.cameo_code[:2] != "01":
        host, fits = _host_act(doc, direct)
        # (the act of the host: its own, or its object's when it is a light verb, "*launched*
        # a joint operation")
        acts = [e for e in events if host is not None and _held_by(e, host)
                and any(a.mention is source for a in e.sources) and not e.is_speech and fits(e)]
        aimed = best([replace(e, targets=[Arg(target, 2, "implicit")],
                              factors={**e.factors, "retargeted": 1.2}) for e in acts])
        return aimed or direct
    # "Qatar told Hamas that it was suspending its mediation": a statement to the target
    # frames the news; the speaker's own act inside it is what is aimed at the target
    retargeted: list[Event] = []
    for e in events:
        if e.is_speech:
            continue
        src_arg = next((a for a in e.sources if a.mention is source), None)
        if src_arg is not None:
            retargeted.append(replace(e, targets=[Arg(target, 2, "implicit")],
                                      factors={**e.factors, "retargeted": 1.2}))
            continue
        tgt_arg = next((a for a in e.targets if a.mention is target), None)
        if tgt_arg is not None and not e.sources and not _describes(e, source, target):
            retargeted.append(replace(e, sources=[Arg(source, 2, "direct")],
                                      factors={**e.factors, "inferred_source": 0.7}))
    found = best(retargeted) or direct or best(events)
    if found is not None:
        return found
    # (an act already aimed the other way round, "Poland's decision angered Lithuania", says
    # nothing of the source toward the target)
    candidates = [e for e in events
                  if not _reversed(e, source, target) and not _describes(e, source, target)]
    candidates = [e for e in candidates if not e.is_speech] or candidates
    if not candidates:
        return None
    # nearest both mentions on the parse
    nearest = max(candidates, key=lambda e: NEAREST_DECAY ** (
        path_length(e.token, doc[source.head]) + path_length(e.token, doc[target.head])))
    distance = path_length(nearest.token, doc[source.head]) + path_length(
        nearest.token, doc[target.head])
    if distance > NEAREST_MAX_PATH:
        return None
    guess = replace(nearest, sources=[Arg(source, 1, "direct")],
                    targets=[Arg(target, 1, "implicit")], from_between=False,
                    factors={**nearest.factors, "nearest_trigger": 0.8})
    return best([guess])


def _describes(e: Event, source: Mention, target: Mention) -> bool:
    """Whether ``e`` is a participle before a mention's noun that describes it.

    "France sent doctors to *wounded* Lebanese soldiers", "demonstrators heckled *visiting*
    President Jiang": the participle tells what was done to the target, or what it does, by
    or to someone the sentence does not name, so it is not the source's act toward it; nor is
    what was done to the source ("*jailed* activists"), while what the source is doing is its
    own ("Israel's *negotiating* team bargained with ...").  A participle straight after a
    noun is a verb the parser took for one ("the border *angered* Lithuania").
    """
    tok = e.token
    if tok.dep_ != "amod" or tok.i > tok.head.i or (
            tok.i > 0 and tok.doc[tok.i - 1].pos_ in ("NOUN", "PROPN", "PRON")):
        return False
    def on(m: Mention) -> bool:
        return m.start <= tok.head.i < m.end
    return on(target) or (on(source) and tok.tag_ != "VBG")


def _reversed(e: Event, source: Mention, target: Mention) -> bool:
    """Whether ``e`` is the target's act on the source."""
    return any(a.mention is target for a in e.sources) and \
        any(a.mention is source for a in e.targets)


def act_of(doc: Doc, entities: Sequence[Entity], source_span: tuple[int, int],
           field: TextField = "body") -> Event | None:
    """The main coded act of the mention at ``source_span``, target or not.

    For sentences whose target is not an actor ("Serbia eased emergency
    measures"); used by evaluation on records without a gold target.
    Prefers acts whose source is the mention, then the act nearest it.
    """
    source = mention_at(doc, entities, source_span, field)
    if source is None:
        return None
    sent = doc[source.head].sent
    others = [m for m in actor_mentions(doc, entities)
              if sent.start <= m.head < sent.end and not (m.start < source.end and source.start < m.end)]
    events = [e for e in code_sentence(sent, [source, *others]) if not e.is_speech]
    if not events:
        return None
    own = [e for e in events if any(a.mention is source for a in e.sources)]
    pool = own or events
    return min(pool, key=lambda e: (path_length(e.token, doc[source.head]), -e.weight))
