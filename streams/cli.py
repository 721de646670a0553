"""The ``streams`` command: run, worker, process, produce, tail, schemas, broker.

Errors are one line on stderr, ``streams: error: <problem>; <fix>``, with exit status 2
for usage and configuration errors and 1 for failures at run time (see
:mod:`streams.errors`); ``--debug`` or ``STREAMS_DEBUG=1`` adds the traceback.  When
whatever reads stdout goes away (``streams process ... | head -1``) the command ends
quietly with status 141, like a Unix tool killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeVar

from streams.errors import (
    BrokerError,
    BrokerUnavailable,
    ConfigError,
    InputError,
    OutputError,
    PortInUse,
    StreamsError,
    UsageError,
    WorkerFailed,
    one_line,
)
from streams.settings import Settings
from streams.tools import alerts as alerts_tool
from streams.tools import dlq as dlq_tool

if TYPE_CHECKING:
    from streams.kafka_io import ProduceResult

SAMPLES = "articles.jsonl"
T = TypeVar("T")


def _sample_path() -> Path:
    return Path(str(resources.files("streams.samples").joinpath(SAMPLES)))


def _input_problem(name: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"input file {name} not found", "check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"input {name} is a directory, not a file", "name a file")
    if isinstance(exc, PermissionError):
        return InputError(f"cannot read input file {name}: permission denied", "check its permissions")
    return InputError(f"cannot read input file {name}: {exc.strerror or exc}")


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as exc:
        raise _input_problem(name, exc) from exc


def _terminal(stream: IO[str] | None = None) -> bool:
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def progress(items: Iterable[T], *, desc: str, unit: str, total: float | None = None,
              size: Callable[[T], int] | None = None, force: bool = False) -> Iterator[T]:
    """``items``, with a progress bar on stderr when it is a terminal (or ``force``).

    ``size`` weighs each item (bytes of a line: ``unit="B"``, scaled); quiet when piped.
    """
    if not (force or _terminal()):
        yield from items
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=unit, unit_scale=size is not None, file=sys.stderr,
              dynamic_ncols=True) as bar:
        for item in items:
            yield item
            bar.update(size(item) if size else 1)


def _file_size(handle: IO[Any]) -> int | None:
    """Size of a regular file behind ``handle`` (None for a pipe, a terminal...)."""
    import stat

    try:
        info = os.fstat(handle.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


@contextlib.contextmanager
def _replace_on_success(path: str) -> Iterator[TextIO]:
    """A text file that becomes ``path`` only when the block succeeds.

    It is written next to ``path`` under a temporary name and renamed over it at the
    end, so a run that fails (missing input, crash, closed pipe...) leaves an existing
    ``path`` as it was.  Special files (``/dev/null``, a FIFO) are written directly.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"output {path} is a directory", "name a file")
    if target.exists() and not target.is_file():
        with open(target, "w", encoding="utf-8") as special:
            yield special
        return
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {path}: no directory {target.parent}",
                          "create it or choose another path")
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        handle = open(temp, "x", encoding="utf-8")  # noqa: SIM115 - closed below
    except PermissionError as exc:
        raise OutputError(f"cannot write {path}: permission denied in {target.parent}") from exc
    try:
        with handle:
            yield handle
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


# --- process (offline) -------------------------------------------------------

def cmd_process(args: argparse.Namespace) -> int:
    from streams.pipeline.offline import process_lines

    with contextlib.ExitStack() as stack:
        # The input first: a missing one must not cost the outputs anything.
        handle = stack.enter_context(_open_input(args.file))
        out = sys.stdout if args.output == "-" else stack.enter_context(
            _replace_on_success(args.output))
        dlq = sys.stderr if args.dead_letters == "-" else stack.enter_context(
            _replace_on_success(args.dead_letters))
        sink = stack.enter_context(_replace_on_success(args.alerts)) if args.alerts else None
        lines: Iterator[bytes] = iter(handle)
        if (_terminal() and args.output != "-") or args.progress:
            from tqdm import tqdm

            lines = iter(tqdm(handle, unit=" articles", file=sys.stderr))
        events: list[Any] = []
        stats = process_lines(lines, out, dlq, include_stance_events=args.stance_events,
                              stance_events=events)
        alerts = _alerts_of(events)
        stats["alerts"] = len(alerts)
        for alert in alerts:
            encoded = alert.model_dump_json()
            if sink is not None:
                sink.write(encoded + "\n")
            print(_readable("alerts", encoded.encode()), file=sys.stderr)
    print(json.dumps(stats), file=sys.stderr)
    return 0


