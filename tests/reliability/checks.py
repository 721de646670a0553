"""Assertions shared by the fault tests: an interrupted run ends like an uninterrupted one."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from streams.settings import Settings
from tests.reliability.harness import final_states, read_outcomes, read_to_end, wait_until
from tests.reliability.reference import Reference, state_differences

#: Articles in the fault tests' corpus (short bodies: a few thousand stance events).
ARTICLES = 2_000


def assert_matches_uninterrupted_run(settings: Settings, ref: Reference, log: str,
                                     timeout: float = 150.0) -> dict[str, int]:
    """Outputs and state equal an uninterrupted run's; returns re-delivery counts."""
    outcomes = read_outcomes(settings, expect_enriched=set(ref.enriched), timeout=timeout)
    ids = outcomes.enriched_ids
    assert set(ids) == set(ref.enriched), f"{len(set(ref.enriched) - set(ids))} never enriched\n{log}"
    assert not outcomes.dead_letters, outcomes.dead_letters[:3]
    # Re-processing is deterministic: a repeated enrichment is the same value.
    for value in outcomes.enriched:
        assert value == json.loads(ref.enriched[str(value["id"])])
    # Each article's stance events were acknowledged before it counted as
    # enriched, so the dyad topic now holds all of them.
    stance = read_to_end(settings, [settings.topics.stance_events])
    published = Counter(str(json.loads(r.value or b"{}")["event_id"]) for r in stance)
    missing = {e.event_id for e in ref.events} - set(published)
    assert not missing, f"{len(missing)} stance events never published"
    assert set(published) == {e.event_id for e in ref.events}

    # The risk agent catches up; its stored states equal the uninterrupted run's.
    problems: list[str] = []

    def caught_up() -> bool:
        nonlocal problems
        problems = state_differences(final_states(settings), ref.states)
        return not problems

    try:
        wait_until(caught_up, timeout=120, interval=3, what="dyad states equal to the reference")
    except TimeoutError:
        pytest.fail(f"dyad states differ from an uninterrupted run: {problems}\n{log}")

    alerts = [json.loads(r.value or b"{}") for r in read_to_end(settings, [settings.topics.alerts])]
    counts = Counter(str(a["alert_id"]) for a in alerts)
    twice = sorted(a for a, n in counts.items() if n > 1)
    assert not twice, f"{len(twice)} alert ids published more than once: {twice[:5]}"
    assert set(counts) == ref.alert_ids, {
        "missing": len(ref.alert_ids - set(counts)), "unexpected": len(set(counts) - ref.alert_ids)}
    return {
        "articles_enriched_twice": sum(1 for n in ids.values() if n > 1),
        "stance_events_published_twice": sum(1 for n in published.values() if n > 1),
        "alerts": len(alerts),
    }
