"""``streams console`` on a real run: a real broker, a real worker, the sample feed.

The worker enriches the sample feed (and an article carrying markup); the console reads the
three topics into its store and serves the pages, fetched here over HTTP as a browser would.
Duplicates on the topics, a restart and a ``--rebuild`` leave the store as it was.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from streams.harness import settings_env
from streams.settings import Settings
from tests.console.browser import chromium, missing
from tests.console.live import Console
from tests.console.values import SCRIPT_ARTICLE, TopicValues, sample_lines
from tests.reliability.harness import read_to_end
from tests.support import collect, create_topics, free_port, new_worker, produce, unique_settings

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
        deadline = time.monotonic() + 240
        while True:  # bounded; a worker that died fails at once, with its log
            enriched = collect(settings, [t.enriched], len(values.enriched), timeout=20, idle=20)
            if len(enriched) >= len(values.enriched) or time.monotonic() > deadline:
                break
            assert worker.proc is not None and worker.proc.poll() is None, worker.log()
        assert len(enriched) == len(values.enriched), worker.log()
        # Then until the risk agent has been quiet a while: what it publishes is what the
        # console must show (the core's own run of the feed says how much at least).
        events = collect(settings, [t.stance_events], 10**6, timeout=90, idle=5)
        alerts = collect(settings, [t.alerts], 10**6, timeout=90, idle=10)
        assert len(alerts) >= len(values.alerts) and len(events) >= len(values.stance_events), worker.log()
    finally:
        worker.stop()
    out = read_to_end(settings, [t.enriched, t.stance_events, t.alerts])  # all, now it stopped
    on = {topic: [json.loads(o.value or b"") for o in out if o.topic == topic] for topic in
          (t.enriched, t.stance_events, t.alerts)}
    yield Run(settings, workdir, on[t.alerts], len({e["event_id"] for e in on[t.stance_events]}),
              len({a["id"] for a in on[t.enriched]}))


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
    # Every alert once more on the topic, as a retried send would publish it, and a value
    # that is no alert at all (skipped with its coordinates; it stays on the topic).
    produce(run.settings, [*(json.dumps(a).encode() for a in run.alerts), b'{"not": "an alert"}'],
            run.settings.topics.alerts)
    alerts_topic = run.settings.topics.alerts
    wanted = sum(before["offsets"][alerts_topic].values()) + len(run.alerts) + 1
    console.wait_rows(run.rows)
    for _ in range(120):
        if sum(console.health()["offsets"][alerts_topic].values()) == wanted:
            break
        time.sleep(0.5)
    assert sum(console.health()["offsets"][alerts_topic].values()) == wanted
    assert console.health()["rows"] == before["rows"]
    assert re.search(rf"{re.escape(alerts_topic)} partition \d+ offset \d+ skipped: not a valid alert",
                     console.log()), console.log()
    data = console.log_path.parent
    second = Console.start(run.settings, data / "rebuilt", "--rebuild")
    try:
        second.wait_rows(run.rows)
    finally:
        assert second.stop() == 0, second.log()


@pytest.mark.slow
@pytest.mark.skipif(missing() is not None, reason=str(missing()))
def test_an_analyst_clicks_from_the_feed_to_the_alert_to_the_pair(run: Run, console: Console) -> None:
    """Headless Chromium: search, feed → RUS|UKR alert → the pair's page; the evidence sentence
    and the chart are there, the markup in an article stays text.  Screenshots go to a temporary
    dir, or to ``$CONSOLE_SCREENSHOTS`` (``docs/img`` for the README)."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    shots = Path(os.environ.get("CONSOLE_SCREENSHOTS") or run.workdir / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    # The latest RUS|UKR rise: the alert an analyst must judge.
    rises = [a for a in run.alerts if a["dyad"] == "RUS|UKR" and a["transition"] in ("raise", "escalate")]
    rus_ukr = max(rises, key=lambda a: str(a["as_of"]))
    top = rus_ukr["top_events"][0]  # type: ignore[index]

    def shoot(driver: Any, name: str) -> None:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(int(height), 600), 2400))
        driver.save_screenshot(str(shots / f"console-{name}.png"))
        driver.set_window_size(1280, 1000)

    with chromium() as driver:
        driver.get(console.url)
        assert driver.title.startswith("Alerts")
        rows = driver.find_elements(By.CSS_SELECTOR, "#feed tbody tr")
        assert len(rows) == len(run.alerts)
        shoot(driver, "feed")
        href = f"/alerts/{rus_ukr['alert_id']}"
        link = driver.find_element(By.CSS_SELECTOR, f"#feed a.alert-link[href='{href}']")
        row = link.find_element(By.XPATH, "./ancestor::tr")
        assert "RUS|UKR" in row.text and str(rus_ukr["level"]) in row.text.lower()
        link.click()

        assert driver.current_url.endswith(f"/alerts/{rus_ukr['alert_id']}")
        assert driver.find_element(By.ID, "explanation").text == rus_ukr["explanation"]
        sentences = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "blockquote.sentence")]
        assert top["sentence"] in sentences
        shoot(driver, "alert")
        driver.find_element(By.ID, "pair-link").click()

        assert driver.current_url.endswith("/pairs/RUS-UKR")
        chart = driver.find_element(By.CSS_SELECTOR, "#chart svg")
        assert chart.size["width"] > 500
        markers = driver.find_elements(By.CSS_SELECTOR, "#chart a.transition")
        assert len(markers) == sum(a["dyad"] == "RUS|UKR" for a in run.alerts)
        assert driver.find_elements(By.CSS_SELECTOR, "#chart rect.bar")
        texts = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "blockquote.sentence"))
        assert "<script>alert('sentence')</script>" in texts  # shown as text, not run
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 - no script ran, so no dialog
        shoot(driver, "pair")

        search = driver.find_element(By.ID, "search")
        search.send_keys("iran israel", Keys.ENTER)
        assert driver.current_url.endswith("/pairs/IRN-ISR")


