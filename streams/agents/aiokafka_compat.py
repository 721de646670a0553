"""Compatibility patch for aiokafka 0.14: no fetched record can stop a partition.

Installed once per process by :func:`install` (called from ``create_app``), fenced like
``faust_compat``: :func:`install` refuses to run (``RuntimeError``) when the functions it
replaces or relies on differ from the audited aiokafka 0.14.0 sources.

The problem.  aiokafka turns fetched bytes into records lazily, inside
``PartitionRecords._unpack_records``.  Any error raised there (a header *name* that is not
UTF-8: the compiled record reader decodes it strictly; a codec whose library is missing; a
corrupt batch) escapes ``Consumer.getmany`` and stops the consumer.  Faust then stops the
worker, and every restart fetches the same record and stops again: a crash loop in which
nothing behind that record is ever processed.  Kafka's broker does not validate header
names, so any producer can write such a record.

The patch.  ``_unpack_records`` runs aiokafka's own (fast, compiled) reader first.  Only
when it raises does the patched version read the same fetched bytes again, batch by batch,
with aiokafka's pure-Python batch reader in a tolerant mode:

* header names that are not UTF-8 are decoded with ``surrogateescape``, so the record is
  delivered and ``name.encode("utf-8", "surrogateescape")`` gives back its exact bytes;
* a batch (or the rest of one) that cannot be read at all is skipped: its offsets are
  reported as an :class:`UnreadableRecords` (see :func:`drain_unreadable`), counted in
  ``streams_unreadable_records_total`` and logged once per batch, and fetching goes on
  behind it.

Records already delivered from the batch before the failure are not delivered again
(aiokafka's ``next_fetch_offset`` bookkeeping is kept exactly as the original keeps it).
Read-committed consumers are left alone (the tolerant path does not filter aborted
transactions); the worker reads uncommitted.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiokafka
from aiokafka.consumer.fetcher import READ_COMMITTED, PartitionRecords
from aiokafka.consumer.fetcher import MemoryRecords as _CompiledMemoryRecords
from aiokafka.record.default_records import _DefaultRecordBatchPy
from aiokafka.record.legacy_records import LegacyRecordBatch

log = logging.getLogger(__name__)

#: sha256 (first 16 hex digits) of the source of every aiokafka function replaced or
#: relied on here, as shipped in aiokafka 0.14.0.
AUDITED = {
    # replaced
    "PartitionRecords._unpack_records": "b803e6d46480732c",
    # relied on: decodes header names with ``bytes.decode`` on a slice of ``_buffer``,
    # reads varints with ``buffer[pos]``; ``__iter__`` decompresses into ``_buffer``
    "_DefaultRecordBatchPy._read_msg": "0997ab7a58505c93",
    "_DefaultRecordBatchPy._maybe_uncompress": "c9d0dc2bed50cc86",
    "PartitionRecords._consumer_record": "e668541600b047ab",
}

#: Length (int32) follows the base offset (int64); magic sits after the epoch/CRC (int32).
_LENGTH_AT = 8
_LOG_OVERHEAD = 12
_MAGIC_AT = 16

_installed = False


@dataclass(frozen=True, slots=True)
class UnreadableRecords:
    """Offsets of one partition skipped because not even their raw bytes could be read."""

    topic: str
    partition: int
    first_offset: int
    last_offset: int
    error: str

    @property
    def count(self) -> int:
        return self.last_offset - self.first_offset + 1


_unreadable: deque[UnreadableRecords] = deque(maxlen=10_000)
_unreadable_lock = threading.Lock()
_listeners: list[Callable[[UnreadableRecords], None]] = []


def on_unreadable(listener: Callable[[UnreadableRecords], None]) -> None:
    """Call ``listener`` (e.g. a metric) for every skip, as it happens."""
    _listeners.append(listener)


def drain_unreadable() -> list[UnreadableRecords]:
    """The skips reported since the last call, oldest first."""
    with _unreadable_lock:
        out = list(_unreadable)
        _unreadable.clear()
    return out


def _report(skip: UnreadableRecords) -> None:
    log.error("skipped unreadable records %s[%d] offsets %d..%d: %s", skip.topic, skip.partition,
              skip.first_offset, skip.last_offset, skip.error)
    with _unreadable_lock:
        _unreadable.append(skip)
    for listener in _listeners:
        listener(skip)


class _RawKeepingRecords(_CompiledMemoryRecords):  # type: ignore[misc]
    """aiokafka's compiled ``MemoryRecords`` that also keeps the fetched bytes for a re-read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.fetched_bytes = data