def _alerts_of(events: list[Any]) -> list[Any]:
    """The alerts a worker would raise for these stance events, in this order."""
    from streams.risk import replay

    _, alerts = replay(events, Settings().risk, flush_at_end=False)
    return alerts


# --- Kafka clients -----------------------------------------------------------

def _settings_with_broker() -> Settings:
    settings = Settings()
    if not settings.broker:
        raise ConfigError("STREAMS_BROKER is not set",
                          "export STREAMS_BROKER=127.0.0.1:9092 (after `streams broker start`), "
                          "or use `streams run`, which starts a broker")
    return settings


def _quiet_kafka_logs() -> None:
    """During an outage aiokafka logs every reconnect attempt: keep one per message per 10 s."""
    import streams.kafka_io  # noqa: F401 - creates aiokafka's loggers, so the filter reaches them
    from streams.agents.logs import quiet_kafka_client_logs

    quiet_kafka_client_logs()


_UNREACHABLE_HINT = "is the broker running? `streams broker status`; or fix STREAMS_BROKER"


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _delivery_timeout(args: argparse.Namespace) -> float:
    from streams.kafka_io import DELIVERY_TIMEOUT_S

    timeout: float | None = getattr(args, "delivery_timeout", None)
    return DELIVERY_TIMEOUT_S if timeout is None else timeout


def _report_delivery(result: ProduceResult, what: str, topic: str, unit: str = "line") -> int:
    """Print the undelivered lines (bounded) and "delivered N of M"; the exit status."""
    for line in result.failure_report(unit):
        print(line, file=sys.stderr)
    summary = f"delivered {result.delivered} of {result.attempted} {what} to {topic}"
    if result.failed:
        summary += f" ({result.failed} not delivered)"
    if result.skipped_blank:
        summary += f"; {result.skipped_blank} blank lines skipped"
    if result.retried:
        summary += f"; {result.retried} sends repeated after retriable errors"
    print(summary, file=sys.stderr)
    return 0 if result.ok else 1


def cmd_produce(args: argparse.Namespace) -> int:
    from streams.kafka_io import ProducerUnavailable, produce_lines

    settings = _settings_with_broker()
    topic = args.topic or settings.topics.articles
    _quiet_kafka_logs()
    try:
        with _open_input(args.file) as handle:
            lines = progress(handle, desc="sent", unit="B", total=_file_size(handle), size=len)
            result = asyncio.run(produce_lines(settings, lines, topic, rate=args.rate,
                                               delivery_timeout=_delivery_timeout(args)))
    except ProducerUnavailable as exc:
        print(f"streams: error: {exc}; nothing delivered to {topic}; {_UNREACHABLE_HINT}",
              file=sys.stderr)
        return 1
    return _report_delivery(result, "messages", topic)


def _readable(topic: str, value: bytes | None) -> str:
    """One line per record; never raises, whatever the record holds."""
    if value is None:
        return f"[{topic}] <null>"
    try:
        obj = json.loads(value)
    except (ValueError, RecursionError):
        return f"[{topic}] <{len(value)} bytes, not JSON>"
    if not isinstance(obj, dict):
        return f"[{topic}] {value[:200]!r}"
    try:
        return _describe_record(obj) or f"[{topic}] {value[:300].decode('utf-8', 'replace')}"
    except (KeyError, TypeError, ValueError, AttributeError):
        return f"[{topic}] {value[:300].decode('utf-8', 'replace')}"


