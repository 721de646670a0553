"""GDELT 2.0 event export rows (61 tab-separated columns) to stance events.

Choices, all documented in ``docs/risk.md``:

* event time is ``DATEADDED`` (when GDELT first saw the report, 15-minute
  resolution, UTC) because that is what "real time" means for a feed and
  what our own analyzer uses (publication time); ``SQLDATE`` (the day the
  act took place, often days earlier) is the fallback;
* the outlet is the domain of ``SOURCEURL``, so rows of one act reported by
  different outlets corroborate each other;
* the signature hashes (actor codes, event code, ``SQLDATE``) whichever way
  the act runs: GDELT re-codes the same act from each new article (and often
  its mirror image, "A attacks B" and "B attacks A" from one report of a
  clash), and those rows collapse to one event;
* ``NumSources`` and ``NumArticles`` are kept (``source_count``,
  ``article_count``): the engine counts the sources GDELT saw for one act
  toward corroboration when the row's own outlet is registered;
* the event id derives from ``GLOBALEVENTID`` alone, so re-loading a file or
  an overlapping file is idempotent;
* the CAMEO meaning (quad class, polarity, PLOVER) comes from our table; the
  row's Goldstein value is kept when it is a number in range.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

from streams.cameo import UnknownCameoCode, lookup
from streams.contracts.geo import StanceEvent
from streams.risk.loaders.common import (
    LoadError,
    build_event,
    coded_signature,
    hex_id,
    valid_actor_code,
)

#: GDELT 2.0 event table columns, in file order.
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
DEFAULT_CONFIDENCE = 0.8


def load_gdelt(
    lines: Iterable[str],
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    include_domestic: bool = False,
) -> Iterator[StanceEvent | LoadError]:
    """One :class:`StanceEvent` or :class:`LoadError` per non-blank input line."""
    for number, line in enumerate(lines, start=1):
        raw = line.rstrip("\r\n")
        if not raw.strip():
            continue
        yield _row(number, raw, confidence, include_domestic)


def _row(number: int, raw: str, confidence: float, include_domestic: bool) -> StanceEvent | LoadError:
    values = raw.split("\t")
    if len(values) != len(COLUMNS):
        return LoadError.of(number, "malformed", f"expected {len(COLUMNS)} columns, got {len(values)}", raw)
    row = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
    if not row["GLOBALEVENTID"].isdigit():
        return LoadError.of(number, "malformed", "GLOBALEVENTID is not an integer", raw)

    when = _event_time(row)
    if when is None:
        return LoadError.of(number, "bad_date", "neither DATEADDED nor SQLDATE is a date", raw)
    try:
        cameo = lookup(row["EventCode"])
    except UnknownCameoCode as exc:
        return LoadError.of(number, "unknown_code", str(exc), raw)

    source = _actor(row, "Actor1")
    target = _actor(row, "Actor2")
    if source is None or target is None:
        missing = [n for n, c in (("Actor1", source), ("Actor2", target)) if c is None]
        return LoadError.of(number, "unresolved_actor", "no country for " + ", ".join(missing), raw)

    url = row["SOURCEURL"] or None
    return build_event(
        line=number,
        raw=raw,
        event_id=hex_id("gdelt", row["GLOBALEVENTID"]),
        source_code=source,
        target_code=target,
        cameo=cameo,
        goldstein=_goldstein(row["GoldsteinScale"], cameo.goldstein),
        confidence=confidence,
        event_time=when,
        outlet=_outlet(url),
        sentence=_sentence(row, cameo.name),
        signature=coded_signature(*sorted((source, target)), cameo.code, row["SQLDATE"]),
        origin="gdelt",
        include_domestic=include_domestic,
        url=url if url and url.startswith(("http://", "https://")) else None,
        source_count=_count(row["NumSources"]),
        article_count=_count(row["NumArticles"]),
    )


def _count(text: str) -> int | None:
    """A positive count column, or ``None`` (blank, zero, garbage)."""
    return int(text) if text.isdigit() and int(text) > 0 else None


def _event_time(row: dict[str, str]) -> datetime | None:
    for field, pattern in (("DATEADDED", "%Y%m%d%H%M%S"), ("SQLDATE", "%Y%m%d")):
        try:
            return datetime.strptime(row[field], pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _actor(row: dict[str, str], prefix: str) -> str | None:
    """The actor code, anchored on the country (``RUSGOV``), or ``None``."""
    country = row[f"{prefix}CountryCode"]
    if len(country) != 3 or not country.isalpha() or not country.isupper():
        return None
    code = row[f"{prefix}Code"]
    if code.startswith(country) and valid_actor_code(code):
        return code
    role = row[f"{prefix}Type1Code"]
    return country + role if valid_actor_code(country + role) else country


def _goldstein(text: str, fallback: float) -> float:
    try:
        value = float(text)
    except ValueError:
        return fallback
    return value if -10.0 <= value <= 10.0 else fallback


def _outlet(url: str | None) -> str:
    if not url:
        return "gdelt"
    host = urlsplit(url).hostname if "://" in url else None
    if not host:
        return url[:100]
    return host.removeprefix("www.")


def _sentence(row: dict[str, str], action: str) -> str:
    """A readable stand-in for the missing sentence: who did what to whom."""
    actor1 = row["Actor1Name"] or row["Actor1Code"]
    actor2 = row["Actor2Name"] or row["Actor2Code"]
    return f"{actor1} -- {action} -- {actor2}"
