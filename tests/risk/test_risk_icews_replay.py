"""Replaying the ICEWS samples: does risk rise when and where it should?

The files are random samples (``../shared/eval/icews``), so only the shape
is judged: known crises should show up, calm years should not.  Skipped
when the shared evaluation data is absent (a fresh clone).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from streams.contracts.geo import StanceEvent
from streams.risk import RiskConfig, replay
from streams.risk.loaders import LoadError, load_icews

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "icews"
#: ICEWS names no outlets: the replay vouches for the archive as one source that suffices
#: (as ``streams eval risk`` does); otherwise every dyad would be held at watch.
CONFIG = RiskConfig(min_outlets_for_warning=1, critical_min_outlets=1, trusted_outlets=("icews",))


def load(name: str) -> tuple[list[StanceEvent], Counter[str]]:
    path = EVAL / name / "valid.tsv"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared evaluation data lives beside the repo)")
    with path.open(encoding="utf-8") as handle:
        items = list(load_icews(handle))
    errors = Counter(i.reason for i in items if isinstance(i, LoadError))
    events = [i for i in items if isinstance(i, StanceEvent)]
    # Archives are not in time order; a backfill sorts them first.
    events.sort(key=lambda e: (e.event_time, e.event_id))
    return events, errors


def test_every_icews_row_is_an_event_or_a_counted_error() -> None:
    events, errors = load("icews14")
    lines = sum(1 for line in (EVAL / "icews14" / "valid.tsv").open() if line.strip())
    assert len(events) + sum(errors.values()) == lines
    assert errors["unknown_relation"] == 0  # every ICEWS event text maps to CAMEO
    assert set(errors) <= {"unresolved_actor", "domestic"}


def test_russia_ukraine_first_alert_is_in_the_2014_crisis() -> None:
    events, _ = load("icews05-15")
    dyad = [e for e in events if e.dyad == "RUS|UKR"]
    _, alerts = replay(dyad, CONFIG)
    raised = [a for a in alerts if a.transition in ("raise", "escalate")]
    assert raised, "the Crimea crisis should at least put RUS|UKR on watch"
    first = raised[0].as_of
    assert (first.year, first.month) in {(2014, 2), (2014, 3), (2014, 4)}


def test_cambodia_thailand_critical_falls_in_the_border_clashes() -> None:
    events, _ = load("icews05-15")
    _, alerts = replay([e for e in events if e.dyad == "KHM|THA"], CONFIG)
    critical = {(a.as_of.year, a.as_of.month) for a in alerts if a.level == "critical"}
    # Preah Vihear clashes: October 2008, February 2011, April 2011.
    assert critical == {(2008, 10), (2011, 2), (2011, 4)}
    warnings = {(a.as_of.year, a.as_of.month) for a in alerts if a.level == "warning"}
    assert {(2008, 10), (2011, 2), (2011, 4)} <= warnings | critical


def test_unvouched_archive_stays_at_watch() -> None:
    """Without the operator vouching for it, the archive is one unverified source."""
    events, _ = load("icews05-15")
    _, alerts = replay([e for e in events if e.dyad == "KHM|THA"], RiskConfig(min_outlets_for_warning=1))
    assert alerts and {a.level for a in alerts} <= {"none", "watch"}
