"""Alert levels: hysteresis, the single-outlet cap and the cooldown.

Kept apart from scoring so that the paging policy can be read (and tested)
in one place.  The rules, in order:

1. **Hysteresis.**  A level is entered when the score reaches its *enter*
   threshold and kept until the score drops below its lower *exit*
   threshold; on the way down the dyad lands on the highest level whose
   exit threshold the score still meets.
2. **Single-outlet cap.**  Fewer than ``min_outlets_for_warning`` distinct
   outlets in the corroboration window cap the level at ``watch``: one
   outlet alone (however prolific) cannot page anyone.
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


class Decision(NamedTuple):
    level: AlertLevel
    transition: Transition | None
    #: The single-outlet cap held the level at ``watch``.
    capped: bool = False
    #: The cooldown held back a raise.
    suppressed: bool = False


def _thresholds(config: RiskConfig) -> tuple[tuple[float, ...], tuple[float, ...]]:
    enter = (0.0, config.watch_enter, config.warning_enter, config.critical_enter)
    exit_ = (0.0, config.watch_exit, config.warning_exit, config.critical_exit)
    return enter, exit_


def transition_between(before: int, after: int) -> Transition | None:
    if after == before:
        return None
    if after > before:
        return "raise" if before == 0 else "escalate"
    return "resolve" if after == 0 else "deescalate"


def decide(
    current: AlertLevel,
    score: float,
    outlets: int,
    at: float,
    last_downgrade: float | None,
    last_downgrade_from: AlertLevel | None,
    config: RiskConfig,
) -> Decision:
    """The level after observing ``score`` at ``at``, and the transition if any."""
    enter, exit_ = _thresholds(config)
    cur = RANK[current]
    up = max((i for i in (1, 2, 3) if score >= enter[i]), default=0)
    if up > cur:
        target = up
    elif cur > 0 and score < exit_[cur]:
        target = max((i for i in range(1, cur) if score >= exit_[i]), default=0)
    else:
        target = cur

    capped = False
    if target > WATCH and outlets < config.min_outlets_for_warning:
        target, capped = WATCH, True

    suppressed = False
    if (
        target > cur
        and last_downgrade is not None
        and last_downgrade_from is not None
        and at - last_downgrade < config.cooldown_seconds
        and target <= RANK[last_downgrade_from]
    ):
        target, suppressed = cur, True

    return Decision(LEVELS[target], transition_between(cur, target), capped, suppressed)
