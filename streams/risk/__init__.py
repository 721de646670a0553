"""Escalation risk per dyad: pure, deterministic, in event time.

``apply(state, event, config)`` folds one :class:`StanceEvent` into a
dyad's :class:`DyadState` and returns the new state and any :class:`Alert`.
No Kafka, no Faust, no clocks: the worker and the offline command call the
same functions and get the same alerts.
"""

from streams.risk.alerts import alert_id
from streams.risk.archive import vouch_for_archive
from streams.risk.config import RiskConfig
from streams.risk.engine import (
    DEFAULT_CONFIG,
    advance,
    apply,
    event_order,
    flush,
    is_duplicate,
    replay,
)
from streams.risk.levels import LEVELS, Decision, decide
from streams.risk.scoring import Assessment, assess
from streams.risk.state import DyadState, to_datetime, to_seconds
from streams.risk.weights import contribution

__all__ = [
    "DEFAULT_CONFIG",
    "LEVELS",
    "Assessment",
    "Decision",
    "DyadState",
    "RiskConfig",
    "advance",
    "alert_id",
    "apply",
    "assess",
    "contribution",
    "decide",
    "event_order",
    "flush",
    "is_duplicate",
    "replay",
    "to_datetime",
    "to_seconds",
    "vouch_for_archive",
]
