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
]


class Header(Model):
    key: str
    #: Header value, base64 (headers are bytes and may not be UTF-8).
    value_b64: str | None


class DeadLetter(Model):
    """The value on ``news.articles.dlq.v1``.

    The original bytes travel base64-encoded so they survive intact even when
    they are not UTF-8; ``detail`` says exactly what was wrong.
    """

    reason: DeadLetterReason
    detail: Annotated[str, Field(max_length=4_000)]
    original_b64: str
    original_key_b64: str | None = None
    original_size: Annotated[int, Field(ge=0)]
    headers: list[Header] = []
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None
    #: The article id when the payload was readable enough to find one.
    article_id: str | None = None
