"""Small aiokafka clients used by the CLI, the run command and the tests."""

from __future__ import annotations

import asyncio
import bisect
import collections
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import (
    KafkaError,
    KafkaTimeoutError,
    TopicAlreadyExistsError,
    UnknownTopicOrPartitionError,
    for_code,
)
from aiokafka.helpers import create_ssl_context

from streams.errors import BrokerUnavailable, ConfigError
from streams.settings import Settings

log = logging.getLogger(__name__)


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


# --- topics: created with explicit retention ---------------------------------------

_DAY_MS = 24 * 3600 * 1000

#: Topic-level configs of the product's topics, by :class:`streams.settings.Topics` field,
#: set when :func:`ensure_topics` creates them (docs/deployment.md, "Topics and retention").
#: Every topic deletes by time; none is compacted: their keys (article ids, dyads) do not
#: name a latest value.  The tables' changelogs are Faust's and compacted by Faust.
TOPIC_CONFIGS: dict[str, dict[str, str]] = {
    # Input: a week to recover from a long outage or to re-process after a fix.
    "articles": {"cleanup.policy": "delete", "retention.ms": str(7 * _DAY_MS)},
    # Internal hand-over between two steps of the same worker: consumed within seconds.
    "rekeyed": {"cleanup.policy": "delete", "retention.ms": str(3 * _DAY_MS)},
    # Outputs and the dyad door: a month, the half-life of the risk engine's baseline.
    "enriched": {"cleanup.policy": "delete", "retention.ms": str(30 * _DAY_MS)},
    "stance_events": {"cleanup.policy": "delete", "retention.ms": str(30 * _DAY_MS)},
    # Long enough to notice, fix and replay (``streams dlq replay``).
    "dead_letters": {"cleanup.policy": "delete", "retention.ms": str(30 * _DAY_MS)},
    # The record of what the product said: few and small, kept for good.
    "alerts": {"cleanup.policy": "delete", "retention.ms": "-1"},
}


def replica_configs(settings: Settings) -> dict[str, str]:
    """``min.insync.replicas`` for a replicated topic (any the product creates, changelogs too).

    With ``acks=all`` a write is then acknowledged only once that many replicas hold it, so
    an acknowledged record survives the loss of a broker; unreplicated: the broker's default.
    """
    wanted = settings.topic_min_insync
    return {} if wanted is None else {"min.insync.replicas": str(wanted)}


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """The configs :func:`ensure_topics` gives each of the product's topics, by topic name."""
    names = settings.topics.model_dump()
    return {names[field]: {**config, **replica_configs(settings)} for field, config in TOPIC_CONFIGS.items()}


def config_drift(wanted: dict[str, str], actual: dict[str, str]) -> dict[str, tuple[str | None, str]]:
    """The configs of ``wanted`` that ``actual`` holds otherwise: name → (actual, wanted)."""
    def norm(name: str, value: str | None) -> str | None:
        if value is not None and name == "cleanup.policy":
            return ",".join(sorted(v.strip() for v in value.split(",")))
        return value

    return {name: (actual.get(name), value) for name, value in wanted.items()
            if norm(name, actual.get(name)) != norm(name, value)}


async def _describe(admin: AIOKafkaAdminClient, names: list[str], *,
                    strict: bool = True) -> dict[str, dict[str, str]]:
    """Configs by topic; a topic the broker cannot describe raises, or is left out (not strict)."""
    responses = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    out: dict[str, dict[str, str]] = {}
    for response in responses:
        for error_code, error_message, _, name, entries in response.resources:
            if not error_code:
                out[name] = {entry[0]: entry[1] for entry in entries}
            elif strict:
                raise for_code(error_code)(f"describe configs of {name}: {error_message}")
            else:
                log.debug("could not describe the configs of %s: %s %s", name,
                          for_code(error_code).__name__, error_message)
    return out


