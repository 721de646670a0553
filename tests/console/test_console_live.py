"""``streams console`` on a real run: a real broker, a real worker, the sample feed.

The worker enriches the sample feed (and an article carrying markup); the console reads the
three topics into its store and serves the pages, fetched here over HTTP as a browser would.
Duplicates on the topics, a restart and a ``--rebuild`` leave the store as it was.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.settings import Settings
from tests.console.live import Console
from tests.console.values import SCRIPT_ARTICLE, TopicValues, sample_lines
from tests.support import collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration


@dataclass
class Run:
    settings: Settings
    workdir: Path
    alerts: list[dict[str, object]]
    events: int
    articles: int

    @property
    def rows(self) -> dict[str, int]:
        return {"alerts": len(self.alerts), "stance_events": self.events, "articles": self.articles}


@pytest.fixture(scope="module")
def run(kafka: str, tmp_path_factory: pytest.TempPathFactory, values: TopicValues) -> Iterator[Run]:
    """The worker's outputs for the sample feed, as the topics hold them."""
    workdir = tmp_path_factory.mktemp("console-run")
    settings = unique_settings(kafka)
    create_topics(settings)
    worker = new_worker(settings, workdir).start()
    try:
        worker.wait_ready()
        lines = [*sample_lines(), json.dumps(SCRIPT_ARTICLE).encode()]
        produce(settings, lines)
        t = settings.topics
        enriched = collect(settings, [t.enriched], len(values.enriched), timeout=240, idle=240)
        assert len(enriched) == len(values.enriched), worker.log()
        events = collect(settings, [t.stance_events], len(values.stance_events), timeout=60, idle=5)
        alerts = collect(settings, [t.alerts], len(values.alerts), timeout=60, idle=10)
        assert alerts, worker.log()
    finally:
        worker.stop()
    yield Run(settings, workdir, [json.loads(r.value) for r in alerts],
              len({json.loads(r.value)["event_id"] for r in events}), len(enriched))


@pytest.fixture(scope="module")
def console(run: Run) -> Iterator[Console]:
    console = Console.start(run.settings, run.workdir / "console")
    try:
        console.wait_rows(run.rows)
        yield console
    finally:
        assert console.stop() == 0, console.log()


def test_pages_of_a_real_run(run: Run, console: Console) -> None:
    status, feed = console.get("/")
    assert status == 200
    for alert in run.alerts:
        assert f'href="/alerts/{alert["alert_id"]}"' in feed
    rus_ukr = next(a for a in run.alerts if a["dyad"] == "RUS|UKR")
    status, page = console.get(f"/alerts/{rus_ukr['alert_id']}")
    assert status == 200
    top = rus_ukr["top_events"][0]  # type: ignore[index]
    assert top["sentence"].replace("'", "&#39;") in page
    assert f'href="/articles/{top["article_id"]}"' in page  # the enriched article is stored
    status, pair = console.get("/pairs/RUS-UKR")
    assert status == 200 and "<svg" in pair
    assert re.search(rf'<a href="/alerts/{rus_ukr["alert_id"]}" class="transition">', pair)
    assert "&lt;script&gt;alert(&#39;sentence&#39;)&lt;/script&gt;" in pair and "<script" not in pair


def test_duplicates_restart_and_rebuild_leave_the_store_as_it_was(run: Run, console: Console) -> None:
    before = console.health()
    # Every alert once more on the topic, as a retried send would publish it.
    produce(run.settings, [json.dumps(a).encode() for a in run.alerts], run.settings.topics.alerts)
    alerts_topic = run.settings.topics.alerts
    wanted = sum(before["offsets"][alerts_topic].values()) + len(run.alerts)
    console.wait_rows(run.rows)
    for _ in range(120):
        if sum(console.health()["offsets"][alerts_topic].values()) == wanted:
            break
        time.sleep(0.5)
    assert sum(console.health()["offsets"][alerts_topic].values()) == wanted
    assert console.health()["rows"] == before["rows"]
    data = console.log_path.parent
    second = Console.start(run.settings, data / "rebuilt", "--rebuild")
    try:
        second.wait_rows(run.rows)
    finally:
        assert second.stop() == 0, second.log()
