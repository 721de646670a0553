"""The console's consumer: the topics it shows, read into its store.

Offsets live in the store, written in the same transaction as the rows read before them
(:func:`streams.console.store.write`), so the consumer needs no group: it assigns every
partition itself and resumes exactly where the store says, or at the earliest offset for a
partition the store has not seen (``--rebuild`` empties the store first).  A value that is
not what its topic's contract says is logged with its coordinates, counted and skipped: it
stays on the topic, and a rebuild after a fix reads it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import ConsumerRecord
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from streams.console.materialise import Kind, Rejected, Rows, materialise
from streams.console.store import stored_offsets, write
from streams.kafka_io import client_options
from streams.settings import Settings

log = logging.getLogger("streams.console")

#: Records per store transaction at most.
BATCH = 2000
#: How often new partitions (and topics created after the start) are looked for.
REFRESH_S = 30.0


def kinds(settings: Settings) -> dict[str, Kind]:
    """Topic name → what its values are."""
    t = settings.topics
    return {t.alerts: "alert", t.stance_events: "stance_event", t.enriched: "enriched"}


@dataclass
class Tally:
    """What the consumer did: rows written and values refused, by topic."""

    read: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)

    def count(self, table: dict[str, int], topic: str) -> None:
        table[topic] = table.get(topic, 0) + 1


Batch = dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]


def to_rows(settings: Settings, batch: Batch, tally: Tally,
            ) -> tuple[Rows, dict[tuple[str, int], int]]:
    """A fetched batch as rows to upsert and the next offset of each partition in it."""
    topic_kinds = kinds(settings)
    rows = Rows()
    positions: dict[tuple[str, int], int] = {}
    for tp, messages in batch.items():
        for message in messages:
            offset = message.offset
            try:
                rows.extend(materialise(topic_kinds[tp.topic], message.value, settings.risk))
                tally.count(tally.read, tp.topic)
            except Rejected as exc:
                tally.count(tally.refused, tp.topic)
                log.warning("streams console: %s partition %d offset %d skipped: %s",
                            tp.topic, tp.partition, offset, exc)
            positions[(tp.topic, tp.partition)] = offset + 1
    return rows, positions


class Follower:
    """Reads the console's topics into the store until stopped (or, with ``until_end``,
    until it has reached the end offsets it found when it started)."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings, self.engine = settings, engine
        self.tally = Tally()
        self.consumer: AIOKafkaConsumer | None = None
        self.assigned: set[TopicPartition] = set()

    async def start(self) -> None:
        topics = list(kinds(self.settings))
        # Subscribed at first only so that start() waits for these topics' metadata.
        consumer = AIOKafkaConsumer(*topics, group_id=None, enable_auto_commit=False,
                                    auto_offset_reset="earliest", **client_options(self.settings))
        await consumer.start()
        consumer.unsubscribe()
        self.consumer = consumer
        await self.refresh()

    async def refresh(self) -> None:
        """Assign every partition of the topics, new ones from the stored offset or the start."""
        assert self.consumer is not None
        await self.consumer.topics()  # fresh metadata: partitions or topics added since
        found = {TopicPartition(t, p) for t in kinds(self.settings)
                 for p in self.consumer.partitions_for_topic(t) or ()}
        if found == self.assigned:
            return
        stored = await asyncio.to_thread(stored_offsets, self.engine)
        self.consumer.assign(sorted(found))
        for tp in found:
            at = stored.get((tp.topic, tp.partition))
            if at is None:
                await self.consumer.seek_to_beginning(tp)
            else:
                self.consumer.seek(tp, at)
        self.assigned = found

    async def step(self, timeout_ms: int = 1000) -> int:
        """Fetch once and store what came; how many records."""
        assert self.consumer is not None
        batch = await self.consumer.getmany(timeout_ms=timeout_ms, max_records=BATCH)
        if not batch:
            return 0
        rows, positions = to_rows(self.settings, batch, self.tally)
        await asyncio.to_thread(write, self.engine, rows, positions)
        return sum(len(m) for m in batch.values())

    async def catch_up(self, timeout: float) -> bool:
        """Read up to the end offsets as they are now; ``False`` when ``timeout`` ran out."""
        assert self.consumer is not None
        ends = await self.consumer.end_offsets(sorted(self.assigned))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = [tp for tp, end in ends.items() if await self.consumer.position(tp) < end]
            if not behind:
                return True
            await self.step(timeout_ms=500)
        return False

    async def run(self, stop: asyncio.Event) -> None:
        """Follow until ``stop``; an unreachable broker is retried, the pages stay up."""
        wait = 1.0
        while not stop.is_set():
            try:
                if self.consumer is None:
                    await self.start()
                    log.info("streams console: following %s", ", ".join(kinds(self.settings)))
                    wait = 1.0
                refreshed = time.monotonic()
                while not stop.is_set():
                    await self.step()
                    if time.monotonic() - refreshed > REFRESH_S:
                        await self.refresh()
                        refreshed = time.monotonic()
            except (KafkaError, SQLAlchemyError) as exc:
                # Either side down: start over from the stored offsets once it is back (the
                # consumer's own position may be past rows that were never written).
                what = "the broker" if isinstance(exc, KafkaError) else "the store"
                log.warning("streams console: %s failed (%s); retrying in %.0f s, the pages keep "
                            "serving what is stored", what, str(exc).splitlines()[0], wait)
                await self.stop()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                wait = min(wait * 2, 30.0)

    async def stop(self) -> None:
        consumer, self.consumer, self.assigned = self.consumer, None, set()
        if consumer is not None:
            await consumer.stop()
