"""Publishing: transient failures are retried with back-off, permanent ones never are."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    CorruptRecordException,
    InvalidTopicError,
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    LeaderNotAvailableError,
    MessageSizeTooLargeError,
    NodeNotReadyError,
    NotEnoughReplicasError,
    NotLeaderForPartitionError,
    RecordListTooLargeError,
    RecordTooLargeError,
    RequestTimedOutError,
    TopicAuthorizationFailedError,
)
from faust.exceptions import ProducerSendError

from streams.agents.metrics import REGISTRY
from streams.agents.publishing import PublishRejected, is_retriable, send_reliably

#: The delays between tries: 0.5 s doubling, capped at 10 s.
BACKOFF = [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def rejected(output: str) -> float:
    return REGISTRY.get_sample_value("streams_publish_rejected_total", {"output": output}) or 0.0


def retries() -> float:
    return REGISTRY.get_sample_value("streams_publish_retries_total") or 0.0


def raised_from(outer: BaseException, cause: BaseException) -> BaseException:
    """``outer`` as ``raise outer from cause`` leaves it."""
    try:
        raise outer from cause
    except BaseException as exc:
        return exc


def raised_while_handling(outer: BaseException, context: BaseException) -> BaseException:
    """``outer`` raised inside ``except`` for ``context`` (implicit chaining)."""
    try:
        try:
            raise context
        except BaseException:
            raise outer  # noqa: B904 - the implicit chain is the point
    except BaseException as exc:
        return exc


# --- is_retriable ---------------------------------------------------------------------

PERMANENT: list[BaseException] = [
    MessageSizeTooLargeError(),
    RecordTooLargeError(),
    RecordListTooLargeError(),
    CorruptRecordException(),
    InvalidTopicError(),
    TopicAuthorizationFailedError(),
    ClusterAuthorizationFailedError(),
    KafkaError("unknown broker error"),
    UnicodeEncodeError("utf-8", "\udc80", 0, 1, "surrogates not allowed"),
    ValueError("value must be bytes"),
    TypeError("key must be bytes"),
    OverflowError("timestamp out of range"),
    raised_from(ProducerSendError("send failed"), MessageSizeTooLargeError()),
    raised_from(ProducerSendError("send failed"), TopicAuthorizationFailedError()),
    raised_while_handling(ProducerSendError("send failed"), RecordTooLargeError()),
    raised_from(RuntimeError("wrapped"), raised_from(ProducerSendError("x"), ValueError("y"))),
]

TRANSIENT: list[BaseException] = [
    KafkaConnectionError(),
    NotLeaderForPartitionError(),
    LeaderNotAvailableError(),
    NotEnoughReplicasError(),
    NodeNotReadyError(),
    RequestTimedOutError(),
    KafkaTimeoutError(),
    RuntimeError("producer not started yet"),
    ConnectionResetError(),
    OSError("network is unreachable"),
    ProducerSendError("send failed"),
    raised_from(ProducerSendError("send failed"), KafkaConnectionError()),
    raised_from(ProducerSendError("send failed"), KafkaTimeoutError()),
    raised_from(ProducerSendError("send failed"), NotLeaderForPartitionError()),
]


@pytest.mark.parametrize("error", PERMANENT, ids=repr)
def test_errors_that_cannot_go_away_are_not_retriable(error: BaseException) -> None:
    assert is_retriable(error) is False


@pytest.mark.parametrize("error", TRANSIENT, ids=repr)
def test_broker_trouble_and_unknown_errors_are_retriable(error: BaseException) -> None:
    assert is_retriable(error) is True


def test_kafka_timeout_is_retriable_although_aiokafka_does_not_say_so() -> None:
    assert KafkaTimeoutError.retriable is False  # why it is special-cased
    assert is_retriable(KafkaTimeoutError())


def test_a_cyclic_cause_chain_is_walked_to_an_end() -> None:
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__cause__, second.__cause__ = second, first
    assert is_retriable(first) is True
    third = ProducerSendError("c")
    third.__cause__, first.__cause__ = first, MessageSizeTooLargeError()
    assert is_retriable(third) is False


# --- send_reliably ----------------------------------------------------------------------

class Step:
    """A send that fails with the given errors in turn, then succeeds."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


def recorder() -> tuple[list[float], Callable[[float], Awaitable[None]]]:
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    return delays, sleep


def test_success_on_the_first_try_neither_sleeps_nor_counts() -> None:
    step, (delays, sleep) = Step(), recorder()
    before_retries, before_rejected = retries(), rejected("enriched")
    assert asyncio.run(send_reliably(step, "enriched", sleep=sleep)) is None
    assert step.calls == 1 and delays == []
    assert retries() == before_retries and rejected("enriched") == before_rejected


