"""Dyad-level contracts: stance events in, alerts out (``geo.*`` topics)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from streams.contracts.common import (
    ActorCode,
    DyadKey,
    EventTime,
    HexId,
    Model,
    Polarity,
    QuadClass,
)

Origin = Literal["analyzer", "gdelt", "icews", "manual"]
AlertLevel = Literal["none", "watch", "warning", "critical"]


class StanceEvent(Model):
    """One coded act between two country-level actors, keyed by dyad.

    Produced by the enrich agent and by loaders of external coded feeds; the
    risk agent consumes nothing else, which is what lets archives backfill
    baselines.
    """

    #: Deterministic id: the same sentence of the same article always maps to it.
    event_id: HexId
    dyad: DyadKey
    source_code: ActorCode
    target_code: ActorCode
    source_country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    target_country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    cameo_code: Annotated[str, Field(pattern=r"^[0-9]{2,4}$")]
    plover: str
    quad_class: QuadClass
    goldstein: Annotated[float, Field(ge=-10.0, le=10.0)]
    polarity: Polarity
    confidence: Annotated[float, Field(ge=0.0, le=1.0)]
    event_time: EventTime
    article_id: str | None = None
    url: str | None = None
    #: Outlet identity used for corroboration (domain, else name).
    outlet: str
    sentence: str = ""
    #: 64-bit SimHash (hex) of the normalised sentence: syndicated copies of a
    #: wire story share it, so they collapse to one event.
    signature: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
    origin: Origin = "analyzer"
    #: Who produced the article or row: the authenticated principal of the
    #: producer (``User:crawler-eu``) or a producer id from a header that the
    #: operator controls, as the worker saw it; never taken from the payload.
    #: Corroboration counts one producer as one source, whatever outlets it
    #: claims (unless the operator trusts it to report outlets).  Absent when
    #: the broker does not authenticate producers.
    producer: Annotated[str, Field(min_length=1, max_length=256)] | None = None
    #: Distinct sources a coded feed says reported this act (GDELT ``NumSources``).
    source_count: Annotated[int, Field(ge=1)] | None = None
    #: Documents a coded feed says mention this act (GDELT ``NumArticles``).
    article_count: Annotated[int, Field(ge=1)] | None = None


class Contribution(Model):
    """One event's share in an alert, for the explanation."""

    event_id: HexId
    article_id: str | None
    url: str | None
    outlet: str
    sentence: str
    cameo_code: str
    goldstein: float
    event_time: EventTime
    #: Decayed, confidence-weighted conflict intensity this event adds now.
    weight: float
    #: Distinct outlets that carried the same (near-duplicate) event.
    outlets: list[str] = []


class ScoreComponents(Model):
    """The parts of the 0-100 risk score, each in [0, 1]."""

    surge: Annotated[float, Field(ge=0.0, le=1.0)]
    level: Annotated[float, Field(ge=0.0, le=1.0)]
    severity: Annotated[float, Field(ge=0.0, le=1.0)]
    corroboration: Annotated[float, Field(ge=0.0, le=1.0)]
    #: How two-sided the hostility of the last month is (1: both ways alike).
    reciprocity: Annotated[float, Field(ge=0.0, le=1.0)] | None = None


class Alert(Model):
    """A change of a dyad's escalation level, explained."""

    #: Deterministic: hash of dyad, level transition and the triggering event,
    #: so a replay or a retry yields the same id and pages once.
    alert_id: HexId
    dyad: DyadKey
    level: AlertLevel
    previous_level: AlertLevel
    transition: Literal["raise", "escalate", "deescalate", "resolve"]
    score: Annotated[float, Field(ge=0.0, le=100.0)]
    components: ScoreComponents
    #: Event time the alert refers to (that of the triggering event).
    as_of: EventTime
    triggering_event_id: HexId
    short_conflict: float
    long_conflict: float
    baseline: float
    short_cooperation: float
    event_count: Annotated[int, Field(ge=0)]
    distinct_outlets: Annotated[int, Field(ge=0)]
    material_conflict_share: Annotated[float, Field(ge=0.0, le=1.0)]
    top_events: list[Contribution]
    explanation: str
    #: Registered (vouched-for) sources with a hostile report in the
    #: corroboration window, weighted by tier; ``distinct_outlets`` also counts
    #: the one unverified source.
    verified_sources: Annotated[float, Field(ge=0.0)] | None = None
    #: Why the level is lower than the score alone would give: ``unverified``
    #: (rests on unregistered sources only), ``single_source`` (fewer
    #: registered sources than a warning needs), ``not_sustained`` (the hostile
    #: reports do not yet span ``warning_min_span``), ``critical_evidence``
    #: (too few sources, events or hours for critical).
    capped_by: Literal["unverified", "single_source", "not_sustained", "critical_evidence"] | None = None
