"""``process_lines``: every line accounted for, and the same output every time."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

from streams.nlp import Analyzer
from streams.nlp.signature import simhash64
from streams.pipeline.offline import process_lines

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"


def good(article_id: str, body: str = "Russia warned the United States.") -> bytes:
    return json.dumps({
        "id": article_id, "title": "Talks", "body": body,
        "published_at": "2024-05-28T10:00:00Z", "source": {"name": "Wire", "domain": "wire.org"},
    }).encode()


MIX: list[bytes] = [
    good("a"),
    b"this is not json",
    good("b", "Ukraine and Poland signed a deal."),
    good("a"),                                   # exact duplicate
    good("a", "A different body, same id."),     # same id: still a duplicate
    b"",                                          # blank: not a message
    b"\xff\xfe\xfa",                              # not UTF-8
    b"[1, 2, 3]",                                 # JSON but not an object
    b'{"id": "c", "published_at": "2024-05-28T10:00:00"}',  # invalid: naive, no source
    good("c"),                                    # id of a dead letter: first valid one wins
    b"   \t",                                     # blank
    b"[" * 100_000,                               # deep nesting
    good("b"),                                    # duplicate
    good("d", ""),                                # empty body: enriched, partial
]


def run(lines: list[bytes], analyzer: Analyzer, **kwargs: Any) -> tuple[dict[str, int], str, str]:
    out, dead = io.StringIO(), io.StringIO()
    stats = process_lines(iter(lines), out, dead, analyzer=analyzer, **kwargs)
    return stats, out.getvalue(), dead.getvalue()


def test_counts_add_up_on_a_mix(analyzer) -> None:  # type: ignore[no-untyped-def]
    stats, out, dead = run(MIX, analyzer)
    counts = {k: v for k, v in stats.items() if k != "stance_events"}
    assert counts == {"input": 12, "enriched": 4, "dead_letter": 5, "duplicate": 3}
    assert stats["stance_events"] > 0  # counted whether or not they are written
    assert stats["input"] == stats["enriched"] + stats["dead_letter"] + stats["duplicate"]
    assert len(out.splitlines()) == stats["enriched"]
    assert len(dead.splitlines()) == stats["dead_letter"]


def test_each_outcome_is_the_right_one(analyzer) -> None:  # type: ignore[no-untyped-def]
    _, out, dead = run(MIX, analyzer)
    enriched = [json.loads(line) for line in out.splitlines()]
    assert [e["id"] for e in enriched] == ["a", "b", "c", "d"]
    # The first copy of "a" wins; the later one with another body is not published.
    assert enriched[0]["signature"] == simhash64("Russia warned the United States.")
    assert [e["status"] for e in enriched] == ["ok", "ok", "ok", "partial"]
    letters = [json.loads(line) for line in dead.splitlines()]
    assert [d["reason"] for d in letters] == [
        "invalid_json", "invalid_utf8", "invalid_article", "invalid_article", "invalid_json"]


def test_dead_letters_carry_the_line_bytes_and_line_number(analyzer) -> None:  # type: ignore[no-untyped-def]
    _, _, dead = run(MIX, analyzer)
    letters = [json.loads(line) for line in dead.splitlines()]
    for letter in letters:
        assert base64.b64decode(letter["original_b64"]) == MIX[letter["offset"]]
    assert [d["offset"] for d in letters] == [1, 6, 7, 8, 11]
    assert letters[3]["article_id"] == "c"


def test_running_twice_gives_byte_identical_output(analyzer) -> None:  # type: ignore[no-untyped-def]
    lines = [*SAMPLES.read_bytes().splitlines(True), *[line + b"\n" for line in MIX]]
    first = run(lines, analyzer)
    second = run(lines, analyzer)
    assert first == second
    # And with a separately constructed analyzer (a new process would do the same).
    assert run(lines, Analyzer()) == first


def test_samples_are_fully_accounted_for(analyzer) -> None:  # type: ignore[no-untyped-def]
    stats, _, dead = run(SAMPLES.read_bytes().splitlines(True), analyzer)
    assert stats["input"] == stats["enriched"] + stats["dead_letter"] + stats["duplicate"]
    ids = [json.loads(line)["id"] for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    assert stats["enriched"] == len(set(ids))
    assert stats["duplicate"] == len(ids) - len(set(ids))
    assert dead == ""


def test_crlf_and_lf_files_give_the_same_output(analyzer) -> None:  # type: ignore[no-untyped-def]
    lf = [good("x") + b"\n", good("y") + b"\n"]
    crlf = [good("x") + b"\r\n", good("y") + b"\r\n"]
    assert run(lf, analyzer) == run(crlf, analyzer)


def test_output_is_one_json_object_per_line(analyzer) -> None:  # type: ignore[no-untyped-def]
    _, out, dead = run(MIX, analyzer)
    for text in (out, dead):
        assert text.endswith("\n")
        for line in text.splitlines():
            assert isinstance(json.loads(line), dict)


def test_stance_events_are_written_only_on_request(analyzer) -> None:  # type: ignore[no-untyped-def]
    with_events = run(MIX, analyzer, include_stance_events=True)
    without = run(MIX, analyzer)
    stats = with_events[0]
    assert stats["stance_events"] > 0
    assert len(with_events[1].splitlines()) == stats["enriched"] + stats["stance_events"]
    assert len(without[1].splitlines()) == stats["enriched"]
    assert without[0] == stats


def test_empty_input(analyzer) -> None:  # type: ignore[no-untyped-def]
    assert run([], analyzer) == (
        {"input": 0, "enriched": 0, "dead_letter": 0, "duplicate": 0, "stance_events": 0}, "", "")
