"""``streams run``: the whole thing on one machine (a local broker, a worker, a feed),
printing what comes out until every input is accounted for."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.cli.broker import _start_local_broker
from streams.cli.clients import _UNREACHABLE_HINT, _quiet_kafka_logs, _report_delivery
from streams.cli.console import _plural
from streams.cli.console_cmd import console_after_run
from streams.cli.files import _input_problem
from streams.cli.metrics import _FINAL_OUTCOMES, _count, _local_host, worker_counts
from streams.cli.records import _readable
from streams.cli.worker import check_port_free
from streams.errors import BrokerUnavailable, PortInUse, StreamsError, WorkerFailed
from streams.settings import Settings

if TYPE_CHECKING:
    from streams.kafka_io import ProduceResult

SAMPLES = "articles.jsonl"


def _sample_path() -> Path:
    return Path(str(resources.files("streams.samples").joinpath(SAMPLES)))


@dataclass
class Feed:
    """What ``streams run`` sends, and so what it should see come out."""

    #: Non-blank lines.
    lines: int = 0
    #: Distinct article ids (each gives one output: enriched or a dead letter).
    ids: set[str] = field(default_factory=set)
    #: Lines with an id (so ``valid - len(ids)`` are repeated within the feed).
    valid: int = 0
    #: Lines that are not a JSON object with a string id (each gives one dead letter).
    unreadable: int = 0

    @classmethod
    def read(cls, path: Path) -> Feed:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _input_problem(str(path), exc) from exc
        feed = cls()
        for line in data.splitlines():
            if not line.strip():
                continue
            feed.lines += 1
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                obj = None
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                feed.ids.add(obj["id"])
                feed.valid += 1
            else:
                feed.unreadable += 1
        return feed

    @property
    def expected(self) -> int:
        """Outputs (enriched articles and dead letters) the feed should give."""
        return len(self.ids) + self.unreadable

    @property
    def repeated(self) -> int:
        """Articles whose id came earlier in the feed: duplicates whatever the worker saw before."""
        return self.valid - len(self.ids)


@dataclass
class RunTally:
    """Which records on the output topics are this run's own.

    Only records written after the run started are read at all.  An enriched article is
    ours when its id is one of the feed's; a dead letter when it names a position on the
    input topic at or after where the run started sending (or one of the feed's ids).
    """

    feed: Feed
    enriched_topic: str
    dead_letter_topic: str
    input_topic: str
    #: Partition of the input topic → its end offset when the run started.
    input_start: dict[int, int]
    own: set[tuple[Any, ...]] = field(default_factory=set)
    #: Outputs that arrived meanwhile but are not the feed's.
    others: int = 0

    def add(self, topic: str, value: bytes | None) -> None:
        if topic not in (self.enriched_topic, self.dead_letter_topic):
            return  # alerts: shown, not counted
        try:
            obj = json.loads(value or b"")
        except (ValueError, RecursionError):
            obj = None
        key: tuple[Any, ...] | None = None
        if isinstance(obj, dict) and topic == self.enriched_topic:
            key = ("id", obj["id"]) if obj.get("id") in self.feed.ids else None
        elif isinstance(obj, dict):
            partition, offset = obj.get("partition"), obj.get("offset")
            if obj.get("article_id") in self.feed.ids:
                key = ("id", obj["article_id"])
            elif (obj.get("topic") == self.input_topic and isinstance(partition, int)
                  and isinstance(offset, int) and offset >= self.input_start.get(partition, 2**63)):
                key = ("input", partition, offset)
        if key is None:
            self.others += 1
        else:
            self.own.add(key)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def cmd_run(args: argparse.Namespace) -> int:
    from streams import localbroker
    from streams.kafka_io import ensure_topics

    settings = Settings()
    feed_path = Path(args.file) if args.file else _sample_path()
    feed = Feed.read(feed_path)
    started_broker = False
    if not settings.broker:
        print(f"STREAMS_BROKER unset: starting a local Kafka on 127.0.0.1:{settings.local_broker_port}",
              file=sys.stderr)
        address, started_broker = _start_local_broker(settings, fresh=True, wipe_worker=False)
        if not started_broker:
            print("streams: reusing the local broker already running there (with its data)",
                  file=sys.stderr)
        settings = settings.model_copy(update={"broker": address})
    try:
        _quiet_kafka_logs()
        asyncio.run(ensure_topics(settings))
        web_port = settings.web_port
        try:
            check_port_free(settings.web_host, web_port, "web port", "")
        except PortInUse:
            web_port = _free_port()
        workdir = Path(tempfile.mkdtemp(prefix="streams-run-"))
        log_path = workdir / "worker.log"
        env = dict(os.environ, STREAMS_BROKER=settings.broker or "", STREAMS_DATA_DIR=str(workdir),
                   STREAMS_WEB_PORT=str(web_port))
        with log_path.open("wb") as log:
            worker = subprocess.Popen([sys.executable, "-m", "streams", "worker"], env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
        print(f"worker pid {worker.pid}, log {log_path}, metrics "
              f"http://{_local_host(settings.web_host)}:{web_port}/metrics", file=sys.stderr)
        try:
            tally, counts = asyncio.run(
                _run_feed(settings, feed_path, feed, worker, web_port, log_path, args.timeout))
        finally:
            _wait(worker, 30)
        console = console_after_run(settings) if tally is not None else []  # before the broker goes
    finally:
        if started_broker and not args.keep_broker:
            # The run's broker was fresh and is of no further use: wiping it keeps its dedup
            # changelog from turning a later `streams broker start` + the samples into duplicates.
            localbroker.reset(settings.local_broker_port)
    if tally is None:
        return 1  # not all delivered: reported
    status = report_run(feed, tally, counts, log_path)
    print(*console, sep="\n")
    return status


async def _run_feed(settings: Settings, feed_path: Path, feed: Feed, worker: subprocess.Popen[bytes],
                    web_port: int, log_path: Path, timeout: float,
                    ) -> tuple[RunTally | None, dict[str, float] | None]:
    """Send the feed and print what comes out of it, until every input is accounted for
    (an output of its own, or counted as a duplicate by the worker) or ``timeout`` seconds
    pass without progress.  ``(None, None)`` when the feed was not all delivered."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from streams.kafka_io import ProducerUnavailable, client_options, produce_lines

    topics = settings.topics
    # Subscribed at first only so that start() waits for these topics' metadata.
    consumer = AIOKafkaConsumer(topics.enriched, topics.dead_letters, topics.alerts, topics.articles,
                                group_id=None, enable_auto_commit=False, **client_options(settings))
    await consumer.start()
    send: asyncio.Task[Any] | None = None
    try:
        consumer.unsubscribe()

        def partitions(topic: str) -> list[TopicPartition]:
            return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]

        outputs = [tp for t in (topics.enriched, topics.dead_letters, topics.alerts)
                   for tp in partitions(t)]
        inputs = partitions(topics.articles)
        ends = await consumer.end_offsets(outputs + inputs)
        consumer.assign(outputs)
        for tp in outputs:  # only what is written from now on can be this run's
            consumer.seek(tp, ends[tp])
        tally = RunTally(feed, topics.enriched, topics.dead_letters, topics.articles,
                         {tp.partition: ends[tp] for tp in inputs})

        async def send_feed() -> ProduceResult:
            with feed_path.open("rb") as handle:
                return await produce_lines(settings, handle, topics.articles)

        send = asyncio.create_task(send_feed())
        counts: dict[str, float] | None = None
        delivered: int | None = None
        progress_at = time.monotonic()
        next_poll = finish_at = 0.0
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            now = time.monotonic()
            for tp, messages in batch.items():
                for message in messages:
                    print(_readable(tp.topic, message.value), flush=True)
                    tally.add(tp.topic, message.value)
                    progress_at = now
            if delivered is None and send.done():
                try:
                    result = send.result()
                except ProducerUnavailable as exc:
                    raise BrokerUnavailable(str(exc), _UNREACHABLE_HINT) from exc
                if _report_delivery(result, "articles", topics.articles):
                    return None, None  # their outputs will never all come
                delivered = result.delivered
            if now >= next_poll:
                latest = await asyncio.to_thread(worker_counts, web_port, settings.web_host)
                if latest is not None and latest != counts:
                    counts, progress_at = latest, now
                next_poll = now + 1.0
            if worker.poll() is not None:
                raise WorkerFailed(f"the worker exited with status {worker.returncode}",
                                   f"see its log: {log_path}")
            earlier = max(0, _count(counts, "duplicate") - feed.repeated)
            done = len(tally.own) >= feed.expected or (
                delivered is not None and _count(counts, *_FINAL_OUTCOMES) >= delivered
                and len(tally.own) + earlier >= feed.expected)
            if done and not finish_at:
                finish_at = now + 3.0  # let trailing alerts arrive
            if (finish_at and now >= finish_at) or now - progress_at > timeout:
                return tally, counts
    finally:
        if send is not None and not send.done():
            send.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await send
        await consumer.stop()