@pytest.mark.parametrize("error", PERMANENT, ids=repr)
def test_a_permanent_error_is_rejected_on_the_first_try(error: BaseException) -> None:
    step, (delays, sleep) = Step(error), recorder()
    before_retries, before_rejected = retries(), rejected("dead_letter")
    with pytest.raises(PublishRejected) as info:
        asyncio.run(send_reliably(step, "dead_letter", sleep=sleep))
    assert info.value.__cause__ is error
    assert type(error).__name__ in str(info.value)
    assert step.calls == 1 and delays == []
    assert rejected("dead_letter") == before_rejected + 1
    assert retries() == before_retries


def test_the_rejection_message_is_bounded() -> None:
    step, (_, sleep) = Step(MessageSizeTooLargeError("x" * 100_000)), recorder()
    with pytest.raises(PublishRejected) as info:
        asyncio.run(send_reliably(step, "stance_event", sleep=sleep))
    assert len(str(info.value)) <= 500


def test_transient_errors_are_retried_with_capped_backoff_until_success() -> None:
    errors = [TRANSIENT[i % len(TRANSIENT)] for i in range(len(BACKOFF))]
    step, (delays, sleep) = Step(*errors), recorder()
    before_retries, before_rejected = retries(), rejected("enriched")
    asyncio.run(send_reliably(step, "enriched", sleep=sleep))
    assert delays == BACKOFF
    assert step.calls == len(BACKOFF) + 1
    assert retries() == before_retries + len(BACKOFF)
    assert rejected("enriched") == before_rejected


def test_backoff_stays_at_ten_seconds() -> None:
    step, (delays, sleep) = Step(*[KafkaConnectionError()] * 12), recorder()
    asyncio.run(send_reliably(step, "enriched", sleep=sleep))
    assert delays == BACKOFF + [10.0] * 5


def test_a_permanent_error_after_retries_is_rejected_at_once() -> None:
    step = Step(KafkaConnectionError(), RequestTimedOutError(), MessageSizeTooLargeError())
    delays, sleep = recorder()
    before_retries, before_rejected = retries(), rejected("enriched")
    with pytest.raises(PublishRejected):
        asyncio.run(send_reliably(step, "enriched", sleep=sleep))
    assert delays == [0.5, 1.0] and step.calls == 3
    assert retries() == before_retries + 2
    assert rejected("enriched") == before_rejected + 1


def test_cancellation_passes_straight_through() -> None:
    step, (delays, sleep) = Step(asyncio.CancelledError()), recorder()
    before_retries, before_rejected = retries(), rejected("enriched")
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(send_reliably(step, "enriched", sleep=sleep))
    assert step.calls == 1 and delays == []
    assert retries() == before_retries and rejected("enriched") == before_rejected


def test_cancellation_during_the_backoff_is_not_swallowed() -> None:
    async def cancelled_sleep(delay: float) -> None:
        raise asyncio.CancelledError

    step = Step(KafkaConnectionError(), KafkaConnectionError())
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(send_reliably(step, "enriched", sleep=cancelled_sleep))
    assert step.calls == 1


def test_a_task_cancelled_while_sending_stops_retrying() -> None:
    async def main() -> int:
        calls = 0

        async def hangs() -> None:
            nonlocal calls
            calls += 1
            await asyncio.sleep(3600)

        task = asyncio.create_task(send_reliably(hangs, "enriched"))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return calls

    assert asyncio.run(main()) == 1


def test_a_send_not_acknowledged_is_awaited_not_repeated_and_shows_as_retries() -> None:
    """The broker is away: the same send is awaited (no second copy), each period counts."""
    calls = 0

    async def step() -> None:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.35)

    before = retries()
    asyncio.run(send_reliably(step, "enriched", report_every_s=0.1))
    assert calls == 1
    assert retries() - before == 3


def test_producer_comes_only_from_the_configured_header() -> None:
    from streams.agents.enrich import producer_of

    headers = [(b"x-producer", b"User:crawler-eu"), (b"other", b"x"), (b"\xff", None)]
    assert producer_of(headers, "x-producer") == "User:crawler-eu"
    assert producer_of(headers, "") is None  # not configured: nothing recorded
    assert producer_of(headers, "missing") is None
    assert producer_of([(b"p", b"a"), (b"p", b"b")], "p") == "b"  # the last one wins
    assert producer_of([(b"p", b"  ")], "p") is None
    assert producer_of([(b"p", b"y" * 1000)], "p") == "y" * 256
