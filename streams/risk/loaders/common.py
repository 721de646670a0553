"""What every feed loader shares: errors with reasons, ids, signatures, actors.

Loaders never drop a row silently: each input row becomes either a
:class:`StanceEvent` or a :class:`LoadError` saying why, so a backfill can
report exactly how much of an archive it used.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import ValidationError

from streams.cameo import CameoCode
from streams.contracts.common import dyad_key
from streams.contracts.geo import Origin, StanceEvent

Reason = Literal[
    "malformed",  # wrong number of columns, unparsable field
    "bad_date",
    "unknown_code",  # the CAMEO code is not in the codebook
    "unknown_relation",  # an ICEWS event text with no CAMEO mapping
    "unresolved_actor",  # no country for an actor (persons, groups, regions)
    "domestic",  # both actors in one country (not a dyad between states)
    "invalid",  # the event failed the StanceEvent contract
]

_ACTOR_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
_ROW_PREVIEW = 500


@dataclass(frozen=True, slots=True)
class LoadError:
    """A row that could not become a stance event, and why."""

    line: int
    reason: Reason
    detail: str
    raw: str

    @classmethod
    def of(cls, line: int, reason: Reason, detail: str, raw: str) -> LoadError:
        return cls(line, reason, detail, raw[:_ROW_PREVIEW])


def hex_id(*parts: str, length: int = 32) -> str:
    """A deterministic id from the identifying parts of a record."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def coded_signature(*parts: str) -> str:
    """A 64-bit signature for coded (sentence-less) records, as 16 hex digits.

    Coded feeds have no sentence to SimHash; hashing the coded content
    (dyad, code, day) makes records of the same act on the same day
    near-duplicates of each other, which is how syndicated coverage shows
    up in GDELT and ICEWS.  Unrelated records are ~32 bits apart.
    """
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()


def valid_actor_code(code: str) -> bool:
    return bool(_ACTOR_CODE.match(code)) and len(code) <= 24


def build_event(
    *,
    line: int,
    raw: str,
    event_id: str,
    source_code: str,
    target_code: str,
    cameo: CameoCode,
    goldstein: float,
    confidence: float,
    event_time: datetime,
    outlet: str,
    sentence: str,
    signature: str,
    origin: Origin,
    include_domestic: bool,
    url: str | None = None,
    article_id: str | None = None,
    source_count: int | None = None,
    article_count: int | None = None,
) -> StanceEvent | LoadError:
    """The stance event for a resolved row, or why it cannot be one."""
    source_country, target_country = source_code[:3], target_code[:3]
    if source_country == target_country and not include_domestic:
        return LoadError.of(line, "domestic", f"both actors are {source_country}", raw)
    try:
        return StanceEvent(
            event_id=event_id,
            dyad=dyad_key(source_country, target_country),
            source_code=source_code,
            target_code=target_code,
            source_country=source_country,
            target_country=target_country,
            cameo_code=cameo.code,
            plover=cameo.plover,
            quad_class=cameo.quad_class,
            goldstein=goldstein,
            polarity=cameo.polarity,
            confidence=confidence,
            event_time=event_time,
            article_id=article_id,
            url=url,
            outlet=outlet,
            sentence=sentence,
            signature=signature,
            origin=origin,
            source_count=source_count,
            article_count=article_count,
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return LoadError.of(line, "invalid", problems, raw)
