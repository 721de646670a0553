"""Publishing with at-least-once retries that can never wedge a worker.

A send that fails because the broker is away, moving leaders or slow is retried with
back-off (0.5 s doubling to 10 s between tries) until it succeeds: giving up would lose
the message, because Faust acknowledges a batch once the agent moves past it.  A send the
producer or broker refuses *for good* (record too large, invalid record, not authorised,
a value the client cannot encode) is never retried: retrying it forever stopped every
partition of a worker (the agents share a lock) while its metrics looked healthy.  Such a
send raises :class:`PublishRejected` at once, and the caller turns the message into
a dead letter that says so.

A send the broker simply does not acknowledge (it is away) is awaited, not sent again:
the producer keeps it and delivers it when the broker is back.  Each 10 s of such waiting
counts as a retry, so a stuck broker shows within seconds.  Both kinds show in
``/metrics`` (``streams_publish_retries_total``, ``streams_publish_rejected_total``) and in
the alert rules.  Cancellation (SIGTERM,
rebalance) always passes straight through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.errors import KafkaError, KafkaTimeoutError

from streams.agents.metrics import PUBLISH_REJECTED, PUBLISH_RETRIES
from streams.errors import BrokerError

log = logging.getLogger(__name__)

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 10.0
#: A send still not acknowledged after this long shows as a retry (and again every period).
STALL_REPORT_S = 10.0


class PublishRejected(BrokerError):
    """The producer or broker refused a record for good; retrying cannot help."""


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def is_retriable(error: BaseException) -> bool:
    """Whether trying the same send again can succeed.

    Kafka's own errors say so (``retriable``); a delivery that timed out is broker
    trouble and retriable.  Errors of the client refusing the record itself (a value
    or header it cannot encode) are not; anything else is assumed transient.
    """
    for cause in _causes(error):
        if isinstance(cause, KafkaTimeoutError):
            return True
        if isinstance(cause, KafkaError):
            return bool(cause.retriable)
        if isinstance(cause, ValueError | TypeError | UnicodeError | OverflowError):
            return False
    return True


async def _awaited(step: Callable[[], Awaitable[Any]], what: str, report_every_s: float) -> None:
    """Await ``step``; every ``report_every_s`` it keeps waiting counts as a retry and is logged.

    A send the broker does not acknowledge is not sent again while it waits (the producer
    still holds it and delivers it when the broker is back, so re-sending would repeat it);
    the wait only shows, in ``streams_publish_retries_total`` and the log.
    """
    task = asyncio.ensure_future(step())
    waited = 0.0
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=report_every_s)
            if done:
                task.result()
                return
            waited += report_every_s
            PUBLISH_RETRIES.inc()
            log.warning("publishing failed (%s: not acknowledged for %.0fs); still waiting for "
                        "the broker", what, waited)
    finally:
        if not task.done():  # cancelled (shutdown): do not leave the send behind
            task.cancel()


async def send_reliably(step: Callable[[], Awaitable[Any]], what: str,
                        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                        report_every_s: float = STALL_REPORT_S) -> None:
    """Run ``step`` until it succeeds; raise :class:`PublishRejected` if it never can."""
    delay = FIRST_DELAY_S
    while True:
        try:
            await _awaited(step, what, report_every_s)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not is_retriable(exc):
                PUBLISH_REJECTED.labels(what).inc()
                log.error("publishing %s was refused for good: %r", what, exc)
                raise PublishRejected(f"{type(exc).__name__}: {exc}"[:500]) from exc
            PUBLISH_RETRIES.inc()
            log.warning("publishing failed (%s: %r); retrying in %.1fs", what, exc, delay)
            await sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
