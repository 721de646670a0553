"""`streams produce` accounts for every line: delivered, or reported and exit status 1.

The unit tests drive :func:`streams.kafka_io.produce_lines` with a scripted
producer and the CLI with a scripted ``produce_lines``.  The integration tests
run the real CLI as a subprocess against a broker of their own (started and
stopped with ``deploy/kafka/kafkactl`` on free loopback ports; the session
broker is not touched), stop that broker in the middle of the run, and count
what reached the topic once it is back.  Every wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaTimeoutError,
    LeaderNotAvailableError,
    MessageSizeTooLargeError,
)

from streams import cli, kafka_io
from streams.agents.logs import RateLimitFilter
from streams.cli import produce as cli_produce
from streams.harness import free_port
from streams.kafka_io import (
    REPORTED_FAILURES,
    ProduceResult,
    ProducerUnavailable,
    consume,
    ensure_topics,
    produce_lines,
    request_timeout_for,
    start_producer,
)
from streams.localbroker import KAFKACTL
from streams.settings import Settings

# --- a scripted producer -------------------------------------------------------------

#: (value, attempt number from 1) -> exception to fail the delivery with, or None.
Script = Callable[[bytes, int], BaseException | None]


class FakeProducer:
    """Resolves each send's future shortly after, as the script says; counts what is pending."""

    def __init__(self, script: Script, *, raise_in_send: bool = False, delay: float = 0.005) -> None:
        self.script = script
        self.raise_in_send = raise_in_send
        self.delay = delay
        self.attempts: dict[bytes, int] = {}
        self.sent: list[tuple[bytes | None, bytes]] = []
        self.pending = 0
        self.max_pending = 0
        self.stopped = False

    async def send(self, topic: str, value: bytes, key: bytes | None = None) -> asyncio.Future[Any]:
        n = self.attempts[value] = self.attempts.get(value, 0) + 1
        self.sent.append((key, value))
        error = self.script(value, n)
        if error is not None and self.raise_in_send:
            raise error
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.pending += 1
        self.max_pending = max(self.max_pending, self.pending)

        def resolve() -> None:
            self.pending -= 1
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

        loop.call_later(self.delay, resolve)
        return future

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeProducer]:
    def install(script: Script, **options: Any) -> FakeProducer:
        producer = FakeProducer(script, **options)

        async def start(settings: Settings, topic: str, *, delivery_timeout: float) -> FakeProducer:
            return producer

        monkeypatch.setattr(kafka_io, "start_producer", start)
        return producer

    return install


def lines(n: int) -> list[bytes]:
    return [json.dumps({"id": f"a-{i}", "body": "x"}).encode() + b"\n" for i in range(n)]


def run(data: list[bytes], **options: Any) -> ProduceResult:
    return asyncio.run(produce_lines(Settings(broker="127.0.0.1:1"), data, "t", **options))


def test_every_line_delivered_keyed_blank_lines_skipped(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: None)
    data = [*lines(3), b"\n", b"   \r\n", b"not json\n"]
    result = run(data)
    assert (result.delivered, result.failed, result.skipped_blank, result.retried) == (4, 0, 2, 0)
    assert result.ok and result.attempted == 4 and result.failure_report() == []
    assert [k for k, _ in producer.sent] == [b"a-0", b"a-1", b"a-2", None]
    assert [v for _, v in producer.sent][-1] == b"not json"  # newline stripped
    assert producer.stopped


def test_retriable_failures_are_sent_again_until_delivered(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: KafkaConnectionError("down") if n <= 2 else None)
    result = run(lines(5), delivery_timeout=10)
    assert (result.delivered, result.failed, result.retried) == (5, 0, 10)
    assert set(producer.attempts.values()) == {3}


def test_a_failing_send_call_is_retried_too(fake: Callable[..., FakeProducer]) -> None:
    fake(lambda value, n: KafkaTimeoutError() if n == 1 else None, raise_in_send=True)
    result = run(lines(3), delivery_timeout=10)
    assert (result.delivered, result.failed, result.retried) == (3, 0, 3)


def test_retries_stop_at_the_line_deadline(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: LeaderNotAvailableError())
    started = time.monotonic()
    result = run(lines(50), delivery_timeout=0.6)
    elapsed = time.monotonic() - started
    assert (result.delivered, result.failed) == (0, 50)
    assert elapsed < 5, "every line settles soon after its deadline"
    assert all(n >= 2 for n in producer.attempts.values()), "retried before giving up"
    assert result.errors == {"LeaderNotAvailableError": 50}
    assert result.gave_up_at is not None and result.unsent == 0