@pytest.mark.parametrize("serve", [False, True])
def test_streams_run_ends_with_the_console(run: Run, tmp_path: Path, serve: bool) -> None:
    """What ``streams run`` calls last: the run's topics into the store, and a console left
    serving it when someone is at the terminal (stopped here as a user would stop it)."""
    from streams.cli.console_cmd import _running, _stop_background, console_after_run

    settings = run.settings.model_copy(update={"data_dir": str(tmp_path), "console_port": free_port()})
    lines = console_after_run(settings, serve=serve)
    try:
        base = f"http://127.0.0.1:{settings.console_port}/"
        assert base in lines[0], lines
        urls = {f"{base}alerts/{a['alert_id']}" for a in run.alerts}
        assert {line.split()[4] for line in lines[1:]} == urls
        assert (_running(settings) is not None) == serve
        if serve:
            for url in urls:
                with urllib.request.urlopen(url, timeout=10) as response:
                    assert response.status == 200
    finally:
        _stop_background(settings)
    assert _running(settings) is None


def test_credentials_check_and_refusal(run: Run, console: Console, tmp_path: Path) -> None:
    """Beyond loopback without credentials: refused before listening.  With a password: every
    page asks for it, and ``--check`` (the container health check) presents it."""
    env = {**os.environ, **settings_env(run.settings), "STREAMS_DATA_DIR": str(tmp_path)}

    def streams(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "streams", "console", *args], env={**env, **extra},
                              capture_output=True, text=True, timeout=120)

    refused = streams("--offline", STREAMS_CONSOLE_HOST="0.0.0.0", STREAMS_CONSOLE_PORT=str(free_port()))
    assert refused.returncode == 2
    assert "without credentials" in refused.stderr and "STREAMS_CONSOLE_PASSWORD" in refused.stderr
    port = console.url.rsplit(":", 1)[1].strip("/")
    assert streams("--check", STREAMS_CONSOLE_PORT=port).returncode == 0
    assert streams("--check", STREAMS_CONSOLE_PORT=str(free_port())).returncode == 1

    guarded = Console.start(run.settings, tmp_path / "guarded", "--offline", STREAMS_CONSOLE_PASSWORD="pw")
    try:
        assert guarded.get("/")[0] == 401
        port = guarded.url.rsplit(":", 1)[1].strip("/")
        assert streams("--check", STREAMS_CONSOLE_PORT=port, STREAMS_CONSOLE_PASSWORD="pw").returncode == 0
        assert streams("--check", STREAMS_CONSOLE_PORT=port, STREAMS_CONSOLE_PASSWORD="no").returncode == 1
    finally:
        assert guarded.stop() == 0, guarded.log()


def test_a_failed_store_write_loses_nothing(run: Run, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The store fails on the first batch: the consumer starts over from the stored offsets,
    so the rows of that batch are written once the store is back."""
    import asyncio

    from sqlalchemy.exc import OperationalError

    from streams.cli import console_follow
    from streams.console import queries
    from streams.console.store import open_store

    real_write, failures = console_follow.write, []

    def flaky_write(*args: Any) -> None:
        if not failures:
            failures.append(1)
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        real_write(*args)

    monkeypatch.setattr(console_follow, "write", flaky_write)
    engine = open_store(f"sqlite:///{tmp_path / 'console.sqlite3'}")

    async def follow() -> dict[str, int]:
        stop = asyncio.Event()
        follower = console_follow.Follower(run.settings, engine)
        task = asyncio.create_task(follower.run(stop))
        rows: dict[str, int] = {}
        for _ in range(120):
            await asyncio.sleep(0.5)
            with engine.connect() as conn:
                rows = queries.status(conn)["rows"]
            if all(rows[k] == v for k, v in run.rows.items()):
                break
        stop.set()
        await asyncio.wait_for(task, 30)
        await follower.stop()
        return rows

    try:
        rows = asyncio.run(follow())
    finally:
        engine.dispose()
    assert failures == [1]
    assert {k: rows[k] for k in run.rows} == run.rows
