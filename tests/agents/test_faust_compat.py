"""The faust-streaming compatibility patches (``streams.agents.faust_compat``), unit level.

No broker: a Faust app object is only built, never started.  The hand-over they protect is
exercised end to end by ``tests/scaleout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import aiokafka
import faust
import faust.streams
import pytest
from aiokafka.consumer.fetcher import Fetcher, FetchResult
from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types import TP
from faust.types.tuples import ConsumerMessage
from mode.utils.logging import CompositeLogger

from streams.agents import faust_compat

TOPIC = "compat-articles"


@pytest.fixture(autouse=True)
def patched() -> Iterator[None]:
    faust_compat.install()
    yield


def test_install_is_idempotent_and_replaces_the_audited_functions() -> None:
    faust_compat.install()
    assert Recovery.on_recovery_completed is faust_compat.on_recovery_completed
    assert Recovery._resume_streams is faust_compat._resume_streams
    assert AIOKafkaConsumerThread._fetch_records is faust_compat._fetch_records
    assert Consumer.ack is faust_compat.ack
    assert Consumer.wait_first is faust_compat.wait_first


def test_install_refuses_an_unaudited_faust(monkeypatch: pytest.MonkeyPatch) -> None:
    async def changed_upstream(self: Any, generation_id: int = 0) -> None: ...

    monkeypatch.setattr(faust_compat, "_installed", False)
    monkeypatch.setattr(Recovery, "on_recovery_completed", changed_upstream)
    with pytest.raises(RuntimeError, match=r"Recovery\.on_recovery_completed"):
        faust_compat.install()


def test_the_audited_faust_and_aiokafka_are_installed() -> None:
    """Every replaced or relied-on function matches its audited source (replaced ones: before patching)."""
    assert (faust.__version__, aiokafka.__version__) == ("0.15.3", "0.14.0")
    assert faust_compat.changed_functions() == []
    for name, original in faust_compat.ORIGINAL.items():
        assert faust_compat._fingerprint(original) == faust_compat.AUDITED[name], name


async def _changed_upstream(*args: Any, **kwargs: Any) -> Any: ...


@pytest.mark.parametrize(("owner", "attr", "name"), [
    (Fetcher, "fetched_records", "aiokafka Fetcher.fetched_records"),
    (AIOKafkaConsumerThread, "getmany", "AIOKafkaConsumerThread.getmany"),
    (Consumer, "_wait_next_records", "Consumer._wait_next_records"),
    (Consumer, "_get_active_partitions", "Consumer._get_active_partitions"),
])
def test_install_refuses_when_a_function_patch_2_relies_on_changed(
        monkeypatch: pytest.MonkeyPatch, owner: type, attr: str, name: str) -> None:
    monkeypatch.setattr(faust_compat, "_installed", False)
    monkeypatch.setattr(owner, attr, _changed_upstream)
    assert faust_compat.changed_functions() == [name]
    with pytest.raises(RuntimeError, match=re.escape(name)):
        faust_compat.install()


# -- as_current: a table write on behalf of a chosen event --------------------------------

def test_as_current_makes_an_event_faust_current_event_for_the_block() -> None:
    class Event:  # anything weakly referenceable
        pass

    event, inner = Event(), Event()
    before = faust.streams.current_event()
    with faust_compat.as_current(event):
        assert faust.streams.current_event() is event
        with faust_compat.as_current(inner):
            assert faust.streams.current_event() is inner
        assert faust.streams.current_event() is event
    assert faust.streams.current_event() is before


def test_tables_use_the_fenced_as_current() -> None:
    from streams.agents import tables

    assert tables.as_current is faust_compat.as_current


@pytest.mark.parametrize(("owner", "attr", "name"), [
    (faust.streams, "current_event", "faust.streams.current_event"),
    (faust.streams.Stream, "_set_current_event", "Stream._set_current_event"),
])
def test_as_current_refuses_an_unaudited_faust(monkeypatch: pytest.MonkeyPatch, owner: Any, attr: str,
                                               name: str) -> None:
    def changed_upstream(*args: Any) -> Any: ...

    monkeypatch.setattr(owner, attr, changed_upstream)
    faust_compat._current_event_var.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=re.escape(name)), \
                faust_compat.as_current(SimpleNamespace()):
            pass
    finally:
        faust_compat._current_event_var.cache_clear()


def test_as_current_refuses_when_the_current_event_is_no_context_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faust.streams, "_current_event", None)
    faust_compat._current_event_var.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="ContextVar"), faust_compat.as_current(SimpleNamespace()):
            pass
    finally:
        faust_compat._current_event_var.cache_clear()


# -- patch 1: after a rebalance, seek stream partitions before resuming them --------------

def _recovery_stub(calls: list[Any]) -> Any:
    """Just enough of ``Recovery`` (and its app and consumer) to record the hand-over order."""

    async def perform_seek() -> None:
        calls.append("seek")

    async def noop(*args: Any, **kwargs: Any) -> None:
        return None

    async def wait(coro: Any, timeout: float | None = None) -> None:
        await coro

    stream_tp, changelog_tp = TP(TOPIC, 0), TP("compat-seen-changelog", 0)
    consumer = SimpleNamespace(
        assignment=lambda: {stream_tp, changelog_tp},
        perform_seek=perform_seek,
        resume_partitions=lambda tps: calls.append(("resume", sorted(tp.topic for tp in tps))),
        resume_flow=lambda: calls.append("resume_flow"),
    )
    app = SimpleNamespace(
        consumer=consumer, consumer_generation_id=3,
        on_rebalance_complete=SimpleNamespace(send=noop),
        flow_control=SimpleNamespace(resume=lambda: calls.append("clear_buffers")),
        conf=SimpleNamespace(broker_request_timeout=1.0),
        _fetcher=SimpleNamespace(maybe_start=noop),
        assignor=SimpleNamespace(assigned_standbys=set),
        on_rebalance_end=lambda: calls.append("rebalance_end"),
    )
    return SimpleNamespace(
        app=app, log=CompositeLogger(logging.getLogger("compat-test")), tables=SimpleNamespace(
            values=list, on_actives_ready=lambda: None, on_standbys_ready=lambda: None),
        actives_for_table={}, standbys_for_table={}, completed=asyncio.Event(),
        _set_recovery_ended=lambda: None, _wait=wait,
        _is_changelog_tp=lambda tp: tp.topic.endswith("-changelog"),
    )


def _order(step: Callable[..., Any]) -> list[Any]:
    calls: list[Any] = []
    asyncio.run(step(_recovery_stub(calls), 3))
    return calls


@pytest.mark.parametrize("name", ["Recovery.on_recovery_completed", "Recovery._resume_streams"])
def test_rebalance_seeks_and_clears_buffers_before_resuming_stream_partitions(name: str) -> None:
    patched = {"Recovery.on_recovery_completed": faust_compat.on_recovery_completed,
               "Recovery._resume_streams": faust_compat._resume_streams}[name]
    assert _order(patched) == [
        "seek", "clear_buffers", ("resume", [TOPIC]), "resume_flow", "rebalance_end"]
    # Faust's own order: the partitions deliver records while the seek is under way, and
    # the buffer clear that follows throws them away (what the patch exists for).
    original = _order(faust_compat.ORIGINAL[name])
    assert original.index(("resume", [TOPIC])) < original.index("seek") < original.index("clear_buffers")


def test_no_resume_when_a_new_rebalance_started() -> None:
    calls: list[Any] = []
    recovery = _recovery_stub(calls)
    asyncio.run(faust_compat.on_recovery_completed(recovery, generation_id=2))  # app is at 3
    assert calls == []


# -- patch 2: a pending fetch never returns records of paused partitions ------------------

def _fetch(fetch_records: Callable[..., Any], active: set[TP], pause_all_while_waiting: bool) -> list[TP]:
    """Run ``_fetch_records`` against a fetcher that drains like aiokafka's ``fetched_records``."""
    buffered = [TP(TOPIC, 0), TP(TOPIC, 1)]

    class Fetcher:
        _closed = False
        _subscriptions = SimpleNamespace(fetch_context=contextlib.nullcontext)

        async def fetched_records(self, partitions: Any, timeout: float = 0,
                                  max_records: int | None = None) -> dict[TP, list[Any]]:
            if pause_all_while_waiting:
                active.clear()  # a rebalance pauses everything while the fetch waits
            # aiokafka: ``if partitions and tp not in partitions: continue``
            return {tp: ["record"] for tp in buffered if not (partitions and tp not in partitions)}

    thread = SimpleNamespace(consumer=SimpleNamespace(flow_active=True))
    aiokafka_consumer = SimpleNamespace(_closed=False, _fetcher=Fetcher())
    records = asyncio.run(fetch_records(thread, aiokafka_consumer, active, timeout=1.0, max_records=10))
    return sorted(records)


