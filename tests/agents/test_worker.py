"""The worker on a real broker: enrichment, dead letters, duplicates, parity."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.pipeline.offline import process_lines
from streams.settings import Settings
from tests.support import Worker, collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"


@pytest.fixture
def stack(kafka: str, tmp_path: Path) -> Iterator[tuple[Settings, Worker]]:
    settings = unique_settings(kafka, partitions=2, max_message_bytes=50_000)
    create_topics(settings)
    worker = new_worker(settings, tmp_path).start()
    try:
        worker.wait_ready()
        yield worker.settings, worker
    finally:
        worker.stop()


def _article(i: int, **overrides: object) -> bytes:
    value = {
        "id": f"art-{i}", "url": f"https://news.example.org/{i}", "title": f"Item {i}",
        "body": "Russia warned the United States on Tuesday. Ukraine thanked Poland.",
        "published_at": "2022-02-20T10:00:00Z", "source": {"name": "Example Wire"},
    }
    value.update(overrides)
    return json.dumps(value).encode()


def test_samples_streamed_equal_offline(stack: tuple[Settings, Worker], analyzer: object) -> None:
    settings, worker = stack
    lines = SAMPLES.read_bytes().splitlines()
    produce(settings, lines)
    distinct = len({json.loads(line)["id"] for line in lines})
    records = collect(settings, [settings.topics.enriched], distinct)
    streamed = {json.loads(r.value or b"")["id"]: (r.value or b"").decode() for r in records}
    assert len(records) == distinct, worker.log()

    out, dlq = io.StringIO(), io.StringIO()
    stats = process_lines(iter(lines), out, dlq, analyzer=analyzer)  # type: ignore[arg-type]
    offline = {json.loads(v)["id"]: v for v in out.getvalue().splitlines()}
    assert streamed == offline
    assert stats["duplicate"] == len(lines) - distinct == worker.counter(
        "streams_articles_total", outcome="duplicate")
    russia = json.loads(streamed["us-rus-embassy-2021-10-27"])
    codes = {e["actor"]["code"] for e in russia["entities"] if e["actor"]}
    assert {"RUS", "USA"} <= codes


def test_bad_input_is_fully_accounted(stack: tuple[Settings, Worker]) -> None:
    settings, worker = stack
    bad = [
        b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"id": "x"}',
        _article(900, body=12345), _article(901, published_at="2022-02-20T10:00:00"),
        _article(902, published_at="9999-01-01T00:00:00Z"), _article(903, body="x" * 60_000),
        b"{" * 10_000,
    ]
    good = [_article(i) for i in range(10)]
    duplicates = [_article(3), _article(7)]
    sent = good + bad + duplicates
    produce(settings, sent)
    records = collect(settings, [settings.topics.enriched, settings.topics.dead_letters],
                      len(good) + len(bad))
    enriched = [r for r in records if r.topic == settings.topics.enriched]
    letters = [json.loads(r.value or b"") for r in records if r.topic == settings.topics.dead_letters]
    assert len(enriched) == len(good), worker.log()
    assert len(letters) == len(bad)
    assert sorted(base64.b64decode(d["original_b64"]) for d in letters) == sorted(bad)
    assert all(d["reason"] and d["detail"] for d in letters)
    assert {d["reason"] for d in letters} == {"invalid_json", "invalid_utf8", "invalid_article",
                                              "too_large"}
    # The copies come last: their outcome (a count, nothing published) may trail the outputs.
    deadline = time.monotonic() + 60
    while (dups := worker.counter("streams_articles_total", outcome="duplicate")) < len(duplicates) \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(enriched) + len(letters) + dups == len(sent)


def test_unkeyed_and_kcat_messages_are_rekeyed_and_deduplicated(
        stack: tuple[Settings, Worker], tmp_path: Path) -> None:
    settings, worker = stack
    kcat = shutil.which("kcat")
    if kcat is None:
        pytest.skip("kcat is not installed (make test installs it)")
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(_article(i) for i in range(20)) + b"\n")
    # Unkeyed, spread over partitions by kcat's own partitioner.
    subprocess.run([kcat, "-b", settings.bootstrap_servers, "-P", "-t", settings.topics.articles,
                    "-l", str(path)], check=True, timeout=60)
    # The same ids again, keyed, through aiokafka: all must be duplicates.
    produce(settings, [_article(i) for i in range(20)])
    records = collect(settings, [settings.topics.enriched], 20, idle=15)
    assert sorted(json.loads(r.value or b"")["id"] for r in records) == sorted(
        f"art-{i}" for i in range(20))
    # kcat reads the output back, as a user would.
    out = subprocess.run([kcat, "-b", settings.bootstrap_servers, "-C", "-t",
                          settings.topics.enriched, "-e", "-q", "-f", "%s\n"],
                         check=True, timeout=60, capture_output=True).stdout.splitlines()
    assert len(out) == 20 and all(json.loads(line)["status"] == "ok" for line in out)
    assert worker.counter("streams_articles_total", outcome="duplicate") == 20
