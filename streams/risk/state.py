"""Per-dyad state: what the risk agent keeps in its changelog-backed table.

Why it looks like this:

* **Order independence.**  Decayed sums are stored relative to a reference
  time (the latest event integrated) and rescaled when it advances; an
  event older than the reference is added at its decayed weight.  Any
  arrival order of the same events therefore gives the same sums, up to
  floating-point rounding.  Near-duplicate groups, outlet recency and the
  contributor ranking are built from order-free operations (min, max,
  union, a time-invariant ranking), for the same reason.
* **Bounded size.**  Every container has a cap in :class:`RiskConfig` and
  is pruned by event time, so a hot dyad's value stays a few tens of KB in
  the changelog whatever its history.
* **Plain JSON.**  :meth:`DyadState.to_dict` / :meth:`DyadState.from_dict`
  use only JSON types (floats round-trip exactly), so any table
  serializer works and a restored state equals the one that was saved.

Times are POSIX seconds (UTC) as floats: cheap to decay and to serialize.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

import orjson

from streams.contracts.geo import AlertLevel, StanceEvent
from streams.risk.sources import UNVERIFIED

#: 3: a medium horizon and directional sums (11 sums), sources instead of
#: outlets, feed-reported source counts.  2: signatures as integers (1 wrote
#: them as hex strings).  All are read, so a worker upgraded in place resumes
#: from the changelog it left (see :func:`_upgrade_sums`).
STATE_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)

# Layout of the sums vector: five short-horizon sums, one medium, five long.
S_CONFLICT = 0  #: conflict intensity: |goldstein| x confidence x actor weights of hostile events
S_COOPERATION = 1  #: cooperation intensity of cooperative events
S_MATERIAL = 2  #: conflict intensity of material-conflict (quad class 4) events
S_HOSTILE_CONFIDENCE = 3  #: sum of confidences of hostile events (for the mean Goldstein)
S_HOSTILE_EVENTS = 4  #: decayed count of hostile events
M_CONFLICT = 5  #: conflict intensity over the medium horizon: the sustained level
L_CONFLICT = 6
L_COOPERATION = 7
L_EVENTS = 8  #: decayed count of all events
L_FORWARD = 9  #: conflict intensity from the dyad's first country to its second (``RUS`` -> ``UKR``)
L_BACKWARD = 10  #: ... and back
N_SHORT = 5
N_SUMS = 11
ZERO_SUMS: tuple[float, ...] = (0.0,) * N_SUMS


def scale_sums(
    sums: tuple[float, ...], short: float, medium: float, long: float, clamp: bool = False
) -> tuple[float, ...]:
    """Sums times a short-, a medium- and a long-horizon factor (unrolled: this is the hot path)."""
    s0, s1, s2, s3, s4, m0, l0, l1, l2, l3, l4 = sums
    out = (
        s0 * short, s1 * short, s2 * short, s3 * short, s4 * short, m0 * medium,
        l0 * long, l1 * long, l2 * long, l3 * long, l4 * long,
    )  # fmt: skip
    if clamp and min(out) < 0.0:
        return tuple(x if x > 0.0 else 0.0 for x in out)
    return out


def add_sums(
    sums: tuple[float, ...], vector: tuple[float, ...], short: float, medium: float, long: float
) -> tuple[float, ...]:
    """``sums + vector * factor``, each horizon's factor on its slots."""
    s0, s1, s2, s3, s4, m0, l0, l1, l2, l3, l4 = sums
    v0, v1, v2, v3, v4, n0, w0, w1, w2, w3, w4 = vector
    return (
        s0 + v0 * short, s1 + v1 * short, s2 + v2 * short, s3 + v3 * short, s4 + v4 * short,
        m0 + n0 * medium,
        l0 + w0 * long, l1 + w1 * long, l2 + w2 * long, l3 + w3 * long, l4 + w4 * long,
    )  # fmt: skip


def _upgrade_sums(values: list[float] | tuple[float, ...]) -> tuple[float, ...]:
    """A version 1/2 sums vector (8 slots) in the version 3 layout, approximately.

    The medium sum is estimated as a third of the long one (10 d against 30 d
    half-lives) and the long conflict is split evenly between the two
    directions; both settle to exact values as new events arrive.
    """
    v = [float(x) for x in values]
    if len(v) == N_SUMS:
        return tuple(v)
    s0, s1, s2, s3, s4, l0, l1, l2 = v
    return (s0, s1, s2, s3, s4, max(s0, l0 / 3.0), l0, l1, l2, l0 / 2.0, l0 / 2.0)


def to_seconds(moment: datetime) -> float:
    """POSIX seconds of an aware datetime."""
    return moment.timestamp()


