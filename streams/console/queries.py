"""What each page reads from the store: plain SQL through SQLAlchemy Core, bounded.

Every query is limited in rows, and the pair page's aggregates run in the database over
an index (``dyad, event_time``), so a page costs the same with a hundred or a million
stored events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from streams.console import schema
from streams.console.materialise import naive_utc

FEED_PAGE = 50
#: Days of a pair's history on its chart at most, ending at its latest event; it starts at
#: the first event in them (a day early), but spans at least ``MIN_CHART_DAYS``.
CHART_DAYS = 90
MIN_CHART_DAYS = 14
LATEST_EVENTS = 25
TOP_OUTLETS = 20
PAIR_ALERTS = 200
PAIRS_OF_A_COUNTRY = 50
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class FeedFilter:
    level: str | None = None
    country: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1


def feed(conn: Connection, wanted: FeedFilter) -> tuple[list[dict[str, Any]], bool]:
    """Alerts newest first (by event time) matching ``wanted``; and whether there are more."""
    a = schema.alerts
    query = select(a.c.alert_id, a.c.dyad, a.c.level, a.c.previous_level, a.c.transition, a.c.score,
                   a.c.as_of, a.c.capped_by, a.c.value)
    if wanted.level:
        query = query.where(a.c.level == wanted.level)
    if wanted.country:
        query = query.where(or_(a.c.country_a == wanted.country, a.c.country_b == wanted.country))
    if wanted.since:
        query = query.where(a.c.as_of >= naive_utc(wanted.since))
    if wanted.until:
        query = query.where(a.c.as_of < naive_utc(wanted.until))
    query = (query.order_by(a.c.as_of.desc(), a.c.alert_id)
             .limit(FEED_PAGE + 1).offset((max(wanted.page, 1) - 1) * FEED_PAGE))
    rows = [_feed_row(r) for r in conn.execute(query).mappings()]
    return rows[:FEED_PAGE], len(rows) > FEED_PAGE


def _feed_row(row: Any) -> dict[str, Any]:
    out = dict(row)
    value = json.loads(out.pop("value"))
    top = (value.get("top_events") or [None])[0]
    out["event_count"] = value.get("event_count")
    out["distinct_outlets"] = value.get("distinct_outlets")
    out["top_sentence"] = top["sentence"] if top else None
    out["top_outlet"] = top["outlet"] if top else None
    return out


def pairs_of(conn: Connection, country: str) -> list[dict[str, Any]]:
    """The pairs a country is in (from its stance events and alerts), busiest first."""
    e = schema.stance_events
    found: dict[str, dict[str, Any]] = {}
    for member in (e.c.country_a, e.c.country_b):  # one index range each
        query = (select(e.c.dyad, func.count().label("events"), func.max(e.c.event_time).label("latest"))
                 .where(member == country).group_by(e.c.dyad))
        found.update({r["dyad"]: dict(r) for r in conn.execute(query).mappings()})
    busiest = sorted(found.values(), key=lambda p: (-p["events"], p["dyad"]))[:PAIRS_OF_A_COUNTRY]
    found = {p["dyad"]: p for p in busiest}
    a = schema.alerts
    for r in conn.execute(select(a.c.dyad).where(or_(a.c.country_a == country, a.c.country_b == country))
                          .distinct().limit(PAIRS_OF_A_COUNTRY)):
        found.setdefault(r.dyad, {"dyad": r.dyad, "events": 0, "latest": None})
    return list(found.values())


def alert(conn: Connection, alert_id: str) -> dict[str, Any] | None:
    """An alert as published, its top events completed from the stored events and articles."""
    a = schema.alerts
    row = conn.execute(select(a).where(a.c.alert_id == alert_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    value = json.loads(out["value"])
    out["components"] = value["components"]
    out["published"] = value
    events = value.get("top_events") or []
    details = _event_details(conn, [e["event_id"] for e in events])
    out["top_events"] = [{**e, **details.get(e["event_id"], {})} for e in events]
    return out


def _event_details(conn: Connection, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Speaker, PLOVER, actors and the article's title of the given events."""
    if not event_ids:
        return {}
    e, v, art = schema.stance_events, schema.evidence, schema.articles
    query = (select(v.c.event_id, v.c.speaker, v.c.trigger, v.c.plover.label("evidence_plover"),
                    e.c.plover, e.c.source_code, e.c.target_code, e.c.polarity, e.c.confidence,
                    art.c.title.label("article_title"), art.c.article_id.label("stored_article"))
             .select_from(v.outerjoin(e, e.c.event_id == v.c.event_id)
                          .outerjoin(art, art.c.article_id == v.c.article_id))
             .where(v.c.event_id.in_(event_ids)))
    out = {r["event_id"]: dict(r) for r in conn.execute(query).mappings()}
    # Events whose article is not (yet) stored: what the stance event itself says.
    missing = [i for i in event_ids if i not in out]
    if missing:
        query = (select(e.c.event_id, e.c.plover, e.c.source_code, e.c.target_code, e.c.polarity,
                        e.c.confidence).where(e.c.event_id.in_(missing)))
        out.update({r["event_id"]: dict(r) for r in conn.execute(query).mappings()})
    for details in out.values():
        details["plover"] = details.get("plover") or details.pop("evidence_plover", None)
    return out


