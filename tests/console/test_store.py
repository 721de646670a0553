"""The store: idempotent upserts, offsets written with the rows, and the pages' queries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from streams.console import queries, schema
from streams.console.materialise import Rows
from streams.console.store import database_url, open_store, stored_offsets, wipe, write
from tests.console.conftest import all_rows
from tests.console.values import TopicValues


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in schema.metadata.sorted_tables}


def test_writing_everything_again_changes_nothing(store: Engine, values: TopicValues) -> None:
    before = _dump(store)
    assert len(before["alerts"]) == len(values.alerts)
    assert len(before["stance_events"]) == len({json.loads(v)["event_id"] for v in values.stance_events})
    rows = all_rows(values)
    doubled = all_rows(values)
    doubled.extend(rows)  # a batch holding a topic's duplicates
    write(store, doubled, {("geo.alerts.v1", 0): len(values.alerts)})
    assert _dump(store) == before


def test_offsets_are_stored_with_the_rows_and_advance(store: Engine) -> None:
    write(store, Rows(), {("geo.alerts.v1", 0): 7, ("geo.alerts.v1", 1): 3})
    assert stored_offsets(store) == {("geo.alerts.v1", 0): 7, ("geo.alerts.v1", 1): 3}
    wipe(store)
    assert stored_offsets(store) == {}
    assert all(not rows for rows in _dump(store).values())


def test_database_url_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    assert database_url("", str(tmp_path)) == f"sqlite:///{tmp_path / 'console.sqlite3'}"
    assert database_url("postgresql://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    engine = open_store(database_url("", str(tmp_path / "new")))
    assert (tmp_path / "new" / "console.sqlite3").exists()
    engine.dispose()


def test_feed_is_newest_first_and_filters(store: Engine, values: TopicValues) -> None:
    published = sorted((json.loads(v) for v in values.alerts), key=lambda a: a["as_of"], reverse=True)
    with store.connect() as conn:
        rows, more = queries.feed(conn, queries.FeedFilter())
        assert [r["alert_id"] for r in rows] == [a["alert_id"] for a in published]
        assert not more
        assert rows[0]["top_sentence"] == published[0]["top_events"][0]["sentence"]
        levels = {a["level"] for a in published}
        for level in ("none", "watch", "warning", "critical"):
            got, _ = queries.feed(conn, queries.FeedFilter(level=level))
            assert len(got) == sum(a["level"] == level for a in published)
            assert (level in levels) == bool(got)
        got, _ = queries.feed(conn, queries.FeedFilter(country="UKR"))
        assert {r["dyad"] for r in got} == {a["dyad"] for a in published if "UKR" in a["dyad"]} != set()
        newest = datetime.fromisoformat(published[0]["as_of"].replace("Z", "+00:00"))
        got, _ = queries.feed(conn, queries.FeedFilter(since=newest))
        assert [r["alert_id"] for r in got] == [published[0]["alert_id"]]
        got, _ = queries.feed(conn, queries.FeedFilter(until=datetime(2000, 1, 1, tzinfo=UTC)))
        assert got == []


def test_alert_has_its_evidence_completed_from_the_article(store: Engine, values: TopicValues) -> None:
    published = next(json.loads(v) for v in values.alerts if json.loads(v)["dyad"] == "RUS|UKR")
    with store.connect() as conn:
        found = queries.alert(conn, published["alert_id"])
        assert queries.alert(conn, "0" * 64) is None
    assert found is not None
    assert found["explanation"] == published["explanation"]
    assert [e["event_id"] for e in found["top_events"]] == [e["event_id"] for e in published["top_events"]]
    top = found["top_events"][0]
    assert top["sentence"] == published["top_events"][0]["sentence"]
    assert top["stored_article"] == published["top_events"][0]["article_id"]
    assert top["article_title"] and top["source_code"] and top["trigger"]


def test_pair_story(store: Engine, values: TopicValues) -> None:
    events = [json.loads(v) for v in values.stance_events if json.loads(v)["dyad"] == "RUS|UKR"]
    with store.connect() as conn:
        pair = queries.pair(conn, "RUS|UKR")
        assert queries.pair(conn, "ABC|XYZ") is None
        pairs = queries.pairs_of(conn, "RUS")
    assert pair is not None
    assert pair["event_total"] == len({e["event_id"] for e in events})
    assert sum(d["events"] for d in pair["days"]) == pair["event_total"]  # all within the window
    assert {a["level"] for a in pair["alerts"]} == {"watch"}
    assert {o["outlet"] for o in pair["outlets"]} == {e["outlet"] for e in events}
    latest = max(e["event_time"] for e in events)
    assert pair["latest"][0]["event_time"].strftime("%Y-%m-%dT%H:%M:%SZ") == latest
    assert "RUS|UKR" in {p["dyad"] for p in pairs}


def test_status_counts_rows(store: Engine, values: TopicValues) -> None:
    with store.connect() as conn:
        status = queries.status(conn)
    assert status["rows"]["alerts"] == len(values.alerts)
    assert status["offsets"] == {"geo.alerts.v1": {"0": len(values.alerts)}}


def test_a_store_of_an_older_layout_is_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "console.sqlite3"
    with sqlite3.connect(path) as db:  # an earlier layout: stance_events without country columns
        db.execute("CREATE TABLE stance_events (event_id TEXT PRIMARY KEY, dyad TEXT)")
        db.execute("CREATE TABLE offsets (topic TEXT, partition INTEGER, next_offset INTEGER, "
                   "PRIMARY KEY (topic, partition))")
        db.execute("INSERT INTO offsets VALUES ('geo.alerts.v1', 0, 99)")
    engine = open_store(f"sqlite:///{path}")
    try:
        assert stored_offsets(engine) == {}  # read again from the start
        write(engine, Rows(), {("geo.alerts.v1", 0): 1})
        assert stored_offsets(engine) == {("geo.alerts.v1", 0): 1}
    finally:
        engine.dispose()
