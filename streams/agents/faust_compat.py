"""Compatibility patches for faust-streaming 0.15.3 that at-least-once delivery needs.

Installed once per process by :func:`install` (called from ``create_app``).  Each patch
replaces one Faust function whose source we audited; :func:`install` refuses to run
(``RuntimeError``) when the installed Faust differs, so an upgrade forces a re-audit
instead of silently dropping or misapplying a patch.  The same fence (:data:`AUDITED`,
:func:`changed_functions`) covers the functions the patches rely on without replacing
them, in Faust and in aiokafka, and Faust's private current-event variable that
:func:`as_current` sets (the only access to it outside Faust).

Patches 1 and 2 fix the lost and the stuck partitions of the scale-out test; patch 3 is
defence in depth (the compiled stream iterator in use here does not have that bug); patch 4
is for throughput and changes no outcome.

1. Seek before resuming stream partitions after a rebalance.

   After every rebalance ``Recovery.on_recovery_completed`` (``_resume_streams`` when an
   app has no tables) runs, in this order::

       consumer.resume_partitions(stream partitions)  # the fetcher starts delivering
       await consumer.perform_seek()                  # one committed() round trip per tp
       app.flow_control.resume()                      # CLEARS every agent's buffer

   The consumer flow is already active at that point (recovery resumed it for the
   changelogs), so records fetched between the first and the last step are delivered into
   the agents' buffers and then thrown away.  ``perform_seek`` does not bring them back:
   aiokafka seeks partition after partition, and a partition whose records were fetched
   after its own seek keeps a fetch position past them.  Consequences, both seen in the
   scale-out test with the survivor (or a joining worker) taking over a partition:

   * the next records of that partition are processed and acked behind a hole.  If Faust
     then infers a "gap" from the offset jump, ``Consumer._add_gap`` marks the hole (and
     the record that revealed it) as done and ``Consumer._new_offset`` lets a commit skip
     a hole at the head of the acked offsets when it is one offset long: the group's
     committed offset moves to the end, the lost records never come out;
   * otherwise the acked offsets start above the committed one and Faust never commits
     that partition again (and drops the re-fetched records of a later seek as already
     read): the partition looks taken over but stays behind until the next rebalance.

   The patched versions seek while the stream partitions are still paused, clear the
   buffers, and only then resume the partitions, so the first record delivered for a
   partition is the one at its committed offset (patch 2 makes sure nothing is fetched
   for them while they are paused).

2. Never fetch records of paused partitions.

   Faust pauses partitions only in its own bookkeeping (``Consumer._active_partitions``)
   and hands that live set to aiokafka's ``Fetcher.fetched_records``, which waits up to a
   second for data and treats an *empty* set as "every assigned partition".  When a
   rebalance pauses everything while such a fetch is pending, aiokafka returns (and moves
   the fetch positions past) records of paused partitions, and ``Consumer.getmany`` drops
   them because their partitions are not active.  Seen in the scale-out test during the
   recovery seek: a partition already seeked lost 22 records that way.  The patched
   ``_fetch_records`` passes a view of the same live set that is never empty for
   aiokafka, so a pending fetch returns nothing rather than everything.

   Relied on, and fenced with the patched function: Faust's ``Consumer._wait_next_records``
   passes ``Consumer._get_active_partitions()`` (the live set; ``None`` for a client-only
   app) through ``AIOKafkaConsumerThread.getmany`` to ``_fetch_records``; aiokafka's
   ``Fetcher.fetched_records`` reads its ``partitions`` argument only with ``bool()`` (empty
   means every partition) and ``in``, which is all the view answers truthfully for.

3. Never mark an offset from an earlier consumer generation as committable.

   A message fetched before a rebalance is skipped by the stream when it comes out of the
   buffer afterwards.  The compiled stream iterator (``faust._cython.streams``, the one in
   use when the extension is importable) skips such a message without acknowledging it;
   the pure-Python iterator (``Stream._py_aiter``, used when the extension is missing or
   ``NO_CYTHON`` is set) acknowledges it, which lets the consumer commit past a message
   nobody processed (faust-streaming issues #216/#221, PR #223).  ``Consumer.ack`` now
   marks such a message as done (so shutdown and rebalances do not wait for it) without
   recording its offset; the new generation seeks to the committed offset and delivers it
   again.  Messages without a generation (not from the Kafka consumer) are unaffected.

4. Deliver a fetched message without four tasks when delivery does not block.

   The fetch loop (``Consumer._drain_messages``) hands every message over with
   ``await self.wait_first(callback(message), self.suspend_flow.wait())``, and
   ``Service.wait_first`` makes a task of each argument plus the stopped and crashed
   events, waits for the first, and cancels the rest: four tasks per message, most of the
   risk agent's per-event cost.  Delivery puts the event in a queue with room and returns
   without suspending almost always, so ``Consumer.wait_first`` now runs it to its first
   suspension directly; if it does suspend (a full queue), the original race takes over
   and finishes it as a task would, cancelling it if flow is suspended first.  Measured:
   5,000 → 7,100 stance events/s through one worker (``streams bench``).

Not a patch: :func:`as_current` makes an event Faust's *current event* (which picks a
table write's changelog partition) for a block of code.  Faust has no public setter; its
streams set the private context variable ``faust.streams._current_event`` to a weak
reference of each event, and ``faust.streams.current_event()`` reads it back.  Both of
those functions are fenced, checked on the first use of :func:`as_current` (and by
:func:`install`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiokafka
import faust
import faust.streams
from aiokafka.consumer.fetcher import Fetcher
from faust.streams import Stream
from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types.tuples import ack_lock
from mode.services import WaitResults
from mode.utils.futures import notify

#: sha256 (first 16 hex digits) of the source of every function replaced or relied on here,
#: as shipped in faust-streaming 0.15.3 and aiokafka 0.14.0.
AUDITED = {
    # replaced
    "Recovery.on_recovery_completed": "6ef567acf072e46d",
    "Recovery._resume_streams": "d986a6710c1aca98",
    "AIOKafkaConsumerThread._fetch_records": "39a2c6c79fc1455a",
    "Consumer.ack": "5fcf41cf45153475",
    "Consumer.wait_first": "feade6a31f8a6789",
    # relied on by patch 2: Faust hands its live active-partition set (None when client-only)
    # to _fetch_records; aiokafka tests that argument only with bool() (empty: every
    # partition) and ``in``
    "Consumer._wait_next_records": "6218e1969a636b3f",
    "Consumer._get_active_partitions": "b24897f3c7afdb5d",
    "AIOKafkaConsumerThread.getmany": "26fc5fc9f3b667e1",
    "aiokafka Fetcher.fetched_records": "be4348896b9b66af",
    # relied on by as_current: the current event is a weak reference in _current_event
    "faust.streams.current_event": "3b821f1a78d86a58",
    "Stream._set_current_event": "b9a41294b605ac08",
    # relied on by committed_offsets: Faust keeps each partition's committed offset (the next
    # to read) in Consumer._committed_offset, written on seek, commit and revocation
    "Consumer.perform_seek": "0e8c130ff4b0afd8",
    "Consumer._commit_offsets": "1a69799041188441",
    "Consumer.on_partitions_revoked": "d04b7ae72c6fc206",
}

#: The entries of :data:`AUDITED` that :func:`as_current` relies on.
CURRENT_EVENT = ("faust.streams.current_event", "Stream._set_current_event")

_installed = False


def _fingerprint(func: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()[:16]


def _relied_on() -> dict[str, Callable[..., Any]]:
    """The audited functions that are not replaced, as installed now."""
    return {
        "Consumer._wait_next_records": Consumer._wait_next_records,
        "Consumer._get_active_partitions": Consumer._get_active_partitions,
        "AIOKafkaConsumerThread.getmany": AIOKafkaConsumerThread.getmany,
        "aiokafka Fetcher.fetched_records": Fetcher.fetched_records,
        "faust.streams.current_event": faust.streams.current_event,
        "Stream._set_current_event": Stream._set_current_event,
        "Consumer.perform_seek": Consumer.perform_seek,
        "Consumer._commit_offsets": Consumer._commit_offsets,
        "Consumer.on_partitions_revoked": Consumer.on_partitions_revoked,
    }


def changed_functions(names: tuple[str, ...] | None = None) -> list[str]:
    """Names of audited functions (all, or ``names``) whose installed source differs.

    A replaced function already patched by :func:`install` counts as unchanged.
    """
    installed = {name: getattr(owner, attr) for name, (owner, attr, patched) in _targets().items()
                 if getattr(owner, attr) is not patched}
    installed.update(_relied_on())
    return [name for name in (names or tuple(AUDITED))
            if name in installed and _fingerprint(installed[name]) != AUDITED[name]]


def _refuse(changed: list[str], what: str) -> RuntimeError:
    return RuntimeError(
        f"streams.agents.faust_compat was audited against faust-streaming 0.15.3 and aiokafka "
        f"0.14.0, but {', '.join(changed)} differ in the installed faust-streaming "
        f"{faust.__version__} / aiokafka {aiokafka.__version__}: re-check {what} (see the "
        f"module docstring) before running workers on it")


async def _seek_then_resume(recovery: Any, assignment: set[Any]) -> None:
    """Seek stream partitions to their committed offsets, clear buffers, then resume them."""
    app = recovery.app
    consumer = app.consumer
    if assignment:
        recovery.log.info("Seek stream partitions to committed offsets.")
        await recovery._wait(consumer.perform_seek(), timeout=app.conf.broker_request_timeout)
    recovery.completed.set()
    recovery.log.info("Resuming flow...")
    app.flow_control.resume()  # clears the agents' buffers: nothing fetched yet is lost
    consumer.resume_partitions({tp for tp in assignment if not recovery._is_changelog_tp(tp)})
    consumer.resume_flow()
    await app._fetcher.maybe_start()


async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
    """``Recovery.on_recovery_completed`` of 0.15.3, seeking before resuming (patch 1)."""
    consumer = self.app.consumer
    self.log.info("Restore complete!")
    await self.app.on_rebalance_complete.send()
    self._set_recovery_ended()
    callback_coros = [
        asyncio.ensure_future(
            table.on_recovery_completed(
                self.actives_for_table[table], self.standbys_for_table[table])
        )
        for table in self.tables.values()
    ]
    if callback_coros:
        await asyncio.wait(callback_coros)
    assignment = consumer.assignment()
    if self.app.consumer_generation_id != generation_id:
        self.log.warning(
            f"Recovery rebalancing again app id "
            f"{self.app.consumer_generation_id} param {generation_id}"
        )
        return
    await _seek_then_resume(self, assignment)
    self.tables.on_actives_ready()
    if not self.app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")


async def _resume_streams(self: Any, generation_id: int = 0) -> None:
    """``Recovery._resume_streams`` of 0.15.3 (apps without tables), seeking before resuming."""
    app = self.app
    await app.on_rebalance_complete.send()
    assignment = app.consumer.assignment()
    if app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    if not assignment:
        self.log.info("Resuming streams with empty assignment")
    await _seek_then_resume(self, assignment)
    self.tables.on_actives_ready()
    self.tables.on_standbys_ready()
    app.on_rebalance_end()
    self.log.info("Worker ready")


class _ActivePartitions:
    """A live view of Faust's active partitions that aiokafka never reads as "all" (patch 2)."""

    __slots__ = ("_live",)

    def __init__(self, live: Any) -> None:
        self._live = live

    def __contains__(self, tp: object) -> bool:
        return tp in self._live

    def __bool__(self) -> bool:
        return True  # empty means "none" here, not aiokafka's "every partition"

    def __iter__(self) -> Any:
        return iter(list(self._live))

    def __len__(self) -> int:
        return len(self._live)