def test_gives_up_once_a_line_misses_its_deadline(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: KafkaConnectionError("down"))
    data = lines(1000)
    data[-1] = b"\n"
    started = time.monotonic()
    result = run(data, rate=200, delivery_timeout=0.3)
    assert time.monotonic() - started < 3, "not 1000 lines x the timeout"
    assert (result.delivered, result.failed, result.skipped_blank) == (0, 999, 1)
    sent = len(producer.attempts)
    assert 0 < sent < 100 and result.gave_up_at is not None and result.gave_up_at <= sent
    assert result.first_unsent == sent + 1 and result.unsent == 999 - sent
    report = result.failure_report()
    assert report[-2] == (f"gave up at line {result.gave_up_at}: Kafka did not acknowledge it "
                          "within the delivery timeout")
    assert report[-1] == f"{result.unsent} lines from line {sent + 1} on were not sent"


def test_lines_failing_on_their_own_do_not_stop_the_run(fake: Callable[..., FakeProducer]) -> None:
    fake(lambda value, n: MessageSizeTooLargeError() if b"a-1" in value else None)
    result = run(lines(30), rate=500, delivery_timeout=0.2)
    assert (result.delivered, result.failed, result.unsent, result.gave_up_at) == (19, 11, 0, None)


def test_failure_report_is_bounded_and_names_the_first_lines() -> None:
    result = ProduceResult()
    for line in range(500, 0, -1):  # failures come in any order
        result.add_failure(line, KafkaTimeoutError("slow\n broker"))
    result.add_failure(1000, MessageSizeTooLargeError("too big"))
    report = result.failure_report()
    assert len(result.failures) == REPORTED_FAILURES
    assert [f.line for f in result.failures] == list(range(1, REPORTED_FAILURES + 1))
    assert report[0] == "line 1 not delivered: KafkaTimeoutError (slow broker)"
    assert report[-2] == f"... and {501 - REPORTED_FAILURES} more lines not delivered"
    assert report[-1] == ("501 lines sent but not delivered: KafkaTimeoutError x500, "
                          "MessageSizeTooLargeError x1")
    assert len(report) == REPORTED_FAILURES + 2


def test_non_retriable_failures_are_not_retried(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: MessageSizeTooLargeError() if b"a-1\"" in value else None)
    result = run(lines(3), delivery_timeout=10)
    assert (result.delivered, result.failed, result.retried) == (2, 1, 0)
    assert [(f.line, f.error) for f in result.failures] == [(2, "MessageSizeTooLargeError")]
    assert max(producer.attempts.values()) == 1


def test_in_flight_window_is_bounded(fake: Callable[..., FakeProducer]) -> None:
    producer = fake(lambda value, n: None, delay=0.05)
    result = run(lines(300), in_flight=25)
    assert result.delivered == 300
    assert 1 < producer.max_pending <= 25, "pipelined, but no more than the window"


def test_request_timeout_leaves_room_for_retries() -> None:
    assert request_timeout_for(30) == 10
    assert request_timeout_for(300) == 30
    assert request_timeout_for(0.5) == 1


def test_start_fails_clearly_within_the_timeout() -> None:
    settings = Settings(broker=f"127.0.0.1:{free_port()}")  # nothing listens there
    started = time.monotonic()
    with pytest.raises(ProducerUnavailable, match=r"could not reach Kafka at 127\.0\.0\.1:\d+ within 2s"):
        asyncio.run(start_producer(settings, "t", delivery_timeout=2))
    assert time.monotonic() - started < 6


# --- the CLI, with a scripted produce_lines -------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setenv("STREAMS_BROKER", "127.0.0.1:1")
    calls: dict[str, Any] = {}
    yield calls
    for name in ["aiokafka", *logging.root.manager.loggerDict]:  # undo _quiet_kafka_logs
        if name.split(".")[0] == "aiokafka":
            logger = logging.getLogger(name)
            for f in [f for f in logger.filters if isinstance(f, RateLimitFilter)]:
                logger.removeFilter(f)


