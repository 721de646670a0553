"""A deadline for a graceful stop: SIGTERM stops a worker at any moment.

Faust stops gracefully: it waits until every message in flight is acknowledged, flushes
the producer and commits offsets.  With the broker unreachable none of that can finish
(the flush waits for acknowledgements that never come), and after some consumer errors
mode's worker does not even begin to stop; a stop asked for by an operator or an
orchestrator would hang until a SIGKILL.  So the signal itself arms a daemon thread: if
the process is still alive when the deadline passes, it logs why and exits with status 1.
Nothing is lost: offsets are only committed after their outputs were acknowledged, so
whatever was in flight is processed again after a restart (the analysis child dies with
its parent, see ``agents.analysis``).

:class:`StreamsWorker` wraps the SIGTERM and SIGINT handlers of mode's worker (mode
0.0.1, as pinned by faust-streaming 0.15.3); :func:`changed_functions` fences the
handlers it wraps like the other compatibility modules.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import faust
from mode.worker import Worker as ModeWorker

log = logging.getLogger(__name__)

#: Exit status of a stop that had to be cut short.
FORCED_EXIT_STATUS = 1

#: sha256 (first 16 hex digits) of the mode functions this module relies on.
AUDITED = {
    "Worker._install_signal_handlers_unix": "6a1810b3485970e8",
    "Worker._on_sigterm": "6b99528ef557db1d",
    "Worker._on_sigint": "25334ac514b211b2",
}

_armed = threading.Lock()


def _fingerprint(func: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()[:16]


def changed_functions() -> list[str]:
    """Names of relied-on mode functions whose installed source differs from the audited one."""
    return [name for name, digest in AUDITED.items()
            if _fingerprint(getattr(ModeWorker, name.split(".")[1])) != digest]


def _expire(seconds: float) -> None:
    log.error("graceful stop did not finish within %.0fs (is the broker reachable?); exiting "
              "now. Input not yet committed will be processed again after a restart.", seconds)
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stderr.flush()
    os._exit(FORCED_EXIT_STATUS)


def arm_stop_deadline(seconds: float) -> bool:
    """Start the deadline (once per process); whether this call armed it."""
    if not _armed.acquire(blocking=False):
        return False
    timer = threading.Timer(seconds, _expire, args=(seconds,))
    timer.daemon = True
    timer.start()
    return True


class StreamsWorker(faust.Worker):
    """Faust's worker, whose stop signals also arm the stop deadline."""

    def __init__(self, app: faust.App, *args: Any, stop_deadline_s: float, **kwargs: Any) -> None:
        changed = changed_functions()
        if changed:
            raise RuntimeError(f"streams.agents.stopping was audited against mode 0.0.1, but "
                               f"{', '.join(changed)} differ: re-check the signal handling")
        super().__init__(app, *args, **kwargs)
        self.stop_deadline_s = stop_deadline_s

    def install_signal_handlers(self) -> None:
        super().install_signal_handlers()
        if sys.platform == "win32":
            return
        for signum, handler in ((signal.SIGTERM, self._on_sigterm), (signal.SIGINT, self._on_sigint)):
            self.loop.add_signal_handler(signum, self._arming(handler))

    def _arming(self, handler: Callable[[], None]) -> Callable[[], None]:
        def on_signal() -> None:
            if arm_stop_deadline(self.stop_deadline_s):
                log.info("stopping; exiting anyway in %.0fs if the stop cannot finish",
                         self.stop_deadline_s)
            handler()
        return on_signal
