"""Alert scenarios from the issue, and what an alert carries."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from streams.contracts.geo import Alert
from streams.risk import RiskConfig, advance, alert_id, replay, to_seconds
from tests.risk.risk_factories import BASE, event

OUTLETS = ["a.example", "b.example", "c.example", "d.example", "e.example"]
CONFIG = RiskConfig()


def calm_history() -> list:  # type: ignore[type-arg]
    """Three weeks of routine diplomacy: the dyad's baseline."""
    return [event(f"calm{i}", hours=-24 * 21 + 24 * i, code="042", outlet=OUTLETS[i % 5]) for i in range(21)]


def surge(outlets: list[str], n: int = 6, code: str = "138", start: float = 0.0) -> list:  # type: ignore[type-arg]
    return [
        event(f"{code}-{start}-{i}", hours=start + i, code=code, outlet=outlets[i % len(outlets)])
        for i in range(n)
    ]


def levels(alerts: list[Alert]) -> list[tuple[str, str]]:
    return [(a.transition, a.level) for a in alerts]


def test_surge_from_several_outlets_raises_a_warning_within_a_few_events() -> None:
    events = calm_history() + surge(OUTLETS[:4])
    _, alerts = replay(events, CONFIG)
    warning = next(a for a in alerts if a.level == "warning")
    hostile_before = [e for e in events if e.polarity == "hostile" and e.event_time <= warning.as_of]
    assert len(hostile_before) <= 4
    assert warning.previous_level in ("none", "watch")
    assert warning.distinct_outlets >= 2


def test_the_same_surge_from_one_outlet_stays_at_watch() -> None:
    _, alerts = replay(calm_history() + surge(["a.example"]), CONFIG)
    assert alerts, "one outlet may still put the dyad on watch"
    assert {a.level for a in alerts} <= {"watch", "none"}
    assert "fewer than 2 distinct outlets" not in alerts[0].explanation or alerts[0].level == "watch"


def test_de_escalation_resolves_and_a_quiet_dyad_resolves_on_advance() -> None:
    events = calm_history() + surge(OUTLETS[:4])
    states, alerts = replay(events, CONFIG)
    assert alerts[-1].level != "none"  # the input stops while tension is high
    quiet, later = advance(states["RUS|UKR"], to_seconds(BASE) + 7 * 86400, CONFIG)
    assert later and later[-1].transition == "resolve" and later[-1].level == "none"
    assert quiet.level == "none"
    # The same instants come out of an offline replay told to run that long.
    _, offline = replay(events, CONFIG, until=to_seconds(BASE) + 7 * 86400)
    assert [a.alert_id for a in offline] == [a.alert_id for a in alerts + later]
    # Cooperation after the surge also brings it down.
    peace = [event(f"peace{i}", hours=30 + i, code="0871", outlet=OUTLETS[i % 5]) for i in range(5)]
    _, with_peace = replay(events + peace, CONFIG, until=to_seconds(BASE) + 7 * 86400)
    assert with_peace[-1].transition == "resolve"


def test_cooldown_holds_back_a_re_raise() -> None:
    burst = surge(OUTLETS[:4], n=4, code="190")
    again = [event(f"again{i}", hours=28 + i / 2, code="190", outlet=OUTLETS[i]) for i in range(2)]
    _, with_cooldown = replay(burst + again, CONFIG)
    _, without = replay(burst + again, RiskConfig(cooldown=timedelta(0)))
    assert levels(with_cooldown)[-1] == ("deescalate", "warning")
    assert levels(without)[-1] == ("escalate", "critical")


def test_shuffled_input_gives_identical_alerts_when_held_for_the_grace() -> None:
    events = calm_history() + surge(OUTLETS[:4]) + surge(OUTLETS, n=3, code="0871", start=20)
    patient = RiskConfig(alert_grace=timedelta(days=30))
    _, expected = replay(events, patient)
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    _, got = replay(shuffled, patient)
    assert expected and [a.model_dump() for a in got] == [a.model_dump() for a in expected]


def test_alert_ids_are_deterministic() -> None:
    expected = hashlib.sha256(b"RUS|UKR|raise|watch|abc123abc123abc1").hexdigest()
    assert alert_id("RUS|UKR", "raise", "watch", "abc123abc123abc1") == expected
    _, first = replay(calm_history() + surge(OUTLETS[:4]), CONFIG)
    _, second = replay(calm_history() + surge(OUTLETS[:4]), CONFIG)
    assert [a.alert_id for a in first] == [a.alert_id for a in second]
    assert len({a.alert_id for a in first}) == len(first)


def test_an_alert_explains_itself() -> None:
    _, alerts = replay(calm_history() + surge(OUTLETS[:4]), CONFIG)
    warning = next(a for a in alerts if a.level == "warning")
    Alert.model_validate_json(warning.model_dump_json())  # round-trips the contract
    assert warning.dyad == "RUS|UKR" and warning.transition in ("raise", "escalate")
    assert 0 < warning.score <= 100
    assert warning.short_conflict > 0 and warning.baseline >= 0
    assert warning.event_count >= 2 and warning.material_conflict_share == 0.0
    assert warning.short_cooperation > 0  # the calm history's cooperation, decayed
    top = warning.top_events
    assert 1 <= len(top) <= CONFIG.top_k
    assert all(t.article_id and t.url and t.outlet and t.sentence for t in top)
    assert all(t.goldstein == -7.0 and t.cameo_code == "138" for t in top)
    assert [t.weight for t in top] == sorted((t.weight for t in top), reverse=True)
    text = warning.explanation
    assert f"score {warning.score:.2f}" in text
    assert f"{warning.distinct_outlets} outlets" in text
    assert "baseline" in text and "Top event" in text
    trigger = next(
        e for e in calm_history() + surge(OUTLETS[:4]) if e.event_id == warning.triggering_event_id
    )
    assert warning.as_of == trigger.event_time
