"""The input contract: one news article on ``news.articles.v1``."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from streams.contracts.common import EventTime

#: Article ids are opaque to us but become Kafka keys, table keys and parts
#: of derived ids; 256 characters holds any URL hash or UUID with room.
MAX_ID_CHARS = 256
#: A long feature runs ~50k characters; 200k leaves headroom while keeping a
#: single message's analysis bounded (and far below Kafka's 1 MiB default).
MAX_BODY_CHARS = 200_000
MAX_TITLE_CHARS = 2_000
MAX_URL_CHARS = 4_096


def _nfc(value: object) -> object:
    """Canonically equivalent ids are one id: compose them (Unicode NFC)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


#: An article id: NFC-normalised *before* the limits apply, so the length and
#: whitespace checks judge exactly the id we key, dedup and hash with.
ArticleId = Annotated[
    str,
    Field(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^\S+$"),
    BeforeValidator(_nfc),  # listed last: runs first, before the str checks
]


class Source(BaseModel):
    """The outlet that published the article."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    name: Annotated[str, Field(min_length=1, max_length=200)]
    domain: Annotated[str | None, Field(max_length=253)] = None
    #: ISO-3166 alpha-3 of the outlet's home country, when known.
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{3}$")] = None


class Article(BaseModel):
    """A news article as crawlers produce it.

    Unknown extra fields are ignored (producers may add fields without a
    coordinated release); known fields are strictly typed: a number where a
    string belongs, or a Unix epoch where an RFC 3339 timestamp belongs, is an
    error rather than a silent coercion.  Validate with ``model_validate_json``.

    The id is normalised to Unicode NFC on input, so canonically equivalent
    spellings (``café`` with a precomposed ``é`` or with ``e`` + U+0301) are
    the same article for dedup, Kafka keys and derived ids.  The limits apply
    to the normalised id: 1 to 256 characters, none of them whitespace (so an
    id that is empty after stripping is rejected).  Compatibility forms are
    not folded (NFC, not NFKC): ``ﬁ`` and ``fi`` stay different ids.

    Timestamps must carry an offset and lie in ``1900-01-01T00:00:00Z <= t <
    2101-01-01T00:00:00Z``; a leap second (``23:59:60Z``) is read as the last
    instant of its minute, ``23:59:59.999999Z``.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    id: ArticleId
    url: Annotated[str | None, Field(max_length=MAX_URL_CHARS)] = None
    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] = ""
    body: Annotated[str, Field(max_length=MAX_BODY_CHARS)] = ""
    published_at: EventTime
    source: Source
    #: ISO 639-1 code as declared by the producer; ``None`` means unknown.
    language: Annotated[str | None, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] = "en"
    #: When the crawler put the article on the bus; used for end-to-end latency.
    ingested_at: EventTime | None = None
