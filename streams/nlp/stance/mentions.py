"""Actor mentions: resolved entities pinned to the tokens of the parse.

Stance detection reads *any* entity that carries an ``actor``, whatever
resolved it (gazetteer, leaders table, titles, a caller building entities by
hand), so it improves as actor resolution does without changes here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span, Token

from streams.contracts import ActorRef, Entity
from streams.contracts.enriched import TextField

#: Code of the placeholder actor ``stance_between`` uses for a mention nobody
#: resolved.  ``XXX`` is ISO 3166's user-assigned "unspecified" code (as in
#: machine-readable passports), so it can never collide with a real country.
PLACEHOLDER_CODE = "XXX"


@dataclass(frozen=True, slots=True, eq=False)
class Mention:
    """An actor mention: the entity, its token span and the actor it stands for."""

    entity: Entity
    start: int  # first token index
    end: int  # one past the last token
    head: int  # syntactic head token index
    actor: ActorRef
    placeholder: bool = False
    #: A country or city named as where something happened ("talks in Moscow"):
    #: never an actor, only the target of acts done *to* a place (attacks, visits).
    place: bool = False
    #: A people named by its plural ("Algerians"): its civilians when that is the
    #: only reading that makes a stance (see :func:`as_people`).
    people: bool = False

    @property
    def char_span(self) -> tuple[int, int]:
        return (self.entity.start, self.entity.end)

    @property
    def country(self) -> str | None:
        return self.actor.country


def placeholder_actor(text: str) -> ActorRef:
    """The stand-in actor for an unresolved mention given by a caller."""
    return ActorRef(code=PLACEHOLDER_CODE, country=None, role=None,
                    name=text.strip() or "unresolved mention", basis="placeholder:unresolved")


class CharIndex:
    """Character offsets -> tokens for one doc, built once.

    ``Doc.text`` and ``Doc.char_span`` rebuild the text from the tokens on
    every call; for the dozens of mentions of an article that dominated the
    cost of stance detection, so offsets are mapped with a bisect instead.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        if len(doc):
            cols = doc.to_array([IDX, LENGTH])
            self.starts = cols[:, 0].tolist()
            self.ends = (cols[:, 0] + cols[:, 1]).tolist()
        else:
            self.starts, self.ends = [], []

    def span(self, start: int, end: int) -> Span | None:
        """Tokens covering the characters ``start:end`` (expanded to token edges)."""
        if not 0 <= start < end or not self.starts:
            return None
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end)  # first token starting at or after end
        if first >= last:
            return None
        return self.doc[first:last]


def token_span(doc: Doc, start: int, end: int) -> Span | None:
    """Tokens covering the characters ``start:end`` (expanded to token edges)."""
    return CharIndex(doc).span(start, end)


def to_mention(doc: Doc, entity: Entity, actor: ActorRef | None = None,
               placeholder: bool = False, chars: CharIndex | None = None) -> Mention | None:
    ref = actor if actor is not None else entity.actor
    if ref is None:
        return None
    span = (chars or CharIndex(doc)).span(entity.start, entity.end)
    if span is None or len(span) == 0:
        return None
    people = (ref.role is None and ref.country is not None and entity.label == "NORP"
              and span.root.tag_ in PLURAL_TAGS)
    return Mention(entity, span.start, span.end, span.root.i, ref, placeholder,
                   place=entity.usage == "place", people=people)


#: Tags of a plural noun.
PLURAL_TAGS = frozenset({"NNS", "NNPS"})


def as_people(ref: ActorRef) -> ActorRef:
    """The civilians (``CVL``) of a people named by its plural.

    Used only where the plain reading says nothing: "Algerians" against
    "President Bouteflika" would be one country acting on itself and be
    dropped; read as the people, it is civilians against their government,
    as CAMEO codes it.  ("Americans are not heeding our demands" in a
    Russian diplomat's mouth stays the United States.)
    """
    return ref.model_copy(update={"code": f"{ref.country}CVL", "role": "CVL",
                                  "basis": f"{ref.basis}; people:CVL"})


def actor_mentions(doc: Doc, entities: Iterable[Entity], places: bool = False) -> list[Mention]:
    """Mentions of every entity that resolved to an actor; places too when asked.

    Places ("in Gaza") are never sources; they are kept only as targets of
    acts done to a place ("Israel reimposed blockades in the West Bank").
    """
    out = []
    chars: CharIndex | None = None
    for entity in entities:
        if entity.actor is None or (entity.usage == "place" and not places):
            continue
        chars = chars or CharIndex(doc)
        mention = to_mention(doc, entity, chars=chars)
        if mention is not None:
            out.append(mention)
    return out


class MentionIndex:
    """Which mention a token belongs to, and which sentence a mention is in."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = [m for m in mentions if not m.place]
        self._by_token: dict[int, Mention] = {}
        self._places: dict[int, Mention] = {}
        # longer mentions first so nested shorter ones do not shadow them
        for m in sorted(mentions, key=lambda m: m.start - m.end):
            for i in range(m.start, m.end):
                (self._places if m.place else self._by_token).setdefault(i, m)

    def at(self, token: Token | int, places: bool = False) -> Mention | None:
        """The actor mention on ``token``; with ``places``, a place mention too."""
        i = token if isinstance(token, int) else token.i
        found = self._by_token.get(i)
        if found is None and places:
            return self._places.get(i)
        return found

    def __bool__(self) -> bool:
        return bool(self.mentions)


def group_by_sentence(sentences: Sequence[Span], mentions: Iterable[Mention]) -> list[list[Mention]]:
    """Mentions per sentence (by the sentence holding the mention's head)."""
    starts = [s.start for s in sentences]
    groups: list[list[Mention]] = [[] for _ in sentences]
    for m in mentions:
        k = bisect_right(starts, m.head) - 1
        if k >= 0:
            groups[k].append(m)
    return groups


def mention_at(doc: Doc, entities: Sequence[Entity], span: tuple[int, int],
               field: TextField) -> Mention | None:
    """A mention over exactly ``span``, with the best actor found inside it."""
    start, end = span
    inside = [e for e in entities if e.actor is not None and e.start < end and start < e.end]
    text = doc.text[start:end]
    label = next((e.label for e in entities if e.start < end and start < e.end), "UNKNOWN")
    if inside:
        # the resolved entity nearest the syntactic head of the span
        chars = doc.char_span(start, end, alignment_mode="expand")
        head_idx = chars.root.idx if chars is not None else start
        best = min(inside, key=lambda e: (not (e.start <= head_idx < e.end), e.start))
        entity = Entity(field=field, start=start, end=end, text=text,
                        label=best.label, actor=best.actor, usage="actor")
        return to_mention(doc, entity)
    entity = Entity(field=field, start=start, end=end, text=text, label=label,
                    actor=placeholder_actor(text), usage="actor")
    return to_mention(doc, entity, placeholder=True)
