"""``streams worker``, and the worker's local state: its data directory, its saved tables
and its web port."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import re
import socket
import sys
from pathlib import Path

from streams.cli.clients import _settings_with_broker
from streams.cli.errors import _client_logs
from streams.cli.metrics import _local_host
from streams.errors import ConfigError, PortInUse, UsageError
from streams.settings import Settings


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
