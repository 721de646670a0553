"""The enrich agents: decode, deduplicate, analyse, publish, count.

No analysis logic lives here; see ``streams.pipeline`` and ``streams.nlp``.
Delivery is at-least-once: Faust flushes the producer before it commits
offsets, and an article id enters the dedup table only after its enriched
value was acknowledged, so a crash can repeat work but never lose it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Any

import faust
from aiokafka.partitioner import murmur2

from streams.agents.analysis import AnalysisProcess
from streams.agents.metrics import (
    ARTICLES,
    DEAD_LETTERS,
    PUBLISH_RETRIES,
    STAGE_SECONDS,
    STANCE_EVENTS,
    record_enriched,
)
from streams.contracts import Article, DeadLetter
from streams.pipeline.decode import RawMessage, dead_letter, decode
from streams.settings import Settings

log = logging.getLogger(__name__)


def _headers(raw: Any) -> list[tuple[str, bytes | None]]:
    if not raw:
        return []
    items: Iterable[tuple[Any, Any]] = raw.items() if isinstance(raw, dict) else raw
    return [(str(k), v if isinstance(v, bytes | None) else str(v).encode()) for k, v in items]


def _is_home(raw: RawMessage, key: bytes, partitions: int) -> bool:
    """Whether the message sits where Kafka's default partitioner puts its id."""
    return raw.key == key and raw.partition == (murmur2(key) & 0x7FFFFFFF) % partitions


def install_enrich_agents(app: faust.App, settings: Settings) -> None:
    """The enrich path: articles → enriched, dead letters, stance events."""
    names = settings.topics
    articles = app.topic(names.articles, key_serializer="raw", value_serializer="raw")
    rekeyed = app.topic(names.rekeyed, key_serializer="raw", value_serializer="raw",
                        partitions=settings.partitions, internal=True)
    enriched_topic = app.topic(names.enriched, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
    stance_topic = app.topic(names.stance_events, key_serializer="raw", value_serializer="raw")
    seen = app.Table("seen-articles", default=None, partitions=settings.partitions)

    partition_locks: dict[int, asyncio.Lock] = {}
    analysis = AnalysisProcess(settings.spacy_model, settings.max_analyzed_chars,
                               settings.analysis_timeout_s)

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def stop_analysis(sender: Any, **kwargs: Any) -> None:
        """Kill the analysis child: shutdown must not wait for a runaway article."""
        analysis.close()

    async def publish_dead_letter(raw: RawMessage, letter: DeadLetter) -> None:
        await dlq.send(key=raw.key, value=letter.model_dump_json().encode())
        ARTICLES.labels("dead_letter").inc()
        DEAD_LETTERS.labels(letter.reason).inc()

    async def handle(event: Any) -> None:
        """Route one input message to exactly one outcome.  Never raises on content."""
        message = event.message
        raw = RawMessage(
            value=event.value, key=event.key, headers=_headers(message.headers),
            topic=message.topic, partition=message.partition, offset=message.offset,
            timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
        )
        started = time.perf_counter()
        result = decode(raw, settings.max_message_bytes)
        STAGE_SECONDS.labels("decode").observe(time.perf_counter() - started)
        if isinstance(result, DeadLetter):
            await publish_dead_letter(raw, result)
            return
        article = result
        key = article.id.encode()
        if message.topic == names.articles and not _is_home(raw, key, settings.partitions):
            # The dedup table is partitioned like its input: an article must be
            # handled on the partition its id hashes to, so route it there.
            await rekeyed.send(key=key, value=raw.value, headers=[(k, v or b"") for k, v in raw.headers])
            ARTICLES.labels("rekeyed").inc()
            return
        # Both agents feed partition p of the dedup table: serialise them so a
        # re-keyed copy and a direct copy of one id cannot both pass the check.
        async with partition_locks.setdefault(message.partition, asyncio.Lock()):
            await analyse_and_publish(raw, article, key)

    async def analyse_and_publish(raw: RawMessage, article: Article, key: bytes) -> None:
        if seen.get(article.id) is not None:
            ARTICLES.labels("duplicate").inc()
            return
        started = time.perf_counter()
        try:
            outcome = await analysis.enrich(article)
        except TimeoutError:
            await publish_dead_letter(raw, dead_letter(
                raw, "analysis_timeout",
                f"analysis exceeded {settings.analysis_timeout_s}s", article.id))
            return
        except Exception as exc:
            log.exception("analysis failed for article %s", article.id)
            await publish_dead_letter(raw, dead_letter(
                raw, "analysis_error", f"{type(exc).__name__}: {exc}", article.id))
            return
        STAGE_SECONDS.labels("analyse").observe(time.perf_counter() - started)
        started = time.perf_counter()
        pending = [await enriched_topic.send(
            key=key, value=outcome.enriched.model_dump_json().encode())]
        for ev in outcome.stance_events:
            pending.append(await stance_topic.send(
                key=ev.dyad.encode(), value=ev.model_dump_json().encode()))
            STANCE_EVENTS.labels(str(ev.quad_class)).inc()
        await asyncio.gather(*pending)  # acknowledged before the id is marked seen
        seen[article.id] = outcome.enriched.enrichment_id
        STAGE_SECONDS.labels("publish").observe(time.perf_counter() - started)
        ARTICLES.labels("enriched").inc()
        record_enriched(outcome.enriched, raw.timestamp_ms)

    async def handle_until_done(event: Any) -> None:
        """Retry publishing failures (broker trouble) instead of losing the message.

        Faust acknowledges an event once the agent moves past it, so giving up
        here would drop it; blocking the partition until Kafka is back is the
        at-least-once choice.
        """
        delay = 0.5
        while True:
            try:
                await handle(event)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                PUBLISH_RETRIES.inc()
                log.exception("publishing failed; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    @app.agent(articles)
    async def enrich_articles(stream: Any) -> None:
        async for event in stream.events():
            await handle_until_done(event)

    @app.agent(rekeyed)
    async def enrich_rekeyed(stream: Any) -> None:
        async for event in stream.events():
            await handle_until_done(event)
