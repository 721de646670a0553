"""Fuzz at the real defaults: no record stops the worker, every record is accounted for.

Seeded records across every dimension a producer controls: the key (null, empty, any
bytes, 20 kB), header names and values (any bytes, not UTF-8, empty, null, 30 kB),
the value (null, empty, any bytes, broken JSON, wrong articles, valid articles and their
copies, values near the broker's 1 MiB limit) and the compression codec (none, gzip,
snappy, lz4, zstd).  The broker runs with its default ``message.max.bytes`` and the
worker with its default input limit: the 1 MiB dead letters and the re-keyed copies of
1 MiB articles are the real thing, not a lowered stand-in.

Oracle: the pure decoder gives each record's outcome, and the producer gives its
partition and offset, so each dead letter is matched to the very record it describes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka.partitioner import murmur2

from streams.contracts import Article
from streams.pipeline.decode import RawMessage, decode
from tests.reliability.harness import article, fault_worker, produce_keyed, read_outcomes
from tests.support import create_topics, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PARTITIONS = 2
RAW_PRODUCER = Path(__file__).with_name("raw_producer.py")
CODECS = (None, "gzip", "snappy", "lz4", "zstd")
#: A valid article this large cannot be re-keyed under the producer's 1,000,000-byte limit
#: (Faust's ``producer_max_request_size``), though the broker accepted it as input.
REKEY_TOO_LARGE = 1_000_000


@dataclass
class Rec:
    key: bytes | None
    value: bytes | None
    headers: list[tuple[bytes, bytes | None]]
    codec: str | None
    partition: int = -1
    offset: int = -1


def _bytes(rng: random.Random, lo: int, hi: int) -> bytes:
    return rng.randbytes(rng.randint(lo, hi))


def _header(rng: random.Random) -> tuple[bytes, bytes | None]:
    name = rng.choice([b"", b"trace-id", b"\xff\xfe", "ü".encode("utf-16"), b"a\x00b",
                       _bytes(rng, 1, 30)])
    value = rng.choice([None, b"", _bytes(rng, 0, 60), b"\xc3\x28"])
    if rng.random() < 0.01:
        value = _bytes(rng, 30_000, 30_000)
    return name, value


def _value(rng: random.Random, i: int, valid: list[bytes], counts: Counter[str]) -> bytes | None:
    kind = rng.choices(
        ["valid", "copy", "null", "empty", "bytes", "not_utf8", "bad_json", "bad_article",
         "big_invalid", "big_valid"],
        weights=[35, 8, 5, 5, 10, 5, 8, 10, 1, 1])[0]
    if kind in ("big_invalid", "big_valid") and counts[kind] >= 4:
        kind = "bad_json"
    counts[kind] += 1
    if kind == "valid" or (kind == "copy" and not valid):
        valid.append(article(i, prefix="fz"))
        return valid[-1]
    if kind == "copy":
        return rng.choice(valid)
    if kind == "null":
        return None
    if kind == "empty":
        return b""
    if kind == "bytes":
        return _bytes(rng, 1, 2_000)
    if kind == "not_utf8":
        return b'{"id": "x\xff\xfe", "title": "' + _bytes(rng, 0, 50) + b'"}'
    if kind == "bad_json":
        return article(i, prefix="bj")[: rng.randint(1, 80)]
    if kind == "bad_article":
        return json.dumps(rng.choice([
            {"id": f"ba-{i}"}, {"id": 5, "title": "x"}, [1, 2], "text", None,
            {"id": f"ba-{i}", "published_at": "yesterday", "source": {"name": "x"}},
            {"id": f"ba {i}", "published_at": "2022-01-01T00:00:00Z", "source": {"name": "x"}},
        ])).encode()
    if kind == "big_invalid":
        return b"[" + b"1," * 499_000 + b"]" + _bytes(rng, 0, 10)  # ~1 MB of broken JSON
    return article(i, prefix="big", pad="p" * (REKEY_TOO_LARGE + rng.randint(0, 40_000)))


def generate(seed: int, n: int) -> list[Rec]:
    rng = random.Random(seed)
    valid: list[bytes] = []
    counts: Counter[str] = Counter()
    out = []
    for i in range(n):
        value = _value(rng, i, valid, counts)
        key = rng.choice([None, b"", _bytes(rng, 1, 40), b"\x80not-utf8", b"id"])
        if key == b"id" and value:
            key = value[8:40]  # a key that is mostly not the id
        if rng.random() < 0.3 and value is not None and value.startswith(b'{"id": "'):
            key = value.split(b'"')[3]  # the article id: its home partition, usually
        if rng.random() < 0.01 and (value is None or len(value) < 500_000):
            key = _bytes(rng, 20_000, 20_000)
        if value is None and key is None:
            key = b"tombstone-%d" % i
        headers = [_header(rng) for _ in range(rng.choice([0, 0, 1, 2, 3]))]
        if value is not None and len(value) > 500_000:
            # keep the record under the broker's 1 MiB
            headers = [(k, v) for k, v in headers if len(k) + len(v or b"") < 100]
        out.append(Rec(key, value, headers, rng.choice(CODECS)))
    return out


def produce_raw(bootstrap: str, topic: str, records: list[Rec], workdir: Path) -> None:
    spec, placed = workdir / "fuzz-in.jsonl", workdir / "fuzz-out.jsonl"
    b64 = lambda b: None if b is None else base64.b64encode(b).decode()  # noqa: E731
    with spec.open("w") as f:
        for r in records:
            f.write(json.dumps({"key": b64(r.key), "value": b64(r.value), "codec": r.codec,
                                "headers": [[b64(k), b64(v)] for k, v in r.headers]}) + "\n")
    env = {**os.environ, "AIOKAFKA_NO_EXTENSIONS": "1"}
    subprocess.run([sys.executable, str(RAW_PRODUCER), bootstrap, topic, str(spec), str(placed)],
                   env=env, check=True, timeout=300)
    for r, line in zip(records, placed.read_text().splitlines(), strict=True):
        where = json.loads(line)
        assert "error" not in where, where
        r.partition, r.offset = where["partition"], where["offset"]


def expected_outcome(r: Rec) -> tuple[str, str]:
    """("enriched", id) or ("dead_letter", reason), as the worker must decide."""
    result = decode(RawMessage(value=r.value, key=r.key, headers=r.headers))
    if not isinstance(result, Article):
        return "dead_letter", result.reason
    home = r.key == result.id.encode() and r.partition == (
        murmur2(result.id.encode()) & 0x7FFFFFFF) % PARTITIONS
    if not home and r.value is not None and len(r.value) > REKEY_TOO_LARGE:
        return "dead_letter", "publish_rejected"
    return "enriched", result.id


def _prefix_ok(b64: str | None, full: bytes | None, truncated: bool) -> bool:
    if full is None:
        return b64 is None
    got = base64.b64decode(b64 or "")
    return full.startswith(got) if truncated else got == full


def test_fuzzed_records_never_stop_the_worker_and_are_all_accounted(kafka: str,
                                                                     tmp_path: Path) -> None:
    seed, n = int(os.environ.get("STREAMS_FUZZ_SEED", "1306")), int(os.environ.get(
        "STREAMS_FUZZ_RECORDS", "2000"))
    records = generate(seed, n)
    settings = unique_settings(kafka, partitions=PARTITIONS)  # default input limit: 1 MiB
    create_topics(settings)
    worker = fault_worker(settings, tmp_path).start()
    try:
        worker.wait_ready()
        produce_raw(kafka, settings.topics.articles, records, tmp_path)
        expected = [expected_outcome(r) for r in records]
        ids = {what for kind, what in expected if kind == "enriched"}
        n_dead = sum(1 for kind, _ in expected if kind == "dead_letter")
        outcomes = read_outcomes(settings, expect_enriched=ids, expect_total=len(ids) + n_dead,
                                 timeout=420, idle=60)
        assert worker.alive(), worker.log()[-5000:]

        # Every valid id enriched exactly once.
        assert outcomes.enriched_ids == Counter(ids)
        # Every dead letter describes its very record, as it first arrived.
        by_place = {(r.partition, r.offset): (r, e) for r, e in zip(records, expected, strict=True)}
        seen = set()
        for d in outcomes.dead_letters:
            place = (d["partition"], d["offset"])
            assert d["topic"] == settings.topics.articles and place in by_place, d["detail"]
            assert place not in seen, f"two dead letters for {place}"
            seen.add(place)
            r, (kind, reason) = by_place[place]
            assert (kind, d["reason"]) == ("dead_letter", reason), (d["detail"], r.value and r.value[:80])
            truncated = set(d["truncated"])  # type: ignore[arg-type]
            assert _prefix_ok(d["original_b64"], r.value, "value" in truncated)  # type: ignore[arg-type]
            assert d["original_sha256"] == (None if r.value is None
                                            else hashlib.sha256(r.value).hexdigest())
            assert d["original_size"] == len(r.value or b"")
            assert _prefix_ok(d["original_key_b64"], r.key, "key" in truncated)  # type: ignore[arg-type]
            if "headers" not in truncated:
                assert [(base64.b64decode(h["key_b64"]), None if h["value_b64"] is None  # type: ignore[index]
                         else base64.b64decode(h["value_b64"])) for h in d["headers"]] == r.headers  # type: ignore[attr-defined,index]
        assert len(seen) == n_dead

        # The accounting, exactly, on the counters too.
        counted = {o: worker.counter("streams_articles_total", outcome=o)
                   for o in ("enriched", "dead_letter", "duplicate", "skipped")}
        assert counted["enriched"] == len(ids) and counted["dead_letter"] == n_dead
        assert sum(counted.values()) == len(records), counted
        truncated_letters = sum(1 for d in outcomes.dead_letters if d["truncated"])
        print(f"\nfuzz seed={seed}: {len(records)} records in -> {len(ids)} enriched + "
              f"{n_dead} dead letters ({truncated_letters} truncated) + "
              f"{int(counted['duplicate'])} duplicates + {int(counted['skipped'])} skipped; "
              f"codecs {dict(Counter(r.codec or 'none' for r in records))}; "
              f"reasons {dict(Counter(str(d['reason']) for d in outcomes.dead_letters))}")

        # Every partition still advances afterwards.
        fresh = [(f"after-{p}-{i}", article(10_000 + i, prefix=f"after-{p}"))
                 for p in range(PARTITIONS) for i in range(40)]
        homes = {}
        for _id, value in fresh:
            art_id = json.loads(value)["id"]
            homes.setdefault((murmur2(art_id.encode()) & 0x7FFFFFFF) % PARTITIONS, (art_id, value))
        assert set(homes) == set(range(PARTITIONS))
        produce_keyed(settings, [(i.encode(), v) for i, v in homes.values()])
        after = read_outcomes(settings, expect_enriched=ids | {i for i, _ in homes.values()},
                              timeout=120)
        assert {i for i, _ in homes.values()} <= set(after.enriched_ids)

        started = time.monotonic()
        assert worker.stop(signal.SIGTERM, timeout=30) == 0
        assert time.monotonic() - started < 30
    finally:
        if worker.alive():
            worker.stop(timeout=30)
