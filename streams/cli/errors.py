"""How a command ends: an error as one line on stderr (``--debug`` or ``STREAMS_DEBUG=1``
adds the traceback), with exit status 2 for usage and configuration errors and 1 for
failures at run time; 141 when stdout's reader went away, 130 on Ctrl-C."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator

from streams.cli.clients import _UNREACHABLE_HINT
from streams.errors import (
    BrokerError,
    BrokerUnavailable,
    ConfigError,
    InputError,
    PortInUse,
    StreamsError,
    one_line,
)
from streams.settings import Settings

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


def run_reporting_errors(run: Callable[[], int], *, debug: bool, quiet_clients: bool) -> int:
    """``run()``'s exit status; an exception it raises is printed as one line (and, with
    ``debug``, its traceback) and ends in :class:`CommandFailed`.  Kafka-client log lines are
    shown only with ``debug`` or when ``quiet_clients`` is False (the worker logs as a service
    does)."""
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
