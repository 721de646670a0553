"""``streams produce`` (JSONL lines onto a topic), and the coded events of GDELT 2.0 or
ICEWS: ``streams backfill`` (onto the stance-event topic) and ``streams replay`` (offline)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from streams.cli.clients import (
    _UNREACHABLE_HINT,
    _delivery_timeout,
    _quiet_kafka_logs,
    _report_delivery,
    _settings_with_broker,
)
from streams.cli.console import progress
from streams.cli.files import _file_size, _input_problem, _open_input
from streams.cli.records import _readable
from streams.errors import UsageError
from streams.settings import Settings


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
        from streams.risk import vouch_for_archive

        config = vouch_for_archive(config, events, args.min_outlets)
    _, alerts = replay(progress(events, desc="replayed", unit=" events", total=len(events)), config)
    for alert in alerts:
        print(alert.model_dump_json() if args.json else _readable("alerts", alert.model_dump_json().encode()))
    print(f"{len(events)} events, {len(alerts)} alerts", file=sys.stderr)
    return 0
