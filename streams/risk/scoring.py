"""The 0-100 risk score of a dyad at an instant, and the numbers behind it.

    magnitude   = w * surge + (1 - w) * level
    credibility = base + a * severity + b * corroboration     (base + a + b = 1)
    score       = 100 * magnitude * credibility

Magnitude says *how much* is happening relative to the dyad's own normal
(surge) and in absolute terms (level); credibility says how much to believe
and how bad it is.  Multiplying means a quiet dyad scores near zero however
severe or corroborated its last report was, and that without new events
the score only decays (all parts are non-increasing), so only events can
raise a level.  All components are in [0, 1].
"""

from __future__ import annotations

import math
from typing import NamedTuple

from streams.risk.config import RiskConfig
from streams.risk.state import (
    L_CONFLICT,
    L_COOPERATION,
    S_CONFLICT,
    S_COOPERATION,
    S_HOSTILE_CONFIDENCE,
    S_MATERIAL,
    DyadState,
)

_EPS = 1e-12


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
    #: Distinct outlets with a hostile report in the corroboration window.
    outlets: int


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def corroborating_outlets(state: DyadState, at: float, config: RiskConfig) -> tuple[str, ...]:
    """Outlets that reported a hostile event in the corroboration window."""
    since = at - config.corroboration_seconds
    return tuple(sorted(o for o, t in state.outlets.items() if since <= t <= at))


def _count_outlets(state: DyadState, at: float, config: RiskConfig) -> int:
    since = at - config.corroboration_seconds
    return sum(1 for t in state.outlets.values() if since <= t <= at)


def recent_hostile_events(state: DyadState, at: float, config: RiskConfig) -> int:
    """Deduplicated hostile events in the corroboration window."""
    since = at - config.corroboration_seconds
    return sum(1 for c in state.clusters.values() if c.rep_hostile and since <= c.rep_time <= at)


def assess(state: DyadState, config: RiskConfig, at: float | None = None) -> Assessment:
    """Score ``state`` as of ``at`` (default: its reference time)."""
    if at is None:
        at = state.ref if state.ref is not None else 0.0
    sums = state.decayed_sums(at, config.short_rate, config.long_rate)
    short_conflict = sums[S_CONFLICT]
    long_conflict = sums[L_CONFLICT]
    # Rates per day: a decayed sum divided by the horizon's mean lifetime
    # (half-life / ln 2) estimates the recent rate, so horizons compare.
    short_rate = short_conflict / config.short_lifetime_days
    baseline = long_conflict / config.long_lifetime_days
    prior = config.surge_prior_rate
    ratio = (short_rate + prior) / (baseline + prior)
    surge = _clamp(math.log(ratio) / math.log(config.surge_full_ratio)) if ratio > 1 else 0.0
    level = 1.0 - math.exp(-short_conflict / config.level_scale)

    hostile_confidence = sums[S_HOSTILE_CONFIDENCE]
    mean_goldstein = short_conflict / hostile_confidence if hostile_confidence > _EPS else 0.0
    material_share = _clamp(sums[S_MATERIAL] / short_conflict) if short_conflict > _EPS else 0.0
    severity = _clamp(0.5 * mean_goldstein / 10.0 + 0.5 * material_share)

    outlets = _count_outlets(state, at, config)
    corroboration = _clamp((outlets - 1) / (config.corroboration_full_outlets - 1))

    magnitude = config.surge_weight * surge + (1.0 - config.surge_weight) * level
    credibility = (
        config.credibility_base
        + config.severity_weight * severity
        + config.corroboration_weight * corroboration
    )
    score = min(100.0, max(0.0, 100.0 * magnitude * credibility))
    return Assessment(
        at=at,
        score=score,
        surge=surge,
        level=level,
        severity=severity,
        corroboration=corroboration,
        short_conflict=short_conflict,
        long_conflict=long_conflict,
        short_cooperation=sums[S_COOPERATION],
        long_cooperation=sums[L_COOPERATION],
        short_rate=short_rate,
        baseline=baseline,
        surge_ratio=ratio,
        mean_goldstein=-mean_goldstein,
        material_share=material_share,
        outlets=outlets,
    )
