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

from streams.agents.metrics import (
    RISK_EVENTS,
    STAGE_SECONDS,
    forget_dyad_risk,
    record_alert,
    record_dyad_risk,
)
from streams.contracts import Alert, StanceEvent
from streams.pipeline.decode import RawMessage, dead_letter
from streams.risk import DyadState, advance, apply, is_duplicate
from streams.settings import Settings

log = logging.getLogger(__name__)

#: How often quiet dyads are moved forward to their partition's event time.
ADVANCE_INTERVAL_S = 5.0


def install_risk_agent(app: faust.App, settings: Settings) -> None:
    """Consume ``geo.stance-events.v1``; keep ``dyad-state``; emit ``geo.alerts.v1``."""
    names = settings.topics
    config = settings.risk
    events_topic = app.topic(names.stance_events, key_serializer="raw", value_serializer="raw")
    alerts_topic = app.topic(names.alerts, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
    states = app.Table("dyad-state", default=None, partitions=settings.partitions)
    cache: dict[str, DyadState] = {}
    #: Event-time watermark per partition: the newest event time seen there.
    watermarks: dict[int, float] = {}
    dyad_partition: dict[str, int] = {}
    lock = asyncio.Lock()

    def load(dyad: str) -> DyadState | None:
        state = cache.get(dyad)
        if state is None and (stored := states.get(dyad)) is not None:
            state = DyadState.from_json(stored)
            cache[dyad] = state
        return state

    async def publish(alerts: list[Alert]) -> None:
        pending = [
            await alerts_topic.send(key=a.dyad.encode(), value=a.model_dump_json().encode())
            for a in alerts
        ]
        await asyncio.gather(*pending)
        for a in alerts:
            record_alert(a.level, a.transition)

    def store(state: DyadState, partition: int | None = None) -> None:
        """Write through to the table (and its changelog).

        Inside stream iteration Faust picks the changelog partition from the
        current event; the timer has no event, so it names the dyad's
        partition itself.
        """
        cache[state.dyad] = state
        value = state.to_json()
        if partition is None:
            states[state.dyad] = value
        else:
            states.send_changelog(partition, state.dyad, value)
            states.data[state.dyad] = value
        record_dyad_risk(state.dyad, state.score, state.level)

    async def handle(event: Any) -> None:
        message = event.message
        try:
            stance = StanceEvent.model_validate_json(event.value or b"")
        except ValidationError as exc:
            raw = RawMessage(value=event.value, key=event.key, topic=message.topic,
                             partition=message.partition, offset=message.offset)
            letter = dead_letter(raw, "invalid_event", str(exc)[:1000])
            await dlq.send(key=event.key, value=letter.model_dump_json().encode())
            RISK_EVENTS.labels("invalid").inc()
            return
        async with lock:
            with STAGE_SECONDS.labels("risk").time():
                state = load(stance.dyad)
                if state is not None and is_duplicate(state, stance):
                    RISK_EVENTS.labels("duplicate").inc()
                    return
                new_state, alerts = apply(state, stance, config)
            await publish(alerts)
            store(new_state)
            dyad_partition[stance.dyad] = message.partition
            seconds = stance.event_time.timestamp()
            watermarks[message.partition] = max(watermarks.get(message.partition, seconds), seconds)
            RISK_EVENTS.labels("applied").inc()

    @app.agent(events_topic, name="risk-dyads")
    async def assess_dyads(stream: Any) -> None:
        async for event in stream.events():
            delay = 0.5
            while True:
                try:
                    await handle(event)
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
                partition = dyad_partition.get(dyad)
                if partition is None or partition not in watermarks:
                    continue
                try:
                    new_state, alerts = advance(state, watermarks[partition], config)
                    if new_state is state:
                        continue
                    await publish(alerts)
                    store(new_state, partition)
                except Exception:  # a timer crash would stop the whole worker
                    log.exception("advancing %s failed; will retry on the next tick", dyad)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def forget_moved_dyads(sender: Any, **kwargs: Any) -> None:
        """A dyad whose partition moved away must be reloaded from the table."""
        cache.clear()
        dyad_partition.clear()
        forget_dyad_risk()