def scripted(calls: dict[str, Any], result: ProduceResult | None) -> Any:
    async def produce(settings: Settings, data: Any, topic: str, **options: Any) -> ProduceResult:
        calls.update(options, topic=topic, lines=list(data))
        if result is None:
            raise ProducerUnavailable("could not reach Kafka at 127.0.0.1:1 within 30s (boom)")
        return result

    return produce


def test_cli_produce_reports_undelivered_lines_and_exits_1(
        cli_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    result = ProduceResult(delivered=3, skipped_blank=1)
    result.add_failure(2, KafkaTimeoutError())
    result.add_failure(5, LeaderNotAvailableError())
    monkeypatch.setattr(kafka_io, "produce_lines", scripted(cli_env, result))
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(lines(5)))
    code = cli.main(["produce", str(source), "--topic", "t1", "--rate", "50", "--delivery-timeout", "7"])
    err = capsys.readouterr().err
    assert code == 1
    assert cli_env["delivery_timeout"] == 7 and cli_env["rate"] == 50 and cli_env["topic"] == "t1"
    assert "line 2 not delivered: KafkaTimeoutError" in err
    assert "line 5 not delivered: LeaderNotAvailableError" in err
    assert "delivered 3 of 5 messages to t1 (2 not delivered); 1 blank lines skipped" in err
    sender = logging.getLogger("aiokafka.producer.sender")
    assert any(isinstance(f, RateLimitFilter) for f in sender.filters), "aiokafka logs are rate-limited"


def test_cli_produce_all_delivered_exits_0(cli_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(kafka_io, "produce_lines", scripted(cli_env, ProduceResult(delivered=5)))
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(lines(5)))
    assert cli.main(["produce", str(source)]) == 0
    assert cli_env["delivery_timeout"] == kafka_io.DELIVERY_TIMEOUT_S
    assert "delivered 5 of 5 messages to" in capsys.readouterr().err


def test_cli_produce_unreachable_broker_exits_1(cli_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(kafka_io, "produce_lines", scripted(cli_env, None))
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(lines(2)))
    assert cli.main(["produce", str(source), "--topic", "t1"]) == 1
    assert "error: could not reach Kafka at 127.0.0.1:1 within 30s (boom); nothing delivered to t1" \
        in capsys.readouterr().err


def test_cli_backfill_reports_undelivered_events(cli_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    events = [SimpleNamespace(model_dump_json=lambda i=i: json.dumps({"dyad": "RUS|UKR", "n": i}))
              for i in range(4)]
    monkeypatch.setattr(cli_produce, "_load_coded", lambda args: (events, []))
    result = ProduceResult(delivered=3)
    result.add_failure(4, KafkaTimeoutError())
    monkeypatch.setattr(kafka_io, "produce_lines", scripted(cli_env, result))
    assert cli.main(["backfill", "icews", "x.tsv", "--delivery-timeout", "5"]) == 1
    err = capsys.readouterr().err
    assert cli_env["key_field"] == "dyad" and cli_env["delivery_timeout"] == 5
    assert len(cli_env["lines"]) == 4
    assert "event 4 not delivered: KafkaTimeoutError" in err
    assert "delivered 3 of 4 stance events to" in err


def test_cli_delivery_timeout_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["produce", "x.jsonl", "--delivery-timeout", "0"])
    assert exit_info.value.code == 2
    assert "positive number of seconds" in capsys.readouterr().err


# --- the real CLI against a broker that goes away ----------------------------------------------

LINES = 200
DELIVERED = re.compile(r"delivered (\d+) of (\d+) messages")
MAX_LOG_BYTES = 200_000


class OwnBroker:
    """A kafkactl broker on free loopback ports with its own data dir, to stop and start."""

    def __init__(self, data_dir: Path) -> None:
        port, controller = free_port(), free_port()
        while controller == port:
            controller = free_port()
        self.address = f"127.0.0.1:{port}"
        self.env = dict(os.environ, STREAMS_KAFKA_PORT=str(port),
                        STREAMS_KAFKA_CONTROLLER_PORT=str(controller),
                        STREAMS_KAFKA_DATA=str(data_dir), STREAMS_KAFKA_STOP_TIMEOUT="30")

    def _ctl(self, action: str) -> None:
        subprocess.run([str(KAFKACTL), action], env=self.env, check=True, timeout=150,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop")


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnBroker]:
    broker = OwnBroker(tmp_path_factory.mktemp("produce-delivery-kafka"))
    broker.start()
    try:
        yield broker
    finally:
        subprocess.run([str(KAFKACTL), "stop"], env=broker.env, timeout=150, check=False,
                       stdout=subprocess.DEVNULL)


