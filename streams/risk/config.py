"""Every threshold and horizon of the risk engine, with the reasoning for its default.

One frozen object so that a replay, a worker and a test given the same
``RiskConfig`` compute the same scores and alerts.  ``docs/risk.md`` mirrors
this file as a table; keep them in step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from streams.risk.sources import OutletRegistry, RegistryError, load_registry, registry_files

#: International stance events per day in the feed the defaults were calibrated on (ICEWS 2014:
#: 15,385 events between two countries over 365 days).  ``feed_events_per_day`` is read against it.
CALIBRATION_EVENTS_PER_DAY = 42.0


class RiskConfig(BaseModel):
    """Settings of the per-dyad escalation engine."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # -- horizons ---------------------------------------------------------
    #: A day: news cycles are daily; the surge compares this horizon with the long one.
    short_half_life: timedelta = timedelta(hours=24)
    #: The horizon of the sustained level: conflict that goes on for days counts,
    #: a one-day burst fades within a week or two.
    medium_half_life: timedelta = timedelta(days=10)
    #: A month: long enough to be the dyad's "normal", short enough to adapt
    #: when a conflict becomes the new normal.  Also the horizon of reciprocity.
    long_half_life: timedelta = timedelta(days=30)

    # -- what an event weighs ----------------------------------------------
    #: Actor roles weigh an event's conflict intensity (the product of both
    #: sides' weights): the engine tracks tension *between states*.  A state
    #: organ (the country itself, government, military, police, courts,
    #: legislature, intelligence) weighs 1.
    state_actor_weight: float = Field(default=1.0, ge=0, le=1)
    #: Armed non-state groups of a country (rebels, insurgents, separatists):
    #: organised violence across a border is a security matter for states,
    #: but not an act of the state.
    armed_group_weight: float = Field(default=0.5, ge=0, le=1)
    #: Society (citizens, business, media, parties, criminals, refugees, ...):
    #: the arrest of a foreign fisherman or a protest at an embassy is not,
    #: by itself, conflict between two states.
    society_weight: float = Field(default=0.2, ge=0, le=1)
    #: Stance events per day in the whole feed (all dyads).  Conflict sums are
    #: read against ``feed_events_per_day / 42`` (42 a day is the density of
    #: the feed the defaults were calibrated on), so the thresholds carry over
    #: to a denser or sparser feed by setting this one number (``streams eval
    #: risk`` prints the measured rate of a file).
    feed_events_per_day: float = Field(default=CALIBRATION_EVENTS_PER_DAY, gt=0)

    # -- score ------------------------------------------------------------
    #: Smoothing prior for the surge ratio, in conflict intensity per day
    #: (about one verbal threat every three days).  Added to both the short
    #: and the baseline rate, so a dyad with no history needs a real burst,
    #: not a single report, to show a surge.
    surge_prior_rate: float = Field(default=2.0, gt=0)
    #: Short-term rate / baseline rate at which the surge component saturates
    #: (log scale): eight times the usual is as alarming as it gets.
    surge_full_ratio: float = Field(default=8.0, gt=1)
    #: Medium-horizon conflict sum at which the level component reaches 1-1/e.
    level_scale: float = Field(default=10.0, gt=0)
    #: Share of the magnitude that comes from the surge; the rest from the
    #: sustained level.
    surge_weight: float = Field(default=0.2, ge=0, le=1)
    #: Reciprocity is ``one_sided_weight + (1 - one_sided_weight) * mutuality``,
    #: mutuality being how evenly the hostility of the last month runs both
    #: ways (1: as much each way; 0: all one way).  A dispute has two sides:
    #: one-sided hostility is often a state acting against foreign non-state
    #: actors, or a miscoded report; it keeps this share of its magnitude.
    one_sided_weight: float = Field(default=0.4, ge=0, le=1)
    #: The credibility multiplier is ``base + severity_weight * severity +
    #: corroboration_weight * corroboration`` (sums to 1).  A lone, mild
    #: report keeps 60 % of its magnitude; severe, widely reported ones 100 %.
    credibility_base: float = Field(default=0.6, ge=0, le=1)
    severity_weight: float = Field(default=0.2, ge=0, le=1)
    corroboration_weight: float = Field(default=0.2, ge=0, le=1)

    # -- sources and corroboration -----------------------------------------
    #: Outlet registries, comma-separated: ``builtin`` (the shipped
    #: ``streams/risk/data/outlets.yaml``), ``samples`` (the fictional outlets of
    #: the bundled sample articles: demos and tests only) and/or YAML files of
    #: the operator's (later entries override earlier ones).  Only registered
    #: outlets corroborate.
    outlet_registry: str = "builtin"
    #: Extra outlet names or domains vouched for at weight 1, e.g. ``["icews"]``
    #: for a backfill of an archive that names no outlets.
    trusted_outlets: tuple[str, ...] = ()
    #: Producers (authenticated principals or operator-set producer ids) trusted
    #: to report the outlet of what they produce, e.g. the operator's own
    #: crawler.  Any other producer counts as one source whatever it claims.
    trusted_producers: tuple[str, ...] = ()
    #: Sources count as corroborating while they reported a hostile event
    #: within this window (three short half-lives).
    corroboration_window: timedelta = timedelta(hours=72)
    #: Weighted distinct sources at which corroboration is complete.
    corroboration_full_outlets: int = Field(default=5, ge=2)
    #: What all unregistered outlets together add to corroboration: they are
    #: one source at most, and a doubtful one.
    unverified_weight: float = Field(default=0.5, ge=0, le=1)
    #: One source alone cannot raise a warning: below this many weighted
    #: registered sources the level is capped at ``watch``.
    min_outlets_for_warning: int = Field(default=2, ge=1)
    #: The highest level that rests on unregistered sources only.
    unverified_max_level: Literal["none", "watch", "warning"] = "watch"

    # -- warning and critical need time (and critical volume) as well as sources
    #: Time between the first and the last hostile report of the corroboration
    #: window before a raise above watch (0: none).  Off by default: the
    #: medium horizon already asks for conflict that lasts, and on the
    #: calibration data the gate costs more crises than false alarms
    #: (docs/risk.md); a live feed may want e.g. ``PT6H``.
    warning_min_span: timedelta = timedelta(0)
    #: Weighted registered sources a critical level needs.
    critical_min_outlets: int = Field(default=3, ge=1)
    #: Distinct (deduplicated) hostile events in the corroboration window.
    critical_min_events: int = Field(default=4, ge=1)
    #: Time between the first and the last of them: a burst of reports inside
    #: an hour is one moment, however many there are.
    critical_min_span: timedelta = timedelta(hours=24)

    # -- levels (score thresholds, 0-100) ---------------------------------
    #: Enter high, leave low.  Calibrated on ICEWS 2014 against the MID 2014
    #: dyad-months (``streams eval risk``; curve and reasons in docs/risk.md):
    #: the warning threshold sits at the top of the F1 curve, and its exit far
    #: below it, so that a lasting conflict keeps its warning through quiet weeks.
    watch_enter: float = 25.0
    watch_exit: float = 12.0
    warning_enter: float = 35.0
    warning_exit: float = 15.0
    critical_enter: float = 55.0
    critical_exit: float = 45.0
    #: After a level is left, re-entering it within this (event) time is
    #: suppressed unless the score goes beyond it: no re-raise flapping.
    cooldown: timedelta = timedelta(hours=6)

    # -- deduplication ----------------------------------------------------
    #: Syndicated copies of a wire story appear within a day or two.
    near_duplicate_window: timedelta = timedelta(hours=48)
    #: SimHash bits that may differ between copies of one story (bylines,
    #: datelines, trimmed paragraphs move a few bits, different stories ~32).
    near_duplicate_max_hamming: int = Field(default=3, ge=0, le=16)

    # -- event time -------------------------------------------------------
    #: Events are held this long behind the dyad's watermark and then
    #: evaluated in event-time order, so any arrival order within the grace
    #: gives the same alerts.  It is also the alert delay, in event time: a
    #: live stream only advances the watermark when newer events arrive, so
    #: the default is 0 (alert on the triggering event; the *state* is order
    #: independent regardless).  Backfills of unsorted archives may set e.g.
    #: 15 minutes (one GDELT batch) for order-independent alerts too.
    alert_grace: timedelta = timedelta(0)
    #: Between events, levels are re-evaluated on this event-time grid, so
    #: tension that decays resolves without waiting for the next event and
    #: at the same instant offline and online.
    evaluation_interval: timedelta = timedelta(hours=1)

    # -- explanations and bounded state ----------------------------------
    #: Contributing events quoted in an alert.
    top_k: int = Field(default=5, ge=1)
    #: Contributors kept in state (more than ``top_k`` so that merges and
    #: decay rarely leave the alert short of its best evidence).
    max_contributors: int = Field(default=20, ge=1)
    #: Near-duplicate groups remembered per dyad (oldest are evicted first).
    max_clusters: int = Field(default=256, ge=8)
    #: Signatures remembered per near-duplicate group.
    max_signatures_per_cluster: int = Field(default=8, ge=1)
    #: Outlets listed per near-duplicate group.
    max_outlets_per_cluster: int = Field(default=32, ge=1)
    #: Event ids remembered for exact-duplicate (idempotence) checks.
    max_seen_ids: int = Field(default=512, ge=16)
    #: Sources remembered for corroboration.
    max_outlets: int = Field(default=64, ge=2)
    #: Events held for the grace period; beyond this the oldest is sealed.
    max_pending: int = Field(default=1000, ge=1)
    #: Sentences are cut to this many characters in state and alerts.
    sentence_max_chars: int = Field(default=300, ge=20)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not timedelta(0) < self.short_half_life < self.long_half_life:
            raise ValueError("need 0 < short_half_life < long_half_life")
        for name in ("corroboration_window", "near_duplicate_window", "evaluation_interval"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"{name} must be positive")
        if self.alert_grace < timedelta(0) or self.cooldown < timedelta(0):
            raise ValueError("alert_grace and cooldown must not be negative")
        weights = self.credibility_base + self.severity_weight + self.corroboration_weight
        if not math.isclose(weights, 1.0, abs_tol=1e-9):
            raise ValueError("credibility_base + severity_weight + corroboration_weight must be 1")
        pairs = [
            (self.watch_exit, self.watch_enter),
            (self.warning_exit, self.warning_enter),
            (self.critical_exit, self.critical_enter),
        ]
        if any(not 0 < exit_ < enter <= 100 for exit_, enter in pairs):
            raise ValueError("each level needs 0 < exit < enter <= 100")
        if not self.watch_enter < self.warning_enter < self.critical_enter:
            raise ValueError("enter thresholds must rise from watch to critical")
        if not self.watch_exit < self.warning_exit < self.critical_exit:
            raise ValueError("exit thresholds must rise from watch to critical")
        if self.max_contributors < self.top_k:
            raise ValueError("max_contributors must be at least top_k")
        if not self.short_half_life <= self.medium_half_life <= self.long_half_life:
            raise ValueError("need short_half_life <= medium_half_life <= long_half_life")
        try:
            self.registry  # noqa: B018 - load now: a bad registry fails at start-up, not on an event
        except RegistryError as exc:
            raise ValueError(str(exc)) from None
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied *and validated*: the derived quantities
        below are cached per instance, so a plain copy would keep stale ones."""
        if not update:
            return super().model_copy(deep=deep)
        return self.model_validate(self.model_dump() | dict(update))

    # -- derived quantities, computed once per config (hot path) ----------

    @cached_property
    def short_rate(self) -> float:
        """Decay constant (1/s) of the short horizon."""
        return math.log(2) / self.short_half_life.total_seconds()

    @cached_property
    def medium_rate(self) -> float:
        return math.log(2) / self.medium_half_life.total_seconds()

    @cached_property
    def long_rate(self) -> float:
        return math.log(2) / self.long_half_life.total_seconds()

    @cached_property
    def thresholds(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """(enter, exit) score thresholds by level rank (none, watch, warning, critical)."""
        enter = (0.0, self.watch_enter, self.warning_enter, self.critical_enter)
        exit_ = (0.0, self.watch_exit, self.warning_exit, self.critical_exit)
        return enter, exit_

    @cached_property
    def log_surge_full_ratio(self) -> float:
        return math.log(self.surge_full_ratio)

    @cached_property
    def role_weights(self) -> tuple[float, float, float]:
        """Weights of the state, armed-group and society roles (see ``streams.risk.weights``)."""
        return (self.state_actor_weight, self.armed_group_weight, self.society_weight)

    @cached_property
    def density(self) -> float:
        """The feed's density relative to the calibration feed (conflict sums are read against it)."""
        return self.feed_events_per_day / CALIBRATION_EVENTS_PER_DAY

    @cached_property
    def registry(self) -> OutletRegistry:
        return load_registry(registry_files(self.outlet_registry), self.trusted_outlets)

    @cached_property
    def trusted_producer_set(self) -> frozenset[str]:
        return frozenset(self.trusted_producers)

    @cached_property
    def warning_span_seconds(self) -> float:
        return self.warning_min_span.total_seconds()

    @cached_property
    def critical_span_seconds(self) -> float:
        return self.critical_min_span.total_seconds()

    @cached_property
    def short_lifetime_days(self) -> float:
        """Mean lifetime of the short horizon (half-life / ln 2), in days."""
        return self.short_half_life.total_seconds() / math.log(2) / 86_400

    @cached_property
    def long_lifetime_days(self) -> float:
        return self.long_half_life.total_seconds() / math.log(2) / 86_400

    @cached_property
    def grace_seconds(self) -> float:
        return self.alert_grace.total_seconds()

    @cached_property
    def window_seconds(self) -> float:
        return self.near_duplicate_window.total_seconds()

    @cached_property
    def corroboration_seconds(self) -> float:
        return self.corroboration_window.total_seconds()

    @cached_property
    def cooldown_seconds(self) -> float:
        return self.cooldown.total_seconds()

    @cached_property
    def interval_seconds(self) -> float:
        return self.evaluation_interval.total_seconds()

    @cached_property
    def dedup_retention(self) -> float:
        """Seconds a near-duplicate group must be remembered behind the watermark.

        Long enough that no event inside the grace can match a forgotten
        group, and that hostile groups still count inside the
        corroboration window.
        """
        return max(self.window_seconds + self.grace_seconds, self.corroboration_seconds)
