"""``streams console``: the analyst console, a web server on a store fed from the topics.

It materialises ``geo.alerts.v1``, ``geo.stance-events.v1`` and ``news.enriched.v1`` into
its store (SQLite in the data dir, or ``STREAMS_CONSOLE_DB``) and serves the pages of
:mod:`streams.console.web` on ``STREAMS_CONSOLE_HOST:STREAMS_CONSOLE_PORT``.  It refuses
to listen beyond loopback without a token or password.  ``streams run`` ends by filling the
store with the run's outputs and, on a terminal, leaving a console in the background on
them (:func:`console_after_run`); ``streams console --stop`` stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from streams.cli.worker import check_port_free
from streams.errors import ConfigError, StreamsError, UsageError
from streams.settings import Settings

#: Beside the store: the pid of the console ``streams run`` left in the background.
PID_FILE = "console.pid"
LOG_FILE = "console.log"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("console", help="the analyst console: alerts with their evidence, in a browser",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rebuild", action="store_true",
                   help="empty the store first and read the topics again from their earliest offsets")
    p.add_argument("--offline", action="store_true",
                   help="serve what the store holds, read no topic (no broker needed)")
    p.add_argument("--stop", action="store_true",
                   help="stop the console `streams run` left running in the background")
    p.add_argument("--check", action="store_true",
                   help="exit 0 if the console on STREAMS_CONSOLE_HOST:PORT answers (with the "
                   "configured credentials), else 1: a container health check")
    p.set_defaults(func=cmd_console)


def _credentials(settings: Settings) -> Any:
    from streams.console.auth import Credentials, is_loopback

    credentials = Credentials(
        token=settings.console_token.get_secret_value() if settings.console_token else None,
        user=settings.console_user,
        password=settings.console_password.get_secret_value() if settings.console_password else None)
    if not is_loopback(settings.console_host) and not credentials.required:
        raise ConfigError(f"the console would listen on {settings.console_host} without credentials",
                          "set STREAMS_CONSOLE_TOKEN or STREAMS_CONSOLE_PASSWORD, or leave "
                          "STREAMS_CONSOLE_HOST at 127.0.0.1")
    return credentials


def _store(settings: Settings, rebuild: bool) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from streams.console.store import database_url, open_store, wipe

    url = database_url(settings.console_db, settings.data_dir)
    try:
        engine = open_store(url)
        if rebuild:
            wipe(engine)
    except (SQLAlchemyError, ImportError) as exc:
        raise ConfigError(f"cannot open the console's store {_safe(url)}: {str(exc).splitlines()[0]}",
                          "check STREAMS_CONSOLE_DB (a SQLAlchemy URL) and that the database "
                          "answers") from exc
    return engine


def _safe(url: str) -> str:
    """A store URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # only for a message: whatever the parser raises
        return "(unparsable URL)"


def console_url(settings: Settings, port: int | None = None) -> str:
    host = settings.console_host
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings.console_port if port is None else port}/"


def cmd_console(args: argparse.Namespace) -> int:
    settings = Settings()
    if args.stop:
        return _stop_background(settings)
    if args.check:
        return 0 if _answers(console_url(settings) + "health", _authorization(settings)) else 1
    credentials = _credentials(settings)
    check_port_free(settings.console_host, settings.console_port, "console port",
                    "set STREAMS_CONSOLE_PORT to a free port (or stop what listens there)")
    engine = _store(settings, args.rebuild)
    try:
        asyncio.run(_serve(settings, engine, credentials, follow=not args.offline))
    finally:
        engine.dispose()
    return 0


async def _serve(settings: Settings, engine: Any, credentials: Any, *, follow: bool) -> None:
    from aiohttp import web

    from streams.cli.clients import _quiet_kafka_logs
    from streams.cli.console_follow import Follower
    from streams.console import queries
    from streams.console.web import create_app

    runner = web.AppRunner(create_app(engine, credentials, settings.risk), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.console_host, settings.console_port)
    await site.start()
    port = int(runner.addresses[0][1])
    pid_file = Path(settings.data_dir) / PID_FILE
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    with engine.connect() as conn:
        rows = queries.status(conn)["rows"]
    print(f"analyst console on {console_url(settings, port)} ({rows['alerts']} alerts, "
          f"{rows['stance_events']} stance events stored{'' if follow else '; not following the topics'})"
          " - Ctrl-C to stop", flush=True)
    follower: Follower | None = None
    task = None
    try:
        pid_file.parent.mkdir(parents=True, exist_ok=True)
        pid_file.write_text(f"{os.getpid()} {port}\n")
        if follow:
            _quiet_kafka_logs()
            follower = Follower(settings, engine)
            task = asyncio.create_task(follower.run(stop))
            task.add_done_callback(lambda _: stop.set())  # it ends only on stop, or on a bug
        await stop.wait()
        if task is not None and task.done() and not task.cancelled() and task.exception():
            raise task.exception()  # type: ignore[misc]
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if follower is not None:
            await follower.stop()
        await runner.cleanup()
        with contextlib.suppress(OSError):
            if pid_file.read_text().split()[0] == str(os.getpid()):
                pid_file.unlink()


