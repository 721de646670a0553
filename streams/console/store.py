"""The console's store: SQLite (embedded default) or PostgreSQL, written by idempotent upserts.

A batch of rows and the offsets after it are written in one transaction, so a crash
between the two cannot happen: after a restart the consumer resumes at the stored
offsets, and whatever it reads again is upserted onto identical rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from streams.console import schema
from streams.console.materialise import Row, Rows

log = logging.getLogger("streams.console")

#: The SQLite file in ``STREAMS_DATA_DIR`` when ``STREAMS_CONSOLE_DB`` is empty.
SQLITE_FILE = "console.sqlite3"


def database_url(configured: str, data_dir: str) -> str:
    """The SQLAlchemy URL of the store: the configured one, else SQLite in the data dir.

    ``postgresql://`` means the psycopg 3 driver the project installs (SQLAlchemy's
    default for that scheme is psycopg2).
    """
    if not configured:
        return f"sqlite:///{Path(data_dir).resolve() / SQLITE_FILE}"
    if configured.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + configured.split("://", 1)[1]
    return configured


def open_store(url: str) -> Engine:
    """An engine on ``url`` with the console's tables created (if missing)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if _outdated(engine):
        # The store only mirrors the topics: tables of an older layout are dropped, offsets
        # included, and the consumer reads everything again.
        log.warning("streams console: the store's tables have an older layout; rebuilding them")
        schema.metadata.drop_all(engine)
    schema.metadata.create_all(engine)
    return engine


def _outdated(engine: Engine) -> bool:
    """Whether a console table exists with other columns than :mod:`.schema` declares."""
    found = inspect(engine)
    for table in schema.metadata.sorted_tables:
        if found.has_table(table.name):
            columns = {c["name"] for c in found.get_columns(table.name)}
            if columns != {c.name for c in table.columns}:
                return True
    return False


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL: the web server reads while the consumer writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def upsert(conn: Connection, table: Table, rows: Iterable[Row]) -> int:
    """Insert rows, replacing any with the same key; returns how many distinct keys.

    Within one call the last row of a key wins (PostgreSQL refuses to update a row twice
    in one statement, and a batch may hold a topic's duplicates).
    """
    keys = schema.KEYS[table.name]
    unique = list({tuple(r[k] for k in keys): r for r in rows}.values())
    if not unique:
        return 0
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    statement = insert(table)
    update = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=update), unique)
    return len(unique)


def write(engine: Engine, rows: Rows, positions: Mapping[tuple[str, int], int]) -> None:
    """Upsert ``rows`` and record ``positions`` ((topic, partition) → next offset), atomically."""
    with engine.begin() as conn:
        for name in Rows.tables():
            upsert(conn, schema.metadata.tables[name], getattr(rows, name))
        upsert(conn, schema.offsets, [
            {"topic": topic, "partition": partition, "next_offset": offset}
            for (topic, partition), offset in positions.items()
        ])


def stored_offsets(engine: Engine) -> dict[tuple[str, int], int]:
    with engine.connect() as conn:
        return {(r.topic, r.partition): r.next_offset for r in conn.execute(select(schema.offsets))}


def wipe(engine: Engine) -> None:
    """Empty every table: ``--rebuild`` then reads the topics from their earliest offsets."""
    with engine.begin() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(delete(table))
