"""The console's store on a real PostgreSQL server (the production option).

Skipped, with the reason, only where PostgreSQL's binaries are not installed; CI installs
them (``make system-deps``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from streams.console import queries
from streams.console.store import database_url, open_store, stored_offsets, write
from tests.console.conftest import all_rows
from tests.console.postgres import binaries, postgres_server
from tests.console.test_store import _dump
from tests.console.test_web import get
from tests.console.values import TopicValues

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(binaries() is None, reason="PostgreSQL is not installed "
                       "(/usr/lib/postgresql/*/bin/initdb; `make system-deps` installs it)"),
]


@pytest.fixture(scope="module")
def pg_store(values: TopicValues) -> Iterator[Engine]:
    with postgres_server() as configured:  # what STREAMS_CONSOLE_DB would say
        url = database_url(configured, "unused")
        assert url.startswith("postgresql+psycopg://")
        engine = open_store(url)
        try:
            write(engine, all_rows(values), {("geo.alerts.v1", 0): len(values.alerts)})
            yield engine
        finally:
            engine.dispose()


def test_upserts_are_idempotent_on_postgres(pg_store: Engine, values: TopicValues) -> None:
    assert pg_store.dialect.name == "postgresql"
    before = _dump(pg_store)
    assert len(before["alerts"]) == len(values.alerts) > 0
    twice = all_rows(values)
    twice.extend(all_rows(values))
    write(pg_store, twice, {("geo.alerts.v1", 0): len(values.alerts) * 2})
    assert _dump(pg_store) == before | {"offsets": [("geo.alerts.v1", 0, len(values.alerts) * 2)]}
    assert stored_offsets(pg_store) == {("geo.alerts.v1", 0): len(values.alerts) * 2}


def test_pages_read_from_postgres(pg_store: Engine, values: TopicValues) -> None:
    alert = next(a for a in map(json.loads, values.alerts) if a["dyad"] == "RUS|UKR")
    with pg_store.connect() as conn:
        rows, _ = queries.feed(conn, queries.FeedFilter(country="UKR"))
        pair = queries.pair(conn, "RUS|UKR")
    assert [r["alert_id"] for r in rows] == [alert["alert_id"]]
    assert pair is not None and pair["days"] and pair["outlets"]
    status, html, _ = get(pg_store, f"/alerts/{alert['alert_id']}")
    assert status == 200 and alert["top_events"][0]["outlet"] in html
    status, html, _ = get(pg_store, "/pairs/RUS-UKR")
    assert status == 200 and 'class="transition"' in html
    assert "&lt;script&gt;" in html and "<script" not in html