def report_run(feed: Feed, tally: RunTally, counts: dict[str, float] | None, log_path: Path) -> int:
    """Print what the run did with its feed; 0 when every input is accounted for."""
    own = len(tally.own)
    print(f"{own} of {feed.expected} expected outputs seen", file=sys.stderr)
    duplicates = _count(counts, "duplicate")
    within = min(duplicates, feed.repeated)
    earlier = duplicates - within
    if duplicates:
        parts = ([f"{within} repeated within the feed"] if within else []) + (
            [f"{earlier} already seen before this run"] if earlier else [])
        print(f"the worker counted {_plural(duplicates, 'article')} as "
              f"{'a duplicate' if duplicates == 1 else 'duplicates'} "
              f"({', '.join(parts)}): nothing is published for them", file=sys.stderr)
    if tally.others:
        print(f"{_plural(tally.others, 'other output')} arrived meanwhile, not from this run's "
              "input: not counted", file=sys.stderr)
    fresh_hint = ("the worker's dedup table lives on the broker: `streams broker stop && "
                  "streams broker start --fresh` for a clean one, or another STREAMS_APP_ID")
    if own == 0:
        if earlier:
            raise StreamsError("nothing of this run came out: the worker had already seen "
                               f"{'all' if own + earlier >= feed.expected else 'some'} of its articles",
                               fresh_hint)
        raise WorkerFailed("nothing of this run came out", f"see the worker's log: {log_path}")
    if earlier:
        print(f"streams: {fresh_hint}", file=sys.stderr)
    return 0 if own + earlier >= feed.expected else 1
