"""`streams dlq` (streams/tools/dlq.py): selection and decoding, then list and replay on a real broker."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json

import pytest

from streams.contracts.deadletter import DeadLetter
from streams.errors import UsageError
from streams.harness import settings_env, unique_settings
from streams.kafka_io import ensure_topics
from streams.pipeline.bounds import fit_dead_letter
from streams.pipeline.decode import RawMessage, dead_letter
from streams.settings import Settings, Topics
from streams.tools import OutgoingRecord, StoredRecord, TopicMissing, read_topic, send_records
from streams.tools import dlq as tool
from streams.tools.dlq import (
    Letter,
    NotReplayable,
    OffsetRange,
    Selection,
    decode_original,
    describe,
    destinations,
    parse_letter,
    parse_offsets,
    plan_replay,
    summary,
)

TOPICS = Topics()
ROUTES = destinations(TOPICS)
HEADERS = ((b"trace-id", b"\x00\xff binary"), (b"empty", b""), (b"null", None))


def letter_of(value: bytes | None, reason: str = "invalid_json", *, key: bytes | None = b"k",
              headers: tuple[tuple[bytes, bytes | None], ...] = HEADERS, topic: str | None = TOPICS.articles,
              partition: int | None = 0, offset: int | None = 7, article_id: str | None = None) -> DeadLetter:
    raw = RawMessage(value=value, key=key, headers=headers, topic=topic, partition=partition,
                     offset=offset, timestamp_ms=1_700_000_000_000)
    return dead_letter(raw, reason, f"{reason} detail", article_id)  # type: ignore[arg-type]


def stored(dl: DeadLetter, partition: int = 0, offset: int = 0) -> Letter:
    return parse_letter(partition, offset, dl.model_dump_json().encode())


# --- decoding ---------------------------------------------------------------------------------


def test_the_original_comes_back_byte_for_byte() -> None:
    value = b'{"id": "a1", "title": \xff not json'
    assert decode_original(letter_of(value)) == (
        value, b"k", (("trace-id", b"\x00\xff binary"), ("empty", b""), ("null", None)))


def test_null_and_empty_values_stay_distinct() -> None:
    assert decode_original(letter_of(None, "empty_message"))[0] is None
    assert decode_original(letter_of(b"", "empty_message"))[0] == b""
    assert decode_original(letter_of(b"x", key=None, headers=()))[1:] == (None, ())


@pytest.mark.parametrize(("dl", "why"), [
    (fit_dead_letter(letter_of(b"x" * 1_000_000, "too_large")), "value was kept only in part"),
    (letter_of(None, "unreadable_record"), "could not read the original"),
    (letter_of(None, "empty_message", key=None), "neither key nor value"),
    (letter_of(b"v", headers=((b"\xffname", b"1"),)), "not UTF-8"),
    (letter_of(b"v").model_copy(update={"original_sha256": "0" * 64}), "original_sha256"),
    (letter_of(b"v").model_copy(update={"original_size": 3}), "original_size"),
    (letter_of(b"v").model_copy(update={"original_b64": "not base64!"}), "not valid base64"),
    (letter_of(b"v").model_copy(update={"truncated": ["headers"]}), "headers was kept only in part"),
])
def test_letters_without_the_whole_original_are_refused(dl: DeadLetter, why: str) -> None:
    with pytest.raises(NotReplayable, match=why):
        decode_original(dl)


# --- selection --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("0:5-9", OffsetRange(0, 5, 9)), ("3:7", OffsetRange(3, 7, 7)),
    ("2:10-", OffsetRange(2, 10, None)), (" 1:0-0 ", OffsetRange(1, 0, 0)),
])
def test_offset_ranges(text: str, expected: OffsetRange) -> None:
    assert parse_offsets(text) == expected


@pytest.mark.parametrize("text", ["5", "0:", "a:1", "0:9-5", "0:-5", "0:1-2-3", "-1:3"])
def test_bad_offset_ranges(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_offsets(text)


def test_selection_kinds_combine_with_and_values_with_or() -> None:
    a = stored(letter_of(b"1", "invalid_json", article_id="a"), 0, 1)
    b = stored(letter_of(b"2", "invalid_article", article_id="b"), 0, 2)
    c = stored(letter_of(b"3", "invalid_json", article_id="c"), 1, 1)
    junk = parse_letter(1, 2, b"not a letter")
    everything = [a, b, c, junk]

    def chosen(selection: Selection) -> list[Letter]:
        return [x for x in everything if selection.matches(x)]

    assert Selection().everything and chosen(Selection()) == everything
    assert chosen(Selection(reasons=frozenset({"invalid_json"}))) == [a, c]
    assert chosen(Selection(reasons=frozenset({"invalid_json", "invalid_article"}))) == [a, b, c]
    assert chosen(Selection(ranges=(OffsetRange(0, 2, None), OffsetRange(1, 1, 1)))) == [b, c]
    assert chosen(Selection(reasons=frozenset({"invalid_json"}), ranges=(OffsetRange(0, 0, 5),))) == [a]
    assert chosen(Selection(ids=frozenset({"b", "c"}), reasons=frozenset({"invalid_article"}))) == [b]
    assert chosen(Selection(ranges=(OffsetRange(1, 2, 2),))) == [junk]


def test_unreadable_records_on_the_topic_are_kept_with_the_error() -> None:
    assert "not a dead letter" in (parse_letter(0, 1, b'{"reason": "nope"}').error or "")
    assert parse_letter(0, 1, None).error == "null value"
    assert parse_letter(0, 1, b"\xff").reason == "<unreadable>"


# --- planning ---------------------------------------------------------------------------------


def test_plan_orders_by_first_arrival_and_sends_each_original_once() -> None:
    first = stored(letter_of(b"first", offset=3), 1, 9)
    second = stored(letter_of(b"second", offset=8), 0, 2)
    again = stored(letter_of(b"first", offset=3), 0, 5)  # the same record dead-lettered twice
    plan = plan_replay([second, again, first], Selection(), ROUTES)
    assert [r.value for _, r in plan.send] == [b"first", b"second"]
    assert plan.duplicates == [first] and plan.selected == 3 and not plan.refused


def test_plan_routes_each_letter_to_its_input_topic() -> None:
    article = stored(letter_of(b"a", topic=TOPICS.articles), 0, 0)
    rekeyed = stored(letter_of(b"r", topic=TOPICS.rekeyed, offset=1), 0, 1)
    event = stored(letter_of(b"e", "invalid_event", topic=TOPICS.stance_events), 0, 2)
    nameless = stored(letter_of(b"n", topic=None, partition=None, offset=None), 0, 3)
    foreign = stored(letter_of(b"f", topic="other.topic"), 0, 4)
    plan = plan_replay([article, rekeyed, event, nameless, foreign], Selection(), ROUTES)
    assert {r.value: r.topic for _, r in plan.send} == {
        b"a": TOPICS.articles, b"r": TOPICS.articles, b"e": TOPICS.stance_events,
        b"n": TOPICS.articles}
    ((refused, why),) = plan.refused
    assert refused is foreign and "--topic" in why
    override = plan_replay([foreign, event], Selection(), ROUTES, topic="elsewhere")
    assert {r.topic for _, r in override.send} == {"elsewhere"} and len(override.send) == 2


def test_plan_refuses_what_cannot_be_replayed_and_keeps_the_rest() -> None:
    good = stored(letter_of(b"ok"), 0, 0)
    cut = stored(fit_dead_letter(letter_of(b"y" * 1_000_000, "too_large", offset=8)), 0, 1)
    junk = parse_letter(0, 2, b"{}")
    plan = plan_replay([good, cut, junk], Selection(ranges=(OffsetRange(0, 0, None),)), ROUTES)
    assert [letter for letter, _ in plan.send] == [good]
    assert [(letter.where, why.split(" (")[0]) for letter, why in plan.refused] == [
        ("0:1", "the original's value was kept only in part"), ("0:2", "not a dead letter")]


def test_list_lines_and_counts() -> None:
    long = stored(letter_of(b"x", "invalid_article", article_id="art-1").model_copy(
        update={"detail": "body: Field required\n" * 20}), 2, 41)
    assert describe(long, detail_chars=40) == (
        "2:41  invalid_article  body: Field required body: Field requir…  id=art-1")
    cut = stored(fit_dead_letter(letter_of(b"y" * 1_000_000, "too_large")), 0, 3)
    assert describe(cut).endswith("[truncated: value]")
    assert describe(parse_letter(0, 4, b"?")).startswith("0:4  <unreadable>  not a dead letter")
    letters = [long, cut, stored(letter_of(b"z", "invalid_article"), 1, 1)]
    assert summary(letters, 10, "dlq") == ["3 dead letters on dlq selected, of 10",
                                           "       2  invalid_article", "       1  too_large"]
    assert summary(letters, 3, "dlq")[0] == "3 dead letters on dlq"


# --- on a real broker -------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streams")
    tool.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(*argv: str) -> int:
    args = _parser().parse_args(["dlq", *argv])
    code: int = args.func(args)
    return code


def _read_all(settings: Settings, topic: str) -> list[StoredRecord]:
    async def run() -> list[StoredRecord]:
        records = read_topic(settings, topic)
        async with contextlib.aclosing(records):
            return [r async for r in records if r is not None]

    return asyncio.run(run())


async def _topic_names(settings: Settings) -> list[str]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        return list(await admin.list_topics())
    finally:
        await admin.close()


def test_replay_needs_a_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAMS_BROKER", "127.0.0.1:1")
    with pytest.raises(UsageError, match="choose what to replay") as raised:
        _run("replay")
    assert raised.value.exit_status == 2 and "--all" in (raised.value.hint or "")


@pytest.mark.integration
def test_list_and_replay_on_a_real_broker(kafka: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    settings = unique_settings(kafka, partitions=2)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    articles, dlq = settings.topics.articles, settings.topics.dead_letters
    # No topic yet: an error, and reading does not create it (the broker auto-creates topics).
    with pytest.raises(TopicMissing, match="does not exist"):
        _run("list")
    assert dlq not in asyncio.run(_topic_names(settings))
    asyncio.run(ensure_topics(settings))
    letters = {
        "json": letter_of(b'{"id": "a1", broken', "invalid_json", key=b"a1", topic=articles, offset=1),
        "utf8": letter_of(b"\xff\xfe caf\xe9", "invalid_utf8", key=None, topic=articles, offset=2,
                          headers=((b"source", b"crawler-7"),)),
        "null": letter_of(None, "empty_message", key=b"a3", topic=articles, offset=3, headers=()),
        "timeout": letter_of(b'{"id": "a4"}', "analysis_timeout", key=b"a4", topic=articles,
                             offset=4, article_id="a4"),
        "cut": fit_dead_letter(letter_of(b"z" * 1_000_000, "too_large", topic=articles, offset=5)),
    }
    records = [OutgoingRecord(dlq, b"dlq-key", dl.model_dump_json().encode())
               for dl in letters.values()] + [OutgoingRecord(dlq, b"junk", b"not a dead letter")]
    assert asyncio.run(send_records(settings, records)) == [None] * len(records)

    assert _run("list") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"6 dead letters on {dlq}\n")
    for reason in ("invalid_json", "invalid_utf8", "empty_message", "analysis_timeout", "too_large",
                   "<unreadable>"):
        assert f"       1  {reason}\n" in out
    assert "analysis_timeout  analysis_timeout detail  id=a4" in out
    assert _run("list", "--reason", "too_large", "--raw") == 0
    listed = capsys.readouterr()
    assert [json.loads(v)["reason"] for v in listed.out.splitlines()] == ["too_large"]
    assert "1 dead letters on" in listed.err

    # A dry run sends nothing.
    assert _run("replay", "--id", "a4", "--dry-run") == 0
    assert "would replay 1 of 1 selected" in capsys.readouterr().out
    assert _read_all(settings, articles) == []

    # By reason: exactly the originals, bytes, keys and headers.
    assert _run("replay", "--reason", "invalid_json", "--reason", "invalid_utf8",
                "--reason", "empty_message") == 0
    assert capsys.readouterr().out.startswith(f"replayed 3 of 3 selected dead letters to {articles}")
    got = sorted(((r.value, r.key, r.headers) for r in _read_all(settings, articles)), key=repr)
    expected = sorted(((v, k, h) for v, k, h in (decode_original(letters[n])
                                                 for n in ("json", "utf8", "null"))), key=repr)
    assert got == expected
    assert (b"\xff\xfe caf\xe9", None, (("source", b"crawler-7"),)) in got
    assert (None, b"a3", ()) in got

    # Letters without the whole original are refused and reported; nothing is sent.
    assert _run("replay", "--reason", "too_large") == 1
    refused = capsys.readouterr()
    assert "not replayed" in refused.err and "kept only in part" in refused.err
    assert refused.out.startswith("replayed 0 of 1 selected dead letters (1 refused)")
    assert len(_read_all(settings, articles)) == 3
