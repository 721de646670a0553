"""``streams broker``: the local single-node Kafka (deploy/kafka/kafkactl)."""

from __future__ import annotations

import argparse
import subprocess

from streams.cli.worker import _answers, _no_worker_running, _wipe_worker_state_noting
from streams.errors import BrokerError, ConfigError
from streams.settings import Settings


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
