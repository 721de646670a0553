"""The enrich agents: decode, deduplicate, analyse, publish, count.

No analysis logic lives here; see ``streams.pipeline`` and ``streams.nlp``.
Delivery is at-least-once: Faust acknowledges a batch only after it was
handled and flushes the producer before it commits offsets, and an article
id enters the dedup table only after its enriched value was acknowledged,
so a crash can repeat work but never lose it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import faust
from aiokafka.partitioner import murmur2

from streams.agents.aiokafka_compat import drain_unreadable
from streams.agents.analysis import AnalysisProcess, Outcome
from streams.agents.metrics import (
    ARTICLES,
    DEAD_LETTERS,
    STAGE_SECONDS,
    STANCE_EVENTS,
    record_enriched,
)
from streams.agents.publishing import PublishRejected, send_reliably
from streams.agents.tables import STORE_OPTIONS, as_current
from streams.contracts import Article, DeadLetter
from streams.kafka_io import replica_configs
from streams.pipeline.bounds import dead_letter_key, fit_dead_letter
from streams.pipeline.decode import RawMessage, dead_letter, decode
from streams.pipeline.enrich import EnrichResult
from streams.settings import Settings

log = logging.getLogger(__name__)

#: Articles taken per batch, and how long a batch fills.  A batch lets the
#: next article's analysis overlap the publishing of the one before (the
#: child would otherwise idle ~7 ms of every ~50); ``take_events`` waits the
#: whole interval when fewer arrive, which is what a quiet stream pays.
BATCH_MAX = 16
BATCH_WITHIN_S = 0.01


def _name_bytes(name: Any) -> bytes:
    """A header name's bytes as they arrived (see ``aiokafka_compat`` for non-UTF-8 names)."""
    if isinstance(name, bytes):
        return name
    return str(name).encode("utf-8", "surrogateescape")


def record_headers(raw: Any) -> list[tuple[bytes, bytes | None]]:
    if not raw:
        return []
    items: Iterable[tuple[Any, Any]] = raw.items() if isinstance(raw, dict) else raw
    return [(_name_bytes(k), v if isinstance(v, bytes | None) else str(v).encode()) for k, v in items]


#: Header of a re-keyed copy that describes the record as it first arrived.
ORIGIN_HEADER = "streams.origin"


def producer_of(headers: Iterable[tuple[bytes, bytes | None]], name: str) -> str | None:
    """The producer named by the header ``name`` (the last one wins), if any and readable."""
    if not name:
        return None
    found = None
    for key, value in headers:
        if key == name.encode() and value:
            found = value.decode("utf-8", "replace").strip()[:256] or None
    return found


def origin_header(raw: RawMessage) -> bytes:
    """The input record's coordinates, key and headers, for the re-keyed copy to carry."""
    return json.dumps({
        "topic": raw.topic, "partition": raw.partition, "offset": raw.offset,
        "timestamp_ms": raw.timestamp_ms, "key": _b64(raw.key),
        "headers": [[_b64(k), _b64(v)] for k, v in raw.headers],
    }, separators=(",", ":")).encode()


def from_origin(raw: RawMessage) -> RawMessage:
    """The record as it first arrived, when ``raw`` is a re-keyed copy carrying its origin."""
    origin = next((v for k, v in raw.headers if k == ORIGIN_HEADER.encode()), None)
    if origin is None:
        return raw
    try:
        o = json.loads(origin)
        return RawMessage(
            value=raw.value, key=_unb64(o["key"]), topic=o["topic"], partition=o["partition"],
            offset=o["offset"], timestamp_ms=o["timestamp_ms"],
            headers=[(_unb64(k) or b"", _unb64(v)) for k, v in o["headers"]],
        )
    except (ValueError, KeyError, TypeError):  # written by us; a foreign copy stays as it is
        return raw


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def _is_home(raw: RawMessage, key: bytes, partitions: int) -> bool:
    """Whether the message sits where Kafka's default partitioner puts its id."""
    return raw.key == key and raw.partition == (murmur2(key) & 0x7FFFFFFF) % partitions


async def _zip(items: list[Work], outcomes: AsyncIterator[Outcome]) -> AsyncIterator[
        tuple[Work, Outcome]]:
    """Pair each work item with its outcome (the analysis yields one per item, in order)."""
    for work in items:
        yield work, await anext(outcomes)


