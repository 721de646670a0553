"""The Faust worker: thin agents that decode, call the core, publish, count.

No analysis logic lives here; see ``streams.pipeline`` and ``streams.nlp``.
Delivery is at-least-once: Faust flushes the producer before it commits
offsets, and an article id enters the dedup table only after its enriched
value was acknowledged, so a crash can repeat work but never lose it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust
from aiokafka.partitioner import murmur2
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.agents.metrics import (
    ARTICLES,
    DEAD_LETTERS,
    PUBLISH_RETRIES,
    REGISTRY,
    STAGE_SECONDS,
    STANCE_EVENTS,
)
from streams.contracts import Article, DeadLetter
from streams.nlp import Analyzer
from streams.nlp.model import load_pipeline
from streams.pipeline.decode import RawMessage, dead_letter, decode
from streams.pipeline.enrich import EnrichResult, enrich
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


def faust_options(settings: Settings) -> dict[str, Any]:
    """Faust app options derived from settings (shared with tests and tools)."""
    options: dict[str, Any] = {
        "broker": settings.broker_url,
        "store": settings.store,
        "datadir": settings.data_dir,
        "web_host": settings.web_host,
        "web_port": settings.web_port,
        "topic_partitions": settings.partitions,
        "topic_replication_factor": settings.replication_factor,
        "consumer_auto_offset_reset": "earliest",
        "producer_acks": -1,
        "broker_commit_every": 100,
        "broker_commit_interval": 1.0,
        "web_in_thread": False,
    }
    credentials = kafka_credentials(settings)
    if credentials is not None:
        options["broker_credentials"] = credentials
    return options


def kafka_credentials(settings: Settings) -> Any:
    """Faust credentials object for the configured security protocol, if any."""
    import ssl

    protocol = settings.security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = None
    if protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=settings.ssl_cafile)
        if settings.ssl_certfile:
            context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile)
    if protocol == "SSL":
        return faust.SSLCredentials(context)
    password = settings.sasl_password.get_secret_value() if settings.sasl_password else None
    return faust.SASLCredentials(
        username=settings.sasl_username, password=password, ssl_context=context,
        mechanism=settings.sasl_mechanism,
    )


def create_app(settings: Settings) -> faust.App:
    """Build the worker app with its topics, tables and agents."""
    app = faust.App(settings.app_id, **faust_options(settings))
    names = settings.topics
    articles = app.topic(names.articles, key_serializer="raw", value_serializer="raw")
    rekeyed = app.topic(names.rekeyed, key_serializer="raw", value_serializer="raw",
                        partitions=settings.partitions, internal=True)
    enriched_topic = app.topic(names.enriched, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
    stance_topic = app.topic(names.stance_events, key_serializer="raw", value_serializer="raw")
    seen = app.Table("seen-articles", default=None, partitions=settings.partitions)

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
    analyzer_box: list[Analyzer] = []

    def analyzer() -> Analyzer:
        if not analyzer_box:
            analyzer_box.append(Analyzer(load_pipeline(settings.spacy_model or None)))
        return analyzer_box[0]

    async def analyse(article: Article) -> EnrichResult:
        loop = asyncio.get_running_loop()
        call = functools.partial(enrich, article, analyzer(), settings.max_analyzed_chars)
        return await asyncio.wait_for(loop.run_in_executor(executor, call),
                                      settings.analysis_timeout_s)

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
        if seen.get(article.id) is not None:
            ARTICLES.labels("duplicate").inc()
            return
        started = time.perf_counter()
        try:
            outcome = await analyse(article)
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

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    return app
