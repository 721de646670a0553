"""Small aiokafka clients used by the CLI, the run command and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

from streams.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """aiokafka connection options, security included, from settings."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = create_ssl_context(
            cafile=settings.ssl_cafile, certfile=settings.ssl_certfile, keyfile=settings.ssl_keyfile
        )
    if settings.security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = (
            settings.sasl_password.get_secret_value() if settings.sasl_password else None
        )
    return options


def all_topics(settings: Settings) -> list[str]:
    t = settings.topics
    return [t.articles, t.enriched, t.dead_letters, t.stance_events, t.alerts, t.rekeyed]


async def ensure_topics(settings: Settings, names: Iterable[str] | None = None) -> None:
    """Create the product's topics with the configured partitions, if missing."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [n for n in (names or all_topics(settings)) if n not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([
                    NewTopic(n, settings.partitions, settings.replication_factor) for n in wanted
                ])
    finally:
        await admin.close()


async def produce_lines(settings: Settings, lines: Iterable[bytes], topic: str,
                        rate: float | None = None, key_field: str = "id") -> int:
    """Send JSONL lines, keyed by their ``id`` when readable; returns the count."""
    producer = AIOKafkaProducer(acks="all", **client_options(settings))
    await producer.start()
    sent = 0
    started = time.monotonic()
    try:
        for line in lines:
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue
            key = None
            try:
                obj = json.loads(line)
                if isinstance(obj, dict) and isinstance(obj.get(key_field), str):
                    key = obj[key_field].encode()
            except ValueError:
                pass
            await producer.send(topic, line, key=key)
            sent += 1
            if rate:
                delay = started + sent / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
        await producer.flush()
    finally:
        await producer.stop()
    return sent


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


async def consume(settings: Settings, topics: list[str], *, from_beginning: bool = True,
                  idle_timeout: float | None = None, max_records: int | None = None,
                  group_id: str | None = None) -> AsyncIterator[Record]:
    """Yield records until ``max_records`` or ``idle_timeout`` seconds of silence."""
    consumer = AIOKafkaConsumer(
        *topics, group_id=group_id, enable_auto_commit=group_id is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **client_options(settings),
    )
    await consumer.start()
    count = 0
    last = time.monotonic()
    try:
        while max_records is None or count < max_records:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None and time.monotonic() - last > idle_timeout:
                    return
                continue
            last = time.monotonic()
            for tp, messages in batch.items():
                for m in messages:
                    yield Record(tp.topic, tp.partition, m.offset, m.key, m.value)
                    count += 1
    finally:
        await consumer.stop()
