"""Turning raw Kafka bytes into a valid article, or a dead letter that says why.

Kept free of Kafka types: the worker and the offline command both hand us a
``RawMessage``, so malformed input is judged identically everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from streams.contracts import Article, DeadLetter, DeadLetterReason, Header

#: Above Kafka's default 1 MiB message size a producer would already fail;
#: anything this big that reaches us is refused before parsing.
DEFAULT_MAX_MESSAGE_BYTES = 1_048_576
_MAX_DETAIL = 1_000


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One input record as received, before any interpretation.

    Header names are bytes: Kafka does not require them to be UTF-8.
    """

    value: bytes | None
    key: bytes | None = None
    headers: Sequence[tuple[bytes, bytes | None]] = field(default_factory=tuple)
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def header(name: bytes, value: bytes | None) -> Header:
    """A header as the dead letter shows it: readable name, exact name and value bytes."""
    return Header(key=name.decode("utf-8", "replace"), key_b64=_b64(name) or "",
                  value_b64=_b64(value))


def _guess_id(text: str) -> str | None:
    """The article id, if the payload is readable enough to show one."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        return str(obj["id"])[:256]
    return None


def dead_letter(raw: RawMessage, reason: DeadLetterReason, detail: str,
                article_id: str | None = None) -> DeadLetter:
    """A dead letter carrying the original bytes intact (null stays distinct from empty)."""
    value = raw.value
    return DeadLetter(
        reason=reason,
        detail=detail[:_MAX_DETAIL],
        original_b64=_b64(value),
        original_sha256=None if value is None else hashlib.sha256(value).hexdigest(),
        original_key_b64=_b64(raw.key),
        original_size=len(value or b""),
        headers=[header(k, v) for k, v in raw.headers],
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        timestamp_ms=raw.timestamp_ms,
        article_id=article_id,
    )


def _describe(error: ValidationError) -> str:
    """Field-by-field reasons without echoing (possibly huge) inputs."""
    parts = []
    for item in error.errors(include_input=False, include_url=False)[:10]:
        where = ".".join(str(p) for p in item["loc"]) or "<root>"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def decode(raw: RawMessage, max_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> Article | DeadLetter:
    """Validate one message; every failure becomes a dead letter with its reason."""
    value = raw.value
    if not value:
        return dead_letter(raw, "empty_message", "message value is empty or null")
    if len(value) > max_bytes:
        return dead_letter(raw, "too_large", f"message is {len(value)} bytes; limit is {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return dead_letter(raw, "invalid_utf8", f"value is not UTF-8: {exc}")
    try:
        article = Article.model_validate_json(text)
    except ValidationError as exc:
        # Includes unpaired UTF-16 surrogate escapes, which the parser refuses.
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return dead_letter(raw, "invalid_json", _describe(exc))
        return dead_letter(raw, "invalid_article", _describe(exc), _guess_id(text))
    return article
