"""Alert scenarios, and what an alert carries."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from streams.contracts.geo import Alert
from streams.risk import RiskConfig, advance, alert_id, replay, to_seconds
from tests.risk.risk_factories import BASE, REGISTERED, event, exchange

OUTLETS = REGISTERED[:5]
CONFIG = RiskConfig()


def calm_history() -> list:  # type: ignore[type-arg]
    """Three weeks of routine diplomacy: the dyad's baseline."""
    return [event(f"calm{i}", hours=-24 * 21 + 24 * i, code="042", outlet=OUTLETS[i % 5]) for i in range(21)]


def surge(outlets: list[str], n: int = 6, code: str = "138", start: float = 0.0) -> list:  # type: ignore[type-arg]
    """Threats traded both ways, three hours apart."""
    return exchange(f"{code}-{start}-", n, start=start, code=code, outlets=outlets)


def levels(alerts: list[Alert]) -> list[tuple[str, str]]:
    return [(a.transition, a.level) for a in alerts]


def test_surge_from_several_outlets_raises_a_warning_within_a_few_events() -> None:
    events = calm_history() + surge(OUTLETS[:4])
    _, alerts = replay(events, CONFIG)
    warning = next(a for a in alerts if a.level == "warning")
    hostile_before = [e for e in events if e.polarity == "hostile" and e.event_time <= warning.as_of]
    assert len(hostile_before) <= 5
    assert warning.previous_level in ("none", "watch")
    assert warning.distinct_outlets >= 2 and warning.verified_sources is not None
    assert warning.verified_sources >= 2


def test_the_same_surge_from_one_outlet_stays_at_watch() -> None:
    _, alerts = replay(calm_history() + surge(["reuters.com"]), CONFIG)
    assert alerts, "one outlet may still put the dyad on watch"
    assert {a.level for a in alerts} <= {"watch", "none"}
    assert alerts[0].capped_by == "single_source"
    assert "fewer than 2 registered sources" in alerts[0].explanation


def test_a_burst_within_the_hour_can_be_made_to_wait_for_time() -> None:
    patient = CONFIG.model_copy(update={"warning_min_span": timedelta(hours=12)})
    burst = exchange("burst", 6, every=0.1, code="190")
    _, alerts = replay(calm_history() + burst, patient)
    assert {a.level for a in alerts} == {"watch"}
    assert alerts[0].capped_by == "not_sustained"
    later = exchange("later", 2, start=13, code="190")
    _, alerts = replay(calm_history() + burst + later, patient)
    assert "warning" in {a.level for a in alerts}
    _, eager = replay(calm_history() + burst, CONFIG)  # the default does not wait
    assert "warning" in {a.level for a in eager}


def test_one_sided_hostility_counts_less_than_a_dispute() -> None:
    one_way = [event(f"o{i}", hours=3 * i, code="138", outlet=OUTLETS[i % 4]) for i in range(6)]
    both_ways = surge(OUTLETS[:4])
    _, a = replay(calm_history() + one_way, CONFIG)
    _, b = replay(calm_history() + both_ways, CONFIG)
    assert max(x.score for x in a) < max(x.score for x in b)
    assert max(x.components.reciprocity or 0 for x in b) > 0.8


def test_de_escalation_resolves_and_a_quiet_dyad_resolves_on_advance() -> None:
    events = calm_history() + surge(OUTLETS[:4])
    states, alerts = replay(events, CONFIG)
    assert alerts[-1].level != "none"  # the input stops while tension is high
    month = to_seconds(BASE) + 60 * 86400
    quiet, later = advance(states["RUS|UKR"], month, CONFIG)
    assert later and later[-1].transition == "resolve" and later[-1].level == "none"
    assert quiet.level == "none"
    # The same instants come out of an offline replay told to run that long.
    _, offline = replay(events, CONFIG, until=month)
    assert [a.alert_id for a in offline] == [a.alert_id for a in alerts + later]
    # Cooperation after the surge does not erase it, but the conflict still fades.
    peace = [event(f"peace{i}", hours=30 + i, code="0871", outlet=OUTLETS[i % 5]) for i in range(5)]
    _, with_peace = replay(events + peace, CONFIG, until=month)
    assert with_peace[-1].transition == "resolve"


def test_cooldown_holds_back_a_re_raise() -> None:
    # A fast-fading configuration, so that critical is left within a day or two.
    fast = RiskConfig(medium_half_life=timedelta(hours=24), critical_min_span=timedelta(0))
    burst = surge(OUTLETS[:4], n=6, code="190")
    _, first = replay(burst, fast, until=to_seconds(BASE) + 10 * 86400)
    left = next(a for a in first if a.transition == "deescalate" and a.previous_level == "critical")
    start = (left.as_of - BASE).total_seconds() / 3600 + 1  # an hour after leaving critical
    again = exchange("again", 4, start=start, every=0.25, code="190", outlets=OUTLETS[:4])
    _, with_cooldown = replay(burst + again, fast)
    _, without = replay(burst + again, fast.model_copy(update={"cooldown": timedelta(0)}))
    assert ("escalate", "critical") in levels(without[len(levels(first[: first.index(left) + 1])):])
    assert ("escalate", "critical") not in levels(with_cooldown[first.index(left) + 1:])


def test_critical_needs_sources_volume_and_time() -> None:
    clash = exchange("clash", 10, every=3, code="190", outlets=OUTLETS[:4])
    _, alerts = replay(calm_history() + clash, CONFIG)
    critical = next(a for a in alerts if a.level == "critical")
    first = min(e.event_time for e in clash)
    assert (critical.as_of - first).total_seconds() >= 24 * 3600
    held = [a for a in alerts if a.capped_by == "critical_evidence"]
    assert held and "Held below CRITICAL" in held[0].explanation
    # Two registered outlets are not enough for critical, however long it lasts.
    _, two = replay(calm_history() + exchange("two", 12, code="190", outlets=OUTLETS[:2]), CONFIG)
    assert "critical" not in {a.level for a in two} and "warning" in {a.level for a in two}


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
    assert warning.components.reciprocity is not None and warning.components.reciprocity > 0.8
    top = warning.top_events
    assert 1 <= len(top) <= CONFIG.top_k
    assert all(t.article_id and t.url and t.outlet and t.sentence for t in top)
    assert all(t.goldstein == -7.0 and t.cameo_code == "138" for t in top)
    assert [t.weight for t in top] == sorted((t.weight for t in top), reverse=True)
    text = warning.explanation
    assert f"score {warning.score:.2f}" in text
    assert f"{warning.distinct_outlets} sources" in text and "registered" in text
    assert "baseline" in text and "reciprocity" in text and "Top event" in text
    trigger = next(
        e for e in calm_history() + surge(OUTLETS[:4]) if e.event_id == warning.triggering_event_id
    )
    assert warning.as_of == trigger.event_time
