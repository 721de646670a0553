"""Bounded output sizes: every value we publish fits what Kafka accepts by default.

Faust's producer refuses a record over 1,000,000 bytes (``producer_max_request_size``)
and the broker one over ~1 MiB (``message.max.bytes``).  An output that large is not
retried into success: without a bound, one article that quotes a huge sentence in every
stance, or a dead letter of a 1 MiB input (base64 adds a third), would fail its send for
good.  So every output value is built to stay under :data:`OUTPUT_LIMIT_BYTES`, leaving
room for the key and the record overhead, and says what it gave up:

* an enriched article first shortens its evidence sentences to a window around the
  source, target and trigger spans, then keeps fewer entities, then fewer stances; it is
  then ``status: partial`` with the reason ``output_trimmed``;
* a stance event shortens its sentence the same way;
* a dead letter keeps topic, partition, offset, the sha256 and size of the original value
  and a prefix of it (and of the key and header values when those are the problem), and
  lists in ``truncated`` what was shortened.

Pure functions: the worker and the offline command publish the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from streams.contracts import (
    DeadLetter,
    EnrichedArticle,
    Entity,
    Evidence,
    Header,
    Stance,
    StanceEvent,
)

#: Largest JSON value we publish, in bytes: under Faust's 1,000,000-byte producer limit
#: with room for a key (ids are at most 256 characters) and the record's own overhead.
OUTPUT_LIMIT_BYTES = 900_000
#: Largest key we publish; a longer original key is replaced by its hash in dead letters.
KEY_LIMIT_BYTES = 1_024
#: Characters kept either side of the spans when an evidence sentence is shortened.
EVIDENCE_MARGIN_CHARS = 200
#: Header values (and the key) of a dead letter keep this much when they must shrink.
_METADATA_PREFIX_BYTES = 1_024
_MAX_HEADERS = 64

M = TypeVar("M", bound=BaseModel)


def size_of(model: BaseModel) -> int:
    """Bytes of the model's JSON as we publish it."""
    return len(model.model_dump_json().encode())


def _shrink_until(model: M, steps: list[Callable[[M], M]], limit: int) -> M:
    for step in steps:
        if size_of(model) <= limit:
            break
        model = step(model)
    return model


def window(sentence: str, start: int, spans: list[tuple[int, int]],
           margin: int = EVIDENCE_MARGIN_CHARS) -> tuple[str, int]:
    """The part of ``sentence`` (which starts at ``start``) around ``spans``, and its start.

    Spans are offsets into the field, as in :class:`Evidence`; they stay valid.
    """
    lo = max(start, min(s for s, _ in spans) - margin)
    hi = min(start + len(sentence), max(e for _, e in spans) + margin)
    return sentence[lo - start:hi - start], lo


def _short_evidence(evidence: Evidence) -> Evidence:
    spans = [evidence.source_span, evidence.target_span, evidence.trigger_span]
    sentence, start = window(evidence.sentence, evidence.sentence_start, spans)
    return evidence.model_copy(update={"sentence": sentence, "sentence_start": start})


def _with_reason(article: EnrichedArticle) -> EnrichedArticle:
    reasons = article.reasons if "output_trimmed" in article.reasons else [
        *article.reasons, "output_trimmed"]
    return article.model_copy(update={"status": "partial", "reasons": reasons})


def _shorten_evidence(article: EnrichedArticle) -> EnrichedArticle:
    stances = [s.model_copy(update={"evidence": _short_evidence(s.evidence)})
               for s in article.stances]
    return article.model_copy(update={"stances": stances})


