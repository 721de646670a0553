"""A mention while it is being resolved: its readings, the choice made, and why.

Shared by the passes of :mod:`streams.nlp.resolve` and the role-noun passes of
:mod:`streams.nlp.role_mentions`, so neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from streams.contracts import ActorRef, Entity
from streams.contracts.enriched import TextField
from streams.nlp import gazetteer
from streams.nlp.actors import Candidate

Usage = Literal["actor", "place", "other"]

#: How role nouns show in the published ``actor.basis``: PETRARCH's word "agent" is kept
#: there, since renaming it would change published output.
ROLE_NOUN_BASIS, ROLE_NOUN_OF_BASIS = "agent noun", "agent of"


@dataclass(slots=True)
class Resolution:
    """One mention while it is being resolved, and why it ended as it did."""

    start: int  # token indices into the doc
    end: int
    start_char: int
    end_char: int
    text: str
    label: str
    hit: gazetteer.Hit | None = None
    candidates: list[Candidate] = field(default_factory=list)
    candidate: Candidate | None = None
    kind: str | None = None
    usage: Usage = "other"
    #: How the actor was found, or why there is none.
    reason: str = ""
    #: Extra evidence appended to the actor's basis.
    evidence: list[str] = field(default_factory=list)
    #: The country-level reference of a capital or palace used as a place.
    place: Candidate | None = None

    @property
    def resolved(self) -> bool:
        return self.candidate is not None

    def choose(self, candidate: Candidate, why: str | None = None) -> None:
        self.candidate = candidate
        self.kind = candidate.kind
        if why:
            self.evidence.append(why)

    def leave(self, why: str) -> None:
        self.candidate = None
        self.reason = why

    def actor_ref(self) -> ActorRef | None:
        chosen = self.place if self.usage == "place" else self.candidate
        if chosen is None:
            return None
        ref = chosen.to_actor_ref()
        if self.evidence:
            ref = ref.model_copy(update={"basis": f"{ref.basis}; " + "; ".join(self.evidence)})
        return ref

    def entity(self, field_name: TextField) -> Entity:
        return Entity(field=field_name, start=self.start_char, end=self.end_char, text=self.text,
                      label=self.label, actor=self.actor_ref(), usage=self.usage)
