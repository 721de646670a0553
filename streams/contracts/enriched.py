"""Analysis results: entities, actors, stances, and the enriched article."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from streams.contracts.article import Source
from streams.contracts.common import ActorCode, EventTime, HexId, Model, Polarity, QuadClass

#: CAMEO roles (CAMEO calls them agent types) we emit as the role part of an actor code.
Role = Literal[
    "GOV", "MIL", "REB", "OPP", "JUD", "LEG", "MED", "BUS", "CVL", "IGO", "NGO",
    "SPY", "COP", "EDU", "ELI", "LAB", "REF", "HLH", "CRM", "IMG", "RAD", "UAF", "PTY", "INS",
]

TextField = Literal["title", "body"]
Span = tuple[int, int]


class ActorRef(Model):
    """Who a mention stands for, in CAMEO terms, and why we think so."""

    #: Full code: country (or IGO/group) plus role, e.g. ``RUSGOV``.
    code: ActorCode
    #: ISO-3166 alpha-3 of the country the actor belongs to; ``None`` for IGOs
    #: and transnational groups.
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{3}$")] = None
    role: Role | None = None
    #: Human-readable name, e.g. "Government of Russia".
    name: str
    #: How the resolution was made, e.g. ``gazetteer:adjective``,
    #: ``leader:2021-01-20..2025-01-20``, ``title:deputy foreign minister``.
    basis: str


class Entity(Model):
    """A named mention with exact character offsets into one article field."""

    field: TextField
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    text: str
    #: spaCy/OntoNotes label: PERSON, ORG, GPE, NORP, LOC, FAC, ...
    label: str
    actor: ActorRef | None = None
    #: For place names: whether this mention acts as a political actor
    #: ("Moscow warned") or only names a location ("talks in Moscow").
    usage: Literal["actor", "place", "other"] = "other"


class Evidence(Model):
    """Where a stance was read from, so every number can be checked by eye."""

    field: TextField
    sentence: str
    sentence_start: Annotated[int, Field(ge=0)]
    source_span: Span
    target_span: Span
    trigger_span: Span
    trigger: str
    #: Person quoted or reported when the stance comes from speech.
    speaker: str | None = None
    #: Character offsets of ``speaker`` where it is named (for "he said", the
    #: name "he" stands for), which may be in an earlier sentence.
    speaker_span: Span | None = None


class Stance(Model):
    """A directed act of one actor toward another, CAMEO-coded."""

    source: ActorRef
    target: ActorRef
    #: CAMEO event code, 2 to 4 digits (root at least).
    cameo_code: Annotated[str, Field(pattern=r"^[0-9]{2,4}$")]
    plover: str
    quad_class: QuadClass
    goldstein: Annotated[float, Field(ge=-10.0, le=10.0)]
    polarity: Polarity
    confidence: Annotated[float, Field(ge=0.0, le=1.0)]
    negated: bool = False
    hypothetical: bool = False
    evidence: Evidence


class ActorCount(Model):
    code: ActorCode
    name: str
    mentions: Annotated[int, Field(ge=1)]


class EnrichedArticle(Model):
    """The value on ``news.enriched.v1``: the article plus what we read in it.

    It carries no wall-clock time, so replaying a file offline and streaming
    it through Kafka produce byte-identical values.
    """

    #: Deterministic: hash of the article id, its content and the analyzer version.
    enrichment_id: HexId
    id: str
    url: str | None
    title: str
    published_at: EventTime
    ingested_at: EventTime | None = None
    source: Source
    language: str | None
    #: ``ok`` when the full analysis ran; ``partial`` with reasons otherwise
    #: (empty body, unsupported language, analysis budget exceeded...).
    status: Literal["ok", "partial"]
    reasons: list[str] = []
    entities: list[Entity] = []
    actors: list[ActorCount] = []
    stances: list[Stance] = []
    #: Article tone in [-1, 1]: mean polarity-weighted Goldstein of stances,
    #: a secondary signal.  ``None`` when nothing could be read.
    tone: Annotated[float | None, Field(ge=-1.0, le=1.0)] = None
    #: 64-bit SimHash of the body's word shingles (hex), for near-duplicate
    #: detection of syndicated copies.
    signature: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
    analyzer_version: str