_faust_fetch_records = AIOKafkaConsumerThread._fetch_records


async def _fetch_records(self: Any, consumer: Any, active_partitions: Any,
                         timeout: float | None = None, max_records: int | None = None) -> Any:
    """``AIOKafkaConsumerThread._fetch_records`` that never returns paused partitions' records."""
    if active_partitions is not None:  # None: client-only app, every partition
        active_partitions = _ActivePartitions(active_partitions)
    return await _faust_fetch_records(self, consumer, active_partitions,
                                      timeout=timeout, max_records=max_records)


_faust_ack = Consumer.ack


def ack(self: Any, message: Any) -> bool:
    """``Consumer.ack`` that never makes an earlier generation's offset committable (patch 3)."""
    generation = getattr(message, "generation_id", None)
    if generation is not None and generation != self.app.consumer_generation_id:
        with ack_lock:
            if not message.acked:
                message.acked = True
                self._unacked_messages.discard(message)
                notify(self._waiting_for_ack)
        return False
    return _faust_ack(self, message)


_service_wait_first = Consumer.wait_first


async def wait_first(self: Any, *coros: Any, timeout: Any = None) -> WaitResults:
    """``Consumer.wait_first`` that delivers a message without four tasks when nothing blocks (patch 4).

    The consumer's fetch loop races each message's delivery against ``suspend_flow``;
    ``Service.wait_first`` wraps both (and the stopped and crashed events) in tasks,
    which was a large share of the risk agent's per-event cost.  Delivery almost never
    blocks (it puts the event in a queue with room), so it is run up to its first
    suspension right here; only if it does suspend does the original race take over,
    finishing it as a task would.  Same result, same exceptions.
    """
    if (len(coros) == 2 and timeout is None and inspect.iscoroutine(coros[0])
            and not self._stopped.is_set() and not self._crashed.is_set()):
        delivery, other = coros
        try:
            yielded = delivery.send(None)
        except StopIteration as done:
            _close(other)
            return WaitResults([delivery], [done.value], False)
        except BaseException:
            _close(other)
            raise
        return await _service_wait_first(self, _resume(delivery, yielded), other)
    return await _service_wait_first(self, *coros, timeout=timeout)


