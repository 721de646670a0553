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

#: The supported event times: ``EARLIEST_EVENT_TIME <= t < LATEST_EVENT_TIME``
#: in UTC, i.e. the years 1900 through 2100 inclusive.  Wider ranges are almost
#: always parsing bugs upstream (epoch 0, year 9999 placeholders) and would
#: poison the decayed risk sums, so they are rejected with a clear reason.
EARLIEST_EVENT_TIME = datetime(1900, 1, 1, tzinfo=UTC)
#: Exclusive: the first instant *after* the supported range (2100 is included).
LATEST_EVENT_TIME = datetime(2101, 1, 1, tzinfo=UTC)


def _in_supported_range(value: datetime) -> datetime:
    if not EARLIEST_EVENT_TIME <= value < LATEST_EVENT_TIME:
        raise ValueError(
            f"timestamp {value.isoformat()} is outside the supported range "
            f"{EARLIEST_EVENT_TIME.year}-{LATEST_EVENT_TIME.year - 1} "
            f"(from {EARLIEST_EVENT_TIME:%Y-%m-%dT%H:%M:%SZ}, "
            f"before {LATEST_EVENT_TIME:%Y-%m-%dT%H:%M:%SZ})"
        )
    return value.astimezone(UTC)


#: Date, separator and ``hh:mm``; group 1 is the seconds field, when present.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::(\d{2}))?", re.ASCII)
_FRACTION = re.compile(r"^[.,]\d+", re.ASCII)
#: The last representable instant of a minute (``datetime`` has microseconds).
_LAST_INSTANT_OF_MINUTE = "59.999999"


def _rfc3339_shaped(value: object) -> object:
    """Parse an RFC 3339 string; refuse epoch numbers, even as strings (s? ms?).

    Parsing is ``datetime.fromisoformat`` plus what RFC 3339 allows and it
    does not:

    * a lowercase ``z`` offset (``t`` as the separator it already takes);
    * a leap second, ``hh:mm:60`` (e.g. ``2016-12-31T23:59:60Z``).  Python's
      ``datetime`` cannot represent it, so it maps to the last representable
      instant of that minute, ``hh:mm:59.999999`` in the same offset (any
      fraction of the leap second is dropped).  It still sorts after every
      other instant of that minute but ``:59.999999`` itself, and before the
      next minute.  Second 60 is accepted in any minute (with an offset a real
      leap second is not at 23:59, e.g. ``15:59:60-08:00``, and we keep no
      leap-second table); 61 and above are rejected.
    """
    if isinstance(value, str):
        shape = _RFC3339.match(value)
        if shape is None:
            raise ValueError("timestamp must be RFC 3339, e.g. 2021-10-27T14:05:00Z")
        second = shape.group(1)
        if second is not None and int(second) > 60:
            raise ValueError("second must be in 0..60 (60 only for a leap second)")
        if second == "60":
            rest = value[shape.end():]
            rest = rest[fraction.end():] if (fraction := _FRACTION.match(rest)) else rest
            value = value[: shape.start(1)] + _LAST_INSTANT_OF_MINUTE + rest
        if value.endswith("z"):
            value = value[:-1] + "Z"
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
