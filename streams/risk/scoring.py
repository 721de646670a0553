"""The 0-100 risk score of a dyad at an instant, and the numbers behind it.

    magnitude   = w * surge + (1 - w) * level
    reciprocity = one_sided + (1 - one_sided) * mutuality
    credibility = base + a * severity + b * corroboration     (base + a + b = 1)
    score       = 100 * magnitude * reciprocity * credibility

*Level* is the sustained conflict (a medium-horizon sum of role-weighted
intensity, read against the feed's density); *surge* compares the last day
with the dyad's own month (its normal); *mutuality* says whether the
hostility of the last month runs both ways, as in a dispute, or one way
only; *credibility* says how bad it is and how many vouched-for sources
report it.  Multiplying means a quiet dyad scores near zero however severe
or corroborated its last report was, and that without new events the score
only decays (every part is non-increasing or, for ratios, constant), so
only events can raise a level.  All components are in [0, 1].
"""

from __future__ import annotations

import math
from typing import NamedTuple

from streams.risk.config import RiskConfig
from streams.risk.sources import UNVERIFIED, source_label
from streams.risk.state import (
    L_BACKWARD,
    L_CONFLICT,
    L_COOPERATION,
    L_FORWARD,
    M_CONFLICT,
    S_CONFLICT,
    S_COOPERATION,
    S_HOSTILE_CONFIDENCE,
    S_MATERIAL,
    DyadState,
)

_EPS = 1e-12
#: Rank of each level (none 0 ... critical 3), as in ``streams.risk.levels``.
LEVEL_RANK = {"none": 0, "watch": 1, "warning": 2, "critical": 3}


class Assessment(NamedTuple):
    """A dyad's score at ``at`` with every number an explanation may cite."""

    at: float
    score: float
    surge: float
    level: float
    severity: float
    corroboration: float
    short_conflict: float
    long_conflict: float
    short_cooperation: float
    long_cooperation: float
    #: Conflict intensity per day over the short horizon (sum / mean lifetime).
    short_rate: float
    #: The dyad's own baseline: conflict intensity per day over the long horizon.
    baseline: float
    #: Smoothed ``(short_rate + prior) / (baseline + prior)``.
    surge_ratio: float
    mean_goldstein: float
    material_share: float
    #: Distinct sources with a hostile report in the corroboration window
    #: (registered ones, plus one for all unregistered ones).
    outlets: int
    #: Conflict intensity over the medium horizon (the sustained level).
    medium_conflict: float = 0.0
    #: Share of the last month's conflict running the less hostile way, doubled:
    #: 1 when both sides are as hostile, 0 when all of it runs one way.
    mutuality: float = 0.0
    reciprocity: float = 1.0
    #: Registered sources in the window, weighted by tier (or the coded feed's
    #: own count of sources for one act, when larger).
    verified: float = 0.0
    #: Whether unregistered outlets reported in the window (one source at most).
    unverified: bool = False


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def corroborating_outlets(state: DyadState, at: float, config: RiskConfig) -> tuple[str, ...]:
    """Sources that reported a hostile event in the corroboration window, readably."""
    since = at - config.corroboration_seconds
    return tuple(sorted(source_label(k) for k, (t, _) in state.sources.items() if since <= t <= at))


def source_counts(state: DyadState, at: float, config: RiskConfig) -> tuple[int, float, bool]:
    """(distinct sources, registered weight, any unregistered) in the corroboration window."""
    since = at - config.corroboration_seconds
    count, weight, unverified = 0, 0.0, False
    for key, (t, w) in state.sources.items():
        if since <= t <= at:
            count += 1
            if key == UNVERIFIED:
                unverified = True
            else:
                weight += w
    if weight > 0.0 and state.reported:
        reported = max((n for n, t in state.reported.items() if since <= t <= at), default=0)
        weight = max(weight, float(reported))
    return count, weight, unverified


