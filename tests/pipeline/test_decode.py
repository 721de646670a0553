"""Raw bytes → Article or DeadLetter: every way in which input can be broken."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.contracts import Article, DeadLetter
from streams.contracts.article import MAX_ID_CHARS
from streams.pipeline.decode import DEFAULT_MAX_MESSAGE_BYTES, RawMessage, dead_letter, decode

#: decode's own cap on ``detail`` (the contract allows 4 000).
DETAIL_LIMIT = 1_000

GOOD: dict[str, Any] = {
    "id": "a-1",
    "url": "https://example.org/a-1",
    "title": "Russia and US hold talks",
    "body": "Russia warned that ties with the US faced new aggravations.",
    "published_at": "2021-10-27T14:05:00Z",
    "source": {"name": "Example Wire", "domain": "example-wire.org"},
    "language": "en",
}


def encode(obj: object) -> bytes:
    return json.dumps(obj).encode("utf-8")


def article_bytes(**overrides: Any) -> bytes:
    return encode({**GOOD, **overrides})


def dead(value: bytes | None, **kwargs: Any) -> DeadLetter:
    result = decode(RawMessage(value=value), **kwargs)
    assert isinstance(result, DeadLetter), f"expected a dead letter, got {result!r}"
    return result


def original(letter: DeadLetter) -> bytes:
    return base64.b64decode(letter.original_b64, validate=True)


# --- valid input ----------------------------------------------------------------

def test_a_valid_message_becomes_an_article() -> None:
    result = decode(RawMessage(value=article_bytes()))
    assert result == Article.model_validate_json(json.dumps(GOOD))
    assert isinstance(result, Article) and result.id == "a-1"


def test_valid_utf8_beyond_ascii_is_kept() -> None:
    result = decode(RawMessage(value=article_bytes(body="Зеленский — «Україна» 😀 مرحبا")))
    assert isinstance(result, Article)
    assert result.body == "Зеленский — «Україна» 😀 مرحبا"


def test_unknown_fields_do_not_dead_letter() -> None:
    assert isinstance(decode(RawMessage(value=article_bytes(extra={"a": [1]}))), Article)


def test_a_message_of_exactly_max_bytes_is_accepted() -> None:
    value = article_bytes()
    assert isinstance(decode(RawMessage(value=value), max_bytes=len(value)), Article)


def test_a_leap_second_article_is_decoded() -> None:
    result = decode(RawMessage(value=article_bytes(published_at="2016-12-31T23:59:60Z")))
    assert isinstance(result, Article)
    assert result.published_at == datetime(2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)


def test_second_61_is_an_invalid_article() -> None:
    letter = dead(article_bytes(published_at="2016-12-31T23:59:61Z"))
    assert letter.reason == "invalid_article"
    assert letter.detail.startswith("published_at: ")
    assert letter.article_id == "a-1"


def test_the_article_id_is_decoded_in_nfc() -> None:
    """Composed and decomposed ids decode to one id, so one key and one dedup entry."""
    decomposed = decode(RawMessage(value=article_bytes(id="cafe\u0301-1")))
    composed = decode(RawMessage(value=article_bytes(id="caf\u00e9-1")))
    assert isinstance(decomposed, Article) and isinstance(composed, Article)
    assert decomposed.id == composed.id == "caf\u00e9-1"
    assert decomposed == composed
    # Raw UTF-8 on the wire (not \u escapes) normalises the same way.
    raw = json.dumps({**GOOD, "id": "cafe\u0301-1"}, ensure_ascii=False).encode("utf-8")
    result = decode(RawMessage(value=raw))
    assert isinstance(result, Article) and result.id.encode() == "caf\u00e9-1".encode()


# --- empty ----------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, b""])
def test_empty_or_null_value(value: bytes | None) -> None:
    letter = dead(value)
    assert letter.reason == "empty_message"
    # A null value and an empty value stay distinguishable in the dead letter.
    assert letter.original_b64 == (None if value is None else "")
    assert letter.original_sha256 == (None if value is None else hashlib.sha256(b"").hexdigest())
    assert letter.original_size == 0
    assert letter.detail


# --- too large ------------------------------------------------------------------

def test_too_large_with_a_small_limit() -> None:
    value = article_bytes()
    letter = dead(value, max_bytes=len(value) - 1)
    assert letter.reason == "too_large"
    assert str(len(value)) in letter.detail and str(len(value) - 1) in letter.detail
    assert original(letter) == value
    assert letter.original_size == len(value)


def test_size_is_measured_in_bytes_not_characters() -> None:
    value = article_bytes(body="ж" * 50)  # 100 bytes of body, 50 characters
    assert isinstance(decode(RawMessage(value=value), max_bytes=len(value)), Article)
    assert dead(value, max_bytes=len(value) - 1).reason == "too_large"


def test_size_is_checked_before_anything_is_parsed() -> None:
    value = b"\xff" * 64
    assert dead(value, max_bytes=10).reason == "too_large"


def test_default_limit_is_kafkas_default_message_size() -> None:
    assert DEFAULT_MAX_MESSAGE_BYTES == 1_048_576
    letter = dead(b"x" * (DEFAULT_MAX_MESSAGE_BYTES + 1))
    assert letter.reason == "too_large"
    assert len(letter.detail) < 200


# --- invalid UTF-8 --------------------------------------------------------------

@pytest.mark.parametrize(
    "value",
    [
        b"\xff\xfe\x00\x01",
        b'{"id": "caf\xe9"}',  # Latin-1
        json.dumps(GOOD).encode("utf-16"),
        b"\xed\xa0\x80",  # an encoded surrogate (CESU-8), not valid UTF-8
        b'{"id": "a", "body": "\xc3"}',  # truncated multi-byte sequence
    ],
    ids=["garbage", "latin1", "utf16", "cesu8-surrogate", "truncated-sequence"],
)
def test_invalid_utf8_keeps_the_bytes_intact(value: bytes) -> None:
    letter = dead(value)
    assert letter.reason == "invalid_utf8"
    assert "UTF-8" in letter.detail
    assert original(letter) == value
    assert letter.original_size == len(value)
    assert letter.article_id is None


# --- invalid JSON ----------------------------------------------------------------

@pytest.mark.parametrize(
    "value",
    [
        b"not json",
        b"{",
        b'{"id": "a",}',
        article_bytes()[:-1],
        article_bytes() + b" trailing",
        b"\xef\xbb\xbf" + article_bytes(),  # a UTF-8 BOM is not JSON
        b"   ",
        b"{'id': 'a'}",
    ],
    ids=["text", "open-brace", "trailing-comma", "truncated", "trailing-garbage", "bom",
         "whitespace", "single-quotes"],
)
def test_invalid_json(value: bytes) -> None:
    letter = dead(value)
    assert letter.reason == "invalid_json"
    assert "JSON" in letter.detail
    assert original(letter) == value
    assert letter.article_id is None


@pytest.mark.parametrize("value", [b"[" * 100_000, b'{"a":' * 100_000, b"[" * 100_000 + b"]" * 100_000])
def test_deep_nesting_is_invalid_json_not_a_crash(value: bytes) -> None:
    letter = dead(value)
    assert letter.reason == "invalid_json"
    assert len(letter.detail) <= DETAIL_LIMIT
    assert original(letter) == value


# --- invalid article ------------------------------------------------------------

@pytest.mark.parametrize("value", [b"[1, 2]", b'"an article"', b"42", b"null", b"true", b"[]"])
def test_json_that_is_not_an_object(value: bytes) -> None:
    letter = dead(value)
    assert letter.reason == "invalid_article"
    assert "object" in letter.detail
    assert letter.article_id is None


@pytest.mark.parametrize("missing", ["id", "published_at", "source"])
def test_missing_fields_are_named(missing: str) -> None:
    data = dict(GOOD)
    del data[missing]
    letter = dead(encode(data))
    assert letter.reason == "invalid_article"
    assert letter.detail == f"{missing}: Field required"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"id": 17}, "id"),
        ({"title": ["a"]}, "title"),
        ({"body": {"text": "b"}}, "body"),
        ({"published_at": 1635343500}, "published_at"),
        ({"published_at": "2021-10-27T14:05:00"}, "published_at"),
        ({"published_at": "1800-01-01T00:00:00Z"}, "published_at"),
        ({"source": {"name": 3}}, "source.name"),
        ({"source": "Example Wire"}, "source"),
        ({"id": "has space"}, "id"),
    ],
)
def test_wrong_types_and_values_are_named(change: dict[str, Any], where: str) -> None:
    letter = dead(article_bytes(**change))
    assert letter.reason == "invalid_article"
    assert letter.detail.startswith(f"{where}: ")


def test_the_article_id_is_carried_when_readable() -> None:
    assert dead(article_bytes(published_at="2021-10-27T14:05:00")).article_id == "a-1"
    assert dead(article_bytes(id=17)).article_id is None
    assert dead(encode({"id": "only-an-id"})).article_id == "only-an-id"


def test_a_guessed_article_id_is_bounded() -> None:
    letter = dead(article_bytes(id="x" * 10_000))
    assert letter.reason == "invalid_article"
    assert letter.article_id is not None and len(letter.article_id) <= MAX_ID_CHARS


def test_several_problems_are_reported_together() -> None:
    letter = dead(encode({"id": "", "body": 3}))
    assert letter.reason == "invalid_article"
    for part in ("id:", "body:", "published_at:", "source:"):
        assert part in letter.detail


@pytest.mark.parametrize("escape", [r"\ud800", r"\udc00", r"\ud800x", r"\ud800\u0041"])
def test_lone_surrogate_escapes_are_dead_lettered(escape: str) -> None:
    value = article_bytes(body="@").replace(b'"@"', b'"' + escape.encode() + b'"')
    assert json.loads(value)["body"] != "@"  # Python's json accepts it: it is a real case
    letter = dead(value)
    assert letter.reason in {"invalid_json", "invalid_article"}
    assert original(letter) == value
    json.loads(letter.model_dump_json())  # and the dead letter itself serialises


def test_a_valid_surrogate_pair_is_fine() -> None:
    value = article_bytes(body="@").replace(b'"@"', rb'"\ud83d\ude00"')
    result = decode(RawMessage(value=value))
    assert isinstance(result, Article) and result.body == "😀"


def test_lone_surrogate_escape_is_invalid_json() -> None:
    """An unpaired surrogate cannot be re-encoded as UTF-8; the parser refuses it."""
    value = article_bytes(body="@").replace(b'"@"', rb'"\ud800"')
    letter = dead(value)
    assert letter.reason == "invalid_json"
    assert "surrogate" in letter.detail or "escape" in letter.detail


# --- bounded, non-echoing details ------------------------------------------------

@pytest.mark.parametrize(
    "value",
    [
        article_bytes(body=["y" * 200_000]),
        article_bytes(id="z" * 100_000),
        article_bytes(title="t" * 50_000),
        article_bytes(published_at="q" * 100_000),
        b'{"id": "' + b"w" * 500_000,
        b"v" * 500_000,
        encode([{"id": i} for i in range(10_000)]),
        encode({**GOOD, "source": {f"k{i}": i for i in range(5_000)}}),
    ],
    ids=["huge-list-body", "huge-id", "huge-title", "huge-timestamp", "huge-unterminated",
         "huge-garbage", "huge-array", "source-without-name"],
)
def test_detail_is_bounded_and_does_not_echo_the_input(value: bytes) -> None:
    letter = dead(value)
    assert len(letter.detail) <= DETAIL_LIMIT
    for marker in ("yyyyyyyyyy", "zzzzzzzzzz", "tttttttttt", "qqqqqqqqqq", "wwwwwwwwww", "vvvvvvvvvv"):
        assert marker not in letter.detail
    assert original(letter) == value


def test_detail_is_truncated_by_the_dead_letter_helper() -> None:
    letter = dead_letter(RawMessage(value=b"x"), "invalid_article", "d" * 50_000)
    assert len(letter.detail) == DETAIL_LIMIT


# --- provenance ----------------------------------------------------------------------

def test_key_headers_topic_partition_offset_and_timestamp_are_carried() -> None:
    raw = RawMessage(
        value=b"\x00\xff not json",
        key=b"\xfe key",
        headers=[(b"trace", b"\x80\x81"), (b"empty", b""), (b"none", None), (b"trace", b"2"),
                 (b"\xff\xfe not utf-8", b"v")],
        topic="news.articles.v1",
        partition=7,
        offset=123_456_789_012,
        timestamp_ms=1_635_343_500_000,
    )
    letter = decode(raw)
    assert isinstance(letter, DeadLetter)
    assert original(letter) == raw.value
    assert letter.original_key_b64 is not None
    assert base64.b64decode(letter.original_key_b64) == b"\xfe key"
    assert [(base64.b64decode(h.key_b64), None if h.value_b64 is None else base64.b64decode(h.value_b64))
            for h in letter.headers] == list(raw.headers)
    assert [h.key for h in letter.headers][-1] == "\ufffd\ufffd not utf-8"
    assert (letter.topic, letter.partition, letter.offset, letter.timestamp_ms) == (
        "news.articles.v1", 7, 123_456_789_012, 1_635_343_500_000)


def test_a_missing_key_stays_missing() -> None:
    letter = dead(b"nope")
    assert letter.original_key_b64 is None
    assert letter.headers == []
    assert (letter.topic, letter.partition, letter.offset) == (None, None, None)


def test_dead_letters_survive_a_json_round_trip_with_bytes_intact() -> None:
    value = bytes(range(256))
    letter = decode(RawMessage(value=value, key=bytes(range(255, -1, -1))))
    assert isinstance(letter, DeadLetter)
    again = DeadLetter.model_validate_json(letter.model_dump_json())
    assert again == letter
    assert original(again) == value


# --- property: never raises --------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)
#: Text including lone surrogates, which json.dumps writes as ``\udXXX`` escapes.
any_text = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=20)
fields = st.sampled_from(["id", "url", "title", "body", "published_at", "source", "language",
                          "ingested_at"])
article_like = st.builds(
    lambda changes: {**GOOD, **changes},
    st.dictionaries(fields, json_values | any_text, max_size=3),
)


def check_outcome(value: bytes, result: Article | DeadLetter) -> None:
    assert isinstance(result, Article | DeadLetter)
    if isinstance(result, DeadLetter):
        assert original(result) == value
        assert len(result.detail) <= DETAIL_LIMIT
        DeadLetter.model_validate_json(result.model_dump_json())
    else:
        result.model_dump_json().encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000))
def test_decode_never_raises_on_arbitrary_bytes(value: bytes) -> None:
    check_outcome(value, decode(RawMessage(value=value), max_bytes=1_000))


@settings(max_examples=300, deadline=None)
@given(article_like)
def test_decode_never_raises_on_article_like_json(data: dict[str, Any]) -> None:
    value = json.dumps(data).encode("utf-8")  # ensure_ascii: lone surrogates become escapes
    check_outcome(value, decode(RawMessage(value=value)))


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_decode_never_raises_on_arbitrary_json(data: object) -> None:
    value = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    check_outcome(value, decode(RawMessage(value=value)))
