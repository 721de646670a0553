"""From coded events to contract ``Stance`` objects: pairs, filters, confidence.

Confidence is a product of independent, documented factors (``docs/stance.md``):

* the lexicon weight of the trigger (how often the word means this event);
* the parse distance between trigger and arguments (0.95 per extra edge,
  floored at 0.6): long paths are where parsers go wrong;
* how the target was found (object > target preposition > modifier >
  loose preposition > content clause > place > implicit);
* voice (passive 0.95), hypothetical (0.6), negation (0.9), composition
  (0.95), reported by someone other than the source (0.9), placeholder
  actors (0.8).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from streams.cameo import lookup
from streams.contracts import ActorRef, Entity, Evidence, Stance
from streams.contracts.enriched import TextField
from streams.nlp.actors.entries import REGION_BASIS
from streams.nlp.stance import coding
from streams.nlp.stance.events import Event
from streams.nlp.stance.mentions import Mention, as_people
from streams.nlp.stance.syntax import Arg

KIND_FACTOR = {"direct": 1.0, "prep": 0.97, "modifier": 0.9, "secondary": 0.85,
               "clause": 0.8, "locative": 0.75, "implicit": 0.5}
PASSIVE_FACTOR = 0.95
HYPOTHETICAL_FACTOR = 0.6
NEGATED_FACTOR = 0.9
COMPOSED_FACTOR = 0.95
REPORTED_FACTOR = 0.9
PLACEHOLDER_FACTOR = 0.8
PATH_DECAY = 0.95
PATH_FLOOR = 0.6


def distinct_actors(a: ActorRef, b: ActorRef) -> bool:
    """Whether a stance between ``a`` and ``b`` says something about a dyad.

    Same code: no.  Same country: only when both carry different roles
    ("USALEG" urging "USAGOV" is politics between two organs); "Russia" and
    "the Kremlin" are one actor for dyad purposes.
    """
    if a.code == b.code:
        return False
    if a.country is not None and a.country == b.country:
        return a.role is not None and b.role is not None and a.role != b.role
    return True


def acts_at_home(source: Mention, target: Mention) -> bool:
    """An organ or group of a country acting on a place of that country: a domestic event, kept.

    "The Sudanese government imposed a curfew on Darfur", "the army sealed off
    the Jaffna peninsula", "rebels blew up power lines into Kabul": the place
    names the territory and the people the act falls on, not the actor again,
    so unlike "Russia" and "the Kremlin" the two are not one actor.  The source
    needs a role: the country acting on itself says nothing.  Same-country
    stances feed no dyad (the risk engine keys on two countries), but they are
    events of the article.
    """
    territory = target.place or target.actor.basis.startswith(REGION_BASIS)
    return (territory and source.actor.role is not None
            and source.actor.country is not None and source.actor.country == target.actor.country)


@dataclass(frozen=True, slots=True)
class Pair:
    source: Arg
    target: Arg
    code: str


def pairs(e: Event) -> list[Pair]:
    """Directed (source, target) pairs of an event, reciprocal acts both ways."""
    out: list[Pair] = []
    if e.is_speech and not any(p.kind in ("direct", "prep") for p in e.targets):
        return out  # "X said ..." is a frame, not a stance, unless X told Y
    reciprocal = e.lemma in coding.RECIPROCAL_LEMMAS and not e.composed
    if e.from_between or (not e.targets and len(e.sources) > 1
                          and e.lemma in coding.RECIPROCAL_AMONG_SUBJECTS):
        group = e.sources
        for a in group:
            for b in group:
                if a.mention is not b.mention:
                    out.append(Pair(a, b, e.code))
        return out
    for a in e.sources:
        for p in e.targets:
            if a.mention is p.mention:
                continue
            out.append(Pair(a, p, e.code))
            counterpart = coding.COUNTERPART.get(e.code) or \
                coding.COUNTERPART_BY_LEMMA.get((e.code, e.lemma))
            if counterpart is not None and not e.composed:
                out.append(Pair(p, a, counterpart))
            elif reciprocal and p.kind in ("direct", "prep"):
                out.append(Pair(p, a, e.code))
    return out


def confidence(e: Event, pair: Pair) -> float:
    extra_edges = max(0, pair.source.path - 1) + max(0, pair.target.path - 1)
    score = e.weight * max(PATH_FLOOR, PATH_DECAY ** extra_edges)
    score *= KIND_FACTOR[pair.target.kind]
    if e.passive:
        score *= PASSIVE_FACTOR
    if e.hypothetical:
        score *= HYPOTHETICAL_FACTOR
    if e.negated:
        score *= NEGATED_FACTOR
    if e.composed:
        score *= COMPOSED_FACTOR
    if e.reported and not _speaker_is_source(e, pair.source.mention):
        score *= REPORTED_FACTOR
    if pair.source.mention.placeholder or pair.target.mention.placeholder:
        score *= PLACEHOLDER_FACTOR
    for factor in e.factors.values():
        score *= factor
    return round(min(0.99, max(0.05, score)), 3)


def _speaker_is_source(e: Event, source: Mention) -> bool:
    return any(a.mention is source for a in e.speaker_args)


class StanceBuilder:
    """Builds stances for one document: knows its text and entities."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], field: TextField) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt on every access
        self.field = field
        self._entities = sorted(entities, key=lambda ent: ent.start)

    def build(self, events: Iterable[Event], sent: Span, *,
              same_actor_ok: bool = False) -> list[Stance]:
        best: dict[tuple[str, str, int, str], Stance] = {}
        for e in events:
            for pair in pairs(e):
                src, tgt = pair.source.mention, pair.target.mention
                if _overlap(src, tgt):
                    continue
                if not same_actor_ok and not distinct_actors(src.actor, tgt.actor) \
                        and not acts_at_home(src, tgt):
                    people = as_people_pair(pair)
                    if people is None:
                        continue
                    pair, src, tgt = people, people.source.mention, people.target.mention
                stance = self.stance(e, pair, sent)
                key = (src.actor.code, tgt.actor.code, stance.evidence.trigger_span[0],
                       stance.cameo_code)
                if key not in best or best[key].confidence < stance.confidence:
                    best[key] = stance
        return list(best.values())

    def stance(self, e: Event, pair: Pair, sent: Span) -> Stance:
        entry = lookup(pair.code)
        polarity = "neutral" if e.negated else entry.polarity
        goldstein = 0.0 if e.negated else entry.goldstein
        start, end = self._trigger_chars(e)
        speaker = self.speaker(e.speaker) if e.speaker is not None else None
        evidence = Evidence(
            field=self.field,
            sentence=self.text[sent.start_char:sent.end_char],
            sentence_start=sent.start_char,
            source_span=pair.source.mention.char_span,
            target_span=pair.target.mention.char_span,
            trigger_span=(start, end),
            trigger=self.text[start:end],
            speaker=self.text[slice(*speaker)] if speaker is not None else None,
            speaker_span=speaker,
        )
        return Stance(
            source=pair.source.mention.actor,
            target=pair.target.mention.actor,
            cameo_code=entry.code,
            plover=entry.plover,
            quad_class=entry.quad_class,
            goldstein=goldstein,
            polarity=polarity,
            confidence=confidence(e, pair),
            negated=e.negated,
            hypothetical=e.hypothetical,
            evidence=evidence,
        )

    def _trigger_chars(self, e: Event) -> tuple[int, int]:
        a, b = e.span
        first: Token = self.doc[a]
        last: Token = self.doc[b - 1]
        return first.idx, last.idx + len(last.text)

    def speaker(self, tok: Token) -> tuple[int, int]:
        """Offsets of the speaker as written: the entity holding ``tok``, else its name phrase."""
        for ent in self._entities:
            if ent.start <= tok.idx < ent.end:
                return ent.start, ent.end
        left = tok
        for c in tok.lefts:
            if c.dep_ in ("compound",) and c.i < left.i:
                left = c
        return left.idx, tok.idx + len(tok.text)


def as_people_pair(pair: Pair) -> Pair | None:
    """The pair with a people read as its civilians, when that makes two distinct actors."""
    def people(arg: Arg) -> Arg:
        m = arg.mention
        return replace(arg, mention=replace(m, actor=as_people(m.actor))) if m.people else arg

    source, target = people(pair.source), people(pair.target)
    if source is pair.source and target is pair.target:
        return None
    if not distinct_actors(source.mention.actor, target.mention.actor):
        return None
    return replace(pair, source=source, target=target)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end