def records_on(settings: Settings, topic: str) -> list[str]:
    """Ids of everything on the topic (read until 5 s of silence, at most 60 s)."""
    async def read() -> list[str]:
        out: list[str] = []

        async def loop() -> None:
            async for rec in consume(settings, [topic], idle_timeout=5):
                out.append(json.loads(rec.value or b"{}")["id"])

        await asyncio.wait_for(loop(), 60)
        return out

    return asyncio.run(read())


def produce_through_outage(broker: OwnBroker, tmp_path: Path, *, rate: float, delivery_timeout: float,
                           stop_after: float, down_for: float) -> dict[str, Any]:
    """Run `streams produce` on LINES lines, stop the broker after ``stop_after`` s for ``down_for`` s."""
    settings = Settings(broker=broker.address, partitions=2)
    topic = f"produce-delivery-{tmp_path.name[-24:]}-{time.time_ns()}"
    asyncio.run(ensure_topics(settings, [topic]))
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(lines(LINES)))
    stderr_path = tmp_path / "produce.stderr"
    env = dict(os.environ, STREAMS_BROKER=broker.address)
    started, wall_started = time.monotonic(), time.time()
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams", "produce", str(source), "--topic", topic,
             "--rate", str(rate), "--delivery-timeout", str(delivery_timeout)],
            env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            time.sleep(stop_after)
            broker.stop()
            stopped_at = time.monotonic() - started
            time.sleep(down_for)
            broker.start()
            back_at = time.monotonic() - started
            code = proc.wait(timeout=LINES / rate + 3 * delivery_timeout + 60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
    ended_at = stderr_path.stat().st_mtime - wall_started  # its last words: the summary
    err = stderr_path.read_text(errors="replace")
    match = DELIVERED.search(err)
    assert match, err[-3000:]
    ids = records_on(settings, topic)
    return {"code": code, "delivered": int(match[1]), "attempted": int(match[2]), "ids": ids,
            "log_bytes": stderr_path.stat().st_size, "err": err, "ended_at": ended_at,
            "stopped_at": stopped_at, "back_at": back_at}


def figures(run: dict[str, Any]) -> str:
    return (f"exit {run['code']}, delivered {run['delivered']} of {run['attempted']}, "
            f"{len(run['ids'])} on the topic, stderr {run['log_bytes']} bytes, run {run['ended_at']:.1f}s "
            f"(broker stopped at {run['stopped_at']:.1f}s, back at {run['back_at']:.1f}s)")


@pytest.mark.integration
@pytest.mark.slow
def test_outage_longer_than_the_delivery_timeout_fails_honestly(own_broker: OwnBroker,
                                                                 tmp_path: Path) -> None:
    timeout = 8.0
    out = produce_through_outage(own_broker, tmp_path, rate=5, delivery_timeout=timeout,
                                 stop_after=6, down_for=12)
    print(figures(out))
    assert out["code"] == 1, figures(out)
    assert out["attempted"] == LINES
    assert 0 < out["delivered"] < LINES, figures(out)
    assert len(out["ids"]) == out["delivered"], "the printed count is what reached the topic"
    assert len(set(out["ids"])) == len(out["ids"]), "no line written twice"
    assert "gave up at line" in out["err"] and "on were not sent" in out["err"]
    assert out["ended_at"] < out["stopped_at"] + 3 * timeout, "gave up, did not plod through the outage"
    assert out["log_bytes"] < MAX_LOG_BYTES, figures(out)


@pytest.mark.integration
def test_outage_shorter_than_the_delivery_timeout_delivers_everything(own_broker: OwnBroker,
                                                                       tmp_path: Path) -> None:
    out = produce_through_outage(own_broker, tmp_path, rate=10, delivery_timeout=90,
                                 stop_after=4, down_for=2)
    print(figures(out))
    assert out["code"] == 0, figures(out) + "\n" + out["err"][-3000:]
    assert out["delivered"] == out["attempted"] == LINES
    assert sorted(out["ids"]) == sorted(f"a-{i}" for i in range(LINES))
    assert out["log_bytes"] < MAX_LOG_BYTES, figures(out)
