"""The risk agent: stance events in, dyad state in a table, alerts out.

Thin by design: the engine (``streams.risk``) is pure.  Decoded states are
cached in memory and written through to a changelog-backed table as JSON,
so a restart (or a partition moving to another worker) resumes from the
changelog with the same state.  Alerts are published and acknowledged
before the new state is stored: a crash can repeat an alert (same
deterministic ``alert_id``; consumers collapse it) but never lose one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust
from pydantic import ValidationError

from streams.agents.enrich import record_headers
from streams.agents.metrics import (
    RISK_EVENTS,
    STAGE_SECONDS,
    forget_dyad_risk,
    record_alert,
    record_dyad_risk,
)
from streams.agents.publishing import PublishRejected, send_reliably
from streams.agents.tables import STORE_OPTIONS, as_current
from streams.contracts import Alert, StanceEvent
from streams.kafka_io import replica_configs
from streams.pipeline.bounds import dead_letter_key, fit_dead_letter
from streams.pipeline.decode import RawMessage, dead_letter
from streams.risk import DyadState, advance, apply, is_duplicate
from streams.settings import Settings

log = logging.getLogger(__name__)

#: How often quiet dyads are moved forward to their partition's event time.
ADVANCE_INTERVAL_S = 5.0
#: Events folded per batch, and how long a batch fills.  Faust's ``take_events``
#: fills for the whole interval (or until full) and drains nothing while a
#: batch is folded, so the interval trades alert latency for throughput:
#: 100 ms drains a backlog ~10% faster than 50 ms (measured with ``streams
#: bench``), 250 ms no faster again; either is small next to the 2 s alert budget.
BATCH_MAX = 2000
BATCH_WITHIN_S = 0.1


def install_risk_agent(app: faust.App, settings: Settings) -> None:
    """Consume ``geo.stance-events.v1``; keep ``dyad-state``; emit ``geo.alerts.v1``."""
    names = settings.topics
    config = settings.risk
    events_topic = app.topic(names.stance_events, key_serializer="raw", value_serializer="raw")
    alerts_topic = app.topic(names.alerts, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
    # Values are the engine's own compact JSON bytes: a second (json) encoding
    # by Faust would escape the whole document again on every write.
    states = app.Table("dyad-state", default=None, partitions=settings.partitions,
                       value_type=bytes, options=dict(STORE_OPTIONS),
                       extra_topic_configs=replica_configs(settings))
    cache: dict[str, DyadState] = {}
    #: Event-time watermark per partition: the newest event time seen there.
    watermarks: dict[int, float] = {}
    #: The latest event of each dyad: it names the dyad's partition for writes.
    dyad_event: dict[str, Any] = {}
    lock = asyncio.Lock()

    def load(dyad: str) -> DyadState | None:
        state = cache.get(dyad)
        if state is None and (stored := states.get(dyad)) is not None:
            state = DyadState.from_json(stored)
            cache[dyad] = state
        return state

    async def publish(alerts: list[Alert]) -> None:
        """Publish alerts, retrying broker trouble; one the broker refuses for good is
        counted (``streams_publish_rejected_total{output="alert"}``) and logged, not retried
        forever: alerts are small, so only a setup error (e.g. authorisation) refuses them."""
        async def send_all() -> None:
            pending = [
                await alerts_topic.send(key=a.dyad.encode(), value=a.model_dump_json().encode())
                for a in alerts
            ]
            await asyncio.gather(*pending)

        if not alerts:
            return
        try:
            await send_reliably(send_all, "alert")
        except PublishRejected:
            log.error("%d alert(s) refused by the broker: %s", len(alerts),
                      ", ".join(a.alert_id for a in alerts))
            return
        for a in alerts:
            record_alert(a.level, a.transition)

    def store(state: DyadState, event: Any) -> None:
        """Write a state through to the table, as if while handling ``event``.

        Faust picks a table write's changelog partition and RocksDB column
        from the *current* event.  A batch holds several partitions' dyads and
        the timer runs outside stream iteration, so each write names an event
        of its dyad's own partition.
        """
        cache[state.dyad] = state
        with as_current(event):
            states[state.dyad] = state.to_bytes()
        record_dyad_risk(state.dyad, state.score, state.level)

    async def reject(event: Any, detail: str) -> None:
        message = event.message
        raw = RawMessage(value=event.value, key=event.key, topic=message.topic,
                         partition=message.partition, offset=message.offset,
                         headers=record_headers(message.headers),
                         timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None)
        letter = fit_dead_letter(dead_letter(raw, "invalid_event", detail[:1000]))
        try:
            await send_reliably(lambda: dlq.send(key=dead_letter_key(event.key),
                                                 value=letter.model_dump_json().encode()),
                                "dead_letter")
        except PublishRejected:
            log.error("dead letter for %s[%s]@%s refused; event skipped", message.topic,
                      message.partition, message.offset)
        RISK_EVENTS.labels("invalid").inc()

    async def handle_batch(batch: list[Any]) -> None:
        """Fold a batch of events, publish its alerts, then store each dyad once.

        New states stay local until the alerts are acknowledged: if publishing
        fails the whole batch is retried from the unchanged cache, so no alert
        is lost to an "already seen" event.  Serialising each touched dyad
        once per batch, not once per event, is what keeps hot dyads cheap.
        """
        async with lock:
            fresh: dict[str, DyadState] = {}
            touched: dict[str, Any] = {}
            alerts: list[Alert] = []
            marks: dict[int, float] = {}
            applied = duplicates = 0
            with STAGE_SECONDS.labels("risk").time():
                for event in batch:
                    try:
                        stance = StanceEvent.model_validate_json(event.value or b"")
                    except ValidationError as exc:
                        await reject(event, str(exc))
                        continue
                    state = fresh.get(stance.dyad) or load(stance.dyad)
                    if state is not None and is_duplicate(state, stance):
                        duplicates += 1
                        continue
                    fresh[stance.dyad], new_alerts = apply(state, stance, config)
                    alerts.extend(new_alerts)
                    partition = event.message.partition
                    touched[stance.dyad] = event
                    seconds = stance.event_time.timestamp()
                    marks[partition] = max(marks.get(partition, seconds), seconds)
                    applied += 1
            await publish(alerts)
            for dyad, event in touched.items():
                store(fresh[dyad], event)
                dyad_event[dyad] = event
            for partition, seconds in marks.items():
                watermarks[partition] = max(watermarks.get(partition, seconds), seconds)
            RISK_EVENTS.labels("applied").inc(applied)
            RISK_EVENTS.labels("duplicate").inc(duplicates)

    @app.agent(events_topic, name="risk-dyads")
    async def assess_dyads(stream: Any) -> None:
        async for batch in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            delay = 0.5
            while True:
                try:
                    await handle_batch(list(batch))
                    break
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("risk update failed; retrying in %.1fs", delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)

    @app.timer(ADVANCE_INTERVAL_S)  # type: ignore[untyped-decorator]
    async def advance_quiet_dyads() -> None:
        """Let raised levels decay and resolve when a dyad goes quiet.

        Driven by each partition's event-time watermark, never the wall
        clock, so a replay resolves at the same instants as the live run.
        """
        async with lock:
            for dyad, state in list(cache.items()):
                event = dyad_event.get(dyad)
                if event is None or event.message.partition not in watermarks:
                    continue
                try:
                    new_state, alerts = advance(state, watermarks[event.message.partition], config)
                    if new_state is state:
                        continue
                    await publish(alerts)
                    store(new_state, event)
                except Exception:  # a timer crash would stop the whole worker
                    log.exception("advancing %s failed; will retry on the next tick", dyad)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def forget_moved_dyads(sender: Any, **kwargs: Any) -> None:
        """A dyad whose partition moved away must be reloaded from the table."""
        cache.clear()
        dyad_event.clear()
        forget_dyad_risk()
