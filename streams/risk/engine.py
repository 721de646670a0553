"""The per-dyad engine: ``apply`` one stance event, get the new state and any alerts.

Event time, not arrival time, drives everything:

* An event first waits in the dyad's *pending* buffer until the dyad's
  watermark (latest event time seen) passes it by ``alert_grace``.  Pending
  events are then *sealed* in ``(event_time, event_id)`` order: each is
  deduplicated, integrated into the decayed sums, and the level is
  re-evaluated at its time.  Any arrival order within the grace therefore
  yields the same alerts, not only the same state.
* Between sealed events, while a level is raised, the level is also
  re-evaluated on a fixed event-time grid (``evaluation_interval``), so
  decaying tension de-escalates and resolves at the same instants offline
  and online.  Without events the score can only fall, so a grid step
  never raises a level.
* An event older than the sealed time (later than the grace) is *late*:
  it is still integrated (the sums stay order independent) and the level
  is re-evaluated at once, at the latest evaluated instant; only then can
  alerts depend on arrival order.  ``late_events`` counts them.
* Exact duplicates (an event id already seen) return the state unchanged.

Call :func:`advance` with an event-time watermark (e.g. the partition's
stream time) to seal a dyad that has gone quiet, and :func:`flush` at the
end of a finite input.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from datetime import datetime

from streams.contracts.geo import Alert, AlertLevel, StanceEvent
from streams.risk.alerts import build_alert
from streams.risk.config import RiskConfig
from streams.risk.dedup import (
    ensure_index,
    index_add,
    index_remove,
    matching_clusters,
    merge_runs,
)
from streams.risk.levels import RANK, decide
from streams.risk.scoring import assess, evidence
from streams.risk.sources import source_of
from streams.risk.state import (
    S_CONFLICT,
    Cluster,
    Contributor,
    DyadState,
    add_sums,
    scale_sums,
    to_seconds,
)
from streams.risk.weights import contribution

DEFAULT_CONFIG = RiskConfig()
#: Safety bound on grid evaluations in one sealing step.
_MAX_GRID_STEPS = 100_000
#: Pruning of time-expired memory happens when the reference time crosses
#: a boundary of this many parts of the retention: cheap, and deterministic.
_PRUNE_EPOCHS = 8


def _pending_key(entry: tuple[float, str, StanceEvent]) -> tuple[float, str]:
    return (entry[0], entry[1])


# -- public API --------------------------------------------------------------


def is_duplicate(state: DyadState | None, event: StanceEvent) -> bool:
    """Whether ``apply`` would ignore ``event`` as an exact duplicate."""
    return state is not None and event.event_id in state.seen


def apply(
    state: DyadState | None, event: StanceEvent, config: RiskConfig = DEFAULT_CONFIG
) -> tuple[DyadState, list[Alert]]:
    """Fold one event into a dyad's state; return the new state and any alerts.

    ``state`` is not modified (its derived signature index is handed over
    to the returned state and rebuilt on demand if ``state`` is used again).
    """
    if state is None:
        state = DyadState(dyad=event.dyad)
    elif state.dyad != event.dyad:
        raise ValueError(f"event for {event.dyad} applied to the state of {state.dyad}")
    if event.event_id in state.seen:
        return state, []

    st = _successor(state)
    t = to_seconds(event.event_time)
    st.seen[event.event_id] = t
    if len(st.seen) > config.max_seen_ids:
        _evict_oldest(st.seen, config.max_seen_ids)
    st.max_time = t if st.max_time is None else max(st.max_time, t)

    alerts: list[Alert] = []
    if st.sealed_until is not None and t < st.sealed_until:
        st.late_events += 1
        _integrate(st, event, t, config)
        at = max(t if st.ref is None else st.ref, t if st.last_evaluated is None else st.last_evaluated)
        _evaluate(st, at, event.event_id, config, alerts)
    else:
        bisect.insort(st.pending, (t, event.event_id, event), key=_pending_key)
    _seal(st, st.max_time - config.grace_seconds, config, alerts)
    while len(st.pending) > config.max_pending:
        _seal(st, st.pending[0][0], config, alerts)
    return st, alerts


def event_order(event: StanceEvent) -> tuple[datetime, str]:
    """Sort key for replaying an archive in event time (archives are not sorted)."""
    return (event.event_time, event.event_id)


def _seconds(moment: datetime | float) -> float:
    return to_seconds(moment) if isinstance(moment, datetime) else float(moment)


def advance(
    state: DyadState, watermark: datetime | float, config: RiskConfig = DEFAULT_CONFIG
) -> tuple[DyadState, list[Alert]]:
    """Seal what the event-time ``watermark`` (datetime or POSIX seconds) allows.

    For dyads that have gone quiet: pending events get evaluated and raised
    levels decay on the grid.  Passing a watermark ahead of the dyad's own
    events is what makes events arriving after it late, so use event time
    (the stream's), never wall-clock time during a backfill.
    """
    until = _seconds(watermark) - config.grace_seconds
    if state.sealed_until is not None and until <= state.sealed_until:
        return state, []
    st = _successor(state)
    alerts: list[Alert] = []
    _seal(st, until, config, alerts)
    return st, alerts


def flush(
    state: DyadState, config: RiskConfig = DEFAULT_CONFIG, until: datetime | float | None = None
) -> tuple[DyadState, list[Alert]]:
    """Seal every pending event (end of a finite input), and decay to ``until``."""
    candidates = [state.max_time, None if until is None else _seconds(until)]
    limits = [x for x in candidates if x is not None]
    if not limits:
        return state, []
    return advance(state, max(limits) + config.grace_seconds, config)


def replay(
    events: Iterable[StanceEvent],
    config: RiskConfig = DEFAULT_CONFIG,
    *,
    until: datetime | float | None = None,
    flush_at_end: bool = True,
) -> tuple[dict[str, DyadState], list[Alert]]:
    """Run events through the engine in the given order, as a worker would.

    With ``flush_at_end`` every dyad is sealed to its latest event (and to
    ``until`` if later), so a finite file gives the alerts a long-running
    worker would have given.  Archives should be sorted with
    :func:`event_order` first: arrival order beyond the grace matters.
    """
    states: dict[str, DyadState] = {}
    alerts: list[Alert] = []
    for event in events:
        new, raised = apply(states.get(event.dyad), event, config)
        states[event.dyad] = new
        alerts.extend(raised)
    if flush_at_end:
        for dyad in sorted(states):
            new, raised = flush(states[dyad], config, until)
            states[dyad] = new
            alerts.extend(raised)
    return states, alerts


# -- sealing and evaluation ------------------------------------------------


def _successor(state: DyadState) -> DyadState:
    st = state.copy()
    st.index, state.index = state.index, None
    return st


def _seal(st: DyadState, until: float, config: RiskConfig, alerts: list[Alert]) -> None:
    while st.pending and st.pending[0][0] <= until:
        t, _, event = st.pending.pop(0)
        _grid(st, t, False, config, alerts)
        _integrate(st, event, t, config)
        _evaluate(st, t, event.event_id, config, alerts)
    _grid(st, until, True, config, alerts)
    if st.sealed_until is None or until > st.sealed_until:
        st.sealed_until = until


def _grid(st: DyadState, limit: float, inclusive: bool, config: RiskConfig, alerts: list[Alert]) -> None:
    """Re-evaluate a raised level at grid instants up to ``limit``."""
    if st.level == "none" or st.last_evaluated is None or st.last_event_id is None:
        return
    step = config.interval_seconds
    k = math.floor(st.last_evaluated / step) + 1
    for _ in range(_MAX_GRID_STEPS):
        at = k * step
        if at > limit or (at == limit and not inclusive) or RANK[st.level] == 0:
            return
        _evaluate(st, at, st.last_event_id, config, alerts)
        k += 1


def _evaluate(st: DyadState, at: float, trigger: str, config: RiskConfig, alerts: list[Alert]) -> None:
    a = assess(st, config, at)
    warning_ready, critical_ready = evidence(st, a, config)
    decision = decide(
        st.level, a.score, a.outlets, at, st.last_downgrade, st.last_downgrade_from, config,
        verified=a.verified, unverified=a.unverified,
        warning_ready=warning_ready, critical_ready=critical_ready,
    )
    st.score = a.score
    if st.last_evaluated is None or at > st.last_evaluated:
        st.last_evaluated = at
    if decision.transition is None:
        return
    previous = st.level
    if RANK[decision.level] < RANK[previous]:
        _record_downgrade(st, previous, at, config)
    st.level = decision.level
    st.level_since = at
    alerts.append(build_alert(st, previous, decision, a, trigger, config))


def _record_downgrade(st: DyadState, left: AlertLevel, at: float, config: RiskConfig) -> None:
    """Remember the highest level left within the cooldown, for re-raise checks."""
    recent = (
        st.last_downgrade is not None
        and st.last_downgrade_from is not None
        and at - st.last_downgrade < config.cooldown_seconds
    )
    if recent and st.last_downgrade_from is not None and RANK[st.last_downgrade_from] > RANK[left]:
        left = st.last_downgrade_from
    st.last_downgrade = at
    st.last_downgrade_from = left


# -- integration: dedup, sums, outlets, contributors ------------------------


def _integrate(st: DyadState, event: StanceEvent, t: float, config: RiskConfig) -> None:
    rates = (config.short_rate, config.medium_rate, config.long_rate)
    _advance_ref(st, t, rates, config)
    latest = (st.last_event_time, st.last_event_id or "")
    if st.last_event_time is None or (t, event.event_id) > latest:
        st.last_event_id, st.last_event_time = event.event_id, t

    max_hamming = config.near_duplicate_max_hamming
    signature = int(event.signature, 16)
    vector = contribution(event, config)
    hostile = event.polarity == "hostile"
    if hostile:
        _note_source(st, event, t, config)

    matches = matching_clusters(st, signature, t, config.window_seconds, max_hamming)
    index = ensure_index(st, max_hamming)
    if not matches:
        cluster = Cluster(
            rep_id=event.event_id,
            rep_time=t,
            rep_vector=vector,
            rep_hostile=hostile,
            last_time=t,
            signatures=((signature, t, t),),
            outlets=(event.outlet,),
            members=1,
        )
        st.clusters[event.event_id] = cluster
        index_add(index, event.event_id, cluster, max_hamming)
        _add(st, vector, t, 1.0, rates)
        st.events += 1
        if hostile and vector[S_CONFLICT] > 0:
            _add_contributor(st, event, t, vector[S_CONFLICT], cluster.outlets, config)
        if len(st.clusters) > config.max_clusters:
            _evict_clusters(st, config)
        return

    old = [st.clusters[key] for key in matches]
    rep_time, rep_id = min([(c.rep_time, c.rep_id) for c in old] + [(t, event.event_id)])
    survivor = next((c for c in old if c.rep_id == rep_id), None)
    for c in old:
        if c.rep_id != rep_id:
            _add(st, c.rep_vector, c.rep_time, -1.0, rates)
            st.contributors.pop(c.rep_id, None)
    if survivor is None:  # the new event is the earliest: it becomes the representative
        _add(st, vector, t, 1.0, rates)
        rep_vector, rep_hostile = vector, hostile
    else:
        rep_vector, rep_hostile = survivor.rep_vector, survivor.rep_hostile

    runs = [run for c in old for run in c.signatures] + [(signature, t, t)]
    kept_signatures = merge_runs(runs, config.window_seconds)
    outlets = sorted({o for c in old for o in c.outlets} | {event.outlet})
    merged = Cluster(
        rep_id=rep_id,
        rep_time=rep_time,
        rep_vector=rep_vector,
        rep_hostile=rep_hostile,
        last_time=max([c.last_time for c in old] + [t]),
        signatures=tuple(kept_signatures[: config.max_signatures_per_cluster]),
        outlets=tuple(outlets[: config.max_outlets_per_cluster]),
        members=sum(c.members for c in old) + 1,
    )
    for c in old:
        index_remove(index, c.rep_id, c, max_hamming)
        del st.clusters[c.rep_id]
    st.clusters[rep_id] = merged
    index_add(index, rep_id, merged, max_hamming)
    st.events -= len(old) - 1
    st.near_duplicates += len(old)

    if survivor is None and hostile and vector[S_CONFLICT] > 0:
        _add_contributor(st, event, t, vector[S_CONFLICT], merged.outlets, config)
    else:
        entry = st.contributors.get(rep_id)
        if entry is not None and entry.outlets != merged.outlets:
            st.contributors[rep_id] = entry._replace(outlets=merged.outlets)


Rates = tuple[float, float, float]


def _advance_ref(st: DyadState, t: float, rates: Rates, config: RiskConfig) -> None:
    """Move the reference time forward to ``t``, rescaling the sums."""
    if st.ref is None:
        st.ref = t
        return
    if t <= st.ref:
        return
    dt = t - st.ref
    short, medium, long = rates
    st.sums = scale_sums(st.sums, math.exp(-short * dt), math.exp(-medium * dt), math.exp(-long * dt))
    epoch = config.dedup_retention / _PRUNE_EPOCHS
    crossed = math.floor(t / epoch) > math.floor(st.ref / epoch)
    st.ref = t
    if crossed:
        _prune(st, math.floor(t / epoch) * epoch, config)


def _add(st: DyadState, vector: tuple[float, ...], t: float, sign: float, rates: Rates) -> None:
    """Add (or remove) a contribution made at ``t`` <= ``ref``."""
    assert st.ref is not None and t <= st.ref
    dt = st.ref - t
    short, medium, long = rates
    fs, fm, fl = sign * math.exp(-short * dt), sign * math.exp(-medium * dt), sign * math.exp(-long * dt)
    st.sums = add_sums(st.sums, vector, fs, fm, fl)


def _note_source(st: DyadState, event: StanceEvent, t: float, config: RiskConfig) -> None:
    """Remember the source of a hostile event (latest time, weight): order free."""
    key, weight = source_of(event.outlet, event.producer, config.registry, config.trusted_producer_set)
    previous = st.sources.get(key)
    if previous is None or t > previous[0] or weight > previous[1]:
        latest = t if previous is None else max(t, previous[0])
        st.sources[key] = (latest, weight if previous is None else max(weight, previous[1]))
        if len(st.sources) > config.max_outlets:
            _evict_oldest_sources(st.sources, config.max_outlets)
    count = event.source_count
    if count is not None and count > 1 and weight > 0.0:
        seen = st.reported.get(count)
        if seen is None or t > seen:
            st.reported[count] = t
            if len(st.reported) > 16:
                del st.reported[min(st.reported, key=lambda n: (st.reported[n], n))]


def _prune(st: DyadState, boundary: float, config: RiskConfig) -> None:
    """Forget memory that can no longer matter for events inside the grace."""
    retention_cutoff = boundary - config.dedup_retention
    expired = [k for k, c in st.clusters.items() if c.last_time < retention_cutoff]
    if expired:
        index = ensure_index(st, config.near_duplicate_max_hamming)
        for key in expired:
            index_remove(index, key, st.clusters.pop(key), config.near_duplicate_max_hamming)
    source_cutoff = boundary - config.corroboration_seconds
    for key in [k for k, (when, _) in st.sources.items() if when < source_cutoff]:
        del st.sources[key]
    for count in [n for n, when in st.reported.items() if when < source_cutoff]:
        del st.reported[count]
    for event_id in [e for e, when in st.seen.items() if when < retention_cutoff]:
        del st.seen[event_id]
    # Contributors decay with the short half-life: after a retention they are noise.
    for key in [k for k, c in st.contributors.items() if c.time < retention_cutoff]:
        del st.contributors[key]


def _evict_oldest(times: dict[str, float], cap: int) -> None:
    """Drop the oldest entries (ties by key) down to 7/8 of ``cap``."""
    keep = max(1, cap - cap // 8)
    for key, _ in sorted(times.items(), key=lambda item: (item[1], item[0]))[: len(times) - keep]:
        del times[key]


def _evict_oldest_sources(sources: dict[str, tuple[float, float]], cap: int) -> None:
    keep = max(1, cap - cap // 8)
    for key, _ in sorted(sources.items(), key=lambda item: (item[1][0], item[0]))[: len(sources) - keep]:
        del sources[key]


def _evict_clusters(st: DyadState, config: RiskConfig) -> None:
    keep = max(1, config.max_clusters - config.max_clusters // 8)
    index = ensure_index(st, config.near_duplicate_max_hamming)
    ordered = sorted(st.clusters.values(), key=lambda c: (c.last_time, c.rep_id))
    for cluster in ordered[: len(ordered) - keep]:
        index_remove(index, cluster.rep_id, cluster, config.near_duplicate_max_hamming)
        del st.clusters[cluster.rep_id]


def _add_contributor(
    st: DyadState,
    event: StanceEvent,
    t: float,
    intensity: float,
    outlets: tuple[str, ...],
    config: RiskConfig,
) -> None:
    st.contributors[event.event_id] = Contributor(
        event_id=event.event_id,
        article_id=event.article_id,
        url=event.url,
        outlet=event.outlet,
        sentence=event.sentence[: config.sentence_max_chars],
        cameo_code=event.cameo_code,
        goldstein=event.goldstein,
        time=t,
        intensity=intensity,
        outlets=outlets,
        rank=math.log(intensity) + config.short_rate * t,
    )
    if len(st.contributors) > config.max_contributors:
        weakest = min(st.contributors.values(), key=lambda c: (c.rank, c.event_id))
        del st.contributors[weakest.event_id]