def pair(conn: Connection, dyad: str) -> dict[str, Any] | None:
    """A pair's story: alerts, daily intensities over the chart window, latest events, outlets."""
    e, a = schema.stance_events, schema.alerts
    latest_event = conn.execute(select(func.max(e.c.event_time)).where(e.c.dyad == dyad)).scalar()
    alerts = _rows(conn,
        select(a.c.alert_id, a.c.level, a.c.previous_level, a.c.transition, a.c.score, a.c.as_of,
               a.c.capped_by)
        .where(a.c.dyad == dyad).order_by(a.c.as_of.desc(), a.c.alert_id).limit(PAIR_ALERTS))
    if latest_event is None and not alerts:
        return None
    end = max(filter(None, [latest_event, alerts[0]["as_of"] if alerts else None]))
    end_day = int(_epoch_seconds(end) // 86400)
    earliest = end_day - CHART_DAYS + 1
    first = conn.execute(select(func.min(e.c.event_time)).where(
        e.c.dyad == dyad, e.c.event_time >= _from_epoch_day(earliest))).scalar()
    first_day = int(_epoch_seconds(first) // 86400) if first is not None else end_day
    start_day = max(earliest, min(end_day - MIN_CHART_DAYS + 1, first_day - 1))
    window = and_(e.c.dyad == dyad, e.c.event_time >= _from_epoch_day(start_day))
    days = _rows(conn,
        select(e.c.event_day.label("day"), func.sum(e.c.conflict).label("conflict"),
               func.sum(e.c.cooperation).label("cooperation"), func.count().label("events"))
        .where(window).group_by(e.c.event_day).order_by(e.c.event_day))
    hostile = case((e.c.polarity == "hostile", 1), else_=0)
    cooperative = case((e.c.polarity == "cooperative", 1), else_=0)
    outlets = _rows(conn,
        select(e.c.outlet, func.count().label("events"), func.sum(hostile).label("hostile"),
               func.sum(cooperative).label("cooperative"), func.max(e.c.event_time).label("latest"))
        .where(window).group_by(e.c.outlet).order_by(func.count().desc(), e.c.outlet).limit(TOP_OUTLETS))
    v, art = schema.evidence, schema.articles
    latest = _rows(conn,
        select(e, v.c.speaker, v.c.trigger, art.c.title.label("article_title"),
               art.c.article_id.label("stored_article"))
        .select_from(e.outerjoin(v, v.c.event_id == e.c.event_id)
                     .outerjoin(art, art.c.article_id == e.c.article_id))
        .where(e.c.dyad == dyad).order_by(e.c.event_time.desc(), e.c.event_id).limit(LATEST_EVENTS))
    total = conn.execute(select(func.count()).select_from(e).where(e.c.dyad == dyad)).scalar() or 0
    return {"dyad": dyad, "alerts": alerts, "days": days, "start_day": start_day, "end_day": end_day,
            "outlets": outlets, "latest": latest, "event_total": int(total)}


def article(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """An enriched article as stored, with its stances' evidence."""
    art, v = schema.articles, schema.evidence
    row = conn.execute(select(art).where(art.c.article_id == article_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["reasons"] = json.loads(out["reasons"])
    out["stances"] = _rows(conn,
        select(v).where(v.c.article_id == article_id).order_by(v.c.field.desc(), v.c.event_id))
    return out


def status(conn: Connection) -> dict[str, Any]:
    """Row counts and the next offset of each partition read: for health checks and `streams run`."""
    counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0
              for t in (schema.alerts, schema.stance_events, schema.articles, schema.evidence)}
    offsets: dict[str, dict[str, int]] = {}
    for r in conn.execute(select(schema.offsets)):
        offsets.setdefault(r.topic, {})[str(r.partition)] = r.next_offset
    return {"rows": counts, "offsets": offsets}


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(query).mappings()]


def _epoch_seconds(moment: datetime) -> float:
    return (moment - datetime(1970, 1, 1)).total_seconds()


def _from_epoch_day(day: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(days=day)
