"""The aiokafka fence: fetched bytes no client reader can stop a partition.

Record batches are built with aiokafka's own builder and then altered the way a
producer other than aiokafka (or a damaged one) can write them, with the batch CRC
recomputed so only the alteration is tested.  No broker needed.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import pytest
from aiokafka.consumer.fetcher import READ_UNCOMMITTED, PartitionRecords
from aiokafka.record.default_records import _DefaultRecordBatchBuilderPy, _DefaultRecordBatchPy
from aiokafka.record.util import calc_crc32c
from aiokafka.structs import TopicPartition
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.agents import aiokafka_compat

TP = TopicPartition("news.articles.v1", 3)
GZIP = 1


def batch(base: int, records: Iterable[tuple[bytes | None, bytes | None, list[tuple[str, bytes | None]]]],
          compression: int = 0) -> bytearray:
    builder = _DefaultRecordBatchBuilderPy(2, compression, 0, -1, -1, -1, 10_000_000)
    for i, (key, value, headers) in enumerate(records):
        builder.append(i, timestamp=1_700_000_000_000, key=key, value=value, headers=headers)
    data = builder.build()
    struct.pack_into(">q", data, 0, base)
    return data


def reseal(data: bytearray) -> bytearray:
    """Recompute the CRC after an alteration, as a producer writing those bytes would."""
    crc = calc_crc32c(bytes(data[_DefaultRecordBatchPy.ATTRIBUTES_OFFSET:]))
    struct.pack_into(">I", data, _DefaultRecordBatchPy.CRC_OFFSET, crc)
    return data


def with_header_name(data: bytearray, placeholder: bytes, name: bytes,
                     after: bytes | None = None) -> bytearray:
    """Overwrite the (unique) header name ``placeholder``, found right after ``after`` if given."""
    assert len(placeholder) == len(name)
    if after is None:
        assert data.count(placeholder) == 1
        at = data.index(placeholder)
    else:
        at = data.index(after) + len(after)
        assert data[at:at + len(name)] == placeholder
    data[at:at + len(name)] = name
    return reseal(data)


def read(data: bytes, fetch_offset: int = 0) -> list[object]:
    aiokafka_compat.install()
    from aiokafka.consumer import fetcher

    records = fetcher.MemoryRecords(bytes(data))
    partition = PartitionRecords(TP, records, [], fetch_offset, None, None, True, READ_UNCOMMITTED)
    return list(partition)


@pytest.fixture(autouse=True)
def _clean_reports() -> None:
    aiokafka_compat.drain_unreadable()


def test_the_audited_aiokafka_is_installed() -> None:
    assert aiokafka_compat.changed_functions() == []


def test_install_refuses_an_unaudited_aiokafka(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aiokafka_compat, "_installed", False)
    monkeypatch.setitem(aiokafka_compat.AUDITED, "_DefaultRecordBatchPy._read_msg", "0" * 16)
    with pytest.raises(RuntimeError, match="audited against aiokafka"):
        aiokafka_compat.install()


def test_the_compiled_reader_alone_raises_on_a_non_utf8_header_name() -> None:
    """Why the fence exists (fails if aiokafka ever reads such names itself)."""
    from aiokafka.record.memory_records import MemoryRecords

    data = with_header_name(batch(0, [(b"k", b"v", [("XX", b"1")])]), b"XX", b"\xff\xfe")
    partition = PartitionRecords(TP, MemoryRecords(bytes(data)), [], 0, None, None, True,
                                 READ_UNCOMMITTED)
    partition._unpack_records = aiokafka_compat._ORIGINAL_UNPACK.__get__(partition)
    partition._records_iterator = partition._unpack_records()
    with pytest.raises(UnicodeDecodeError):
        list(partition)


@settings(max_examples=60, deadline=None)
@given(name=st.binary(min_size=1, max_size=40), position=st.integers(0, 4),
       value=st.one_of(st.none(), st.binary(max_size=50)))
def test_any_header_name_bytes_are_delivered_exactly(name: bytes, position: int,
                                                      value: bytes | None) -> None:
    placeholder = b"\x01" * len(name)
    placeholder_name = placeholder.decode()
    rows: list[tuple[bytes | None, bytes | None, list[tuple[str, bytes | None]]]] = [
        (f"k{i}".encode(), f"v{i}".encode(), [("h", b"x")]) for i in range(5)]
    rows[position] = (b"odd", b"value", [(placeholder_name, value)])
    # value, then one header, then the name's zigzag varint length (names here are < 64 bytes)
    data = with_header_name(batch(100, rows), placeholder, name,
                            after=b"value\x02" + bytes([len(name) << 1]))
    out = read(data, fetch_offset=100)
    assert [m.offset for m in out] == [100, 101, 102, 103, 104]  # type: ignore[attr-defined]
    odd = out[position]
    ((got_name, got_value),) = odd.headers  # type: ignore[attr-defined]
    assert got_name.encode("utf-8", "surrogateescape") == name
    assert got_value == value
    assert (odd.key, odd.value) == (b"odd", b"value")  # type: ignore[attr-defined]
    assert aiokafka_compat.drain_unreadable() == []


def test_records_delivered_before_the_failure_are_not_delivered_again() -> None:
    first = batch(0, [(b"a", b"1", []), (b"b", b"2", [])])
    second = with_header_name(batch(2, [(b"c", b"3", []), (b"d", b"4", [("YY", None)]),
                                        (b"e", b"5", [])]), b"YY", b"\xc3\x28")
    out = read(first + second)
    assert [(m.offset, m.key) for m in out] == [  # type: ignore[attr-defined]
        (0, b"a"), (1, b"b"), (2, b"c"), (3, b"d"), (4, b"e")]


def test_an_unreadable_batch_is_skipped_reported_and_the_next_one_delivered() -> None:
    bad = batch(10, [(b"x", b"payload %d" % i * 20, []) for i in range(3)], compression=GZIP)
    middle = len(bad) - 10
    bad[middle:middle + 4] = b"\x00\xff\x00\xff"  # damaged compressed payload
    reseal(bad)
    good = batch(13, [(b"y", b"fine", [])])
    out = read(bytes(batch(9, [(b"w", b"first", [])]) + bad + good), fetch_offset=9)
    assert [(m.offset, m.value) for m in out] == [(9, b"first"), (13, b"fine")]  # type: ignore[attr-defined]
    (skip,) = aiokafka_compat.drain_unreadable()
    assert (skip.topic, skip.partition, skip.first_offset, skip.last_offset, skip.count) == (
        TP.topic, TP.partition, 10, 12, 3)
    assert skip.error


def test_a_batch_with_a_bad_crc_is_skipped_not_retried_forever() -> None:
    bad = batch(5, [(b"x", b"1", []), (b"x", b"2", [])])
    bad[-1] ^= 0xFF  # no reseal: the CRC no longer matches
    out = read(bytes(bad + batch(7, [(b"y", b"3", [])])), fetch_offset=5)
    assert [m.offset for m in out] == [7]  # type: ignore[attr-defined]
    (skip,) = aiokafka_compat.drain_unreadable()
    assert (skip.first_offset, skip.last_offset) == (5, 6)


def test_listeners_hear_every_skip() -> None:
    heard: list[aiokafka_compat.UnreadableRecords] = []
    aiokafka_compat.on_unreadable(heard.append)
    try:
        bad = batch(0, [(b"x", b"1", [])])
        bad[-1] ^= 0xFF
        read(bytes(bad))
    finally:
        aiokafka_compat._listeners.remove(heard.append)
    assert [(s.first_offset, s.last_offset) for s in heard] == [(0, 0)]