def _aiokafka_fetch(partitions: Any) -> list[TP]:
    """aiokafka's own ``Fetcher.fetched_records`` over two buffered partitions, on stubs."""
    class Records:  # what FetchResult iterates: records, and the offset after the last one
        def __init__(self) -> None:
            self.next_fetch_offset = 0
            self._left = ["record"]

        def __iter__(self) -> Iterator[str]:
            return self

        def __next__(self) -> str:
            if not self._left:
                raise StopIteration
            self.next_fetch_offset += 1
            return self._left.pop()

    state = SimpleNamespace(paused=False, position=0, consumed_to=lambda offset: None)
    assignment = SimpleNamespace(active=True, state_value=lambda tp: state)
    fetcher = SimpleNamespace(
        _subscriptions=SimpleNamespace(reassignment_in_progress=False, is_assigned=lambda tp: True),
        _records={tp: FetchResult(tp, assignment=assignment, partition_records=Records(), backoff=0)
                  for tp in (TP(TOPIC, 0), TP(TOPIC, 1))},
        _notify=lambda future: None, _wait_consume_future=None,
    )
    return sorted(asyncio.run(Fetcher.fetched_records(fetcher, partitions, timeout=0)))


def test_aiokafka_reads_an_empty_set_as_every_partition_and_the_view_as_none() -> None:
    """What patch 2 relies on in aiokafka itself (fenced by fingerprint; checked here by behaviour)."""
    assert _aiokafka_fetch(set()) == [TP(TOPIC, 0), TP(TOPIC, 1)]
    assert _aiokafka_fetch(faust_compat._ActivePartitions(set())) == []
    assert _aiokafka_fetch(faust_compat._ActivePartitions({TP(TOPIC, 1)})) == [TP(TOPIC, 1)]


