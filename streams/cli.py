"""The ``streams`` command: run, worker, process, produce, tail, schemas, broker."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from streams.settings import Settings

if TYPE_CHECKING:
    from streams.kafka_io import ProduceResult

SAMPLES = "articles.jsonl"


def _sample_path() -> Path:
    return Path(str(resources.files("streams.samples").joinpath(SAMPLES)))


def _open_input(name: str) -> IO[bytes]:
    return sys.stdin.buffer if name == "-" else open(name, "rb")


# --- process (offline) -------------------------------------------------------

def cmd_process(args: argparse.Namespace) -> int:
    from streams.pipeline.offline import process_lines

    with contextlib.ExitStack() as stack:
        out = sys.stdout if args.output == "-" else stack.enter_context(
            open(args.output, "w", encoding="utf-8"))
        dlq = sys.stderr if args.dead_letters == "-" else stack.enter_context(
            open(args.dead_letters, "w", encoding="utf-8"))
        handle = stack.enter_context(_open_input(args.file))
        lines: Iterator[bytes] = iter(handle)
        if (sys.stderr.isatty() and args.output != "-") or args.progress:
            from tqdm import tqdm

            lines = iter(tqdm(handle, unit=" articles", file=sys.stderr))
        events: list[Any] = []
        stats = process_lines(lines, out, dlq, include_stance_events=args.stance_events,
                              stance_events=events)
        alerts = _alerts_of(events)
        stats["alerts"] = len(alerts)
        sink = stack.enter_context(open(args.alerts, "w", encoding="utf-8")) if args.alerts else None
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
        raise SystemExit("STREAMS_BROKER is not set (e.g. 127.0.0.1:9092); `streams run` starts one")
    return settings


def _quiet_kafka_logs() -> None:
    """During an outage aiokafka logs every reconnect attempt: keep one per message per 10 s."""
    import streams.kafka_io  # noqa: F401 - creates aiokafka's loggers, so the filter reaches them
    from streams.agents.logs import quiet_kafka_client_logs

    quiet_kafka_client_logs()


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
            result = asyncio.run(produce_lines(settings, handle, topic, rate=args.rate,
                                               delivery_timeout=_delivery_timeout(args)))
    except ProducerUnavailable as exc:
        print(f"error: {exc}; nothing delivered to {topic}", file=sys.stderr)
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


def cmd_tail(args: argparse.Namespace) -> int:
    from streams.kafka_io import consume

    settings = _settings_with_broker()

    async def run() -> None:
        async for rec in consume(settings, args.topics, from_beginning=args.from_beginning,
                                 idle_timeout=args.idle_timeout, max_records=args.max):
            if args.raw:
                sys.stdout.write((rec.value or b"").decode("utf-8", "replace") + "\n")
            else:
                print(_readable(rec.topic, rec.value), flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


_LEVELS = ("none", "watch", "warning", "critical")


def cmd_alerts(args: argparse.Namespace) -> int:
    """Follow ``geo.alerts.v1`` readably, at or above a minimum level."""
    from streams.kafka_io import consume

    settings = _settings_with_broker()
    floor = _LEVELS.index(args.min_level)

    async def run() -> None:
        async for rec in consume(settings, [settings.topics.alerts],
                                 from_beginning=args.from_beginning,
                                 idle_timeout=args.idle_timeout, max_records=args.max):
            try:
                alert = json.loads(rec.value or b"")
                rank = max(_LEVELS.index(alert["level"]), _LEVELS.index(alert["previous_level"]))
            except (ValueError, KeyError, TypeError):
                rank = len(_LEVELS)  # unreadable: show it rather than hide it
            if rank >= floor:
                print(_readable(rec.topic, rec.value), flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


# --- worker ------------------------------------------------------------------

def cmd_worker(args: argparse.Namespace) -> int:
    from streams.agents.app import create_app
    from streams.agents.stopping import StreamsWorker
    from streams.kafka_io import ensure_topics

    settings = _settings_with_broker()
    asyncio.run(ensure_topics(settings))
    app = create_app(settings)
    worker = StreamsWorker(app, loglevel=settings.log_level.upper(), quiet=True,
                           stop_deadline_s=settings.stop_deadline_s)
    worker.execute_from_commandline()
    return 0


# --- run: the whole thing on one machine ---------------------------------------

def _expected_outcomes(path: Path) -> int:
    """Distinct article ids plus unreadable lines: what the topics will show."""
    ids: set[str] = set()
    unreadable = 0
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            ids.add(obj["id"]) if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
            unreadable += 0 if isinstance(obj, dict) and isinstance(obj.get("id"), str) else 1
        except ValueError:
            unreadable += 1
    return len(ids) + unreadable


def cmd_run(args: argparse.Namespace) -> int:
    from streams import localbroker
    from streams.kafka_io import ProducerUnavailable, consume, ensure_topics, produce_lines

    settings = Settings()
    started_broker = False
    if not settings.broker:
        print(f"STREAMS_BROKER unset: starting a local Kafka on 127.0.0.1:{settings.local_broker_port}",
              file=sys.stderr)
        address = localbroker.start(settings.local_broker_port, fresh=True)
        started_broker = True
        settings = settings.model_copy(update={"broker": address})
    feed = Path(args.file) if args.file else _sample_path()
    expected = _expected_outcomes(feed)
    asyncio.run(ensure_topics(settings))
    workdir = Path(tempfile.mkdtemp(prefix="streams-run-"))
    env = dict(os.environ, STREAMS_BROKER=settings.broker or "", STREAMS_DATA_DIR=str(workdir))
    worker = subprocess.Popen([sys.executable, "-m", "streams", "worker"], env=env,
                              stdout=open(workdir / "worker.log", "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    print(f"worker pid {worker.pid}, log {workdir / 'worker.log'}", file=sys.stderr)
    outputs = [settings.topics.enriched, settings.topics.dead_letters, settings.topics.alerts]
    try:
        async def main() -> int | None:
            seen = 0
            consumer_task = None

            async def follow() -> None:
                nonlocal seen
                # A broker we just started is empty: read it all.  On a shared
                # broker, only what arrives from now on is ours.
                async for rec in consume(settings, outputs, from_beginning=started_broker,
                                         idle_timeout=args.timeout):
                    print(_readable(rec.topic, rec.value), flush=True)
                    if rec.topic != settings.topics.alerts:
                        seen += 1
                    if seen >= expected and rec.topic != settings.topics.alerts:
                        await asyncio.sleep(3)  # let trailing alerts arrive
                        return

            consumer_task = asyncio.create_task(follow())
            await asyncio.sleep(2)
            try:
                with feed.open("rb") as handle:
                    result = await produce_lines(settings, handle, settings.topics.articles)
            except ProducerUnavailable as exc:
                print(f"error: {exc}", file=sys.stderr)
                result = None
            if result is None or _report_delivery(result, "articles", settings.topics.articles):
                consumer_task.cancel()  # their outputs will never all come
                with contextlib.suppress(asyncio.CancelledError):
                    await consumer_task
                return None
            await asyncio.wait_for(consumer_task, timeout=args.timeout + 120)
            return seen

        _quiet_kafka_logs()
        outcome = asyncio.run(main())
        if outcome is None:
            return 1
        seen = outcome
        print(f"{seen} of {expected} expected outputs seen", file=sys.stderr)
        return 0 if seen >= expected else 1
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        if started_broker and not args.keep_broker:
            localbroker.stop(settings.local_broker_port)


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
        raise SystemExit("usage: streams backfill|replay [--format] gdelt|icews FILE")
    with open(args.file, encoding="utf-8", errors="replace") as handle:
        if fmt == "gdelt":
            rows = list(load_gdelt(handle))
        else:
            relations = read_relation_mapping(args.relations) if args.relations else None
            rows = list(load_icews(handle, relations=relations))
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
    try:
        result = asyncio.run(produce_lines(
            settings, (e.model_dump_json().encode() for e in events), topic,
            rate=args.rate, key_field="dyad", delivery_timeout=_delivery_timeout(args)))
    except ProducerUnavailable as exc:
        print(f"error: {exc}; nothing delivered to {topic}", file=sys.stderr)
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
    _, alerts = replay(events, config)
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


def cmd_broker(args: argparse.Namespace) -> int:
    from streams import localbroker

    port = Settings().local_broker_port
    if args.action == "start":
        print(localbroker.start(port, fresh=args.fresh))
    elif args.action == "stop":
        localbroker.stop(port)
    else:
        return 0 if localbroker.running(port) else 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streams", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="local broker + worker + sample feed, printing what comes out")
    p.add_argument("file", nargs="?", help="JSONL articles (default: the bundled samples)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds of silence before giving up")
    p.add_argument("--keep-broker", action="store_true", help="leave the local broker running")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("worker", help="run the Faust worker")
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

    p = sub.add_parser("alerts", help="follow the alert topic readably")
    p.add_argument("--min-level", choices=_LEVELS, default="watch",
                   help="show changes that reach or leave at least this level (default: watch)")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--max", type=int, help="stop after this many records")
    p.add_argument("--idle-timeout", type=float, help="stop after this many silent seconds")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("tail", help="follow topics, printed readably")
    p.add_argument("topics", nargs="+")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--max", type=int, help="stop after this many records")
    p.add_argument("--idle-timeout", type=float, help="stop after this many silent seconds")
    p.add_argument("--raw", action="store_true", help="print values as they are")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("schemas", help="JSON Schema of the topic values")
    p.add_argument("action", choices=["export", "check"])
    p.add_argument("--dir", default="schemas")
    p.set_defaults(func=lambda a: cmd_schemas(argparse.Namespace(dir=a.dir, check=a.action == "check")))

    p = sub.add_parser("broker", help="the local single-node Kafka (deploy/kafka/kafkactl)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--fresh", action="store_true", help="wipe its data first")
    p.set_defaults(func=cmd_broker)
    return parser


#: Commands with option parsers of their own: the rest of the line is theirs.
_DELEGATED = {"bench": "streams.bench.report", "eval": "streams.evaluation.report"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in _DELEGATED:
        import importlib

        module = importlib.import_module(_DELEGATED[argv[0]])
        return int(module.main(argv[1:]))
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
