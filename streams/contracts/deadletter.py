"""Dead letters: what could not be processed, with everything to replay it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from streams.contracts.common import Model

#: Machine-readable reasons; ``detail`` carries the human text.
DeadLetterReason = Literal[
    "empty_message",
    "too_large",
    "invalid_utf8",
    "invalid_json",
    "invalid_article",
    "analysis_timeout",
    "analysis_error",
    "invalid_event",
    # Offsets the Kafka client could not read at all (see streams.agents.aiokafka_compat).
    "unreadable_record",
    # The broker refused an output for good (too large, invalid, not authorized).
    "publish_rejected",
]

#: Parts of the original record a dead letter may shorten to stay under the output limit.
TruncatedPart = Literal["value", "key", "headers"]


class Header(Model):
    """One record header as it arrived."""

    #: Header name as text; bytes that are not UTF-8 show as U+FFFD here.
    key: str
    #: Header name, base64: the exact bytes (Kafka does not check that names are UTF-8).
    key_b64: str
    #: Header value, base64 (headers are bytes and may not be UTF-8); ``None`` for a null value.
    value_b64: str | None


class DeadLetter(Model):
    """The value on ``news.articles.dlq.v1``.

    It describes the record as it first arrived on the input topic (key, value,
    headers, topic, partition, offset), also for articles that were re-keyed
    before they failed.  The original bytes travel base64-encoded so they
    survive intact even when they are not UTF-8; ``detail`` says exactly what
    was wrong.  A dead letter stays under the output limit (see
    ``streams.pipeline.bounds``): when the original would not fit, ``truncated``
    names the parts kept only as a prefix, and ``original_sha256`` identifies
    the whole value.
    """

    reason: DeadLetterReason
    detail: Annotated[str, Field(max_length=4_000)]
    #: The value, base64; ``None`` when the record's value was null (``""`` when empty).
    original_b64: str | None
    #: Hex sha256 of the whole original value; ``None`` for a null value.
    original_sha256: Annotated[str | None, Field(pattern=r"^[0-9a-f]{64}$")] = None
    original_key_b64: str | None = None
    original_size: Annotated[int, Field(ge=0)]
    headers: list[Header] = []
    #: Parts kept only as a prefix because the whole would exceed the output limit.
    truncated: list[TruncatedPart] = []
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None
    #: The article id when the payload was readable enough to find one.
    article_id: str | None = None
