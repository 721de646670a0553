"""The paging policy: hysteresis, the evidence caps and the cooldown."""

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
        ("none", 24.9, ("none", None)),
        ("none", 25.0, ("watch", "raise")),
        ("none", 80.0, ("critical", "raise")),
        ("watch", 13.0, ("watch", None)),  # between exit and enter: stay
        ("watch", 11.9, ("none", "resolve")),
        ("watch", 40.0, ("warning", "escalate")),
        ("warning", 16.0, ("warning", None)),  # a wide gap: a lasting conflict holds its warning
        ("warning", 14.0, ("watch", "deescalate")),
        ("warning", 5.0, ("none", "resolve")),
        ("critical", 46.0, ("critical", None)),
        ("critical", 40.0, ("warning", "deescalate")),  # still above the warning exit
        ("critical", 12.0, ("watch", "deescalate")),
    ],
)
def test_hysteresis(current: str, score: float, expected: tuple[str, str | None]) -> None:
    assert level_after(current, score) == expected


def test_one_source_cannot_raise_a_warning_but_a_held_level_is_not_dropped() -> None:
    d = decide("none", 90.0, 1, 0.0, None, None, CONFIG)
    assert (d.level, d.transition, d.capped, d.capped_by) == ("watch", "raise", True, "single_source")
    # Caps stop raises; a warning entered on good evidence is held while the score allows.
    d = decide("warning", 90.0, 1, 0.0, None, None, CONFIG)
    assert (d.level, d.transition, d.capped_by) == ("warning", None, "single_source")
    assert decide("none", 90.0, 2, 0.0, None, None, CONFIG).level == "warning"  # critical needs 3
    assert decide("none", 90.0, 3, 0.0, None, None, CONFIG).level == "critical"


def test_tier_weights_count_toward_sources() -> None:
    """Two state-media outlets (weight 0.5 each) are one source's worth."""
    d = decide("none", 90.0, 2, 0.0, None, None, CONFIG, verified=1.0)
    assert (d.level, d.capped_by) == ("watch", "single_source")


def test_unregistered_sources_only_are_capped_at_watch() -> None:
    d = decide("none", 99.0, 1, 0.0, None, None, CONFIG, verified=0.0, unverified=True)
    assert (d.level, d.capped_by) == ("watch", "unverified")
    strict = RiskConfig(unverified_max_level="none")
    d = decide("none", 99.0, 1, 0.0, None, None, strict, verified=0.0, unverified=True)
    assert (d.level, d.transition, d.capped_by) == ("none", None, "unverified")


def test_warning_needs_sustained_and_critical_needs_volume_and_time() -> None:
    d = decide("none", 90.0, 5, 0.0, None, None, CONFIG, warning_ready=False)
    assert (d.level, d.capped_by) == ("watch", "not_sustained")
    d = decide("watch", 90.0, 5, 0.0, None, None, CONFIG, critical_ready=False)
    assert (d.level, d.transition, d.capped_by) == ("warning", "escalate", "critical_evidence")


def test_cooldown_blocks_re_raising_a_level_just_left() -> None:
    left_at = 10 * HOUR
    soon, later = left_at + 2 * HOUR, left_at + 7 * HOUR
    blocked = decide("watch", 40.0, 5, soon, left_at, "warning", CONFIG)
    assert (blocked.level, blocked.transition, blocked.suppressed) == ("watch", None, True)
    assert decide("watch", 40.0, 5, later, left_at, "warning", CONFIG).level == "warning"
    # Beyond the level that was left is new information: it goes through.
    assert decide("watch", 80.0, 5, soon, left_at, "warning", CONFIG).level == "critical"
    # Resolving from watch and coming back inside the cooldown is suppressed too.
    assert decide("none", 30.0, 5, soon, left_at, "watch", CONFIG).level == "none"


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValueError):
        RiskConfig(watch_exit=25.0)  # exit above enter
    with pytest.raises(ValueError):
        RiskConfig(warning_enter=60.0)  # warning above critical
    with pytest.raises(ValueError):
        RiskConfig(medium_half_life=timedelta(days=40))  # beyond the long horizon
    with pytest.raises(ValueError, match="outlet registry"):
        RiskConfig(outlet_registry="builtin,/nonexistent/outlets.yaml")
    with pytest.raises(ValueError):
        RiskConfig(short_half_life=timedelta(days=40))
    with pytest.raises(ValueError):
        RiskConfig(severity_weight=0.5)  # credibility weights must sum to 1
    with pytest.raises(ValueError):
        RiskConfig(unknown_setting=1)  # type: ignore[call-arg]
