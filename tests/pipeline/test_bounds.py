"""Bounded outputs: every value we publish fits the limit and says what it gave up.

Property tests over whole classes of inputs (huge sentences of arbitrary Unicode,
thousands of entities, 1 MiB values, keys and headers of any bytes), with few
examples each so the module stays fast.  Large inputs are built from a small drawn
alphabet and a seeded ``random.Random`` rather than drawn byte by byte.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.contracts import (
    Article,
    DeadLetter,
    DeadLetterReason,
    EnrichedArticle,
    Evidence,
    Stance,
    StanceEvent,
)
from streams.pipeline.bounds import (
    EVIDENCE_MARGIN_CHARS,
    KEY_LIMIT_BYTES,
    OUTPUT_LIMIT_BYTES,
    dead_letter_key,
    fit_dead_letter,
    fit_enriched,
    fit_stance_event,
    size_of,
    window,
)
from streams.pipeline.decode import RawMessage, dead_letter, header
from streams.pipeline.enrich import enrich

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
MiB = 1_048_576

FEW = settings(max_examples=30, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.large_base_example])


def validator(topic: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{topic}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


ENRICHED_SCHEMA = validator("news.enriched.v1")
DLQ_SCHEMA = validator("news.articles.dlq.v1")


def assert_valid(schema: jsonschema.Draft202012Validator, model: Any) -> None:
    errors = [e.message[:200] for e in schema.iter_errors(json.loads(model.model_dump_json()))]
    assert errors == []


# --- strategies -------------------------------------------------------------------

#: Characters costing 1 to 6 bytes of JSON: ASCII, JSON escapes, control characters
#: (``\u0000``: 6 bytes), 2-, 3- and 4-byte UTF-8, separators JSON leaves alone.
AWKWARD = st.sampled_from([
    "a", " ", '"', "\\", "/", "\x00", "\x01", "\x1f", "\x7f", "\n", "\t", "\u00e9",
    "\u2028", "\ufeff", "\uffff", "\U0001f600", "\U00010348", "\U0010ffff",
])
#: Any code point but a lone surrogate (which no decoded article can contain).
CHARS = st.one_of(st.characters(codec="utf-8"), AWKWARD)


@st.composite
def long_texts(draw: st.DrawFn, min_size: int, max_size: int) -> str:
    """Arbitrary Unicode of a drawn length: runs of a few drawn pieces, mixed at random."""
    pieces = draw(st.lists(st.text(CHARS, min_size=1, max_size=48), min_size=1, max_size=6))
    length = draw(st.integers(min_size, max_size))
    rng = random.Random(draw(st.integers(0, 2**32)))
    parts: list[str] = []
    total = 0
    while total < length:
        piece = rng.choice(pieces) * rng.randint(1, 500)
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:length]


def blob(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@st.composite
def sized_bytes(draw: st.DrawFn, sizes: st.SearchStrategy[int]) -> bytes:
    size = draw(sizes)
    if size <= 64:
        return draw(st.binary(min_size=size, max_size=size))
    return blob(draw(st.integers(0, 2**32)), size)


@st.composite
def spans_in(draw: st.DrawFn, start: int, length: int) -> tuple[int, int]:
    """A span inside ``[start, start + length]``: mostly short, sometimes very wide."""
    a = draw(st.integers(0, length))
    width = draw(st.one_of(st.integers(0, 30), st.integers(0, length)))
    return start + a, start + min(length, a + width)


# --- fixtures -----------------------------------------------------------------------

SMALL_ARTICLE = {
    "id": "bounds-1",
    "url": "https://example.org/bounds-1",
    "title": "Russia and US hold talks",
    "body": "Russia warned that ties with the United States faced new aggravations. "
            "Later, China condemned Japan over the islands.",
    "published_at": "2021-10-27T14:05:00Z",
    "source": {"name": "Example Wire", "domain": "example-wire.org"},
    "language": "en",
}


@pytest.fixture(scope="module")
def small(analyzer) -> EnrichedArticle:  # type: ignore[no-untyped-def]
    enriched = enrich(Article.model_validate_json(json.dumps(SMALL_ARTICLE)), analyzer).enriched
    assert enriched.stances and enriched.entities and enriched.status == "ok"
    return enriched


def with_sentence(stance: Stance, sentence: str, start: int, spans: list[tuple[int, int]],
                  ) -> Stance:
    source, target, trigger = spans
    evidence = Evidence(
        field="body", sentence=sentence, sentence_start=start, source_span=source,
        target_span=target, trigger_span=trigger,
        trigger=sentence[trigger[0] - start:trigger[1] - start][:100],
        speaker=stance.evidence.speaker,
    )
    return stance.model_copy(update={"evidence": evidence})


@st.composite
def oversize_articles(draw: st.DrawFn, template: EnrichedArticle) -> EnrichedArticle:
    """Many stances quoting 50k-300k-character sentences, thousands of entities."""
    sentences = draw(st.lists(long_texts(50_000, 300_000), min_size=1, max_size=3))
    stances = []
    for _ in range(draw(st.integers(1, 12))):
        sentence = draw(st.sampled_from(sentences))
        start = draw(st.integers(0, 1_000_000))
        spans = [draw(spans_in(start, len(sentence))) for _ in range(3)]
        model = draw(st.sampled_from(template.stances))
        stances.append(with_sentence(model, sentence, start, spans))
    texts = draw(st.lists(st.text(CHARS, max_size=30), min_size=1, max_size=5))
    entity = template.entities[0]
    entities = []
    for i in range(draw(st.integers(0, 5_000))):
        text = texts[i % len(texts)]
        entities.append(entity.model_copy(update={"start": i, "end": i + len(text), "text": text}))
    reasons = draw(st.lists(st.sampled_from(
        ["truncated:100000", "long_runs_skipped:2", "empty_body", "output_trimmed"]),
        max_size=3, unique=True))
    return template.model_copy(update={
        "stances": stances, "entities": entities, "reasons": reasons,
        "status": "partial" if reasons else "ok"})


def windowed(article: EnrichedArticle) -> EnrichedArticle:
    """The article with every evidence sentence cut to its window, nothing else changed."""
    stances = []
    for stance in article.stances:
        ev = stance.evidence
        part, start = window(ev.sentence, ev.sentence_start,
                             [ev.source_span, ev.target_span, ev.trigger_span])
        stances.append(stance.model_copy(update={
            "evidence": ev.model_copy(update={"sentence": part, "sentence_start": start})}))
    return article.model_copy(update={"stances": stances})


def floor(article: EnrichedArticle) -> int:
    """The smallest limit the article can be trimmed to: no stances, no entities."""
    reasons = [r for r in article.reasons if r != "output_trimmed"] + ["output_trimmed"]
    return size_of(article.model_copy(update={
        "stances": [], "entities": [], "status": "partial", "reasons": reasons}))


# --- window -------------------------------------------------------------------------

@FEW
@given(data=st.data())
def test_window_is_the_substring_around_the_spans(data: st.DataObject) -> None:
    sentence = data.draw(st.text(CHARS, min_size=0, max_size=600))
    start = data.draw(st.integers(0, 10_000))
    spans = data.draw(st.lists(spans_in(start, len(sentence)), min_size=1, max_size=3))
    margin = data.draw(st.integers(0, 300))
    part, new_start = window(sentence, start, spans, margin)
    offset = new_start - start
    assert offset >= 0 and sentence[offset:offset + len(part)] == part
    for a, b in spans:
        assert new_start <= a <= b <= new_start + len(part)
    assert len(part) <= max(b for _, b in spans) - min(a for a, _ in spans) + 2 * margin


# --- enriched articles ----------------------------------------------------------------

def test_an_enriched_article_that_fits_is_returned_as_it_is(small: EnrichedArticle) -> None:
    assert fit_enriched(small) is small
    assert fit_enriched(small, limit=size_of(small)) is small
    again = EnrichedArticle.model_validate_json(small.model_dump_json())
    assert fit_enriched(again).model_dump_json().encode() == small.model_dump_json().encode()


def check_trimmed(original: EnrichedArticle, out: EnrichedArticle, limit: int) -> None:
    assert size_of(out) <= limit
    assert out.status == "partial"
    assert out.reasons.count("output_trimmed") == 1
    assert [r for r in out.reasons if r != "output_trimmed"] == [
        r for r in original.reasons if r != "output_trimmed"]
    if "output_trimmed" not in original.reasons:
        assert out.reasons == [*original.reasons, "output_trimmed"]
    # Everything but stances, entities, status and reasons is untouched.
    unchanged = {"stances", "entities", "status", "reasons"}
    assert out.model_dump(exclude=unchanged) == original.model_dump(exclude=unchanged)
    # Entities and stances kept are a prefix of the originals, in order.
    assert len(out.entities) <= len(original.entities)
    assert out.entities == original.entities[:len(out.entities)]
    assert len(out.stances) <= len(original.stances)
    for new, old in zip(out.stances, original.stances, strict=False):
        assert new.model_copy(update={"evidence": old.evidence}) == old
        ev, was = new.evidence, old.evidence
        assert ev.model_copy(update={"sentence": was.sentence,
                                     "sentence_start": was.sentence_start}) == was
        offset = ev.sentence_start - was.sentence_start
        assert 0 <= offset <= len(was.sentence)
        assert was.sentence[offset:offset + len(ev.sentence)] == ev.sentence
        for a, b in (ev.source_span, ev.target_span, ev.trigger_span):
            assert ev.sentence_start <= a <= b <= ev.sentence_start + len(ev.sentence)


@FEW
@given(data=st.data())
def test_any_oversize_enriched_article_is_trimmed_to_fit(
    small: EnrichedArticle, data: st.DataObject
) -> None:
    article = data.draw(oversize_articles(small))
    kind = data.draw(st.sampled_from(["default", "any", "edge"]))
    if kind == "edge":  # just around the size windowing the evidence alone brings it to
        limit = max(floor(article), size_of(windowed(article)) + data.draw(st.integers(-2, 21)))
    else:
        limit = OUTPUT_LIMIT_BYTES if kind == "default" else data.draw(
            st.integers(floor(article), OUTPUT_LIMIT_BYTES))
        while size_of(article) <= limit:  # make it oversize: more of the same stances
            article = article.model_copy(update={"stances": article.stances * 2})
    out = fit_enriched(article, limit)
    if size_of(article) <= limit:
        assert out is article
    else:
        check_trimmed(article, out, limit)


def test_evidence_is_windowed_around_its_spans_before_anything_is_dropped(
    small: EnrichedArticle,
) -> None:
    sentence = "\x00\U0001f600é" * 60_000
    stances = [with_sentence(s, sentence, 1_000, [(1_100, 1_106), (1_200, 1_213),
                                                  (1_300, 1_310)]) for s in small.stances]
    article = small.model_copy(update={"stances": stances})
    assert size_of(article) > OUTPUT_LIMIT_BYTES
    out = fit_enriched(article)
    check_trimmed(article, out, OUTPUT_LIMIT_BYTES)
    assert out.entities == small.entities and len(out.stances) == len(stances)
    for stance in out.stances:
        assert stance.evidence.sentence_start == 1_000  # 100 chars before: margin reaches start
        assert len(stance.evidence.sentence) == 1_310 + EVIDENCE_MARGIN_CHARS - 1_000


def test_the_trim_reason_itself_counts_towards_the_limit(small: EnrichedArticle) -> None:
    """Windowing the evidence lands just under the limit: adding the reason must not
    push the article over it."""
    sentence = "x" * 100_000
    spans = [(0, 6), (10, 20), (30, 40)]
    article = small.model_copy(update={
        "stances": [with_sentence(small.stances[0], sentence, 0, spans)]})
    for slack in (0, 1, 5, 21):
        limit = size_of(windowed(article)) + slack
        out = fit_enriched(article, limit)
        check_trimmed(article, out, limit)


def test_a_trimmed_article_matches_the_published_schema(small: EnrichedArticle) -> None:
    sentence = "\x01\U0010ffff\"\\" * 50_000
    narrow = [with_sentence(s, sentence, 5, [(5, 20), (30, 40), (50, 60)]) for s in small.stances]
    wide = [with_sentence(s, sentence, 5, [(5, 20), (199_990, 200_000), (5, 200_005)])
            for s in small.stances]
    stances = narrow + wide
    entities = small.entities * 100
    article = small.model_copy(update={"stances": stances, "entities": entities,
                                       "reasons": ["truncated:100000"], "status": "partial"})
    for limit in (OUTPUT_LIMIT_BYTES, 100_000, floor(article)):
        out = fit_enriched(article, limit)
        check_trimmed(article, out, limit)
        assert_valid(ENRICHED_SCHEMA, out)
    assert_valid(ENRICHED_SCHEMA, small)


# --- stance events ------------------------------------------------------------------

EVENT = StanceEvent(
    event_id="0123456789abcdef", dyad="RUS|USA", source_code="RUSGOV", target_code="USA",
    source_country="RUS", target_country="USA", cameo_code="112", plover="ACCUSE",
    quad_class=3, goldstein=-2.0, polarity="hostile", confidence=0.8,
    event_time="2021-10-27T14:05:00Z", article_id="a-1", url="https://example.org/a-1",
    outlet="example.org", sentence="Russia accused the US.", signature="00ff00ff00ff00ff",
)


def test_a_stance_event_that_fits_is_returned_as_it_is() -> None:
    assert fit_stance_event(EVENT) is EVENT
    assert fit_stance_event(EVENT, limit=size_of(EVENT)) is EVENT


@FEW
@given(data=st.data())
def test_any_stance_event_with_a_huge_sentence_fits(data: st.DataObject) -> None:
    sentence = data.draw(long_texts(50_000, 300_000))
    event = EVENT.model_copy(update={"sentence": sentence})
    smallest = size_of(EVENT.model_copy(update={"sentence": ""}))
    limit = data.draw(st.one_of(st.just(OUTPUT_LIMIT_BYTES), st.just(smallest),
                                st.integers(smallest, 2 * size_of(event))))
    out = fit_stance_event(event, limit)
    assert size_of(out) <= limit
    assert sentence.startswith(out.sentence)
    assert out.model_copy(update={"sentence": sentence}) == event
    if size_of(event) <= limit:
        assert out is event


# --- dead letters -------------------------------------------------------------------

REASONS: tuple[str, ...] = get_args(DeadLetterReason)
VALUE_SIZES = st.one_of(
    st.sampled_from([0, 1, 3, 1_023, 1_024, 674_000, 700_000, MiB - 1, MiB]),
    st.integers(0, MiB),
)
KEY_SIZES = st.one_of(st.sampled_from([0, 1, 1_024, 1_025, 300_000, MiB]), st.integers(0, MiB))
SMALL_HEADER = st.tuples(
    st.one_of(st.binary(max_size=40), st.text(CHARS, max_size=40).map(str.encode)),
    st.one_of(st.none(), st.binary(max_size=40)),
)
LARGE_HEADER = st.tuples(
    st.one_of(st.binary(max_size=8), sized_bytes(st.sampled_from([1_024, 1_025, 4_096])),
              long_texts(1_000, 1_100).map(str.encode)),
    st.one_of(st.none(), sized_bytes(st.sampled_from([0, 1_024, 1_025, 100_000, 400_000]))),
)
HEADERS = st.one_of(
    st.lists(SMALL_HEADER, max_size=100),
    st.lists(LARGE_HEADER, max_size=4),
    st.builds(lambda a, b: a + b, st.lists(SMALL_HEADER, max_size=80),
              st.lists(LARGE_HEADER, max_size=3)),
)


@st.composite
def raw_messages(draw: st.DrawFn) -> RawMessage:
    return RawMessage(
        value=draw(st.one_of(st.none(), sized_bytes(VALUE_SIZES))),
        key=draw(st.one_of(st.none(), sized_bytes(KEY_SIZES))),
        headers=draw(HEADERS),
        topic=draw(st.one_of(st.none(), st.just("news.articles.v1"))),
        partition=draw(st.one_of(st.none(), st.integers(0, 2**31 - 1))),
        offset=draw(st.one_of(st.none(), st.integers(0, 2**63 - 1))),
        timestamp_ms=draw(st.one_of(st.none(), st.integers(-1, 2**53))),
    )


@st.composite
def dead_letters(draw: st.DrawFn) -> tuple[RawMessage, DeadLetter]:
    raw = draw(raw_messages())
    letter = dead_letter(raw, draw(st.sampled_from(REASONS)),
                         draw(st.text(CHARS, max_size=50)),
                         article_id=draw(st.one_of(st.none(), st.just("a-1"))))
    if draw(st.booleans()):  # the contract's longest detail, of 6-byte escapes
        detail = draw(long_texts(3_990, 4_000))
        letter = letter.model_copy(update={"detail": detail})
    return raw, letter


def decoded(b64: str | None) -> bytes | None:
    return None if b64 is None else base64.b64decode(b64, validate=True)


def check_fitted(raw: RawMessage, letter: DeadLetter, out: DeadLetter, limit: int) -> None:
    assert size_of(out) <= limit
    assert len(out.detail) <= 4_000
    # What identifies the record is kept whole.
    keep = ("reason", "topic", "partition", "offset", "timestamp_ms", "article_id",
            "original_sha256", "original_size")
    assert {k: getattr(out, k) for k in keep} == {k: getattr(letter, k) for k in keep}
    assert out.original_sha256 == (None if raw.value is None
                                   else hashlib.sha256(raw.value).hexdigest())
    assert out.original_size == len(raw.value or b"")
    # Value, key and headers are prefixes of the originals; `truncated` names exactly
    # the parts that changed.
    value = decoded(out.original_b64)
    assert (value is None) == (raw.value is None)
    if raw.value is not None:
        assert value is not None and raw.value.startswith(value)
    assert ("value" in out.truncated) == (value != raw.value)
    key = decoded(out.original_key_b64)
    assert (key is None) == (raw.key is None)
    if raw.key is not None:
        assert key is not None and raw.key.startswith(key)
    assert ("key" in out.truncated) == (key != raw.key)
    assert len(out.headers) <= len(raw.headers)
    for kept, (name, data) in zip(out.headers, raw.headers, strict=False):
        assert name.startswith(decoded(kept.key_b64) or b"")
        assert name.decode("utf-8", "replace").startswith(kept.key)
        if data is None:
            assert kept.value_b64 is None
        else:
            assert data.startswith(decoded(kept.value_b64) or b"")
    assert ("headers" in out.truncated) == (out.headers != letter.headers)
    assert len(set(out.truncated)) == len(out.truncated)
    if "value" not in out.truncated:
        assert out.detail == letter.detail
    if not out.truncated:
        assert out == letter


@FEW
@given(case=dead_letters())
def test_any_dead_letter_fits_the_limit_and_says_what_it_cut(
    case: tuple[RawMessage, DeadLetter],
) -> None:
    raw, letter = case
    out = fit_dead_letter(letter)
    if size_of(letter) <= OUTPUT_LIMIT_BYTES:
        assert out is letter
    check_fitted(raw, letter, out, OUTPUT_LIMIT_BYTES)
    assert_valid(DLQ_SCHEMA, out)


@pytest.mark.parametrize("size", [0, 1, 700_000, MiB - 1, MiB])
@pytest.mark.parametrize("limit", [OUTPUT_LIMIT_BYTES, 500_000, 100_000])
def test_a_value_of_up_to_1_mib_fits(size: int, limit: int) -> None:
    raw = RawMessage(value=blob(size, size), key=b"k", headers=[(b"h", b"v")],
                     topic="news.articles.v1", partition=3, offset=42, timestamp_ms=1)
    letter = dead_letter(raw, "too_large", f"message is {size} bytes; limit is {MiB}")
    out = fit_dead_letter(letter, limit)
    check_fitted(raw, letter, out, limit)
    assert_valid(DLQ_SCHEMA, out)
    assert out.truncated == (["value"] if size_of(letter) > limit else [])
    if out.truncated:
        assert size_of(out) > limit - 100  # the room is used, not given away
        assert f"of {size:,} bytes" in out.detail


def test_only_the_headers_are_listed_when_only_they_were_cut() -> None:
    raw = RawMessage(value=b"{}", key=b"article-1",
                     headers=[(b"trace", b"x" * 400_000)] * 3)
    letter = dead_letter(raw, "invalid_article", "id: field required")
    out = fit_dead_letter(letter)
    check_fitted(raw, letter, out, OUTPUT_LIMIT_BYTES)
    assert out.truncated == ["headers"]
    assert out.original_key_b64 == letter.original_key_b64


def test_only_the_key_is_listed_when_only_it_was_cut() -> None:
    raw = RawMessage(value=b"{}", key=blob(1, MiB), headers=[(b"trace", b"1")])
    letter = dead_letter(raw, "invalid_article", "id: field required")
    out = fit_dead_letter(letter)
    check_fitted(raw, letter, out, OUTPUT_LIMIT_BYTES)
    assert out.truncated == ["key"]
    assert out.headers == letter.headers


@pytest.mark.parametrize("value, shown", [(None, None), (b"", "")])
def test_a_null_and_an_empty_value_stay_distinct_when_trimmed(
    value: bytes | None, shown: str | None
) -> None:
    raw = RawMessage(value=value, key=blob(2, MiB), headers=[(b"h", blob(3, 400_000))] * 3)
    letter = dead_letter(raw, "empty_message", "message value is empty or null")
    out = fit_dead_letter(letter)
    check_fitted(raw, letter, out, OUTPUT_LIMIT_BYTES)
    assert out.original_b64 == shown
    assert out.original_sha256 == (None if value is None else hashlib.sha256(b"").hexdigest())
    assert "value" not in out.truncated


def test_many_headers_with_odd_names_fit() -> None:
    headers: list[tuple[bytes, bytes | None]] = [
        (b"", None), (b"", b""), (b"\xff\xfe", b"\x00"), ("\x00\U0001f600".encode() * 300, None),
    ] + [(bytes([i % 256]) * 1_100, blob(i, 20_000)) for i in range(200)]
    raw = RawMessage(value=blob(4, MiB), key=None, headers=headers)
    letter = dead_letter(raw, "too_large", "x")
    out = fit_dead_letter(letter)
    check_fitted(raw, letter, out, OUTPUT_LIMIT_BYTES)
    assert out.truncated == ["headers", "value"]
    assert out.headers[:3] == [header(k, v) for k, v in headers[:3]]
    assert_valid(DLQ_SCHEMA, out)


def test_a_small_dead_letter_is_returned_as_it_is() -> None:
    letter = dead_letter(RawMessage(value=b"not json", key=b"k", headers=[(b"h", None)]),
                         "invalid_json", "expected value at line 1 column 1")
    assert fit_dead_letter(letter) is letter
    assert fit_dead_letter(letter, limit=size_of(letter)) is letter
    assert_valid(DLQ_SCHEMA, letter)


# --- dead-letter keys ---------------------------------------------------------------

@FEW
@given(key=st.one_of(st.none(), st.binary(max_size=64),
                     sized_bytes(st.sampled_from([KEY_LIMIT_BYTES - 1, KEY_LIMIT_BYTES]))))
def test_short_keys_are_kept(key: bytes | None) -> None:
    assert dead_letter_key(key) == key


@FEW
@given(key=sized_bytes(st.one_of(st.sampled_from([KEY_LIMIT_BYTES + 1, MiB]),
                                 st.integers(KEY_LIMIT_BYTES + 1, MiB))))
def test_long_keys_become_their_hash(key: bytes) -> None:
    hashed = dead_letter_key(key)
    assert hashed == b"sha256:" + hashlib.sha256(key).hexdigest().encode()
    assert hashed == dead_letter_key(bytes(key))
    assert hashed is not None and len(hashed) == 71 <= KEY_LIMIT_BYTES