def _close(waitable: Any) -> None:
    if inspect.iscoroutine(waitable):
        waitable.close()  # never started: nothing to clean up


async def _resume(coro: Any, yielded: Any) -> Any:
    """Finish a coroutine that already ran to its first suspension, as ``asyncio.Task`` would."""
    while True:
        try:
            if yielded is None:  # a bare yield (``asyncio.sleep(0)``)
                await asyncio.sleep(0)
            else:
                yielded._asyncio_future_blocking = False
                await asyncio.wait([yielded])
        except asyncio.CancelledError:
            if yielded is not None:
                yielded.cancel()
            try:
                coro.throw(asyncio.CancelledError())
            except BaseException:
                pass
            else:
                coro.close()
            raise
        try:
            yielded = coro.send(None)
        except StopIteration as done:
            return done.value


@functools.cache
def _current_event_var() -> ContextVar[Any]:
    """Faust's current-event variable, once its readers and writers are checked (cached)."""
    changed = changed_functions(CURRENT_EVENT)
    var = getattr(faust.streams, "_current_event", None)
    if isinstance(var, ContextVar) and not changed:
        return var
    if not isinstance(var, ContextVar):
        changed.append("faust.streams._current_event (no longer a ContextVar)")
    raise _refuse(changed, "streams.agents.faust_compat.as_current")


