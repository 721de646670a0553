"""Real worker processes on loopback, for a broker of ``streams.localbroker``.

Shared by the benchmarks, the soak run and the integration tests, so all of
them exercise the product exactly as a user runs it: ``kafkactl`` for the
broker (:class:`streams.localbroker.LocalBroker`), ``python -m streams worker``
for workers, ``/metrics`` for counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from streams.localbroker import free_port
from streams.settings import Settings, Topics


def unique_settings(broker: str, partitions: int = 2, **extra: object) -> Settings:
    """Settings with topic names and app id of their own, so runs don't collide."""
    tag = uuid.uuid4().hex[:8]
    topics = Topics(
        articles=f"t{tag}.articles", enriched=f"t{tag}.enriched", dead_letters=f"t{tag}.dlq",
        stance_events=f"t{tag}.stance", alerts=f"t{tag}.alerts", rekeyed=f"t{tag}.rekeyed",
    )
    return Settings(broker=broker, app_id=f"streams-test-{tag}", partitions=partitions,
                    topics=topics, **extra)  # type: ignore[arg-type]


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment a worker process needs to see these settings."""
    env = {
        "STREAMS_BROKER": settings.broker or "",
        "STREAMS_APP_ID": settings.app_id,
        "STREAMS_PARTITIONS": str(settings.partitions),
        "STREAMS_DATA_DIR": settings.data_dir,
        "STREAMS_WEB_PORT": str(settings.web_port),
        "STREAMS_STORE": settings.store,
        "STREAMS_MAX_MESSAGE_BYTES": str(settings.max_message_bytes),
        "STREAMS_ANALYSIS_TIMEOUT_S": str(settings.analysis_timeout_s),
        "STREAMS_LOG_LEVEL": "info",
    }
    for name, value in settings.topics.model_dump().items():
        env[f"STREAMS_TOPIC_{name.upper()}"] = value
    return env


@dataclass
class Worker:
    """A ``streams worker`` subprocess with its own data dir and web port."""

    settings: Settings
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.workdir / f"worker-{self.settings.web_port}.log"

    def start(self) -> Worker:
        env = dict(os.environ, **settings_env(self.settings))
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams", "worker"], env=env,
                                         stdout=log, stderr=subprocess.STDOUT)
        return self

    def metrics(self) -> str:
        url = f"http://127.0.0.1:{self.settings.web_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())

    def counter(self, name: str, **labels: str) -> float:
        """Sum of a metric's samples matching the labels (0 when absent)."""
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith("#") or line.split("{")[0].split(" ")[0] != name:
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            try:
                self.metrics()
                return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"worker not ready in {timeout}s:\n{self.log()}")

    def rss_kib(self, peak: bool = False) -> int:
        """Resident set size (or its peak) of the worker and its child processes, in KiB.

        A worker analyses in a child process (``streams.agents.analysis``), so
        the worker's footprint is the sum over the process tree; for peaks this
        is an upper bound (the processes need not peak at the same moment).
        """
        assert self.proc is not None
        key = "VmHWM:" if peak else "VmRSS:"
        total = 0
        for pid in process_tree(self.proc.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # exited meanwhile
                continue
            total += next((int(line.split()[1]) for line in status.splitlines()
                           if line.startswith(key)), 0)
        return total

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from ``/proc/<pid>/task/<tid>/children``."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                queue.extend(int(c) for c in children.read_text().split())
            except OSError:
                continue
    return found


def new_worker(settings: Settings, workdir: Path) -> Worker:
    """A worker with a free web port and a data dir of its own under ``workdir``."""
    port = free_port()
    data = workdir / f"data-{port}"
    data.mkdir(parents=True, exist_ok=True)
    return Worker(settings.model_copy(update={"web_port": port, "data_dir": str(data)}), workdir)