def _halve(field: str) -> Callable[[EnrichedArticle], EnrichedArticle]:
    def step(article: EnrichedArticle) -> EnrichedArticle:
        items: list[Stance | Entity] = getattr(article, field)
        return article.model_copy(update={field: items[:len(items) // 2]})
    return step


def fit_enriched(article: EnrichedArticle, limit: int = OUTPUT_LIMIT_BYTES) -> EnrichedArticle:
    """The article itself when it fits; otherwise trimmed (evidence, entities, stances)."""
    if size_of(article) <= limit:
        return article
    steps: list[Callable[[EnrichedArticle], EnrichedArticle]] = [
        _shorten_evidence, *[_halve("entities")] * 24, *[_halve("stances")] * 24]
    # The reason (and ``partial``) go in first: their bytes count towards the limit too.
    return _shrink_until(_with_reason(article), steps, limit)


def fit_stance_event(event: StanceEvent, limit: int = OUTPUT_LIMIT_BYTES) -> StanceEvent:
    """The event itself when it fits; otherwise with its sentence cut to fit."""
    size = size_of(event)
    sentence = event.sentence
    while size > limit and sentence:
        # JSON bytes per character vary (1 to 6): cut in proportion, then check again.
        sentence = sentence[:max(0, len(sentence) * limit // size - 16)]
        event = event.model_copy(update={"sentence": sentence})
        size = size_of(event)
    return event


def _b64_prefix(b64: str | None, keep_bytes: int) -> str | None:
    if b64 is None:
        return None
    return base64.b64encode(base64.b64decode(b64)[:keep_bytes]).decode("ascii")


def _mark(letter: DeadLetter, part: str) -> DeadLetter:
    truncated = letter.truncated if part in letter.truncated else [*letter.truncated, part]
    return letter.model_copy(update={"truncated": truncated})


def _shorten_metadata(letter: DeadLetter) -> DeadLetter:
    keep = _METADATA_PREFIX_BYTES
    headers = [Header(key=h.key[:keep], key_b64=_b64_prefix(h.key_b64, keep) or "",
                      value_b64=_b64_prefix(h.value_b64, keep)) for h in letter.headers[:_MAX_HEADERS]]
    key = _b64_prefix(letter.original_key_b64, keep)
    shortened = letter.model_copy(update={"headers": headers, "original_key_b64": key})
    # ``truncated`` names only the parts that actually changed.
    if key != letter.original_key_b64:
        shortened = _mark(shortened, "key")
    if headers != letter.headers:
        shortened = _mark(shortened, "headers")
    return shortened


def _shorten_value(letter: DeadLetter, limit: int) -> DeadLetter:
    if letter.original_b64 is None:  # a null value: nothing to shorten, and it stays null
        return letter
    value = base64.b64decode(letter.original_b64)

    def keeping(room: int) -> DeadLetter:
        kept = base64.b64encode(value[:room]).decode("ascii")
        detail = (f"{letter.detail} [original value truncated to its first {room:,} of "
                  f"{letter.original_size:,} bytes to fit the dead-letter topic]")[-4_000:]
        return _mark(letter.model_copy(update={"original_b64": kept, "detail": detail}), "value")

    # Measured with the note in ``detail`` and ``value`` in ``truncated``: they count too.
    # 16 bytes spare cover the note's number growing from "0" (by at most 10 characters
    # below a 1 GB limit) and base64 rounding up (by under 3).
    room = max(0, (limit - size_of(keeping(0)) - 16) * 3 // 4)
    if room >= len(value):  # the value is not what makes the letter too large
        return letter
    return keeping(room)


def fit_dead_letter(letter: DeadLetter, limit: int = OUTPUT_LIMIT_BYTES) -> DeadLetter:
    """The letter itself when it fits; otherwise with a prefix of what made it too large."""
    if size_of(letter) <= limit:
        return letter
    original = letter.model_copy(update={"original_b64": ""})
    if size_of(original) > limit // 4:  # the key and headers are the problem
        letter = _shorten_metadata(letter)
    if size_of(letter) > limit:
        letter = _shorten_value(letter, limit)
    return letter


def dead_letter_key(key: bytes | None) -> bytes | None:
    """The dead letter's own key: the original key, or its hash when that is too long."""
    if key is None or len(key) <= KEY_LIMIT_BYTES:
        return key
    return b"sha256:" + hashlib.sha256(key).hexdigest().encode()
