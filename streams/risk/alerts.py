"""Alerts that explain themselves, with ids that page once.

The id is a SHA-256 over the dyad, the transition, the new level and the
triggering event: a replay, a retry after a crash, or the offline command
run on the same events yields the same id, so the pager can deduplicate.
"""

from __future__ import annotations

import hashlib
import math

from streams.contracts.geo import Alert, AlertLevel, Contribution, ScoreComponents
from streams.risk.config import RiskConfig
from streams.risk.levels import Decision
from streams.risk.scoring import Assessment, corroborating_outlets, recent_hostile_events
from streams.risk.state import Contributor, DyadState, to_datetime


def alert_id(dyad: str, transition: str, level: str, triggering_event_id: str) -> str:
    """Deterministic alert id (64 hex digits)."""
    text = f"{dyad}|{transition}|{level}|{triggering_event_id}"
    return hashlib.sha256(text.encode()).hexdigest()


def top_contributions(state: DyadState, at: float, config: RiskConfig) -> list[Contribution]:
    """The ``top_k`` hostile events by conflict intensity decayed to ``at``."""

    def weight(c: Contributor) -> float:
        return c.intensity * math.exp(-config.short_rate * max(0.0, at - c.time))

    ranked = sorted(
        (c for c in state.contributors.values() if c.time <= at),
        key=lambda c: (-weight(c), c.event_id),
    )[: config.top_k]
    return [
        Contribution(
            event_id=c.event_id,
            article_id=c.article_id,
            url=c.url,
            outlet=c.outlet,
            sentence=c.sentence,
            cameo_code=c.cameo_code,
            goldstein=c.goldstein,
            event_time=to_datetime(c.time),
            weight=round(weight(c), 6),
            outlets=list(c.outlets),
        )
        for c in ranked
    ]


def _level_word(level: AlertLevel) -> str:
    return level.upper()


def explain(
    dyad: str,
    previous: AlertLevel,
    decision: Decision,
    a: Assessment,
    hostile_events: int,
    top: list[Contribution],
    config: RiskConfig,
    outlets: tuple[str, ...] = (),
) -> str:
    """One paragraph naming the numbers that moved."""
    shown = ", ".join(outlets[:5]) + (", ..." if len(outlets) > 5 else "")
    named = f" ({shown})" if outlets else ""
    medium_d = config.medium_half_life.total_seconds() / 86400
    long_d = config.long_half_life.total_seconds() / 86400
    window_h = config.corroboration_window.total_seconds() / 3600
    verb = {
        "raise": "raised to",
        "escalate": "escalated to",
        "deescalate": "eased to",
        "resolve": "resolved to",
    }[decision.transition or "raise"]
    parts = [
        f"{dyad} {verb} {_level_word(decision.level)} "
        f"(score {round(a.score, 2):.2f}, was {_level_word(previous)}).",
        f"Sustained conflict intensity is {a.medium_conflict:.1f} ({medium_d:g}-day half-life); "
        f"the last day runs at {a.short_rate:.2f}/day against the dyad's {long_d:g}-day baseline of "
        f"{a.baseline:.2f}/day: {a.surge_ratio:.1f}x after smoothing with a prior of "
        f"{config.surge_prior_rate * config.density:g}/day.",
        f"Hostility runs both ways at {a.mutuality:.2f} (1 = evenly), so reciprocity is "
        f"{a.reciprocity:.2f}.",
        f"{hostile_events} distinct hostile event{'s' if hostile_events != 1 else ''} from "
        f"{a.outlets} source{'s' if a.outlets != 1 else ''}{named} in the last {window_h:.0f} h, "
        f"{a.verified:g} of them registered; mean Goldstein {a.mean_goldstein:.1f}, "
        f"{100 * a.material_share:.0f}% material conflict; cooperation intensity "
        f"{a.short_cooperation:.1f}.",
        f"Components: surge {a.surge:.2f}, level {a.level:.2f}, reciprocity {a.reciprocity:.2f}, "
        f"severity {a.severity:.2f}, corroboration {a.corroboration:.2f}.",
    ]
    if decision.capped_by == "unverified":
        parts.append(
            f"Capped at {_level_word(decision.level)}: only unregistered outlets report it, and they "
            "count as one unverified source."
        )
    elif decision.capped_by == "single_source":
        parts.append(
            f"Capped at WATCH: fewer than {config.min_outlets_for_warning} registered sources report it."
        )
    elif decision.capped_by == "not_sustained":
        span_h = config.warning_min_span.total_seconds() / 3600
        parts.append(
            f"Held at {_level_word(decision.level)}: the hostile reports of the last {window_h:.0f} h "
            f"span less than {span_h:g} h."
        )
    elif decision.capped_by == "critical_evidence":
        span_h = config.critical_min_span.total_seconds() / 3600
        parts.append(
            f"Held below CRITICAL: critical needs {config.critical_min_outlets} registered sources, "
            f"{config.critical_min_events} distinct hostile events and {span_h:g} h between the first "
            "and the last."
        )
    if top and decision.transition in ("raise", "escalate"):
        t = top[0]
        sentence = t.sentence if len(t.sentence) <= 160 else t.sentence[:157] + "..."
        parts.append(
            f'Top event: "{sentence}" ({t.outlet}, CAMEO {t.cameo_code}, Goldstein {t.goldstein:+.1f}).'
        )
    return " ".join(parts)


def build_alert(
    state: DyadState,
    previous: AlertLevel,
    decision: Decision,
    a: Assessment,
    triggering_event_id: str,
    config: RiskConfig,
) -> Alert:
    """The alert for a level change that ``decide`` just made."""
    assert decision.transition is not None
    top = top_contributions(state, a.at, config)
    hostile_events = recent_hostile_events(state, a.at, config)
    return Alert(
        alert_id=alert_id(state.dyad, decision.transition, decision.level, triggering_event_id),
        dyad=state.dyad,
        level=decision.level,
        previous_level=previous,
        transition=decision.transition,
        score=round(a.score, 2),
        components=ScoreComponents(
            surge=round(a.surge, 4),
            level=round(a.level, 4),
            severity=round(a.severity, 4),
            corroboration=round(a.corroboration, 4),
            reciprocity=round(a.reciprocity, 4),
        ),
        as_of=to_datetime(a.at),
        triggering_event_id=triggering_event_id,
        short_conflict=round(a.short_conflict, 4),
        long_conflict=round(a.long_conflict, 4),
        baseline=round(a.baseline, 4),
        short_cooperation=round(a.short_cooperation, 4),
        event_count=hostile_events,
        distinct_outlets=a.outlets,
        material_conflict_share=round(a.material_share, 4),
        top_events=top,
        explanation=explain(
            state.dyad,
            previous,
            decision,
            a,
            hostile_events,
            top,
            config,
            corroborating_outlets(state, a.at, config),
        ),
        verified_sources=round(a.verified, 4),
        capped_by=decision.capped_by,
    )