def test_fetch_never_returns_records_of_partitions_paused_while_it_waits() -> None:
    assert _fetch(faust_compat._fetch_records, {TP(TOPIC, 0)}, pause_all_while_waiting=True) == []
    # Still a live view: what is active when the records are drained is what comes back.
    assert _fetch(faust_compat._fetch_records, {TP(TOPIC, 1)}, pause_all_while_waiting=False) == [
        TP(TOPIC, 1)]
    # Faust's own: the emptied set reads as "every partition" (records dropped by getmany).
    original = faust_compat.ORIGINAL["AIOKafkaConsumerThread._fetch_records"]
    assert _fetch(original, {TP(TOPIC, 0)}, pause_all_while_waiting=True) == [TP(TOPIC, 0), TP(TOPIC, 1)]


# -- patch 3: a message fetched in an earlier consumer generation is never acked ----------

def _stream_run(iterator: str) -> tuple[list[int], Any, Any, Any]:
    """Feed a stale (generation 1) then a current (generation 2) event through a stream."""

    async def run() -> tuple[list[int], Any, Any, Any]:
        app = faust.App("compat-test", broker="kafka://127.0.0.1:1", store="memory://")
        consumer = app.consumer  # built, never started
        app.topics._acking_topics.add(TOPIC)
        app.consumer_generation_id = 2
        app.flow_control.resume()
        stream = app.stream(app.channel())
        tp = TP(TOPIC, 0)

        def event(offset: int, generation: int) -> Any:
            message = ConsumerMessage(TOPIC, 0, offset, 0.0, 0, [], b"k", b"v", None, 1, 1, tp,
                                      generation_id=generation)
            return app.create_event(b"k", b"v", [], message)

        stale, current = event(10, 1), event(11, 2)
        await stream.channel.queue.put(stale)
        await stream.channel.queue.put(current)
        it = stream._py_aiter() if iterator == "python" else stream._c_aiter()
        yielded: list[int] = []
        try:
            async for _ in it:
                yielded.append(stream.current_event.message.offset)
                break
        finally:
            await it.aclose()
        return yielded, consumer, stale.message, tp

    return asyncio.run(asyncio.wait_for(run(), 10))


