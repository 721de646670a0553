"""The engine: order independence, idempotence, deduplication, bounded state."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.contracts.geo import StanceEvent
from streams.risk import DyadState, RiskConfig, apply, flush, is_duplicate, replay
from streams.risk.scoring import assess, corroborating_outlets
from tests.risk.risk_factories import BASE, event, flip_bits

#: Holds every event until the end of input: alerts then depend only on the set.
PATIENT = RiskConfig(alert_grace=timedelta(days=60))


def run(events: list[StanceEvent], config: RiskConfig = PATIENT) -> tuple[DyadState, list]:  # type: ignore[type-arg]
    states, alerts = replay(events, config)
    assert len(states) == 1
    return next(iter(states.values())), alerts


# -- order independence ------------------------------------------------------

CODES = ["190", "138", "112", "042", "057", "010", "163", "0871"]
OUTLETS = ["a.example", "b.example", "c.example", "d.example"]


@st.composite
def event_sets(draw: st.DrawFn, span_hours: float = 240) -> list[StanceEvent]:
    """Up to 25 events over ``span_hours``, with syndicated copies and bridging signatures."""
    count = draw(st.integers(min_value=1, max_value=25))
    stories = draw(st.integers(min_value=1, max_value=count))
    events = []
    for i in range(count):
        story = draw(st.integers(min_value=0, max_value=stories - 1))
        base_signature = f"{(story * 0x9E3779B97F4A7C15) % (1 << 64):016x}"
        events.append(
            event(
                i,
                hours=draw(st.floats(min_value=0, max_value=span_hours, allow_nan=False)),
                code=draw(st.sampled_from(CODES)),
                outlet=draw(st.sampled_from(OUTLETS)),
                confidence=draw(st.floats(min_value=0.05, max_value=1.0)),
                signature=flip_bits(base_signature, draw(st.integers(min_value=0, max_value=5))),
            )
        )
    return events


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_sets(), data=st.data())
def test_any_arrival_order_gives_the_same_state_and_alerts(
    events: list[StanceEvent], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(events))
    state_a, alerts_a = run(events)
    state_b, alerts_b = run(list(shuffled))
    assert state_a.approx_equal(state_b)
    assert [a.alert_id for a in alerts_a] == [a.alert_id for a in alerts_b]
    assert [(a.level, a.as_of) for a in alerts_a] == [(a.level, a.as_of) for a in alerts_b]


def aggregates(state: DyadState) -> dict[str, object]:
    """The event-derived part of a state (not its evaluation history)."""
    data = state.to_dict()
    return {
        k: data[k]
        for k in ("ref", "sums", "max_time", "clusters", "sources", "reported", "contributors", "seen",
                  "last_event")
    } | {"counts": data["counts"][:2]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=event_sets(span_hours=60), data=st.data())
def test_late_events_still_give_the_same_state(events: list[StanceEvent], data: st.DataObject) -> None:
    """With no grace, shuffled events arrive late; the state must not care.

    Exact while every event arrives within the dedup retention (72 h) of the
    watermark, which the 60 h span guarantees.
    """
    eager = RiskConfig(alert_grace=timedelta(0))
    shuffled = data.draw(st.permutations(events))
    state_a, _ = run(events, eager)
    state_b, _ = run(list(shuffled), eager)
    a, b = aggregates(state_a), aggregates(state_b)
    assert DyadState.from_dict(state_a.to_dict()) == state_a
    from streams.risk.state import _close

    assert _close(a, b, 1e-9, 1e-9), (a, b)
    for at in (state_a.ref, (state_a.ref or 0) + 3600.0):
        x, y = assess(state_a, eager, at), assess(state_b, eager, at)
        assert x.score == pytest.approx(y.score, rel=1e-9, abs=1e-9)


BATCHED = RiskConfig(alert_grace=timedelta(minutes=15))


def test_burst_shuffled_within_the_grace_gives_identical_alerts() -> None:
    outlets = ["a.example", "b.example", "c.example", "d.example", "e.example"]
    burst = [event(i, hours=i / 60, code="190", outlet=outlets[i % 5]) for i in range(10)]
    later = [event(99, hours=30, code="042")]
    _, in_order = run(burst + later, BATCHED)
    _, reversed_ = run(list(reversed(burst)) + later, BATCHED)
    assert in_order and [a.alert_id for a in in_order] == [a.alert_id for a in reversed_]


# -- idempotence ------------------------------------------------------------------


def test_exact_duplicate_is_ignored() -> None:
    first = event(1, code="190")
    state, _ = apply(None, first)
    again, alerts = apply(state, first)
    assert again is state and alerts == []
    assert is_duplicate(state, first)


def test_redelivered_stream_gives_the_same_state_and_alerts() -> None:
    events = [event(i, hours=i, code="190", outlet=OUTLETS[i % 4]) for i in range(12)]
    redelivered = events[:8] + events[4:]  # at-least-once: a window replayed
    state_a, alerts_a = run(events, RiskConfig())
    state_b, alerts_b = run(redelivered, RiskConfig())
    assert state_a == state_b
    assert [a.model_dump() for a in alerts_a] == [a.model_dump() for a in alerts_b]


def test_apply_does_not_modify_its_input() -> None:
    state, _ = apply(None, event(1))
    before = state.to_json()
    apply(state, event(2, hours=1))
    assert state.to_json() == before
    # ...and the input can still be used (its index is rebuilt on demand).
    again, _ = apply(state, event(2, hours=1))
    fresh, _ = apply(DyadState.from_json(before), event(2, hours=1))
    assert again == fresh


# -- near duplicates ----------------------------------------------------------


def test_twenty_syndicated_copies_count_once_but_corroborate() -> None:
    signature = "0123456789abcdef"
    outlets = [f"outlet{i}.example" for i in range(20)]
    vouched = PATIENT.model_copy(update={"trusted_outlets": tuple(outlets)})
    copies = [
        event(i, hours=i * 0.5, outlet=outlets[i], signature=flip_bits(signature, i % 4))
        for i in range(20)
    ]
    state, _ = run(copies, vouched)
    single, _ = run(copies[:1], vouched)
    assert (state.events, state.near_duplicates) == (1, 19)
    assert state.sums[0] == pytest.approx(single.sums[0] * 2 ** (-9.5 / 24))
    assert len(corroborating_outlets(state, state.ref or 0, vouched)) == 20
    # Unregistered, the same twenty domains are one (unverified) source.
    state, _ = run(copies)
    assert corroborating_outlets(state, state.ref or 0, PATIENT) == ("unverified",)
    (cluster,) = state.clusters.values()
    assert cluster.members == 20 and len(cluster.outlets) == 20
    assert cluster.rep_id == copies[0].event_id  # the earliest copy represents the story


def test_different_stories_and_distant_copies_stay_apart() -> None:
    signature = "0123456789abcdef"
    far_bits = event(1, signature=flip_bits(signature, 4))
    far_time = event(2, hours=49, signature=signature)
    state, _ = run([event(0, signature=signature), far_bits, far_time])
    assert (state.events, state.near_duplicates) == (3, 0)


def test_bridging_copy_merges_groups_in_any_order() -> None:
    base = "00000000000000ff"
    a = event("a", signature=base)
    c = event("c", hours=1, signature=f"{int(base, 16) ^ 0b111111000:016x}")  # 6 bits from a
    b = event("b", hours=2, signature=f"{int(base, 16) ^ 0b111000:016x}")  # 3 from a, 3 from c
    for order in ([a, b, c], [a, c, b], [c, a, b], [b, c, a]):
        state, _ = run(order)
        assert (state.events, state.near_duplicates) == (1, 2), order
        assert list(state.clusters) == [a.event_id]


def test_earlier_copy_arriving_late_becomes_the_representative() -> None:
    signature = "0123456789abcdef"
    late_first = event(0, hours=0, signature=signature, outlet="x.example")
    on_time = event(1, hours=5, signature=signature, outlet="y.example")
    eager = RiskConfig(alert_grace=timedelta(0))
    state, _ = run([on_time, late_first], eager)
    reference, _ = run([late_first, on_time], eager)
    assert state.late_events == 1
    assert list(state.clusters) == [late_first.event_id]
    assert state.approx_equal(reference, rel_tol=1e-12) is False  # late counter differs...
    assert state.sums == pytest.approx(reference.sums, rel=1e-12)  # ...the numbers do not


# -- serialization and bounds ------------------------------------------------


def test_json_round_trip_resumes_identically() -> None:
    events = [event(i, hours=i * 0.1, outlet=OUTLETS[i % 4]) for i in range(30)]
    state, _ = run(events[:20], RiskConfig())
    restored = DyadState.from_json(state.to_json())
    assert restored == state
    rest = events[20:]
    a, b = state, restored
    alerts_a, alerts_b = [], []
    for e in rest:
        a, x = apply(a, e)
        b, y = apply(b, e)
        alerts_a += x
        alerts_b += y
    assert a == b and alerts_a == alerts_b


def test_serialized_form_is_canonical_json() -> None:
    """Same state, same bytes: keys sorted, whatever the insertion order."""
    events = [event(i, hours=i * 0.1, outlet=OUTLETS[i % 4]) for i in range(12)]
    state, _ = run(events, RiskConfig())
    data = orjson.loads(state.to_bytes())
    assert list(data) == sorted(data)
    assert list(data["seen"]) == sorted(data["seen"])
    assert DyadState.from_json(state.to_bytes()).to_bytes() == state.to_bytes()


def test_version_1_states_are_still_read() -> None:
    """A worker upgraded in place resumes from the changelog version 1 wrote."""
    events = [event(i, hours=i * 0.1, outlet=OUTLETS[i % 4]) for i in range(12)]
    state, _ = run(events, RiskConfig())
    old = orjson.loads(state.to_bytes())
    old["v"] = 1
    for row in old["clusters"]:  # version 1 wrote signatures as hex text
        row[5] = [[f"{sig:016x}", lo, hi] for sig, lo, hi in row[5]]
    assert DyadState.from_json(orjson.dumps(old)) == state
    old["v"] = 99
    with pytest.raises(ValueError, match="unsupported DyadState version"):
        DyadState.from_json(orjson.dumps(old))


def test_state_stays_bounded() -> None:
    config = RiskConfig(max_clusters=32, max_seen_ids=64, max_contributors=8, max_outlets=8,
                        alert_grace=timedelta(minutes=15))
    state = None
    for i in range(2000):
        state, _ = apply(state, event(i, hours=i * 0.05, outlet=f"o{i % 50}.example"), config)
    assert state is not None
    assert len(state.clusters) <= 32
    assert len(state.seen) <= 64
    assert len(state.contributors) <= 8
    assert len(state.sources) <= 8
    assert state.events + len(state.pending) == 2000
    assert len(state.pending) == 5  # the last 15 minutes wait for the grace
    assert len(state.to_json()) < 40_000


def test_version_2_states_are_upgraded() -> None:
    """A changelog written before the medium horizon and the registry still resumes."""
    events = [event(i, hours=i * 0.1, outlet=OUTLETS[i % 4]) for i in range(12)]
    state, _ = run(events, RiskConfig())
    old = orjson.loads(state.to_bytes())
    old["v"] = 2
    old["sums"] = [*old["sums"][:5], *old["sums"][6:9]]  # the 8 sums of version 2
    for row in old["clusters"]:
        row[2] = [*row[2][:5], *row[2][6:9]]
    old["outlets"] = {"a.example": 1.0, "b.example": 2.0}
    del old["sources"], old["reported"]
    restored = DyadState.from_json(orjson.dumps(old))
    assert len(restored.sums) == 11
    assert restored.sources == {"?": (2.0, 0.0)}  # free-text outlets vouch for nothing
    again, _ = apply(restored, event(99, hours=2))
    assert again.events == state.events + 1


def test_events_of_another_dyad_are_rejected() -> None:
    state, _ = apply(None, event(1))
    with pytest.raises(ValueError, match="applied to the state"):
        apply(state, event(2, source="USA", target="CHN"))


def test_flush_without_pending_is_a_no_op() -> None:
    state, _ = run([event(1)])
    again, alerts = flush(state, PATIENT)
    assert again is state and alerts == []


def test_base_time_is_utc() -> None:
    assert BASE.utcoffset() == timedelta(0)