@dataclass(slots=True)
class Work:
    """An article ready for analysis, with the event it came in (for its table write)."""

    event: Any
    raw: RawMessage
    article: Article
    key: bytes


def install_enrich_agents(app: faust.App, settings: Settings) -> None:
    """The enrich path: articles → enriched, dead letters, stance events."""
    names = settings.topics
    articles = app.topic(names.articles, key_serializer="raw", value_serializer="raw")
    rekeyed = app.topic(names.rekeyed, key_serializer="raw", value_serializer="raw",
                        partitions=settings.partitions, internal=True,
                        config=replica_configs(settings))
    enriched_topic = app.topic(names.enriched, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
    stance_topic = app.topic(names.stance_events, key_serializer="raw", value_serializer="raw")
    seen = app.Table("seen-articles", default=None, partitions=settings.partitions,
                     options=dict(STORE_OPTIONS), extra_topic_configs=replica_configs(settings))

    # Both agents feed the dedup table: one batch at a time, so a re-keyed
    # copy and a direct copy of one id cannot both pass the check.  (The one
    # analysis child serialises the work anyway.)
    batch_lock = asyncio.Lock()
    analysis = AnalysisProcess(settings.spacy_model, settings.max_analyzed_chars,
                               settings.analysis_timeout_s)

    async def start_analysis() -> None:
        """Load the model at start-up: the first article should not wait for it."""
        await analysis.start()

    app.task(start_analysis)

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def stop_analysis(sender: Any, **kwargs: Any) -> None:
        """Kill the analysis child: shutdown must not wait for a runaway article."""
        analysis.close()

    async def publish_dead_letter(raw: RawMessage, letter: DeadLetter, *,
                                  article: bool = True) -> None:
        """Publish a dead letter that fits the topic; one the broker refuses even so is a skip.

        ``article``: the record was an input article (it counts in ``streams_articles_total``).
        """
        letter = fit_dead_letter(letter)
        key = dead_letter_key(raw.key)
        try:
            await send_reliably(
                lambda: dlq.send(key=key, value=letter.model_dump_json().encode()), "dead_letter")
        except PublishRejected as refused:
            # Last resort: the coordinates and hash only.  If even that is refused
            # (e.g. no write permission on the topic) the record is counted and logged.
            bare = letter.model_copy(update={
                "original_b64": None if letter.original_b64 is None else "", "headers": [],
                "original_key_b64": None, "truncated": ["value", "key", "headers"],
                "detail": f"{letter.detail[:2_000]} [dead letter refused: {refused}]"[:4_000]})
            try:
                await send_reliably(
                    lambda: dlq.send(key=None, value=bare.model_dump_json().encode()), "dead_letter")
            except PublishRejected:
                log.error("dead letter for %s[%s]@%s refused; counted as skipped", raw.topic,
                          raw.partition, raw.offset)
                if article:
                    ARTICLES.labels("skipped").inc()
                return
        if article:
            ARTICLES.labels("dead_letter").inc()
        DEAD_LETTERS.labels(letter.reason).inc()

    @app.timer(1.0)  # type: ignore[untyped-decorator]
    async def dead_letter_unreadable_records() -> None:
        """One dead letter per offset the Kafka client had to skip (any topic of the worker)."""
        for skip in drain_unreadable():
            detail = (f"the Kafka client could not read offsets {skip.first_offset}.."
                      f"{skip.last_offset} of {skip.topic}[{skip.partition}]: {skip.error}")
            for offset in range(skip.first_offset, skip.last_offset + 1):
                raw = RawMessage(value=None, topic=skip.topic, partition=skip.partition,
                                 offset=offset)
                await publish_dead_letter(
                    raw, dead_letter(raw, "unreadable_record", detail),
                    article=skip.topic in (names.articles, names.rekeyed))

    async def admit(event: Any) -> Work | None:
        """Decode one message; dead-letter or re-key it, or return it for analysis."""
        message = event.message
        raw = from_origin(RawMessage(
            value=event.value, key=event.key, headers=record_headers(message.headers),
            topic=message.topic, partition=message.partition, offset=message.offset,
            timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
        ))
        started = time.perf_counter()
        result = decode(raw, settings.max_message_bytes)
        STAGE_SECONDS.labels("decode").observe(time.perf_counter() - started)
        if isinstance(result, DeadLetter):
            await publish_dead_letter(raw, result)
            return None
        key = result.id.encode()
        if message.topic == names.articles and not _is_home(raw, key, settings.partitions):
            # The dedup table is partitioned like its input: an article must be
            # handled on the partition its id hashes to, so route it there, with
            # the record as it arrived in a header for a later dead letter.
            headers = [(ORIGIN_HEADER, origin_header(raw))]
            try:
                await send_reliably(
                    lambda: rekeyed.send(key=key, value=raw.value, headers=headers), "rekeyed")
            except PublishRejected as refused:
                await publish_dead_letter(raw, dead_letter(
                    raw, "publish_rejected", f"re-keying was refused: {refused}", result.id))
                return None
            ARTICLES.labels("rekeyed").inc()
            return None
        return Work(event, raw, result, key)

    async def publish(work: Work, outcome: EnrichResult) -> None:
        """Publish, wait for the acks, and only then mark the id seen."""
        started = time.perf_counter()
        enriched = outcome.enriched.model_dump_json().encode()
        producer = producer_of(work.raw.headers, settings.producer_header)
        events = [ev.model_copy(update={"producer": producer}) if producer else ev
                  for ev in outcome.stance_events]
        stances = [(ev.dyad.encode(), ev.model_dump_json().encode()) for ev in events]

        async def send_all() -> None:
            pending = [await enriched_topic.send(key=work.key, value=enriched)]
            for key, value in stances:
                pending.append(await stance_topic.send(key=key, value=value))
            await asyncio.gather(*pending)

        try:
            await send_reliably(send_all, "enriched")
        except PublishRejected as refused:
            await publish_dead_letter(work.raw, dead_letter(
                work.raw, "publish_rejected", f"enriched output was refused: {refused}",
                work.article.id))
            return
        for ev in outcome.stance_events:
            STANCE_EVENTS.labels(str(ev.quad_class)).inc()
        with as_current(work.event):  # the article's own partition of the table
            seen[work.article.id] = outcome.enriched.enrichment_id
        STAGE_SECONDS.labels("publish").observe(time.perf_counter() - started)
        ARTICLES.labels("enriched").inc()
        record_enriched(outcome.enriched, work.raw.timestamp_ms)

    def as_dead_letter(work: Work, error: Exception) -> DeadLetter:
        if isinstance(error, TimeoutError):
            return dead_letter(work.raw, "analysis_timeout",
                               f"analysis exceeded {settings.analysis_timeout_s}s", work.article.id)
        log.error("analysis failed for article %s", work.article.id, exc_info=error)
        return dead_letter(work.raw, "analysis_error", f"{type(error).__name__}: {error}",
                           work.article.id)

    async def enrich_in_order(batch: list[Work]) -> None:
        """Analyse and publish articles in order, publishing one while the next is analysed.

        Ids in ``batch`` are distinct, so checking them all against the dedup
        table up front answers as checking each in turn would.
        """
        todo = []
        for work in batch:
            if seen.get(work.article.id) is not None:
                ARTICLES.labels("duplicate").inc()
            else:
                todo.append(work)
        outcomes = analysis.enrich_in_order([work.article for work in todo])
        async with aclosing(outcomes):
            async for work, outcome in _zip(todo, outcomes):
                if isinstance(outcome, Exception):
                    await publish_dead_letter(work.raw, as_dead_letter(work, outcome))
                else:
                    await publish(work, outcome)

    async def handle_batch(events: list[Any]) -> None:
        """Route every message of a batch to exactly one outcome, in order."""
        async with batch_lock:
            first: list[Work] = []
            repeats: list[Work] = []  # a second copy waits for the first's outcome
            ids: set[str] = set()
            for event in events:
                work = await admit(event)
                if work is not None:
                    (repeats if work.article.id in ids else first).append(work)
                    ids.add(work.article.id)
            await enrich_in_order(first)
            for work in repeats:
                await enrich_in_order([work])

    @app.agent(articles)
    async def enrich_articles(stream: Any) -> None:
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            await handle_batch(list(events))

    @app.agent(rekeyed)
    async def enrich_rekeyed(stream: Any) -> None:
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            await handle_batch(list(events))
