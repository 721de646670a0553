"""The paging policy: hysteresis, the single-outlet cap and the cooldown."""

from __future__ import annotations

from datetime import timedelta

import pytest

from streams.risk import RiskConfig, decide

CONFIG = RiskConfig()
HOUR = 3600.0


def level_after(current: str, score: float, outlets: int = 5, **kw: object) -> tuple[str, str | None]:
    d = decide(
        current,
        score,
        outlets,
        kw.pop("at", 100 * HOUR),
        kw.pop("last_down", None),  # type: ignore[arg-type]
        kw.pop("last_from", None),
        CONFIG,
    )  # type: ignore[arg-type]
    return d.level, d.transition


@pytest.mark.parametrize(
    ("current", "score", "expected"),
    [
        ("none", 29.9, ("none", None)),
        ("none", 30.0, ("watch", "raise")),
        ("none", 80.0, ("critical", "raise")),
        ("watch", 21.0, ("watch", None)),  # between exit and enter: stay
        ("watch", 19.9, ("none", "resolve")),
        ("watch", 55.0, ("warning", "escalate")),
        ("warning", 41.0, ("warning", None)),
        ("warning", 39.0, ("watch", "deescalate")),
        ("warning", 10.0, ("none", "resolve")),
        ("critical", 66.0, ("critical", None)),
        ("critical", 60.0, ("warning", "deescalate")),  # still above the warning exit
        ("critical", 30.0, ("watch", "deescalate")),
    ],
)
def test_hysteresis(current: str, score: float, expected: tuple[str, str | None]) -> None:
    assert level_after(current, score) == expected


def test_one_outlet_cannot_raise_a_warning() -> None:
    d = decide("none", 90.0, 1, 0.0, None, None, CONFIG)
    assert (d.level, d.transition, d.capped) == ("watch", "raise", True)
    d = decide("warning", 90.0, 1, 0.0, None, None, CONFIG)
    assert (d.level, d.transition) == ("watch", "deescalate")
    assert decide("none", 90.0, 2, 0.0, None, None, CONFIG).level == "critical"


def test_cooldown_blocks_re_raising_a_level_just_left() -> None:
    left_at = 10 * HOUR
    soon, later = left_at + 2 * HOUR, left_at + 7 * HOUR
    blocked = decide("watch", 55.0, 5, soon, left_at, "warning", CONFIG)
    assert (blocked.level, blocked.transition, blocked.suppressed) == ("watch", None, True)
    assert decide("watch", 55.0, 5, later, left_at, "warning", CONFIG).level == "warning"
    # Beyond the level that was left is new information: it goes through.
    assert decide("watch", 80.0, 5, soon, left_at, "warning", CONFIG).level == "critical"
    # Resolving from watch and coming back inside the cooldown is suppressed too.
    assert decide("none", 35.0, 5, soon, left_at, "watch", CONFIG).level == "none"


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValueError):
        RiskConfig(watch_exit=35.0)  # exit above enter
    with pytest.raises(ValueError):
        RiskConfig(warning_enter=90.0)  # warning above critical
    with pytest.raises(ValueError):
        RiskConfig(short_half_life=timedelta(days=40))
    with pytest.raises(ValueError):
        RiskConfig(severity_weight=0.5)  # credibility weights must sum to 1
    with pytest.raises(ValueError):
        RiskConfig(unknown_setting=1)  # type: ignore[call-arg]
