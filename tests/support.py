"""Helpers for integration tests: a real worker process on a real broker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import free_port

from streams.kafka_io import Record, consume, ensure_topics, produce_lines
from streams.settings import Settings, Topics


def unique_settings(broker: str, partitions: int = 2, **extra: object) -> Settings:
    """Settings with topic names and app id of their own, so tests don't collide."""
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
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams", "worker"], env=env,
            stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return self

    def metrics(self) -> str:
        url = f"http://127.0.0.1:{self.settings.web_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())

    def counter(self, name: str, **labels: str) -> float:
        """Sum of a counter's samples matching the labels (0 when absent)."""
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
                if line.split("{")[0].split(" ")[0] == name:
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


def new_worker(settings: Settings, workdir: Path) -> Worker:
    port = free_port()
    data = workdir / f"data-{port}"
    data.mkdir(parents=True, exist_ok=True)
    return Worker(settings.model_copy(update={"web_port": port, "data_dir": str(data)}), workdir)


def create_topics(settings: Settings) -> None:
    asyncio.run(ensure_topics(settings))


def produce(settings: Settings, lines: Iterable[bytes], topic: str | None = None) -> int:
    return asyncio.run(produce_lines(settings, lines, topic or settings.topics.articles))


def collect(settings: Settings, topics: list[str], expected: int, timeout: float = 120.0,
            idle: float = 20.0) -> list[Record]:
    """Consume from the beginning until ``expected`` records or time runs out."""
    async def run() -> list[Record]:
        out: list[Record] = []

        async def loop() -> None:
            async for rec in consume(settings, topics, idle_timeout=idle):
                out.append(rec)
                if len(out) >= expected:
                    return

        try:
            await asyncio.wait_for(loop(), timeout)
        except TimeoutError:
            pass
        return out

    return asyncio.run(run())