def recent_hostile_events(state: DyadState, at: float, config: RiskConfig) -> int:
    """Deduplicated hostile events in the corroboration window."""
    since = at - config.corroboration_seconds
    return sum(1 for c in state.clusters.values() if c.rep_hostile and since <= c.rep_time <= at)


def evidence(state: DyadState, a: Assessment, config: RiskConfig) -> tuple[bool, bool]:
    """(warning_ready, critical_ready): is the hostility sustained, and is there
    enough of it (sources, distinct events, time) for critical?

    Only worked out when the score could raise the dyad above watch (the caps
    stop raises, not held levels): it scans the remembered events.
    """
    enter, _ = config.thresholds
    if state.level == "critical" or a.score < enter[max(2, LEVEL_RANK[state.level] + 1)]:
        return True, True
    since = a.at - config.corroboration_seconds
    times = [c.rep_time for c in state.clusters.values() if c.rep_hostile and since <= c.rep_time <= a.at]
    span = max(times) - min(times) if times else 0.0
    warning_ready = span >= config.warning_span_seconds
    critical_ready = (
        a.verified >= config.critical_min_outlets
        and len(times) >= config.critical_min_events
        and span >= config.critical_span_seconds
    )
    return warning_ready, critical_ready


def assess(state: DyadState, config: RiskConfig, at: float | None = None) -> Assessment:
    """Score ``state`` as of ``at`` (default: its reference time)."""
    if at is None:
        at = state.ref if state.ref is not None else 0.0
    sums = state.decayed_sums(at, config.short_rate, config.medium_rate, config.long_rate)
    short_conflict = sums[S_CONFLICT]
    long_conflict = sums[L_CONFLICT]
    medium_conflict = sums[M_CONFLICT]
    density = config.density
    # Rates per day: a decayed sum divided by the horizon's mean lifetime
    # (half-life / ln 2) estimates the recent rate, so horizons compare.
    short_rate = short_conflict / config.short_lifetime_days
    baseline = long_conflict / config.long_lifetime_days
    prior = config.surge_prior_rate * density
    ratio = (short_rate + prior) / (baseline + prior)
    surge = min(1.0, math.log(ratio) / config.log_surge_full_ratio) if ratio > 1.0 else 0.0
    level = 1.0 - math.exp(-medium_conflict / (config.level_scale * density))

    forward, backward = sums[L_FORWARD], sums[L_BACKWARD]
    both = forward + backward
    mutuality = _clamp(2.0 * min(forward, backward) / both) if both > _EPS else 0.0
    reciprocity = config.one_sided_weight + (1.0 - config.one_sided_weight) * mutuality

    hostile_confidence = sums[S_HOSTILE_CONFIDENCE]
    weighted_goldstein = short_conflict / hostile_confidence if hostile_confidence > _EPS else 0.0
    material_share = _clamp(sums[S_MATERIAL] / short_conflict) if short_conflict > _EPS else 0.0
    severity = _clamp(0.5 * weighted_goldstein / 10.0 + 0.5 * material_share)

    outlets, verified, unverified = source_counts(state, at, config)
    effective = verified + (config.unverified_weight if unverified else 0.0)
    corroboration = _clamp((effective - 1.0) / (config.corroboration_full_outlets - 1))

    magnitude = config.surge_weight * surge + (1.0 - config.surge_weight) * level
    credibility = (
        config.credibility_base
        + config.severity_weight * severity
        + config.corroboration_weight * corroboration
    )
    score = min(100.0, max(0.0, 100.0 * magnitude * reciprocity * credibility))
    # Positional: this runs for every event and every grid step.
    return Assessment(
        at, score, surge, level, severity, corroboration, short_conflict, long_conflict,
        sums[S_COOPERATION], sums[L_COOPERATION], short_rate, baseline, ratio, -weighted_goldstein,
        material_share, outlets, medium_conflict, mutuality, reciprocity, verified, unverified,
    )  # fmt: skip