def _running(settings: Settings) -> tuple[int, int] | None:
    """(pid, port) of the console the pid file names, if it still runs."""
    try:
        pid, port = (int(x) for x in (Path(settings.data_dir) / PID_FILE).read_text().split()[:2])
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid, port


def _stop_background(settings: Settings) -> int:
    found = _running(settings)
    if found is None:
        print("no console runs from this data dir", file=sys.stderr)
        return 0
    os.kill(found[0], signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _running(settings):
        time.sleep(0.2)
    print(f"stopped the console (pid {found[0]})", file=sys.stderr)
    return 0


def console_after_run(settings: Settings, serve: bool | None = None) -> list[str]:
    """After ``streams run``: the run's outputs into the console's store (rebuilt from the
    topics, while the run's broker is still up) and, when ``serve`` (default: stdout is a
    terminal, someone is there to open it), a console on it in the background.  The lines
    to print at the end; a failure is reported in them, never raised: the run itself
    succeeded.  Scripts and tests get the store and the command to serve it, and no process
    left behind."""
    try:
        return _fill_and_serve(settings, sys.stdout.isatty() if serve is None else serve)
    except (StreamsError, OSError) as exc:
        return [f"analyst console not started: {exc}"]


def _fill_and_serve(settings: Settings, serve: bool) -> list[str]:
    from streams.cli.console_follow import Follower
    from streams.console import queries
    from streams.console.names import pair_slug

    _credentials(settings)
    engine = _store(settings, rebuild=True)
    try:
        async def fill() -> bool:
            follower = Follower(settings, engine)
            await follower.start()
            try:
                return await follower.catch_up(timeout=60)
            finally:
                await follower.stop()
        if not asyncio.run(fill()):
            return ["analyst console not started: reading the topics into its store took over 60 s"]
        with engine.connect() as conn:
            alerts, _ = queries.feed(conn, queries.FeedFilter())
    finally:
        engine.dispose()
    if serve:
        running = _running(settings)
        # A console left by an earlier run serves the same store: what was just written shows.
        port = _start_background(settings) if running is None else running[1]
        url = console_url(settings, port)
        lines = [f"analyst console: {url}  (stop it with `streams console --stop`)"]
    else:
        url = console_url(settings)
        lines = [f"analyst console: `streams console --offline` serves this run's alerts on {url}"]
    lines += [f"  {a['dyad']} {a['previous_level']}→{a['level']} score {a['score']:.1f}: "
              f"{url}alerts/{a['alert_id']}  (the pair: {url}pairs/{pair_slug(a['dyad'])})"
              for a in alerts[:10]]
    return lines


def _start_background(settings: Settings) -> int:
    """Start ``streams console --offline`` detached; its port once it answers."""
    check_port_free(settings.console_host, settings.console_port, "console port",
                    "set STREAMS_CONSOLE_PORT to a free port")
    data_dir = Path(settings.data_dir)
    with (data_dir / LOG_FILE).open("ab") as log:
        env = dict(os.environ, STREAMS_DATA_DIR=settings.data_dir,
                   STREAMS_CONSOLE_DB=settings.console_db, STREAMS_CONSOLE_HOST=settings.console_host,
                   STREAMS_CONSOLE_PORT=str(settings.console_port))
        proc = subprocess.Popen([sys.executable, "-m", "streams", "console", "--offline"], env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise UsageError(f"the console exited with status {proc.returncode}",
                             f"see {data_dir / LOG_FILE}")
        running = _running(settings)
        if running and running[0] == proc.pid and _answers(console_url(settings, running[1]) + "health"):
            return running[1]
        time.sleep(0.2)
    proc.terminate()
    raise UsageError("the console did not answer within 30 s", f"see {data_dir / LOG_FILE}")


def _authorization(settings: Settings) -> dict[str, str]:
    """The header the console asks of its clients, from the same settings."""
    if settings.console_token:
        return {"Authorization": f"Bearer {settings.console_token.get_secret_value()}"}
    if settings.console_password:
        pair = f"{settings.console_user}:{settings.console_password.get_secret_value()}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    return {}


def _answers(url: str, headers: dict[str, str] | None = None) -> bool:
    """Whether the console answers at ``url``; without ``headers``, a refusal for want of
    credentials counts as an answer (it runs, and asks for them)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                    timeout=2) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as exc:
        return exc.code == 401 and headers is None
    except OSError:
        return False