async def describe_topic_configs(settings: Settings, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """Every config of each topic (topic name → config name → value), defaults included."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        return await _describe(admin, list(names))
    finally:
        await admin.close()


async def ensure_topics(settings: Settings, names: Iterable[str] | None = None) -> None:
    """Create the product's topics, if missing, with the configured partitions and replicas.

    Those of :data:`TOPIC_CONFIGS` get their retention and cleanup policy; other names get
    the broker's defaults.  Topics that exist are left as they are: a config that differs
    from :data:`TOPIC_CONFIGS` is logged (a warning), never changed.
    """
    configs = topic_configs(settings)
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        requested = list(names or all_topics(settings))
        wanted = [n for n in requested if n not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                response = await admin.create_topics([
                    NewTopic(n, settings.partitions, settings.replication_factor,
                             topic_configs=configs.get(n, replica_configs(settings)))
                    for n in wanted
                ])
                for entry in response.topic_errors:
                    name, code = entry[0], entry[1]
                    if code and for_code(code) is not TopicAlreadyExistsError:
                        detail = entry[2] if len(entry) > 2 else ""
                        raise for_code(code)(f"creating topic {name}: {detail}")
        await _warn_of_drift(admin, {n: configs[n] for n in requested if n in existing and n in configs})
        if names is None:
            await _check_copartitioned(admin, settings)
    finally:
        await admin.close()


async def _check_copartitioned(admin: AIOKafkaAdminClient, settings: Settings) -> None:
    """Raise :class:`ConfigError` when a table's source topic has another partition count.

    The worker's tables (dedup by article id, dyad state) are partitioned like their source
    topics, ``STREAMS_PARTITIONS`` ways; Faust fails on the first record of a source topic
    partitioned otherwise, e.g. one a producer had the broker auto-create (one partition)
    before any worker created it.  Said before the worker starts, it is one clear line.
    """
    t = settings.topics
    sources = [t.articles, t.rekeyed, t.stance_events]
    wrong = {d["topic"]: len(d["partitions"]) for d in await admin.describe_topics(sources)
             if not d["error_code"] and len(d["partitions"]) != settings.partitions}
    if wrong:
        listed = ", ".join(f"{name} has {n}" for name, n in sorted(wrong.items()))
        raise ConfigError(
            f"the worker's tables need their source topics in {settings.partitions} partitions "
            f"(STREAMS_PARTITIONS) but {listed} (auto-created by a producer before any worker ran?)",
            "recreate those topics (a local broker: `streams broker start --fresh`), or set "
            "STREAMS_PARTITIONS to their count for every worker, with fresh worker state")


async def _warn_of_drift(admin: AIOKafkaAdminClient, wanted: dict[str, dict[str, str]]) -> None:
    if not wanted:
        return
    try:
        actual = await _describe(admin, list(wanted), strict=False)
    except (KafkaError, OSError) as exc:  # e.g. not authorised to describe configs
        log.debug("could not check the configs of %s: %s", sorted(wanted), exc)
        return
    for name, config in wanted.items():
        if name not in actual:
            continue
        for key, (have, want) in config_drift(config, actual[name]).items():
            log.warning("topic %s has %s=%s, not %s as streams creates it (left as it is; "
                        "see docs/deployment.md, \"Topics and retention\")", name, key, have, want)


# --- producing: every line acknowledged, or reported -----------------------------

#: How long one line may take to be acknowledged, retries included (``--delivery-timeout``).
DELIVERY_TIMEOUT_S = 30.0
#: Lines sent but not yet acknowledged, at most: plenty to keep aiokafka's batches full
#: (throughput as when nothing was awaited) while bounding the memory kept for retries.
IN_FLIGHT = 1000
#: Undelivered lines reported one by one; the rest are only counted.
REPORTED_FAILURES = 20
#: Pause before sending again a line whose send failed at once (not after a broker round trip).
_RESEND_BACKOFF_S = 0.2
#: Pause between attempts to reach the broker at start.
_START_BACKOFF_S = 1.0


class ProducerUnavailable(BrokerUnavailable):
    """The producer could not reach Kafka, or find the topic, within the delivery timeout."""


@dataclass(frozen=True)
class LineFailure:
    """One line that was not delivered: its 1-based number in the input and why."""

    line: int
    error: str
    detail: str


@dataclass
class ProduceResult:
    """What :func:`produce_lines` did with its input."""

    delivered: int = 0
    failed: int = 0
    skipped_blank: int = 0
    #: Sends repeated after a retriable failure (a line may be retried several times).
    retried: int = 0
    #: The :data:`REPORTED_FAILURES` lowest-numbered undelivered lines, by line number.
    failures: list[LineFailure] = field(default_factory=list)
    #: Undelivered lines by error class (all of them, the unsent ones excepted).
    errors: Counter[str] = field(default_factory=Counter)
    #: Lines not even sent (counted in ``failed``): the run gave up at ``gave_up_at``,
    #: a line Kafka did not acknowledge within the delivery timeout.
    unsent: int = 0
    gave_up_at: int | None = None
    first_unsent: int | None = None

    @property
    def attempted(self) -> int:
        """Non-blank lines: delivered + failed."""
        return self.delivered + self.failed

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def add_unsent(self, line: int) -> None:
        self.failed += 1
        self.unsent += 1
        if self.first_unsent is None:
            self.first_unsent = line

    def add_failure(self, line: int, exc: BaseException) -> None:
        self.failed += 1
        self.errors[type(exc).__name__] += 1
        if len(self.failures) < REPORTED_FAILURES or line < self.failures[-1].line:
            name = type(exc).__name__
            detail = " ".join(str(exc).split()).removeprefix(f"{name}: ")[:200]
            if detail == name or detail.endswith(f"] {name}"):  # "[Error 5] LeaderNotAvailableError"
                detail = ""
            bisect.insort(self.failures, LineFailure(line, name, detail),
                          key=lambda f: f.line)
            del self.failures[REPORTED_FAILURES:]

    def failure_report(self, unit: str = "line") -> list[str]:
        """Bounded: the first failed lines one by one, then a count by error class."""
        out = [f"{unit} {f.line} not delivered: {f.error}" + (f" ({f.detail})" if f.detail else "")
               for f in self.failures]
        sent_and_failed = self.failed - self.unsent
        if sent_and_failed > len(self.failures):
            out.append(f"... and {sent_and_failed - len(self.failures)} more {unit}s not delivered")
        if sent_and_failed:
            causes = ", ".join(f"{name} x{count}" for name, count in self.errors.most_common())
            out.append(f"{sent_and_failed} {unit}s sent but not delivered: {causes}")
        if self.gave_up_at is not None:
            out.append(f"gave up at {unit} {self.gave_up_at}: Kafka did not acknowledge it "
                       "within the delivery timeout")
        if self.unsent:
            out.append(f"{self.unsent} {unit}s from {unit} {self.first_unsent} on were not sent")
        return out


@dataclass
class _InFlight:
    line: int
    key: bytes | None
    value: bytes
    deadline: float
    sent_at: float = 0.0
    future: asyncio.Future[Any] | None = None


def _retriable(exc: BaseException) -> bool:
    """Worth sending again: the broker was unreachable, slow, or between leaders."""
    return isinstance(exc, KafkaTimeoutError | TimeoutError) or bool(getattr(exc, "retriable", False))


def request_timeout_for(delivery_timeout: float) -> float:
    """aiokafka's ``request_timeout_ms`` (seconds) for a delivery timeout.

    aiokafka retries a batch internally until it is ``request_timeout_ms`` old (its
    "TTL", counted from the batch's creation, not from each message's), then fails
    every message in it.  A third of the delivery timeout leaves room for about three
    such rounds, the later ones (re-sends by :func:`produce_lines`) each in a fresh
    batch, before a line's own deadline; every line is settled at the latest about
    ``delivery_timeout + 2 * request_timeout`` after it was first sent.
    """
    return min(30.0, max(1.0, delivery_timeout / 3))


def _key_of(line: bytes, key_field: str) -> bytes | None:
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if isinstance(obj, dict) and isinstance(obj.get(key_field), str):
        return str(obj[key_field]).encode()
    return None


async def start_producer(settings: Settings, topic: str, *,
                         delivery_timeout: float = DELIVERY_TIMEOUT_S) -> AIOKafkaProducer:
    """A started producer that knows ``topic``, or :class:`ProducerUnavailable` within the timeout."""
    request_timeout = request_timeout_for(delivery_timeout)
    deadline = time.monotonic() + delivery_timeout
    while True:
        producer = AIOKafkaProducer(acks="all", request_timeout_ms=int(request_timeout * 1000),
                                    **client_options(settings))
        try:
            remaining = max(0.1, deadline - time.monotonic())
            await asyncio.wait_for(producer.start(), remaining)
            if topic in all_topics(settings):  # as the worker would create it, not auto-created
                remaining = max(0.1, deadline - time.monotonic())
                await asyncio.wait_for(ensure_topics(settings, [topic]), remaining)
            # The topic's partitions now, so that a missing topic is one clear error
            # rather than a metadata wait of request_timeout on every line.
            remaining = max(0.1, deadline - time.monotonic())
            await asyncio.wait_for(producer.partitions_for(topic), remaining)
            return producer
        except (KafkaError, OSError, TimeoutError) as exc:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), request_timeout)
            if time.monotonic() + _START_BACKOFF_S >= deadline:
                what = (f"topic {topic!r} not found" if isinstance(exc, UnknownTopicOrPartitionError)
                        else f"could not reach Kafka at {settings.bootstrap_servers}")
                raise ProducerUnavailable(
                    f"{what} within {delivery_timeout:g}s ({type(exc).__name__}: {exc})") from exc
            await asyncio.sleep(_START_BACKOFF_S)


async def produce_lines(settings: Settings, lines: Iterable[bytes], topic: str,
                        rate: float | None = None, key_field: str = "id", *,
                        delivery_timeout: float = DELIVERY_TIMEOUT_S,
                        in_flight: int = IN_FLIGHT) -> ProduceResult:
    """Send JSONL lines (keyed by ``key_field`` when readable) and account for every one.

    Each non-blank line is either acknowledged by the broker (``acks=all``) or counted
    as failed, within about ``delivery_timeout`` seconds of being sent: a retriable
    failure (broker unreachable, timeout, leader change) is sent again until the
    line's deadline.  Once a line misses its deadline that way Kafka has been unusable
    for the whole timeout: the run gives up, the rest of the input is read and counted
    but not sent (an outage would otherwise cost every later line the timeout, for
    hours on a large file), and lines still in flight are settled without more retries.
    Lines failing on their own (too large...) are reported and the run goes on.

    Up to ``in_flight`` lines are awaited at once, so batching is kept.  A line sent
    again after an outage longer than :func:`request_timeout_for` may reach the topic
    after lines read later than it; a timed-out request the broker did write may be
    written again (at-least-once: aiokafka's idempotent producer would retry forever).
    Raises :class:`ProducerUnavailable` when Kafka cannot be reached at start.
    """
    producer = await start_producer(settings, topic, delivery_timeout=delivery_timeout)
    result = ProduceResult()
    window: collections.deque[_InFlight] = collections.deque()
    loop = asyncio.get_running_loop()

    async def send(item: _InFlight) -> None:
        item.sent_at = time.monotonic()
        try:
            item.future = await producer.send(topic, item.value, key=item.key)
        except KafkaError as exc:  # e.g. too large, no room in time: settled like a failed delivery
            item.future = loop.create_future()
            item.future.set_exception(exc)
        window.append(item)

    async def settle_oldest() -> None:
        item = window.popleft()
        assert item.future is not None
        try:
            await item.future  # aiokafka resolves it within its batch TTL
        except Exception as exc:  # whatever aiokafka failed it with is this line's outcome
            now = time.monotonic()
            if not _retriable(exc):
                result.add_failure(item.line, exc)
            elif result.gave_up_at is None and now + _RESEND_BACKOFF_S < item.deadline:
                if now - item.sent_at < _RESEND_BACKOFF_S:
                    await asyncio.sleep(_RESEND_BACKOFF_S)
                result.retried += 1
                await send(item)
            else:
                result.add_failure(item.line, exc)
                if result.gave_up_at is None:
                    result.gave_up_at = item.line
        else:
            result.delivered += 1

    sent = 0
    started = time.monotonic()
    numbered = enumerate(lines, 1)
    try:
        for number, raw in numbered:
            value = raw.rstrip(b"\r\n")
            if not value.strip():
                result.skipped_blank += 1
                continue
            await send(_InFlight(number, _key_of(value, key_field), value,
                                 deadline=time.monotonic() + delivery_timeout))
            sent += 1
            while window and (len(window) >= in_flight or (window[0].future and window[0].future.done())):
                await settle_oldest()
            if result.gave_up_at is not None:
                break
            if rate:
                delay = started + sent / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
        for number, raw in numbered:  # after giving up: counted, not sent
            if raw.strip():
                result.add_unsent(number)
            else:
                result.skipped_blank += 1
        while window:
            await settle_oldest()
    finally:
        # Normally nothing is left to flush; after an error, stop() waits for the
        # pending batches, which aiokafka expires within its request timeout.
        await producer.stop()
    return result


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
