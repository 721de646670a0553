"""The local single-node Kafka of ``deploy/kafka/kafkactl``, from Python.

:class:`LocalBroker` is the one Python front end to ``kafkactl`` (the one script that
actually runs Kafka): ``streams run`` and ``streams broker`` use the module functions
below (kafkactl's defaults for a port: ``127.0.0.1:PORT``, its data dir under
``~/.cache/streams-kafka``), the tests, the benchmarks and the soak run use brokers of
their own on free loopback ports with their own data dir, so they can be stopped and
started without disturbing any other.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
KAFKACTL = REPO_ROOT / "deploy" / "kafka" / "kafkactl"
HOST = "127.0.0.1"


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class LocalBroker:
    """A ``kafkactl`` broker: by default on free loopback ports, with its own data dir.

    A port of ``0`` is replaced by a free one (all ports of a broker differ); ``None``
    leaves the choice to ``kafkactl`` (controller: port + 1).  ``data_dir=None`` is
    kafkactl's default data dir for the port.  With ``secure_dir`` (made by
    ``deploy/kafka/make-certs``) the broker also listens with SASL_SSL and mutual TLS.
    """

    data_dir: Path | None = None
    port: int = 0
    controller_port: int | None = 0
    secure_dir: Path | None = None
    sasl_ssl_port: int | None = None
    ssl_port: int | None = None
    #: Seconds ``kafkactl stop`` waits after SIGTERM before a SIGKILL (None: its default).
    stop_timeout_s: int | None = None
    #: Seconds any one ``kafkactl`` call may take before it is killed (None: no limit).
    timeout_s: float | None = None

    def __post_init__(self) -> None:
        if self.secure_dir is not None:
            self.sasl_ssl_port = 0 if self.sasl_ssl_port is None else self.sasl_ssl_port
            self.ssl_port = 0 if self.ssl_port is None else self.ssl_port
        taken = {p for p in (self.port, self.controller_port, self.sasl_ssl_port, self.ssl_port) if p}

        def pick(port: int) -> int:
            if port != 0:
                return port
            while (port := free_port()) in taken:  # two free_port() calls may agree
                pass
            taken.add(port)
            return port

        self.port = pick(self.port)
        self.controller_port = None if self.controller_port is None else pick(self.controller_port)
        self.sasl_ssl_port = None if self.sasl_ssl_port is None else pick(self.sasl_ssl_port)
        self.ssl_port = None if self.ssl_port is None else pick(self.ssl_port)

    @classmethod
    def at(cls, port: int) -> LocalBroker:
        """The broker ``kafkactl`` runs on ``port`` with its defaults (``streams run``/``broker``)."""
        return cls(port=port, controller_port=None)

    @property
    def env(self) -> dict[str, str]:
        """The environment ``kafkactl`` needs for this broker."""
        env = dict(os.environ, STREAMS_KAFKA_PORT=str(self.port))
        for name, value in (("STREAMS_KAFKA_CONTROLLER_PORT", self.controller_port),
                            ("STREAMS_KAFKA_SASL_SSL_PORT", self.sasl_ssl_port),
                            ("STREAMS_KAFKA_SSL_PORT", self.ssl_port),
                            ("STREAMS_KAFKA_DATA", self.data_dir),
                            ("STREAMS_KAFKA_STOP_TIMEOUT", self.stop_timeout_s)):
            if value is not None:
                env[name] = str(value)
        return env

    def ctl(self, *args: str, check: bool = True, capture_stderr: bool = False,
            timeout: float | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``kafkactl ARGS`` for this broker; stdout is returned, stderr passes through.

        ``timeout`` overrides :attr:`timeout_s` for this call.
        """
        if not KAFKACTL.exists():
            raise RuntimeError(f"{KAFKACTL} not found: the local broker needs a source checkout")
        return subprocess.run([str(KAFKACTL), *args], env=self.env, text=True, check=check,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE if capture_stderr else None,
                              timeout=self.timeout_s if timeout is None else timeout, cwd=cwd)

    def start_args(self, fresh: bool = False) -> list[str]:
        """The ``kafkactl`` arguments that start this broker."""
        return ["start", *(["--fresh"] if fresh else []),
                *(["--secure", str(self.secure_dir)] if self.secure_dir is not None else [])]

    def start(self, fresh: bool = False) -> str:
        """Start (or reuse) the broker; returns its bootstrap address (PLAINTEXT).

        ``fresh`` wipes the broker's data first (only when it is not running).
        """
        out = self.ctl(*self.start_args(fresh)).stdout.strip().splitlines()
        return out[-1] if out else self.address

    def stop(self, check: bool = False) -> None:
        """Stop the broker if it runs (a no-op otherwise); ``check``: raise if kafkactl fails."""
        self.ctl("stop", check=check)

    def reset(self) -> None:
        """Stop the broker and wipe its data dir (``kafkactl reset``)."""
        self.ctl("reset", check=True)

    def status(self) -> str:
        """``kafkactl status``: one line, e.g. ``running pid 123 kafka 4.0.0 at 127.0.0.1:9092 ...``."""
        return self.ctl("status", check=False).stdout.strip()

    def running(self) -> bool:
        """Whether the broker runs and answers."""
        return self.ctl("status", check=False).returncode == 0

    def listeners(self) -> list[tuple[str, str]]:
        """``(protocol, host:port)`` of every client listener of the last start."""
        words = self.ctl("listeners").stdout.split()
        return list(zip(words[::2], words[1::2], strict=True))

    @property
    def address(self) -> str:
        """The PLAINTEXT bootstrap address."""
        return f"{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs (``kafkactl`` keeps it in the data dir)."""
        if self.data_dir is None:
            words = self.status().split()
            return int(words[2]) if words[:2] == ["running", "pid"] else None
        try:
            return int((self.data_dir / "kafka.pid").read_text().strip())
        except (OSError, ValueError):
            return None


def start(port: int, fresh: bool = False) -> str:
    """Start (or reuse) kafkactl's broker on ``port``; returns its bootstrap address.

    ``fresh`` wipes the broker's data first (only when it is not running).
    """
    return LocalBroker.at(port).start(fresh=fresh)


def stop(port: int) -> None:
    LocalBroker.at(port).stop(check=True)


def reset(port: int) -> None:
    """Stop kafkactl's broker on ``port`` and wipe its data: nothing of it is left to reuse."""
    LocalBroker.at(port).reset()


def running(port: int) -> bool:
    return LocalBroker.at(port).running()
