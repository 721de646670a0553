"""The score: bounded components, smoothing for sparse dyads, decay without events."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.risk import RiskConfig, assess, replay
from tests.risk.risk_factories import event

CONFIG = RiskConfig(alert_grace=timedelta(0))
OUTLETS = ["a.example", "b.example", "c.example"]


def state_of(events):  # type: ignore[no-untyped-def]
    states, _ = replay(events, CONFIG)
    return states["RUS|UKR"]


def test_a_single_report_on_a_silent_dyad_is_damped_by_the_prior() -> None:
    one = assess(state_of([event(1, code="138")]), CONFIG)
    assert one.surge < 0.6  # not a 30x "surge" from one report
    assert one.score < CONFIG.watch_enter


def test_the_same_burst_surges_less_on_a_dyad_used_to_conflict() -> None:
    burst = [event(f"b{i}", hours=i, code="190", outlet=OUTLETS[i % 3]) for i in range(4)]
    calm = assess(state_of(burst), CONFIG)
    history = [event(f"h{i}", hours=-24 * 25 + 12 * i, code="190", outlet=OUTLETS[i % 3]) for i in range(48)]
    tense = assess(state_of(history + burst), CONFIG)
    assert calm.baseline < tense.baseline
    assert calm.surge > tense.surge
    assert tense.level >= calm.level  # the absolute level still counts


def test_material_conflict_is_more_severe_than_words() -> None:
    words = assess(state_of([event(i, code="111", outlet=OUTLETS[i % 3]) for i in range(3)]), CONFIG)
    deeds = assess(state_of([event(i, code="193", outlet=OUTLETS[i % 3]) for i in range(3)]), CONFIG)
    assert words.material_share == 0.0 and deeds.material_share == 1.0
    assert deeds.severity > words.severity
    assert deeds.mean_goldstein == -10.0


def test_cooperation_does_not_add_conflict() -> None:
    coop = assess(state_of([event(i, code="057", outlet=OUTLETS[i % 3]) for i in range(5)]), CONFIG)
    assert coop.short_conflict == 0.0 and coop.score == 0.0
    assert coop.short_cooperation > 0.0


@settings(max_examples=100, deadline=None)
@given(
    specs=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=200),
            st.sampled_from(["190", "138", "112", "042", "010", "163"]),
            st.sampled_from(OUTLETS),
        ),
        min_size=1,
        max_size=20,
    ),
    gaps=st.lists(st.floats(min_value=0, max_value=500), min_size=2, max_size=6),
)
def test_components_are_bounded_and_the_score_only_decays_without_events(
    specs: list[tuple[float, str, str]], gaps: list[float]
) -> None:
    state = state_of([event(i, hours=h, code=c, outlet=o) for i, (h, c, o) in enumerate(specs)])
    assert state.ref is not None
    previous = 101.0
    at = state.ref
    for gap in sorted(gaps):
        a = assess(state, CONFIG, at + gap * 3600)
        for part in (a.surge, a.level, a.severity, a.corroboration, a.mutuality, a.reciprocity):
            assert 0.0 <= part <= 1.0
        assert 0.0 <= a.score <= 100.0
        assert a.score <= previous + 1e-9
        previous = a.score
