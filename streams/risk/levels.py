"""Alert levels: hysteresis, the evidence caps and the cooldown.

Kept apart from scoring so that the paging policy can be read (and tested)
in one place.  The rules, in order:

1. **Hysteresis.**  A level is entered when the score reaches its *enter*
   threshold and kept until the score drops below its lower *exit*
   threshold; on the way down the dyad lands on the highest level whose
   exit threshold the score still meets.
2. **Evidence caps** (on raises: a level entered on good evidence is held
   while the score allows).  Critical needs ``critical_min_outlets``
   registered sources, ``critical_min_events`` distinct hostile events and
   ``critical_min_span`` between the first and the last (else warning);
   above watch, the hostile reports of the corroboration window must span
   ``warning_min_span`` (a burst inside an hour is one moment), and fewer
   than ``min_outlets_for_warning`` registered sources (weighted by tier)
   cap the raise at ``watch``: one source alone, however prolific, cannot
   page anyone; a level that rests on unregistered outlets only is capped
   at ``unverified_max_level``.
3. **Cooldown.**  After a level is left, a raise back to it (or below it)
   within ``cooldown`` is suppressed; a raise beyond the level left goes
   through, because that is new information.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from streams.contracts.geo import AlertLevel
from streams.risk.config import RiskConfig

Transition = Literal["raise", "escalate", "deescalate", "resolve"]

LEVELS: tuple[AlertLevel, ...] = ("none", "watch", "warning", "critical")
RANK: dict[AlertLevel, int] = {level: i for i, level in enumerate(LEVELS)}
WATCH = 1
CRITICAL = 3


Cap = Literal["unverified", "single_source", "not_sustained", "critical_evidence"]


class Decision(NamedTuple):
    level: AlertLevel
    transition: Transition | None
    #: An evidence cap held the level below what the score alone gives.
    capped: bool = False
    #: The cooldown held back a raise.
    suppressed: bool = False
    #: Which cap.
    capped_by: Cap | None = None


def transition_between(before: int, after: int) -> Transition | None:
    if after == before:
        return None
    if after > before:
        return "raise" if before == 0 else "escalate"
    return "resolve" if after == 0 else "deescalate"


def _evidence_limit(
    config: RiskConfig,
    outlets: int,
    verified: float,
    unverified: bool,
    warning_ready: bool,
    critical_ready: bool,
) -> tuple[int, Cap | None]:
    """The highest level the evidence allows raising to, and the rule that limits it."""
    limit, reason = CRITICAL, None
    # Sources first: when several rules limit a raise alike, who vouches is the one to report.
    rules: list[tuple[bool, int, Cap]]
    if verified <= 0.0 and (unverified or outlets > 0):  # rests on unregistered outlets only
        rules = [(True, RANK[config.unverified_max_level], "unverified")]
    else:
        rules = [(verified < config.min_outlets_for_warning, WATCH, "single_source")]
    rules += [
        (not warning_ready, WATCH, "not_sustained"),
        (not critical_ready or verified < config.critical_min_outlets, CRITICAL - 1, "critical_evidence"),
    ]
    for applies, level, rule in rules:
        if applies and level < limit:
            limit, reason = level, rule
    return limit, reason


def decide(
    current: AlertLevel,
    score: float,
    outlets: int,
    at: float,
    last_downgrade: float | None,
    last_downgrade_from: AlertLevel | None,
    config: RiskConfig,
    *,
    verified: float | None = None,
    unverified: bool = False,
    warning_ready: bool = True,
    critical_ready: bool = True,
) -> Decision:
    """The level after observing ``score`` at ``at``, and the transition if any.

    ``verified`` is the weighted count of registered sources (default:
    ``outlets``, all taken as registered); ``unverified`` whether unregistered
    outlets reported too; ``warning_ready`` whether the hostility is sustained
    (spread over time) and ``critical_ready`` whether sources, volume and time
    allow critical (see :func:`streams.risk.scoring.evidence`).
    """
    if verified is None:
        verified = float(outlets)
    enter, exit_ = config.thresholds
    cur = RANK[current]
    up = 3 if score >= enter[3] else 2 if score >= enter[2] else 1 if score >= enter[1] else 0
    if up > cur:
        target = up
    elif cur > 0 and score < exit_[cur]:
        target = cur - 1
        while target > 0 and score < exit_[target]:
            target -= 1
    else:
        target = cur

    capped_by: Cap | None = None
    if target > cur:  # evidence caps stop raises; a level entered on good evidence is held
        limit, capped_by = _evidence_limit(
            config, outlets, verified, unverified, warning_ready, critical_ready
        )
        if target > limit:
            target = max(cur, limit)
        else:
            capped_by = None

    suppressed = False
    if (
        target > cur
        and last_downgrade is not None
        and last_downgrade_from is not None
        and at - last_downgrade < config.cooldown_seconds
        and target <= RANK[last_downgrade_from]
    ):
        target, suppressed = cur, True

    return Decision(LEVELS[target], transition_between(cur, target), capped_by is not None, suppressed,
                    capped_by)