def to_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Cluster(NamedTuple):
    """A group of near-duplicate events (one story, many copies): counted once.

    The representative is the earliest member by ``(time, event_id)``: a
    choice that does not depend on arrival order.  Only its contribution is
    in the sums; the other members add their outlets.
    """

    rep_id: str
    rep_time: float
    #: The representative's undecayed contribution, laid out like the sums.
    rep_vector: tuple[float, ...]
    rep_hostile: bool
    last_time: float
    #: ``(signature, first, last)``: the times at which members with that
    #: signature appeared, as runs whose gaps are at most twice the window.
    #: An event at ``t`` repeats a run iff ``first - window <= t <= last +
    #: window``, exactly as if every member were kept.  Capped (latest kept).
    signatures: tuple[tuple[int, float, float], ...]
    #: Distinct outlets that carried the story, sorted, capped.
    outlets: tuple[str, ...]
    members: int


class Contributor(NamedTuple):
    """Evidence for an explanation: one hostile event (a group representative)."""

    event_id: str
    article_id: str | None
    url: str | None
    outlet: str
    sentence: str
    cameo_code: str
    goldstein: float
    time: float
    #: Undecayed conflict intensity (|goldstein| x confidence).
    intensity: float
    outlets: tuple[str, ...]
    #: ``log(intensity) + short_rate * time``: orders contributors as their
    #: decayed weights at any common instant would, independent of "now".
    rank: float


