"""The console's fixtures: real topic values (once per module) and a store filled with them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from streams.console.materialise import Rows, materialise
from streams.console.store import open_store, write
from streams.settings import Settings
from tests.console.values import SCRIPT_ARTICLE, TopicValues, topic_values


@pytest.fixture(scope="session")
def values(analyzer) -> TopicValues:  # type: ignore[no-untyped-def]
    return topic_values(analyzer, [SCRIPT_ARTICLE])


def all_rows(values: TopicValues) -> Rows:
    rows = Rows()
    risk = Settings().risk
    for kind, items in (("enriched", values.enriched), ("stance_event", values.stance_events),
                        ("alert", values.alerts)):
        for value in items:
            rows.extend(materialise(kind, value, risk))  # type: ignore[arg-type]
    return rows


@pytest.fixture()
def store(tmp_path: Path, values: TopicValues) -> Iterator[Engine]:
    engine = open_store(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    write(engine, all_rows(values), {("geo.alerts.v1", 0): len(values.alerts)})
    try:
        yield engine
    finally:
        engine.dispose()