class _TolerantBytes(bytes):
    """A slice whose ``decode`` keeps undecodable bytes as surrogates instead of raising."""

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return bytes.decode(self, encoding, "surrogateescape")


class _TolerantBuffer(bytearray):
    def __getitem__(self, index: Any) -> Any:
        item = bytearray.__getitem__(self, index)
        return _TolerantBytes(item) if isinstance(index, slice) else item


class _TolerantBatch(_DefaultRecordBatchPy):  # type: ignore[misc]
    """aiokafka's pure-Python v2 batch reader, delivering non-UTF-8 header names."""

    def _maybe_uncompress(self) -> None:
        super()._maybe_uncompress()
        buffer: bytearray = self._buffer  # type: ignore[has-type]
        if not isinstance(buffer, _TolerantBuffer):
            self._buffer = _TolerantBuffer(buffer)


def _batches(data: bytes) -> Iterator[bytes]:
    """The record batches of a fetch response, as byte slices (a trailing partial one dropped)."""
    pos = 0
    while len(data) - pos >= _LOG_OVERHEAD:
        (length,) = struct.unpack_from(">i", data, pos + _LENGTH_AT)
        end = pos + _LOG_OVERHEAD + length
        if length < 0 or end > len(data):
            return
        yield data[pos:end]
        pos = end


def _salvage(records: Any, data: bytes) -> Iterator[Any]:
    """Read ``data`` again, tolerantly; skip and report only what cannot be read at all."""
    tp = records._tp
    for raw in _batches(data):
        try:
            batch: Any = _TolerantBatch(raw) if raw[_MAGIC_AT] >= 2 else LegacyRecordBatch(
                raw, raw[_MAGIC_AT])
            first, end = batch.base_offset, batch.next_offset
        except Exception as exc:  # not even the batch header: nothing to deliver or skip by
            log.error("unreadable batch header in %s: %r", tp, exc)
            return
        if end <= records.next_fetch_offset:
            continue  # delivered before the compiled reader failed
        if raw[_MAGIC_AT] >= 2 and batch.is_control_batch:
            records.next_fetch_offset = end
            continue
        try:
            if records._check_crcs and not batch.validate_crc():
                raise ValueError("invalid CRC")
            for record in batch:
                if record.offset < records.next_fetch_offset:
                    continue
                consumer_record = records._consumer_record(tp, record)
                records.next_fetch_offset = record.offset + 1
                yield consumer_record
        except Exception as exc:
            start = max(first, records.next_fetch_offset)
            _report(UnreadableRecords(tp.topic, tp.partition, start, end - 1,
                                      f"{type(exc).__name__}: {exc}"[:500]))
        records.next_fetch_offset = end


_ORIGINAL_UNPACK = PartitionRecords._unpack_records


def _unpack_records(self: Any) -> Iterator[Any]:
    """aiokafka's reader; on any error, the tolerant re-read of the same bytes."""
    data = getattr(self._records, "fetched_bytes", None)
    try:
        yield from _ORIGINAL_UNPACK(self)
        return
    except Exception as exc:
        if data is None or self._isolation_level == READ_COMMITTED:
            raise
        log.warning("re-reading a fetched batch of %s tolerantly after %s", self._tp,
                    type(exc).__name__)
    yield from _salvage(self, data)


def _fingerprint(func: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()[:16]


def _audited_functions() -> dict[str, Callable[..., Any]]:
    return {
        "PartitionRecords._unpack_records": _ORIGINAL_UNPACK,
        "_DefaultRecordBatchPy._read_msg": _DefaultRecordBatchPy._read_msg,
        "_DefaultRecordBatchPy._maybe_uncompress": _DefaultRecordBatchPy._maybe_uncompress,
        "PartitionRecords._consumer_record": PartitionRecords._consumer_record,
    }


def changed_functions() -> list[str]:
    """Names of audited functions whose installed source differs from the audited one."""
    return [name for name, func in _audited_functions().items()
            if _fingerprint(func) != AUDITED[name]]


def install() -> None:
    """Apply the patch (idempotent); raise if aiokafka is not the audited version."""
    global _installed
    if _installed:
        return
    changed = changed_functions()
    if changed:
        raise RuntimeError(
            f"streams.agents.aiokafka_compat was audited against aiokafka 0.14.0, but "
            f"{', '.join(changed)} differ in the installed aiokafka {aiokafka.__version__}: "
            f"re-check the patch (see the module docstring) before running workers on it")
    import aiokafka.consumer.fetcher as fetcher

    fetcher.MemoryRecords = _RawKeepingRecords
    PartitionRecords._unpack_records = _unpack_records
    _installed = True