def _describe_record(obj: dict[str, Any]) -> str | None:
    if "enrichment_id" in obj:
        actors = ", ".join(f"{a['code']}×{a['mentions']}" for a in obj.get("actors", []))
        stances = "; ".join(
            f"{s['source']['code']}→{s['target']['code']} {s['cameo_code']} {s['polarity']}"
            for s in obj.get("stances", [])
        )
        extra = f" reasons={obj['reasons']}" if obj.get("reasons") else ""
        return (f"ENRICHED {obj['id']} [{obj['status']}{extra}] actors: {actors or '-'}"
                + (f" | stances: {stances}" if stances else ""))
    if "alert_id" in obj:
        return (f"ALERT {obj['dyad']} {obj['previous_level']}→{obj['level']} "
                f"score={obj['score']:.1f}: {obj['explanation']}")
    if "original_b64" in obj:
        return f"DEAD LETTER {obj['reason']}: {obj['detail']}"
    if "event_id" in obj:
        return (f"STANCE {obj['dyad']} {obj['source_code']}→{obj['target_code']} "
                f"{obj['cameo_code']} g={obj['goldstein']}: {obj['sentence'][:100]}")
    return None


# --- the worker's counters, from its /metrics -------------------------------------

#: Final outcomes of an input message in ``streams_articles_total`` (re-keyed is not final).
_FINAL_OUTCOMES = ("enriched", "dead_letter", "duplicate", "skipped")
_OUTCOME = re.compile(r'^streams_articles_total\{[^}]*outcome="([^"]*)"[^}]*\} (\S+)')


def _local_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def worker_counts(port: int, host: str = "127.0.0.1", timeout: float = 2.0) -> dict[str, float] | None:
    """``streams_articles_total`` by outcome, read from a worker's ``/metrics``.

    ``None`` when no worker answers there.
    """
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(f"http://{_local_host(host)}:{port}/metrics", timeout=timeout) as response:
            text = response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if match := _OUTCOME.match(line):
            counts[match[1]] = counts.get(match[1], 0.0) + float(match[2])
    return counts


def _count(counts: dict[str, float] | None, *outcomes: str) -> int:
    return int(sum((counts or {}).get(o, 0.0) for o in outcomes))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


async def _note_duplicates(settings: Settings, every: float = 5.0) -> None:
    """Say on stderr when the local worker counts input articles as duplicates.

    A duplicate produces no output at all, so without this a feed of articles the
    worker has already seen (its dedup table outlives restarts) looks like a hang.
    """
    where = f"{_local_host(settings.web_host)}:{settings.web_port}"
    last: int | None = None
    while True:
        counts = await asyncio.to_thread(worker_counts, settings.web_port, settings.web_host)
        if counts is not None:
            seen = _count(counts, "duplicate")
            if last is None and seen:
                print(f"streams: the worker at {where} has counted "
                      f"{_plural(seen, 'input article')} as duplicates since it started "
                      "(ids it had seen before: nothing is published for them)", file=sys.stderr)
            elif last is not None and seen > last:
                print(f"streams: the worker at {where} counted {seen - last} more input "
                      "articles as duplicates (nothing is published for them)", file=sys.stderr)
            last = seen
        await asyncio.sleep(every)


def cmd_tail(args: argparse.Namespace) -> int:
    from streams.kafka_io import consume

    settings = _settings_with_broker()

    async def run() -> None:
        notes = (asyncio.create_task(_note_duplicates(settings))
                 if settings.topics.enriched in args.topics and not args.no_notes else None)
        try:
            async for rec in consume(settings, args.topics, from_beginning=args.from_beginning,
                                     idle_timeout=args.idle_timeout, max_records=args.max):
                if args.raw:
                    sys.stdout.write((rec.value or b"").decode("utf-8", "replace") + "\n")
                    sys.stdout.flush()
                else:
                    print(_readable(rec.topic, rec.value), flush=True)
        finally:
            if notes is not None:
                notes.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await notes

    asyncio.run(run())
    return 0


# --- worker ------------------------------------------------------------------

def prepare_data_dir(settings: Settings) -> Path:
    """Create the worker's data directory (``STREAMS_DATA_DIR``) if missing; Faust expects it."""
    path = Path(settings.data_dir)
    if "{" in settings.data_dir:  # a Faust template ({conf.name}...): Faust formats it
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ConfigError(f"STREAMS_DATA_DIR {path} exists and is not a directory",
                          "point STREAMS_DATA_DIR at a directory") from exc
    except PermissionError as exc:
        raise ConfigError(f"cannot create the worker data directory {path}: permission denied",
                          "set STREAMS_DATA_DIR to a writable directory") from exc
    return path