@contextmanager
def as_current(event: Any) -> Iterator[None]:
    """Make ``event`` Faust's current event for the duration of a block (a table write).

    Faust offers no public way to do this; its stream sets this same context variable,
    to a weak reference, for each event it yields.  Raises ``RuntimeError`` when the
    installed Faust no longer reads or writes it as audited.
    """
    var = _current_event_var()
    token = var.set(weakref.ref(event))
    try:
        yield
    finally:
        var.reset(token)


_COMMITTED_OFFSETS_RELIES_ON = (
    "Consumer.perform_seek", "Consumer._commit_offsets", "Consumer.on_partitions_revoked")


def committed_offsets(consumer: Any) -> Mapping[Any, int | None]:
    """Faust's committed offset (the next to read) per partition, without a round trip.

    Faust has no public accessor; the functions that maintain the mapping are fenced.
    """
    changed = changed_functions(_COMMITTED_OFFSETS_RELIES_ON)
    if changed:
        raise _refuse(changed, "committed_offsets")
    offsets: Mapping[Any, int | None] = consumer._committed_offset
    return offsets


def install() -> None:
    """Apply the patches (idempotent); raise if Faust or aiokafka is not the audited version."""
    global _installed
    if _installed:
        return
    changed = changed_functions()
    if changed:
        raise _refuse(changed, "the patches")
    for owner, attr, patched in _targets().values():
        setattr(owner, attr, patched)
    _installed = True


def _targets() -> dict[str, tuple[type, str, Callable[..., Any]]]:
    return {
        "Recovery.on_recovery_completed": (Recovery, "on_recovery_completed", on_recovery_completed),
        "Recovery._resume_streams": (Recovery, "_resume_streams", _resume_streams),
        "AIOKafkaConsumerThread._fetch_records": (
            AIOKafkaConsumerThread, "_fetch_records", _fetch_records),
        "Consumer.ack": (Consumer, "ack", ack),
        "Consumer.wait_first": (Consumer, "wait_first", wait_first),
    }


#: Faust's own versions, as imported (for tests and for comparison).
ORIGINAL = {name: getattr(owner, attr) for name, (owner, attr, _) in _targets().items()}
