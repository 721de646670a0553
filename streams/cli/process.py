"""``streams process``: offline, JSONL articles in, JSONL enriched articles out (no Kafka)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from streams.cli.console import _terminal
from streams.cli.files import _open_input, _replace_on_success
from streams.cli.records import _readable
from streams.settings import Settings


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
