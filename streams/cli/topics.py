"""The topics themselves: ``streams tail`` (follow them, printed readably) and
``streams schemas`` (the JSON Schema of their values)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from streams.cli.clients import _settings_with_broker
from streams.cli.console import _plural
from streams.cli.errors import INTERRUPTED_STATUS
from streams.cli.metrics import _count, _local_host, worker_counts
from streams.cli.records import _readable
from streams.settings import Settings


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

    asyncio.run(until_interrupted(run()))
    return 0


#: Seconds the clients get to close after Ctrl-C before the process ends anyway.
INTERRUPT_GRACE_S = 5.0


async def until_interrupted(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work``; Ctrl-C cancels it, and ends the process within :data:`INTERRUPT_GRACE_S`.

    A follow command's promise is "Ctrl-C ends": a Kafka client whose shutdown waits on the
    broker must not turn that into a hang.  The handler runs in the event loop (not as an
    exception raised at a random point of it), and a daemon timer is the backstop.
    """
    task = asyncio.current_task()
    assert task is not None

    def interrupted() -> None:
        def give_up() -> None:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(INTERRUPTED_STATUS)

        backstop = threading.Timer(INTERRUPT_GRACE_S, give_up)
        backstop.daemon = True  # a clean exit does not wait for it
        backstop.start()
        task.cancel()

    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, interrupted)
    try:
        await work
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None
    finally:
        loop.remove_signal_handler(signal.SIGINT)


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
