"""The ``streams`` command: run, worker, process, produce, tail, schemas, broker.

Errors are one line on stderr, ``streams: error: <problem>; <fix>``, with exit status 2
for usage and configuration errors and 1 for failures at run time (see
:mod:`streams.errors`); ``--debug`` or ``STREAMS_DEBUG=1`` adds the traceback.  When
whatever reads stdout goes away (``streams process ... | head -1``) the command ends
quietly with status 141, like a Unix tool killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from streams.cli import console_cmd
from streams.cli.broker import cmd_broker
from streams.cli.clients import _positive_seconds
from streams.cli.console import elapsed_ticker, progress
from streams.cli.errors import (
    BROKEN_PIPE_STATUS,
    INTERRUPTED_STATUS,
    _debug_wanted,
    _stdout_gone,
    describe,
    run_reporting_errors,
)
from streams.cli.metrics import worker_counts
from streams.cli.process import cmd_process
from streams.cli.produce import cmd_backfill, cmd_produce, cmd_replay
from streams.cli.records import _readable
from streams.cli.run import Feed, RunTally, cmd_run, report_run
from streams.cli.topics import cmd_schemas, cmd_tail
from streams.cli.worker import StateMismatchHint, cmd_worker, prepare_data_dir, wipe_worker_state
from streams.tools import alerts as alerts_tool
from streams.tools import dlq as dlq_tool

#: ``main`` and ``build_parser``, and what tests use of the command modules.
__all__ = [
    "Feed",
    "RunTally",
    "StateMismatchHint",
    "_readable",
    "build_parser",
    "cmd_produce",
    "cmd_worker",
    "describe",
    "main",
    "prepare_data_dir",
    "progress",
    "report_run",
    "wipe_worker_state",
    "worker_counts",
]


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
    console_cmd.add_parser(sub)

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


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status.

    An error is printed as one line and ends in :class:`~streams.cli.errors.CommandFailed` (a
    ``SystemExit`` with the status: 2 for usage and configuration errors, 1 otherwise), as
    argparse's usage errors end in ``SystemExit(2)``.  A closed stdout returns 141, Ctrl-C 130.
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
            with elapsed_ticker(name):  # both run for minutes with nothing to count
                return int(module.main(argv[1:]))
        quiet_clients = False
    else:
        args = build_parser().parse_args(argv)
        args.debug = debug

        def run() -> int:
            code: int = args.func(args)
            return code
        quiet_clients = args.func is not cmd_worker  # the worker logs as a service does
    return run_reporting_errors(run, debug=debug, quiet_clients=quiet_clients)
