"""A seeded generator of hostile input for the articles topic.

Each message is labelled with what the pure decoder says about it
(``streams.pipeline.decode``), so tests know the exact outcome every message
must end in without trusting the worker: a dead-letter reason, or a valid
article id (enriched once, then counted as a duplicate).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from streams.contracts import DeadLetter
from streams.pipeline.decode import DEFAULT_MAX_MESSAGE_BYTES, RawMessage, decode
from tests.reliability.harness import article


@dataclass(frozen=True)
class Message:
    kind: str
    key: bytes | None
    value: bytes | None
    #: Dead-letter reason the decoder gives, or ``None`` for a valid article.
    reason: str | None
    article_id: str | None


def _valid(rng: random.Random, i: int) -> dict[str, object]:
    return json.loads(article(i, prefix="ok"))  # type: ignore[no-any-return]


def _dump(obj: object) -> bytes:
    return json.dumps(obj).encode()


def _with(rng: random.Random, i: int, **fields: object) -> bytes:
    value = _valid(rng, i)
    value["id"] = f"hx-{i}"
    value.update(fields)
    return _dump(value)


def _without(rng: random.Random, i: int, *names: str) -> bytes:
    value = _valid(rng, i)
    value["id"] = f"hx-{i}"
    for name in names:
        value.pop(name, None)
    return _dump(value)


def _rand_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.printable) for _ in range(n))


def _deep(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * depth + closer * depth).encode()


BAD_TIMES = [
    "2022-02-20T10:00:00",  # naive
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2100-01-01T00:00:00Z",
    "2022-13-45T10:00:00Z", "2022-02-30T10:00:00Z", "not a date", "", "1645351200",
    "2022-02-20T25:61:61Z", "2022-02-20T10:00:00+25:00", "-2022-02-20T10:00:00Z",
    "2022-02-20T10:00:00.123456789123456789Z", "\x00", "2022-02-20 10:00", "20220220T100000Z",
]
ODD_BUT_VALID_TIMES = [
    "2022-02-20T10:00:00+14:00", "2022-02-20T10:00:00-12:00", "1900-01-01T00:00:00Z",
    "2099-12-31T23:59:59Z", "2022-02-20T10:00:00.999999Z", "2022-02-20t10:00:00z",
]


def _generators() -> list[tuple[str, int, Callable[[random.Random, int], bytes | None]]]:
    """(kind, weight, make(rng, i)) for every family of hostile input."""
    return [
        # malformed JSON
        ("truncated", 6, lambda r, i: _with(r, i)[: r.randrange(1, 80)]),
        ("trailing_garbage", 3, lambda r, i: _with(r, i) + b"}}garbage"),
        ("single_quotes", 2, lambda r, i: _with(r, i).replace(b'"', b"'")),
        ("random_printable", 5, lambda r, i: _rand_text(r, r.randrange(1, 300)).encode()),
        ("nan_literal", 1, lambda r, i: _with(r, i)[:-1] + b', "x": NaN}'),
        ("huge_number", 1, lambda r, i: _with(r, i)[:-1] + b', "x": 1e999999}'),
        ("bom_prefix", 1, lambda r, i: b"\xef\xbb\xbf" + _with(r, i)),
        ("raw_nul_in_json", 3, lambda r, i: _with(r, i).replace(b'": "', b'": "\x00', 1)),
        ("raw_control_chars", 2, lambda r, i: _with(r, i, body="a\nb").replace(b"\\n", b"\n")),
        # deep nesting
        ("deep_list", 2, lambda r, i: _deep(r.choice([100, 1_000, 10_000, 100_000]))),
        ("deep_object", 2, lambda r, i: (b'{"a":' * r.choice([200, 5_000, 50_000])) + b"1"
                                          + b"}" * 50_000),
        ("deep_in_body", 2, lambda r, i: _with(r, i)[:-1] + b', "body": ' + _deep(20_000) + b"}"),
        ("deep_extra_field", 2, lambda r, i: _with(r, i)[:-1] + b', "extra": '
                                               + _deep(r.choice([50, 500, 5_000])) + b"}"),
        # huge strings
        ("body_too_long", 2, lambda r, i: _with(r, i, body="word " * 41_000)),
        ("title_too_long", 2, lambda r, i: _with(r, i, title="T" * 2_001)),
        ("id_too_long", 2, lambda r, i: _with(r, i, id="i" * 257)),
        ("url_too_long", 1, lambda r, i: _with(r, i, url="https://x.org/" + "a" * 5_000)),
        # ~1 MB, under the broker's default 1 MiB: its dead letter (base64) must be truncated
        ("near_limit_invalid", 2, lambda r, i: _with(r, i, extra="z" * 1_040_000)[:-1]),
        # wrong types
        ("body_number", 3, lambda r, i: _with(r, i, body=r.choice([1, 1.5, -0.0, 10**30]))),
        ("id_number", 3, lambda r, i: _with(r, i, id=r.choice([1, 0, -5, 2**70]))),
        ("id_null", 2, lambda r, i: _with(r, i, id=None)),
        ("id_empty", 2, lambda r, i: _with(r, i, id="")),
        ("id_whitespace", 2, lambda r, i: _with(r, i, id="has space")),
        ("body_list", 2, lambda r, i: _with(r, i, body=["a", "b"])),
        ("title_object", 2, lambda r, i: _with(r, i, title={"t": 1})),
        ("source_string", 2, lambda r, i: _with(r, i, source="Reuters")),
        ("source_empty_name", 2, lambda r, i: _with(r, i, source={"name": ""})),
        ("source_bad_country", 1, lambda r, i: _with(r, i, source={"name": "a", "country": "ru"})),
        ("language_bad", 2, lambda r, i: _with(r, i, language="English!")),
        ("published_epoch", 2, lambda r, i: _with(r, i, published_at=1645351200)),
        ("published_bool", 1, lambda r, i: _with(r, i, published_at=True)),
        ("root_list", 2, lambda r, i: _dump([_valid(r, i)])),
        ("root_scalar", 3, lambda r, i: _dump(r.choice([None, True, 0, 1.5, "article", ""]))),
        # timestamps
        ("bad_time", 10, lambda r, i: _with(r, i, published_at=r.choice(BAD_TIMES))),
        ("bad_ingested", 3, lambda r, i: _with(r, i, ingested_at=r.choice(BAD_TIMES))),
        # NUL bytes and invalid UTF-8
        ("invalid_utf8", 4, lambda r, i: _with(r, i).replace(b"Report", bytes([0xFF, 0xFE]), 1)),
        ("random_bytes", 4, lambda r, i: bytes([0xC3, 0x28]) + r.randbytes(r.randrange(1, 200))),
        ("overlong_utf8", 2, lambda r, i: _with(r, i).replace(b"Report", b"\xc0\xaf", 1)),
        ("utf8_surrogate", 2, lambda r, i: _with(r, i).replace(b"Report", b"\xed\xa0\x80", 1)),
        ("truncated_multibyte", 2, lambda r, i: _with(r, i, body="Åland ü")[:-4] + b"\xe2\x82"),
        ("escaped_lone_surrogate", 2, lambda r, i: _with(r, i).replace(b"Report", b"\\ud800", 1)),
        # zero-length and missing keys
        ("empty_value", 3, lambda r, i: b""),
        ("null_value", 3, lambda r, i: None),
        ("whitespace_value", 2, lambda r, i: b" \n\t "),
        ("empty_object", 2, lambda r, i: b"{}"),
        ("missing_id", 3, lambda r, i: _without(r, i, "id")),
        ("missing_source", 3, lambda r, i: _without(r, i, "source")),
        ("missing_published", 3, lambda r, i: _without(r, i, "published_at")),
        ("missing_all_but_id", 1, lambda r, i: _dump({"id": f"hx-{i}"})),
    ]


def _pathological_valid() -> list[tuple[str, Callable[[random.Random, int], bytes]]]:
    """Valid articles whose text is hostile to the NLP but analyses within seconds."""
    return [
        ("single_token_100k", lambda r, i: _with(r, i, body="x" * 100_000)),
        ("url_token_99k", lambda r, i: _with(r, i, body="https://e.org/" + "a/" * 49_000)),
        ("spaced_punctuation", lambda r, i: _with(r, i, body="! ? . , ; " * 1_500)),
        ("short_punctuation_run", lambda r, i: _with(r, i, body="Russia warned!" + "!" * 800)),
        ("escaped_nul_body", lambda r, i: _with(r, i, body="\u0000" * 20_000)),
        ("nul_between_words", lambda r, i: _with(r, i, body="Russia\u0000warned\u0000the US.")),
        ("newlines_only", lambda r, i: _with(r, i, body="\n" * 100_000)),
        ("whitespace_only", lambda r, i: _with(r, i, body=" \t" * 20_000)),
        ("empty_body", lambda r, i: _with(r, i, body="", title="")),
        ("combining_marks", lambda r, i: _with(r, i, body="a\u0301\u0302" * 20_000)),
        ("rtl_override", lambda r, i: _with(r, i, body="\u202eRussia warned Ukraine. " * 100)),
        ("unsupported_language", lambda r, i: _with(r, i, language="ru", body="Россия " * 100)),
        ("odd_valid_time", lambda r, i: _with(r, i, published_at=r.choice(ODD_BUT_VALID_TIMES))),
        ("max_len_id", lambda r, i: _with(r, i, id=f"hx-{i}-" + "é" * 240)),
        ("unicode_id", lambda r, i: _with(r, i, id=f"hx-{i}-日本-🙂")),
        ("many_extra_fields", lambda r, i: _with(r, i, **{f"f{k}": k for k in range(2_000)})),
        ("duplicate_json_keys", lambda r, i: _with(r, i)[:-1] + f', "id": "hx-{i}-dup"}}'.encode()),
        ("many_entities_in_sentences", lambda r, i: _with(
            r, i, body="Russia warned Ukraine, Poland and Japan. " * 50)),
    ]


def generate(n_hostile: int, n_valid: int, n_duplicates: int, n_pathological: int,
             seed: int = 9) -> list[Message]:
    """A shuffled mix; every message labelled by the decoder's verdict."""
    rng = random.Random(seed)
    families = _generators()
    weights = [w for _, w, _ in families]
    out: list[Message] = []
    serial = 0

    def add(kind: str, value: bytes | None, key: bytes | None = None) -> None:
        verdict = decode(RawMessage(value=value), max_bytes=MAX_MESSAGE_BYTES)
        if isinstance(verdict, DeadLetter):
            out.append(Message(kind, key, value, verdict.reason, verdict.article_id))
        else:
            # Valid articles are keyed like real producers key them: by id,
            # except a share with no key or a foreign key (re-keyed path).
            k = rng.choice([verdict.id.encode()] * 6 + [None, b"wrong-key", rng.randbytes(8)])
            out.append(Message(kind, k, value, None, verdict.id))

    for _ in range(n_hostile):
        serial += 1
        kind, _, make = rng.choices(families, weights)[0]
        key = rng.choice([None, b"", f"k{serial}".encode(), rng.randbytes(4), b"\x00\xff"])
        value = make(rng, serial)
        if value is None and key is None:  # Kafka needs one of them (a tombstone has a key)
            key = f"tombstone-{serial}".encode()
        add(kind, value, key)
    patho = _pathological_valid()
    for j in range(n_pathological):
        serial += 1
        kind, make = patho[j % len(patho)]
        add(kind, make(rng, serial))
    valid_values = [article(i, prefix="ok") for i in range(n_valid)]
    for value in valid_values:
        add("valid", value)
    for value in rng.sample(valid_values, n_duplicates):
        add("duplicate", value)
    rng.shuffle(out)
    return out


#: The worker's size limit in the tests that use this generator: the default.
MAX_MESSAGE_BYTES = DEFAULT_MAX_MESSAGE_BYTES