@dataclass(slots=True, eq=False)
class DyadState:
    """Everything the engine knows about one dyad.  Treat as immutable:
    :func:`streams.risk.apply` returns a new state and leaves its input alone.
    """

    dyad: str
    #: Time the sums are relative to: the latest integrated event.
    ref: float | None = None
    sums: tuple[float, ...] = ZERO_SUMS
    #: Watermark: the latest event time seen (integrated or pending).
    max_time: float | None = None
    #: Events at or before this time have been integrated and evaluated.
    sealed_until: float | None = None
    #: Deduplicated events integrated (near-duplicate groups).
    events: int = 0
    #: Copies absorbed into an existing group.
    near_duplicates: int = 0
    #: Events that arrived after their time had been sealed.
    late_events: int = 0
    clusters: dict[str, Cluster] = field(default_factory=dict)
    #: Source key (see :mod:`streams.risk.sources`) -> (latest time it reported
    #: a hostile event, its weight; 0 for the unverified source).
    sources: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Distinct sources a coded feed reported for one hostile act (GDELT's
    #: ``NumSources``) -> latest time such an act was seen, from registered outlets.
    reported: dict[int, float] = field(default_factory=dict)
    contributors: dict[str, Contributor] = field(default_factory=dict)
    #: Event id -> event time, for exact-duplicate detection.
    seen: dict[str, float] = field(default_factory=dict)
    #: Events inside the grace period as ``(time, event_id, event)``, sorted.
    pending: list[tuple[float, str, StanceEvent]] = field(default_factory=list)
    level: AlertLevel = "none"
    level_since: float | None = None
    last_downgrade: float | None = None
    last_downgrade_from: AlertLevel | None = None
    last_evaluated: float | None = None
    #: Latest integrated event by ``(time, event_id)``: the trigger of
    #: transitions that happen between events (decay).
    last_event_id: str | None = None
    last_event_time: float | None = None
    score: float = 0.0
    #: Derived signature index (band key -> cluster keys); not serialized.
    #: ``apply`` hands it over to the state it returns.
    index: dict[int, set[str]] | None = field(default=None, repr=False)

    def copy(self) -> DyadState:
        """A new state sharing only immutable parts (containers are copied)."""
        return DyadState(
            dyad=self.dyad,
            ref=self.ref,
            sums=self.sums,
            max_time=self.max_time,
            sealed_until=self.sealed_until,
            events=self.events,
            near_duplicates=self.near_duplicates,
            late_events=self.late_events,
            clusters=dict(self.clusters),
            sources=dict(self.sources),
            reported=dict(self.reported),
            contributors=dict(self.contributors),
            seen=dict(self.seen),
            pending=list(self.pending),
            level=self.level,
            level_since=self.level_since,
            last_downgrade=self.last_downgrade,
            last_downgrade_from=self.last_downgrade_from,
            last_evaluated=self.last_evaluated,
            last_event_id=self.last_event_id,
            last_event_time=self.last_event_time,
            score=self.score,
        )

    def decayed_sums(
        self, at: float, short_rate: float, medium_rate: float, long_rate: float
    ) -> tuple[float, ...]:
        """The sums as of ``at`` (>= ``ref``), clamped at zero against rounding."""
        if self.ref is None:
            return ZERO_SUMS
        dt = max(0.0, at - self.ref)
        return scale_sums(
            self.sums,
            math.exp(-short_rate * dt),
            math.exp(-medium_rate * dt),
            math.exp(-long_rate * dt),
            clamp=True,
        )

    # -- serialization ---------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, canonical form: containers in key order, rows as tuples.

        Built for speed as much as clarity: a hot dyad is serialized once per
        batch, so rows are the (immutable) tuples themselves and signatures stay
        integers, leaving the formatting to orjson.  Dict keys are sorted by
        :meth:`to_bytes` (``OPT_SORT_KEYS``), not here: dict equality ignores order.
        """
        return {
            "v": STATE_VERSION,
            "dyad": self.dyad,
            "ref": self.ref,
            "sums": self.sums,
            "max_time": self.max_time,
            "sealed_until": self.sealed_until,
            "counts": (self.events, self.near_duplicates, self.late_events),
            "clusters": [tuple(self.clusters[k]) for k in sorted(self.clusters)],
            "sources": self.sources,
            "reported": {str(n): t for n, t in self.reported.items()},
            "contributors": [tuple(self.contributors[k]) for k in sorted(self.contributors)],
            "seen": self.seen,
            "pending": [e.model_dump(mode="json") for _, _, e in self.pending],
            "level": self.level,
            "level_since": self.level_since,
            "last_downgrade": self.last_downgrade,
            "last_downgrade_from": self.last_downgrade_from,
            "last_evaluated": self.last_evaluated,
            "last_event": (self.last_event_id, self.last_event_time),
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DyadState:
        if data.get("v") not in READABLE_VERSIONS:
            raise ValueError(f"unsupported DyadState version {data.get('v')!r}")
        counts = data["counts"]
        clusters = {
            row[0]: Cluster(
                rep_id=row[0],
                rep_time=float(row[1]),
                rep_vector=_upgrade_sums(row[2]),
                rep_hostile=bool(row[3]),
                last_time=float(row[4]),
                signatures=tuple((_signature(sig), float(lo), float(hi)) for sig, lo, hi in row[5]),
                outlets=tuple(row[6]),
                members=int(row[7]),
            )
            for row in data["clusters"]
        }
        contributors = {
            row[0]: Contributor(
                event_id=row[0],
                article_id=row[1],
                url=row[2],
                outlet=row[3],
                sentence=row[4],
                cameo_code=row[5],
                goldstein=float(row[6]),
                time=float(row[7]),
                intensity=float(row[8]),
                outlets=tuple(row[9]),
                rank=float(row[10]),
            )
            for row in data["contributors"]
        }
        last_id, last_time = data["last_event"]
        return cls(
            dyad=data["dyad"],
            ref=data["ref"],
            sums=_upgrade_sums(data["sums"]),
            max_time=data["max_time"],
            sealed_until=data["sealed_until"],
            events=counts[0],
            near_duplicates=counts[1],
            late_events=counts[2],
            clusters=clusters,
            sources=_sources(data),
            reported={int(n): float(t) for n, t in data.get("reported", {}).items()},
            contributors=contributors,
            seen={k: float(v) for k, v in data["seen"].items()},
            pending=sorted(_pending_entry(StanceEvent.model_validate(e)) for e in data["pending"]),
            level=cast(AlertLevel, data["level"]),
            level_since=data["level_since"],
            last_downgrade=data["last_downgrade"],
            last_downgrade_from=cast("AlertLevel | None", data["last_downgrade_from"]),
            last_evaluated=data["last_evaluated"],
            last_event_id=last_id,
            last_event_time=last_time,
            score=float(data["score"]),
        )

    def to_json(self) -> str:
        return self.to_bytes().decode("utf-8")

    def to_bytes(self) -> bytes:
        """Compact UTF-8 JSON.  orjson: a hot dyad's state is written once per
        batch, and the stdlib encoder was most of the risk agent's time."""
        return orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_json(cls, text: str | bytes) -> DyadState:
        return cls.from_dict(orjson.loads(text))

    # -- comparison ------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Exact equality of the serialized form (the index is derived)."""
        if not isinstance(other, DyadState):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def approx_equal(self, other: DyadState, rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> bool:
        """Equality up to floating-point rounding, which differs by arrival order."""
        return _close(self.to_dict(), other.to_dict(), rel_tol, abs_tol)


def _signature(value: int | str) -> int:
    """A stored signature: an integer (version 2) or hex text (version 1)."""
    return int(value, 16) if isinstance(value, str) else int(value)


def _sources(data: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Sources of a saved state; versions 1-2 kept free-text outlets, which vouch for nothing,
    so they become the one unverified source."""
    if "sources" in data:
        return {k: (float(t), float(w)) for k, (t, w) in data["sources"].items()}
    times = [float(t) for t in data.get("outlets", {}).values()]
    return {UNVERIFIED: (max(times), 0.0)} if times else {}


def _pending_entry(event: StanceEvent) -> tuple[float, str, StanceEvent]:
    return (to_seconds(event.event_time), event.event_id, event)


def _close(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return False
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel_tol, abs_tol) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y, rel_tol, abs_tol) for x, y in zip(a, b, strict=True))
    return bool(a == b)
