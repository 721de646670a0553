"""Wire the worker's observability into a Faust app: sensor, lag, liveness, build info.

Why our own sensor instead of ``faust.sensors.prometheus``: that monitor
observes latencies in milliseconds under names without units
(``<app>_producer_send_latency``), names counters ``..._total_events`` (so
they export as ``..._total_events_total``), exports gauges of offsets under
names that say "messages received", prefixes every name with the app id
(which differs per deployment and per test, so no dashboard could rely on
it), resets its per-topic counters on every rebalance, registers its own
``/metrics`` route (ours already serves that path), and has no lag.  The few
signals it has that we want (messages in and out per topic, send latency
and errors, commit latency, rebalances, back-pressure) are small enough to
record here with proper names and base units; lag is ``streams.agents.lag``.
"""

from __future__ import annotations

import time
from typing import Any

import faust
from faust.types import TP

from streams import __version__
from streams.agents import metrics
from streams.agents.lag import install_lag_monitor
from streams.settings import Settings


class PrometheusSensor(faust.Sensor):
    """Kafka client signals from Faust's sensor hooks, in base units."""

    def on_message_in(self, tp: TP, offset: int, message: Any) -> None:
        metrics.MESSAGES_RECEIVED.labels(tp.topic).inc()

    def on_topic_buffer_full(self, tp: TP) -> None:
        metrics.BUFFER_FULL.inc()

    def on_send_initiated(self, producer: Any, topic: str, message: Any,
                          keysize: int, valsize: int) -> Any:
        return topic, time.monotonic()

    def on_send_completed(self, producer: Any, state: Any, metadata: Any) -> None:
        if state is not None:
            topic, started = state
            metrics.MESSAGES_SENT.labels(topic).inc()
            metrics.SEND_SECONDS.observe(time.monotonic() - started)

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        metrics.SEND_ERRORS.inc()

    def on_commit_initiated(self, consumer: Any) -> Any:
        return time.monotonic()

    def on_commit_completed(self, consumer: Any, state: Any) -> None:
        if state is not None:
            metrics.COMMIT_SECONDS.observe(time.monotonic() - state)

    def on_rebalance_start(self, app: Any) -> dict[str, Any]:
        metrics.REBALANCES.inc()
        return {"time_start": time.monotonic()}

    def on_rebalance_end(self, app: Any, state: dict[str, Any]) -> None:
        if state and "time_start" in state:
            metrics.REBALANCE_SECONDS.observe(time.monotonic() - state["time_start"])


def install_observability(app: faust.App, settings: Settings) -> None:
    """Sensor, lag monitor, ``streams_worker_up``, ``streams_build_info`` and top-K size."""
    from streams.nlp import ANALYZER_VERSION

    metrics.set_build_info(__version__, ANALYZER_VERSION)
    metrics.DYAD_RISK.top_k = settings.metrics_top_k
    app.sensors.add(PrometheusSensor())
    install_lag_monitor(app, settings.metrics_lag_interval_s)

    async def worker_started() -> None:
        # App tasks start once tables are recovered and agents are running.
        metrics.WORKER_UP.set(1)

    async def worker_stopping(sender: Any, *args: Any, signal: Any = None, **kwargs: Any) -> None:
        metrics.WORKER_UP.set(0)

    app.task(worker_started)
    # mode's ``Signal.connect`` stub accepts no handler under mypy (its
    # Optional[Union[Callable...]] parameter never matches), hence ``Any``.
    shutdown: Any = app.on_before_shutdown
    shutdown.connect(worker_stopping)
