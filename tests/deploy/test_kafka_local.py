"""Integration test for deploy/kafka/kafkactl: a real single-node KRaft broker on loopback.

Runs the broker on free non-default ports with its own data dir under tmp_path; the jar
cache ($STREAMS_KAFKA_HOME, default ~/.cache/streams-kafka) is shared, so only the first
run on a machine needs Maven Central.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
KAFKACTL = REPO / "deploy" / "kafka" / "kafkactl"
LOOPBACK = "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _free_port_pair() -> tuple[int, int]:
    port = _free_port()
    controller = _free_port()
    while controller == port:
        controller = _free_port()
    return port, controller


class Broker:
    def __init__(self, env: dict[str, str], data: Path, port: int) -> None:
        self.env = env
        self.data = data
        self.port = port
        self.bootstrap = f"{LOOPBACK}:{port}"

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        # cwd is deliberately not the repo: kafkactl must work from anywhere.
        return subprocess.run(
            [str(KAFKACTL), *args],
            env=self.env,
            cwd=self.data.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def pid(self) -> int | None:
        try:
            return int((self.data / "kafka.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("java is not installed")
    port, controller = _free_port_pair()
    data = tmp_path / "kafka-data"
    env = dict(os.environ)
    env.update(
        STREAMS_KAFKA_PORT=str(port),
        STREAMS_KAFKA_CONTROLLER_PORT=str(controller),
        STREAMS_KAFKA_DATA=str(data),
    )
    b = Broker(env, data, port)
    try:
        yield b
    finally:
        b.run("stop", timeout=60)
        leftover = b.pid()  # stop removes the pid file; if it did not, never leave our broker behind
        if leftover is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(leftover, signal.SIGKILL)


async def _round_trip(bootstrap: str, topic: str, payload: bytes) -> bytes:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, payload, key=b"k")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        msg = await asyncio.wait_for(consumer.getone(), timeout=60)
        await consumer.commit()
        return bytes(msg.value)
    finally:
        await consumer.stop()


def test_kafkactl_lifecycle_and_round_trip(broker: Broker) -> None:
    started = broker.run("start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == broker.bootstrap
    pid = broker.pid()
    assert pid is not None

    status = broker.run("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"pid {pid}" in status.stdout

    again = broker.run("start")  # idempotent: same broker, no second process
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == broker.bootstrap
    assert broker.pid() == pid

    created = broker.run("create-topic", "kafkactl-test-topic", "2", timeout=120)
    assert created.returncode == 0, created.stderr

    payload = f"hello-{uuid.uuid4().hex}".encode()
    assert asyncio.run(_round_trip(broker.bootstrap, "kafkactl-test-topic", payload)) == payload

    stopped = broker.run("stop", timeout=60)
    assert stopped.returncode == 0, stopped.stderr
    assert broker.pid() is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

    after = broker.run("status")
    assert after.returncode != 0