def worker_state_dirs(settings: Settings) -> list[Path]:
    """The table state Faust keeps under the data dir (one ``v<N>`` directory per app version)."""
    root = Path(settings.data_dir)
    if "{" in settings.data_dir or not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and re.fullmatch(r"v\d+", p.name))


def wipe_worker_state(settings: Settings) -> list[Path]:
    """Delete the worker's table state (a cache of the changelog topics); what was deleted."""
    import shutil

    found = worker_state_dirs(settings)
    for path in found:
        shutil.rmtree(path)
    return found


def _answers(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((_local_host(host), port), timeout=timeout):
            return True
    except OSError:
        return False


def check_port_free(host: str, port: int, what: str, hint: str) -> None:
    """:class:`PortInUse` unless ``host:port`` can be listened on (0: any port, always free)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"{what} {host}:{port} is already in use", hint) from exc
            raise


def _no_worker_running(settings: Settings, why: str) -> None:
    if _answers(settings.web_host, settings.web_port):
        raise UsageError(
            f"a worker seems to run: {_local_host(settings.web_host)}:{settings.web_port} answers",
            f"stop it first ({why})")


def _wipe_worker_state_noting(settings: Settings, why: str) -> None:
    wiped = wipe_worker_state(settings)
    if wiped:
        print(f"streams: deleted the worker's saved tables {', '.join(map(str, wiped))} ({why})",
              file=sys.stderr)


class StateMismatchHint(logging.Handler):
    """Logging handler of the worker: Faust's ConsistencyError (the worker's saved tables are
    ahead of the broker's changelogs) becomes one line naming the command that fixes it."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(logging.ERROR)
        self.data_dir = settings.data_dir
        self.said = False

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        text = f"{type(exc).__name__}: {exc}" if exc is not None else str(record.msg)
        if self.said or "ConsistencyError" not in text:
            return
        self.said = True
        # The real stderr: the worker redirects sys.stderr into its logs.
        print(f"streams: error: the worker's saved tables in {self.data_dir} are ahead of the "
              "broker (its data was wiped since, e.g. by `streams run` or `broker start --fresh`); "
              "`streams worker --reset-state` rebuilds them from the broker",
              file=sys.__stderr__ or sys.stderr)


def cmd_worker(args: argparse.Namespace) -> int:
    from streams.agents.app import create_app
    from streams.agents.stopping import StreamsWorker
    from streams.kafka_io import ensure_topics

    settings = _settings_with_broker()
    check_port_free(settings.web_host, settings.web_port, "the worker's web port",
                    "another worker runs? stop it, or set STREAMS_WEB_PORT to a free port")
    if args.reset_state:
        _wipe_worker_state_noting(settings, "--reset-state: rebuilt from the broker's changelogs")
    prepare_data_dir(settings)
    with _client_logs(getattr(args, "debug", False)):  # unreachable: our one line says it
        asyncio.run(ensure_topics(settings))
    app = create_app(settings)
    app.conf.loghandlers.append(StateMismatchHint(settings))  # in place: setting it warns
    worker = StreamsWorker(app, loglevel=settings.log_level.upper(), quiet=True,
                           stop_deadline_s=settings.stop_deadline_s)
    worker.execute_from_commandline()
    return 0


# --- run: the whole thing on one machine ---------------------------------------

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


def _start_local_broker(settings: Settings, *, fresh: bool, wipe_worker: bool) -> tuple[str, bool]:
    """Start (or reuse) the local broker: ``(address, started)``.

    ``started`` is False when a broker already ran on the port: it is reused as it is
    (``fresh`` is then ignored).  A fresh broker makes the worker's saved tables
    (``STREAMS_DATA_DIR``) wrong, so they are deleted with it (``wipe_worker``: when a
    worker still answers, :class:`UsageError`; else quietly skipped).
    """
    from streams import localbroker

    port = settings.local_broker_port
    try:
        running = localbroker.running(port)
        if fresh and not running:
            if wipe_worker:
                _no_worker_running(settings, "--fresh also deletes its saved tables")
            if not _answers(settings.web_host, settings.web_port):
                _wipe_worker_state_noting(settings, "they belonged to the broker's old data")
        address = localbroker.start(port, fresh=fresh)
    except RuntimeError as exc:  # no kafkactl: not a source checkout
        raise ConfigError(str(exc), "run your own Kafka and set STREAMS_BROKER") from exc
    except subprocess.CalledProcessError as exc:
        raise BrokerError(f"the local broker did not start (kafkactl exit status {exc.returncode})",
                          "kafkactl's message is above") from exc
    return address, not running


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
    finally:
        if started_broker and not args.keep_broker:
            localbroker.stop(settings.local_broker_port)
    if tally is None:
        return 1  # not all delivered: reported
    return report_run(feed, tally, counts, log_path)


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


# --- coded events: backfill and offline replay -----------------------------------

def _load_coded(args: argparse.Namespace) -> tuple[list[Any], list[Any]]:
    """Events (sorted in event time) and load errors of a GDELT or ICEWS file."""
    from streams.risk import event_order
    from streams.risk.loaders import LoadError, load_gdelt, load_icews, read_relation_mapping

    fmt, path = args.format, args.file
    if args.format_option:  # `--format icews FILE`: the one positional is the file
        fmt, path = args.format_option, args.file or args.format
    args.file = path
    if fmt not in ("gdelt", "icews") or not args.file:
        raise UsageError(f"streams {args.command} needs a format (gdelt or icews) and a file",
                         f"e.g. `streams {args.command} icews events.tsv`")
    try:
        handle = open(args.file, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _input_problem(args.file, exc) from exc
    with handle:
        lines = progress(handle, desc="read", unit="B", total=_file_size(handle), size=len)
        if fmt == "gdelt":
            rows = list(load_gdelt(lines))
        else:
            try:
                relations = read_relation_mapping(args.relations) if args.relations else None
            except OSError as exc:
                raise _input_problem(args.relations, exc) from exc
            rows = list(load_icews(lines, relations=relations))
    events = sorted((r for r in rows if not isinstance(r, LoadError)), key=event_order)
    errors = [r for r in rows if isinstance(r, LoadError)]
    return events, errors


def _report_errors(errors: list[Any]) -> None:
    from collections import Counter

    for reason, count in Counter(e.reason for e in errors).most_common():
        print(f"skipped {count} rows: {reason}", file=sys.stderr)


def cmd_backfill(args: argparse.Namespace) -> int:
    """Archives → ``geo.stance-events.v1``, in event time, so baselines exist."""
    from streams.kafka_io import ProducerUnavailable, produce_lines

    if args.offline:
        return cmd_replay(argparse.Namespace(**vars(args), json=False, min_outlets=None))
    settings = _settings_with_broker()
    events, errors = _load_coded(args)
    _report_errors(errors)
    topic = settings.topics.stance_events
    _quiet_kafka_logs()
    lines = progress((e.model_dump_json().encode() for e in events), desc="sent",
                      unit=" events", total=len(events))
    try:
        result = asyncio.run(produce_lines(
            settings, lines, topic, rate=args.rate, key_field="dyad",
            delivery_timeout=_delivery_timeout(args)))
    except ProducerUnavailable as exc:
        print(f"streams: error: {exc}; nothing delivered to {topic}; {_UNREACHABLE_HINT}",
              file=sys.stderr)
        return 1
    # Events are numbered in event-time order (the order they are sent in).
    return _report_delivery(result, "stance events", topic, unit="event")


def cmd_replay(args: argparse.Namespace) -> int:
    """Offline: the risk engine over a coded file, alerts as JSONL on stdout."""
    from streams.risk import replay

    settings = Settings()
    events, errors = _load_coded(args)
    _report_errors(errors)
    config = settings.risk
    if args.min_outlets is not None:
        config = config.model_copy(update={"min_outlets_for_warning": args.min_outlets})
    _, alerts = replay(progress(events, desc="replayed", unit=" events", total=len(events)), config)
    for alert in alerts:
        print(alert.model_dump_json() if args.json else _readable("alerts", alert.model_dump_json().encode()))
    print(f"{len(events)} events, {len(alerts)} alerts", file=sys.stderr)
    return 0


# --- schemas, broker ---------------------------------------------------------------

def cmd_schemas(args: argparse.Namespace) -> int:
    from streams.contracts.export import drifted, export

    directory = Path(args.dir)
    if args.check:
        stale = drifted(directory)
        for topic in stale:
            print(f"schema drift: {topic}", file=sys.stderr)
        return 1 if stale else 0
    for path in export(directory):
        print(path)
    return 0


def broker_status(port: int) -> tuple[bool, str]:
    """Whether the local broker on ``port`` runs, and kafkactl's one-line status: e.g.
    ``running pid 123 kafka 4.4.0 at 127.0.0.1:9092 (data ...)`` or ``not running (...)``."""
    from streams.localbroker import LocalBroker

    try:
        line = LocalBroker.at(port).status()
    except RuntimeError as exc:  # no kafkactl: not a source checkout
        raise ConfigError(str(exc), "run your own Kafka and set STREAMS_BROKER") from exc
    line = line.splitlines()[-1] if line else f"status unknown (127.0.0.1:{port})"
    return line.startswith("running"), line


def cmd_broker(args: argparse.Namespace) -> int:
    from streams import localbroker

    settings = Settings()
    port = settings.local_broker_port
    if args.action == "start":
        address, _ = _start_local_broker(settings, fresh=args.fresh, wipe_worker=True)
        print(address)
    elif args.action == "stop":
        localbroker.stop(port)
    else:
        up, line = broker_status(port)
        print(f"broker {line}")
        return 0 if up else 1
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with the CLI's error style: one line, exit status 2."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


class _Version(argparse.Action):
    """``--version``: the package and the analyzer version (imported only when asked)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from streams import __version__
    from streams.nlp.analyzer import ANALYZER_VERSION

    try:
        package = version("streams")
    except PackageNotFoundError:
        package = __version__
    return f"streams {package} (analyzer {ANALYZER_VERSION})"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="streams", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, help="print the package and analyzer versions")
    parser.add_argument("--debug", action="store_true",
                        help="on an error, also print the traceback (or set STREAMS_DEBUG=1); "
                        "accepted anywhere on the line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="local broker + worker + sample feed, printing what comes out")
    p.add_argument("file", nargs="?", help="JSONL articles (default: the bundled samples)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds of silence before giving up")
    p.add_argument("--keep-broker", action="store_true", help="leave the local broker running")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("worker", help="run the Faust worker")
    p.add_argument("--reset-state", action="store_true",
                   help="delete the saved tables in STREAMS_DATA_DIR first: they are rebuilt from "
                   "the broker (needed after the broker's data was wiped)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("process", help="offline: JSONL articles in, JSONL enriched out")
    p.add_argument("file", help="JSONL file or - for stdin")
    p.add_argument("-o", "--output", default="-", help="enriched output (default stdout)")
    p.add_argument("--dead-letters", default="-", help="dead letters (default stderr)")
    p.add_argument("--stance-events", action="store_true", help="also write stance events")
    p.add_argument("--alerts", help="write the alerts the input raises here as JSONL "
                   "(they are always printed readably to stderr)")
    p.add_argument("--progress", action="store_true", help="force a progress bar")
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("produce", help="send JSONL lines to a topic, keyed by id")
    p.add_argument("file", help="JSONL file or - for stdin")
    p.add_argument("--topic", help="default: the articles topic")
    p.add_argument("--rate", type=float, help="messages per second (default: as fast as possible)")
    p.add_argument("--delivery-timeout", type=_positive_seconds, metavar="SECONDS",
                   help="give up on a line not acknowledged this long after it was sent, "
                   "retries included (default: 30); exit status 1 if any line was not delivered")
    p.set_defaults(func=cmd_produce)

    for name, func, text in (
        ("backfill", cmd_backfill, "load GDELT 2.0 or ICEWS rows onto the stance-event topic"),
        ("replay", cmd_replay, "offline: risk engine over GDELT 2.0 or ICEWS rows, printing alerts"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("format", nargs="?", help="gdelt or icews (or use --format)")
        p.add_argument("file", nargs="?")
        p.add_argument("--format", dest="format_option", choices=["gdelt", "icews"],
                       help="same as the positional format")
        p.add_argument("--relations", help="ICEWS relation text → CAMEO code TSV (optional)")
        if name == "backfill":
            p.add_argument("--rate", type=float, help="events per second")
            p.add_argument("--delivery-timeout", type=_positive_seconds, metavar="SECONDS",
                           help="give up on an event not acknowledged this long after it was "
                           "sent (default: 30); exit status 1 if any was not delivered")
            p.add_argument("--offline", action="store_true",
                           help="run them through the engine here and print alerts (= replay)")
        else:
            p.add_argument("--json", action="store_true", help="alerts as JSON lines")
            p.add_argument("--min-outlets", type=int,
                           help="override min_outlets_for_warning (ICEWS names no outlets: use 1)")
        p.set_defaults(func=func)

    sub.add_parser("bench", help="performance figures (see `streams bench --help`)")
    sub.add_parser("eval", help="accuracy on ../shared/eval (see `streams eval --help`)")

    alerts_tool.add_parser(sub)
    dlq_tool.add_parser(sub)

    p = sub.add_parser("tail", help="follow topics, printed readably")
    p.add_argument("topics", nargs="+")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--max", type=int, help="stop after this many records")
    p.add_argument("--idle-timeout", type=float, help="stop after this many silent seconds")
    p.add_argument("--raw", action="store_true", help="print values as they are")
    p.add_argument("--no-notes", action="store_true",
                   help="do not report on stderr the articles the local worker (STREAMS_WEB_PORT) "
                   "counts as duplicates (they have no output)")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("schemas", help="JSON Schema of the topic values")
    p.add_argument("action", choices=["export", "check"])
    p.add_argument("--dir", default="schemas")
    p.set_defaults(func=lambda a: cmd_schemas(argparse.Namespace(dir=a.dir, check=a.action == "check")))

    p = sub.add_parser("broker", help="the local single-node Kafka (deploy/kafka/kafkactl)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--fresh", action="store_true",
                   help="wipe its data first (when it is not running), and the worker's saved "
                   "tables in STREAMS_DATA_DIR with it")
    p.set_defaults(func=cmd_broker)
    return parser


#: Commands with option parsers of their own: the rest of the line is theirs.
_DELEGATED = {"bench": "streams.bench.report", "eval": "streams.evaluation.report"}
#: Exit status when whatever read stdout went away (128 + SIGPIPE, as a shell reports it).
BROKEN_PIPE_STATUS = 128 + signal.SIGPIPE
#: Exit status on Ctrl-C (128 + SIGINT).
INTERRUPTED_STATUS = 128 + signal.SIGINT


class CommandFailed(SystemExit):
    """How :func:`main` ends on an error, once the one line is printed.

    A :class:`SystemExit` with the exit status as its code; ``str()`` is the line.
    """

    def __init__(self, status: int, line: str) -> None:
        super().__init__(status)
        self.line = line

    def __str__(self) -> str:
        return self.line


def _configured_broker() -> str:
    try:
        return Settings().bootstrap_servers
    except Exception:  # the settings themselves may be the problem
        return os.environ.get("STREAMS_BROKER", "?")


def describe(exc: BaseException) -> StreamsError:
    """The user-facing error for an exception: a :class:`StreamsError` as it is, the
    common OS, Kafka and settings errors as one of them, anything else as a bug."""
    from pydantic import ValidationError

    if isinstance(exc, StreamsError):
        return exc
    if isinstance(exc, ValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        name = "__".join(str(part) for part in first["loc"]).upper()
        where = f"STREAMS_{name}" if name else "a setting"
        return ConfigError(f"invalid setting {where}: {first['msg']}",
                           "check the environment and .env (see the README's Configuration)")
    kafka = sys.modules.get("aiokafka.errors")
    if kafka is not None and isinstance(exc, kafka.KafkaConnectionError):
        return BrokerUnavailable(f"cannot reach Kafka at {_configured_broker()}", _UNREACHABLE_HINT)
    if kafka is not None and isinstance(exc, kafka.KafkaError):
        return BrokerError(f"Kafka refused: {type(exc).__name__}: {exc}",
                           "check the broker and the topic's settings")
    kafka_io = sys.modules.get("streams.kafka_io")
    if kafka_io is not None and isinstance(exc, kafka_io.ProducerUnavailable):
        return BrokerUnavailable(str(exc), _UNREACHABLE_HINT)
    if isinstance(exc, subprocess.TimeoutExpired):
        command = " ".join(map(str, exc.cmd)) if isinstance(exc.cmd, list | tuple) else str(exc.cmd)
        return StreamsError(f"`{command}` did not finish within {exc.timeout:g}s")
    if isinstance(exc, subprocess.CalledProcessError):
        command = " ".join(map(str, exc.cmd)) if isinstance(exc.cmd, list | tuple) else str(exc.cmd)
        return StreamsError(f"`{command}` failed with exit status {exc.returncode}",
                            "its message is above")
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else ""
        if exc.errno == errno.EADDRINUSE:
            return PortInUse("address already in use" + (f": {name}" if name else ""),
                             "stop the process using it or choose another port")
        if isinstance(exc, FileNotFoundError):
            return InputError(f"{name or 'file'}: no such file or directory", "check the path")
        if isinstance(exc, PermissionError):
            return InputError(f"{name or 'file'}: permission denied", "check its permissions")
        if isinstance(exc, ConnectionError):
            return BrokerUnavailable(f"connection failed: {exc.strerror or exc}", _UNREACHABLE_HINT)
        if isinstance(exc, TimeoutError):
            return StreamsError(f"timed out{': ' + str(exc) if str(exc) else ''}",
                                "is the broker reachable? `streams broker status`")
        text = exc.strerror or str(exc) or type(exc).__name__
        return StreamsError(f"{name}: {text}" if name else text)
    return StreamsError(f"unexpected {type(exc).__name__}: {exc}",
                        "this is a bug: run again with --debug and report the traceback")


def _stdout_gone() -> None:
    """stdout's reader went away: send whatever is still buffered nowhere, quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def _client_logs(debug: bool) -> Iterator[None]:
    """Kafka-client and asyncio log lines only with ``--debug``: errors are reported as one line.

    (Their levels are restored afterwards, for callers other than the command line.)
    """
    loggers = [logging.getLogger(name) for name in ("aiokafka", "asyncio")]
    saved = [logger.level for logger in loggers]
    if not debug:
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved, strict=True):
            logger.setLevel(level)


def _debug_wanted(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("STREAMS_DEBUG", "").lower() not in ("", "0", "false", "no")


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status.

    An error is printed as one line and ends in :class:`CommandFailed` (a ``SystemExit``
    with the status: 2 for usage and configuration errors, 1 otherwise), as argparse's
    usage errors end in ``SystemExit(2)``.  A closed stdout returns 141, Ctrl-C 130.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_wanted(argv)
    argv = [arg for arg in argv if arg != "--debug"]
    try:
        return _command(argv, debug)
    except BrokenPipeError:
        _stdout_gone()
        return BROKEN_PIPE_STATUS
    except KeyboardInterrupt:
        return INTERRUPTED_STATUS


def _command(argv: list[str], debug: bool) -> int:
    if argv and argv[0] in _DELEGATED:
        import importlib

        name = argv[0]

        def run() -> int:
            module = importlib.import_module(_DELEGATED[name])
            with _elapsed_ticker(name) if name == "eval" else contextlib.nullcontext():
                return int(module.main(argv[1:]))
        quiet_clients = False
    else:
        args = build_parser().parse_args(argv)
        args.debug = debug

        def run() -> int:
            code: int = args.func(args)
            return code
        quiet_clients = args.func is not cmd_worker  # the worker logs as a service does
    with _client_logs(debug or not quiet_clients):
        try:
            return run()
        except (SystemExit, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:
            failure = describe(exc)
            if debug:
                traceback.print_exc()
            line = one_line(failure)
            print(f"streams: error: {line}", file=sys.stderr)
            # Free what the traceback holds (clients left unclosed log when collected)
            # while their log lines are still off.
            traceback.clear_frames(exc.__traceback__)
            del exc
            import gc

            gc.collect()
    raise CommandFailed(failure.exit_status, line)


@contextlib.contextmanager
def _elapsed_ticker(what: str) -> Iterator[None]:
    """On a terminal, a line on stderr with the time spent so far (for long commands without
    progress of their own); nothing when stderr is piped."""
    if not _terminal():
        yield
        return
    import threading

    from tqdm import tqdm

    stop = threading.Event()
    bar = tqdm(desc=f"streams {what}", bar_format="{desc}: {elapsed} elapsed", file=sys.stderr, leave=False)

    def tick() -> None:
        while not stop.wait(1.0):
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.close()


if __name__ == "__main__":
    sys.exit(main())
