"""Operator tools of the ``streams`` command: ``streams alerts`` and ``streams dlq``.

Each tool module registers its subcommand with ``add_parser(subparsers)`` (``streams.cli``
wires them) and keeps its pure part (parsing options, selecting, decoding, formatting)
apart from Kafka, so that part is tested without a broker.  The Kafka I/O the tools share
is here: reading a whole topic from its beginning (then, if asked, following it) and
sending records with their headers, awaiting every delivery.  Problems are raised as
:mod:`streams.errors` (the CLI prints them as one line), as the other commands do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass

from streams.errors import BrokerError, ConfigError
from streams.settings import Settings

# aiokafka and streams.kafka_io are imported by the functions that use them: building the
# ``streams`` parser, which imports the tools, stays as quick as the rest of the CLI.

#: A partition not yet read to its end that yields nothing this long: the read fails.
STALL_TIMEOUT_S = 30.0
UNREACHABLE_HINT = "is the broker running? `streams broker status`; or fix STREAMS_BROKER"

Headers = tuple[tuple[str, bytes | None], ...]


class TopicMissing(BrokerError):
    """The topic to read does not exist on the broker."""


class ReadStalled(BrokerError):
    """A partition yielded nothing for a long time before its end was reached."""


def broker_settings() -> Settings:
    """The settings; :class:`ConfigError` when no broker is configured."""
    settings = Settings()
    if not settings.broker:
        raise ConfigError("STREAMS_BROKER is not set",
                          "export STREAMS_BROKER=127.0.0.1:9092 (after `streams broker start`), "
                          "or use `streams run`, which starts a broker")
    return settings


@dataclass(frozen=True)
class StoredRecord:
    """A record as read from a topic, headers and timestamp included."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = ()
    timestamp_ms: int | None = None


@dataclass(frozen=True)
class OutgoingRecord:
    """A record to send: the partition is the producer's choice (by key)."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers = ()


async def _partitions(settings: Settings, topic: str) -> list[int]:
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import UnknownTopicOrPartitionError, for_code

    from streams.kafka_io import client_options

    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        # Listing first: a metadata request naming a missing topic would create it on a
        # broker with auto.create.topics.enable, with the broker's defaults.
        if topic not in await admin.list_topics():
            raise TopicMissing(f"topic {topic} does not exist on {settings.bootstrap_servers}",
                               "the worker creates it (`streams worker`); or check STREAMS_TOPIC_*")
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    error = for_code(described["error_code"]) if described["error_code"] else None
    if error is UnknownTopicOrPartitionError or (error is None and not described["partitions"]):
        raise TopicMissing(f"topic {topic} does not exist on {settings.bootstrap_servers}")
    if error is not None:
        raise error(f"describing topic {topic}")
    return sorted(p["partition"] for p in described["partitions"])


async def read_topic(settings: Settings, topic: str, *, follow: bool = False,
                     idle_timeout: float | None = None,
                     stall_timeout: float = STALL_TIMEOUT_S) -> AsyncGenerator[StoredRecord | None, None]:
    """Every record of ``topic``, from the beginning of each partition.

    Reads up to the end offsets as they are at the start, then yields ``None`` once
    ("caught up").  Without ``follow`` it stops there; with it, it goes on yielding new
    records until ``idle_timeout`` seconds pass without one (never, when ``None``).
    No consumer group: nothing is committed and other readers are not disturbed.
    Raises :class:`TopicMissing`, or :class:`ReadStalled` when a partition not yet read
    to its end yields nothing for ``stall_timeout`` seconds.
    """
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from streams.kafka_io import client_options

    partitions = await _partitions(settings, topic)
    consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", **client_options(settings))
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        behind = {tp for tp in tps if await consumer.position(tp) < end[tp]}
        caught_up = False
        last = time.monotonic()
        while True:
            if not behind and not caught_up:
                caught_up = True
                last = time.monotonic()
                yield None
                if not follow:
                    return
            batch = await consumer.getmany(timeout_ms=500)
            now = time.monotonic()
            for tp, messages in sorted(batch.items(), key=lambda item: item[0].partition):
                for m in messages:
                    last = now
                    yield StoredRecord(tp.topic, tp.partition, m.offset, m.key, m.value,
                                       tuple((k, v) for k, v in m.headers or ()), m.timestamp)
            for tp in list(behind):
                if await consumer.position(tp) >= end[tp]:
                    behind.discard(tp)
            if behind and now - last > stall_timeout:
                raise ReadStalled(f"{topic}: no records for {stall_timeout:g}s from partitions "
                                  f"{sorted(tp.partition for tp in behind)} before their end",
                                  UNREACHABLE_HINT)
            if caught_up and idle_timeout is not None and now - last > idle_timeout:
                return
    finally:
        await consumer.stop()


async def send_records(settings: Settings, records: Sequence[OutgoingRecord], *,
                       delivery_timeout: float | None = None) -> list[BaseException | None]:
    """Send every record (``acks=all``) and await each delivery, in order.

    Returns, per record, ``None`` when the broker acknowledged it, else the error.
    Raises :class:`streams.kafka_io.ProducerUnavailable` when Kafka cannot be reached
    within ``delivery_timeout`` (default :data:`streams.kafka_io.DELIVERY_TIMEOUT_S`).
    """
    from aiokafka.errors import KafkaError

    from streams.kafka_io import DELIVERY_TIMEOUT_S, start_producer

    delivery_timeout = DELIVERY_TIMEOUT_S if delivery_timeout is None else delivery_timeout
    if not records:
        return []
    producer = await start_producer(settings, records[0].topic, delivery_timeout=delivery_timeout)
    loop = asyncio.get_running_loop()
    futures: list[asyncio.Future[object]] = []
    try:
        for record in records:
            try:
                futures.append(await producer.send(record.topic, record.value, key=record.key,
                                                   headers=list(record.headers)))
            except KafkaError as exc:  # e.g. too large: settled like a failed delivery
                failed: asyncio.Future[object] = loop.create_future()
                failed.set_exception(exc)
                futures.append(failed)
        outcomes: list[BaseException | None] = []
        for future in futures:
            try:
                await future
                outcomes.append(None)
            except Exception as exc:  # whatever aiokafka failed it with is its outcome
                outcomes.append(exc)
        return outcomes
    finally:
        await producer.stop()
