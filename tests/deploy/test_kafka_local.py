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
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.localbroker import LocalBroker

pytestmark = pytest.mark.integration


def run(broker: LocalBroker, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``kafkactl ARGS`` for ``broker``, everything it prints captured."""
    # cwd is deliberately not the repo: kafkactl must work from anywhere.
    assert broker.data_dir is not None
    return broker.ctl(*args, check=False, capture_stderr=True, timeout=timeout,
                      cwd=broker.data_dir.parent)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("java is not installed")
    b = LocalBroker(tmp_path / "kafka-data")  # free ports
    try:
        yield b
    finally:
        run(b, "stop", timeout=60)
        leftover = b.pid  # stop removes the pid file; if it did not, never leave our broker behind
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


def test_kafkactl_lifecycle_and_round_trip(broker: LocalBroker) -> None:
    started = run(broker, "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == broker.address
    pid = broker.pid
    assert pid is not None

    status = run(broker, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"pid {pid}" in status.stdout

    again = run(broker, "start")  # idempotent: same broker, no second process
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == broker.address
    assert broker.pid == pid

    created = run(broker, "create-topic", "kafkactl-test-topic", "2", timeout=120)
    assert created.returncode == 0, created.stderr

    payload = f"hello-{uuid.uuid4().hex}".encode()
    assert asyncio.run(_round_trip(broker.address, "kafkactl-test-topic", payload)) == payload

    stopped = run(broker, "stop", timeout=60)
    assert stopped.returncode == 0, stopped.stderr
    assert broker.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

    after = run(broker, "status")
    assert after.returncode != 0
