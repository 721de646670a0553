"""Building blocks shared by every topic contract.

Every model is frozen and forbids unknown fields on output, so what we
publish is exactly what ``schemas/`` promises.  Input models are lenient
about *extra* fields (producers evolve) but strict about types.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

#: Earliest and latest event time we accept.  Wider ranges are almost always
#: parsing bugs upstream (epoch 0, year 9999 placeholders) and would poison
#: the decayed risk sums, so they are rejected with a clear reason.
EARLIEST_EVENT_TIME = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_EVENT_TIME = datetime(2100, 1, 1, tzinfo=UTC)


def _in_supported_range(value: datetime) -> datetime:
    if not EARLIEST_EVENT_TIME <= value < LATEST_EVENT_TIME:
        raise ValueError(
            f"timestamp {value.isoformat()} is outside the supported range "
            f"{EARLIEST_EVENT_TIME.year}-{LATEST_EVENT_TIME.year}"
        )
    return value.astimezone(UTC)


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _rfc3339_shaped(value: object) -> object:
    """Refuse epoch numbers, even as strings: their unit (s? ms?) is a guess."""
    if isinstance(value, str):
        if not _RFC3339.match(value):
            raise ValueError("timestamp must be RFC 3339, e.g. 2021-10-27T14:05:00Z")
        return datetime.fromisoformat(value)
    return value


#: A timezone-aware timestamp, normalised to UTC.  Naive timestamps are
#: rejected: guessing a zone silently shifts events across decay windows.
EventTime = Annotated[
    AwareDatetime, BeforeValidator(_rfc3339_shaped), AfterValidator(_in_supported_range)
]

#: CAMEO-style actor code: ISO-3166 alpha-3 (or IGO / a group code) plus
#: optional three-letter role codes, e.g. ``RUS``, ``RUSGOV``, ``USAMILGOV``.
ActorCode = Annotated[str, Field(pattern=r"^[A-Z]{3}([A-Z]{3})*$", max_length=24)]

#: A dyad key: two country-level codes, sorted, joined by ``|``.
DyadKey = Annotated[str, Field(pattern=r"^[A-Z]{3}\|[A-Z]{3}$")]

#: Hex digest used for deterministic ids.
HexId = Annotated[str, Field(pattern=r"^[0-9a-f]{16,64}$")]

Polarity = Literal["cooperative", "hostile", "neutral"]
QuadClass = Literal[1, 2, 3, 4]


class Model(BaseModel):
    """Base for published values: immutable, exact, JSON-friendly."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


def dyad_key(a: str, b: str) -> str:
    """The partition key of a pair of country-level codes, order-free."""
    x, y = sorted((a[:3], b[:3]))
    return f"{x}|{y}"