@pytest.mark.parametrize("iterator", ["compiled", "python"])
def test_stale_generation_event_is_skipped_and_not_acked(iterator: str) -> None:
    if iterator == "compiled" and faust.streams._CStreamIterator is None:
        pytest.skip("faust's compiled stream iterator is not available here")
    yielded, consumer, stale, tp = _stream_run(iterator)
    assert yielded == [11]  # the stale event never reaches the agent
    # Only the current event's offset may be committed: the stale one is delivered again
    # after the new generation seeks to the committed offset.
    assert list(consumer._acked[tp]) == [11]
    assert stale not in consumer.unacked  # nothing for shutdown or a rebalance to wait for


def test_python_iterator_acks_stale_events_without_the_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The faust bug patch 3 covers (faust-streaming #221/#223): why it exists."""
    monkeypatch.setattr(Consumer, "ack", faust_compat.ORIGINAL["Consumer.ack"])
    _, consumer, _, tp = _stream_run("python")
    assert sorted(consumer._acked[tp]) == [10, 11]


# -- patch 4: a delivery that does not block runs without tasks --------------------------

def _consumer_stub() -> Any:
    """What ``Consumer.wait_first`` reads: the service's stopped and crashed events."""
    from mode.utils.locks import Event

    return SimpleNamespace(_stopped=Event(), _crashed=Event(), loop=asyncio.get_running_loop())


def test_delivery_that_does_not_block_returns_at_once_without_a_task() -> None:
    async def run() -> tuple[Any, int]:
        consumer = _consumer_stub()
        tasks_before = len(asyncio.all_tasks())
        seen: list[int] = []

        async def deliver() -> str:
            seen.append(len(asyncio.all_tasks()) - tasks_before)
            return "delivered"

        async def suspended() -> None:  # stands for ``suspend_flow.wait()``
            raise AssertionError("never started")

        results = await faust_compat.wait_first(consumer, deliver(), suspended())
        return results, seen[0]

    with warnings_as_errors():
        results, extra_tasks = asyncio.run(run())
    assert results.results == ["delivered"] and not results.stopped
    assert extra_tasks == 0


def test_delivery_that_blocks_is_finished_and_its_result_returned() -> None:
    async def run() -> Any:
        consumer = _consumer_stub()
        room: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.05, room.set_result, None)
        suspend = asyncio.Event()

        async def deliver() -> str:
            await asyncio.sleep(0)  # a bare yield first
            await room  # then a queue with no room, for a while
            return "delivered late"

        return await faust_compat.wait_first(consumer, deliver(), suspend.wait())

    assert asyncio.run(run()).results == ["delivered late"]


def test_a_blocked_delivery_is_cancelled_when_flow_is_suspended() -> None:
    """As with the original: the race is lost, the delivery sees CancelledError and cleans up."""
    cleaned: list[str] = []

    async def run() -> Any:
        consumer = _consumer_stub()
        never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        suspend = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, suspend.set)

        async def deliver() -> str:
            try:
                await never
            except asyncio.CancelledError:
                cleaned.append("cancelled")
                raise
            return "unreachable"

        results = await faust_compat.wait_first(consumer, deliver(), suspend.wait())
        await asyncio.sleep(0.01)  # let the cancelled delivery finish
        return results, never.cancelled()

    results, future_cancelled = asyncio.run(run())
    assert results.results == [True]  # the suspend event won
    assert cleaned == ["cancelled"] and future_cancelled


def test_delivery_errors_propagate() -> None:
    async def run() -> None:
        async def deliver() -> None:
            raise ValueError("bad message")

        async def suspended() -> None: ...

        await faust_compat.wait_first(_consumer_stub(), deliver(), suspended())

    with pytest.raises(ValueError, match="bad message"), warnings_as_errors():
        asyncio.run(run())


def test_stopped_consumer_takes_the_original_path() -> None:
    async def run() -> Any:
        consumer = _consumer_stub()
        consumer._stopped.set()

        async def deliver() -> str:
            return "delivered"

        return await faust_compat.wait_first(consumer, deliver(), asyncio.Event().wait())

    assert asyncio.run(run()).stopped


@contextlib.contextmanager
def warnings_as_errors() -> Iterator[None]:
    """A coroutine that is never awaited warns; here that is a failure."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def test_committed_offsets_reads_faust_s_mapping_and_refuses_a_changed_faust(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Stub:
        _committed_offset = {"tp": 5}

    assert faust_compat.committed_offsets(Stub()) == {"tp": 5}
    monkeypatch.setitem(faust_compat.AUDITED, "Consumer._commit_offsets", "0" * 16)
    with pytest.raises(RuntimeError, match="committed_offsets"):
        faust_compat.committed_offsets(Stub())
