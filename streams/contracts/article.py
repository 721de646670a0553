"""The input contract: one news article on ``news.articles.v1``."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from streams.contracts.common import EventTime

#: Article ids are opaque to us but become Kafka keys, table keys and parts
#: of derived ids; 256 characters holds any URL hash or UUID with room.
MAX_ID_CHARS = 256
#: A long feature runs ~50k characters; 200k leaves headroom while keeping a
#: single message's analysis bounded (and far below Kafka's 1 MiB default).
MAX_BODY_CHARS = 200_000
MAX_TITLE_CHARS = 2_000
MAX_URL_CHARS = 4_096


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
    """

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    id: Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^\S+$")]
    url: Annotated[str | None, Field(max_length=MAX_URL_CHARS)] = None
    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] = ""
    body: Annotated[str, Field(max_length=MAX_BODY_CHARS)] = ""
    published_at: EventTime
    source: Source
    #: ISO 639-1 code as declared by the producer; ``None`` means unknown.
    language: Annotated[str | None, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] = "en"
    #: When the crawler put the article on the bus; used for end-to-end latency.
    ingested_at: EventTime | None = None
