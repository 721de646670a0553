"""What the commands that talk to Kafka share: the broker setting, quiet client logs, the
delivery timeout option and the delivery report."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from streams.settings import Settings
from streams.tools import broker_settings

if TYPE_CHECKING:
    from streams.kafka_io import ProduceResult

#: The fix to suggest when the broker cannot be reached.
_UNREACHABLE_HINT = "is the broker running? `streams broker status`; or fix STREAMS_BROKER"


def _settings_with_broker() -> Settings:
    """The settings; :class:`ConfigError` when no broker is configured (shared with the tools)."""
    return broker_settings()


def _quiet_kafka_logs() -> None:
    """During an outage aiokafka logs every reconnect attempt: keep one per message per 10 s."""
    import streams.kafka_io  # noqa: F401 - creates aiokafka's loggers, so the filter reaches them
    from streams.agents.logs import quiet_kafka_client_logs

    quiet_kafka_client_logs()


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _delivery_timeout(args: argparse.Namespace) -> float:
    from streams.kafka_io import DELIVERY_TIMEOUT_S

    timeout: float | None = getattr(args, "delivery_timeout", None)
    return DELIVERY_TIMEOUT_S if timeout is None else timeout


def _report_delivery(result: ProduceResult, what: str, topic: str, unit: str = "line") -> int:
    """Print the undelivered lines (bounded) and "delivered N of M"; the exit status."""
    for line in result.failure_report(unit):
        print(line, file=sys.stderr)
    summary = f"delivered {result.delivered} of {result.attempted} {what} to {topic}"
    if result.failed:
        summary += f" ({result.failed} not delivered)"
    if result.skipped_blank:
        summary += f"; {result.skipped_blank} blank lines skipped"
    if result.retried:
        summary += f"; {result.retried} sends repeated after retriable errors"
    print(summary, file=sys.stderr)
    return 0 if result.ok else 1
