"""A real Prometheus scrapes a real worker on the real broker; every query we ship must work.

One worker is fed the sample articles plus a few broken messages; a Prometheus
binary (Debian's package) scrapes its /metrics every second with the shipped
prometheus.yml pointed at it and the shipped rules loaded.  Then every PromQL
expression in the dashboards and the rules is evaluated through the HTTP API:
none may error, and every dashboard panel must return data (the samples give
the risk agent dyads to score, so the tension panels too).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from streams import __version__
from streams.nlp import ANALYZER_VERSION
from streams.settings import Settings
from tests.observability.obs_support import WORKER_JOB, all_queries, test_config
from tests.support import Worker, collect, create_topics, free_port, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"
BAD = [b"{not json", b"\xff\xfe\x00garbage", b'{"id": "x"}']
T = TypeVar("T")


def _fresh_articles(n: int) -> list[bytes]:
    now = datetime.now(UTC).isoformat()
    return [json.dumps({
        "id": f"obs-{i}", "title": f"Item {i}", "published_at": "2022-02-20T10:00:00Z",
        "body": "Russia warned the United States on Tuesday. Ukraine thanked Poland.",
        "source": {"name": "Example Wire"}, "ingested_at": now,
    }).encode() for i in range(n)]


def wait_for(what: str, check: Callable[[], T | None], timeout: float, log: Callable[[], str],
             alive: Callable[[], bool] = lambda: True) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert alive(), f"died while waiting for {what}:\n{log()}"
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError(f"{what} not within {timeout}s\n{log()}")


class Prometheus:
    """A ``prometheus`` process on a free loopback port with its own storage."""

    def __init__(self, binary: str, config: dict[str, Any], workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.config_path = workdir / "prometheus.yml"
        self.config_path.write_text(yaml.safe_dump(config))
        self.log_path = workdir / "prometheus.log"
        self.proc = subprocess.Popen(
            [binary, f"--config.file={self.config_path}", f"--storage.tsdb.path={workdir / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=1h"],
            stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def api(self, path: str, **params: str) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.port}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as exc:   # 400/422: a PromQL error, with its message
            return dict(json.loads(exc.read()))

    def query(self, expr: str) -> dict[str, Any]:
        return self.api("/api/v1/query", query=expr)

    def results(self, expr: str) -> list[dict[str, Any]]:
        answer = self.query(expr)
        assert answer["status"] == "success", (expr, answer)
        return list(answer["data"]["result"])

    def value(self, expr: str) -> float | None:
        results = self.results(expr)
        return float(results[0]["value"][1]) if results else None

    def ready(self) -> bool:
        assert self.proc.poll() is None, self.log()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait(timeout=10)


@dataclass
class Observed:
    settings: Settings
    worker: Worker
    prometheus: Prometheus
    enriched: int
    dead_letters: int


@pytest.fixture(scope="module")
def observed(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Observed]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("prometheus is not installed (make system-deps installs Debian's package)")
    workdir = tmp_path_factory.mktemp("observability")
    settings = unique_settings(kafka, partitions=2)
    create_topics(settings)
    worker = new_worker(settings, workdir).start()
    prometheus: Prometheus | None = None
    try:
        worker.wait_ready()
        settings = worker.settings
        target = f"127.0.0.1:{settings.web_port}"
        prometheus = Prometheus(binary, test_config(target), workdir)
        wait_for("prometheus ready", prometheus.ready, 30, prometheus.log)
        p = prometheus

        def running() -> bool:
            return worker.proc is not None and worker.proc.poll() is None and p.proc.poll() is None

        def logs() -> str:
            return f"{worker.log()}\n--- prometheus ---\n{p.log()}"

        # Scraped once before any article: later samples then show the increase.
        wait_for("first scrape", lambda: p.value(f'up{{job="{WORKER_JOB}"}}') == 1, 30, logs, running)

        samples = SAMPLES.read_bytes().splitlines()
        fresh = _fresh_articles(3)
        produce(settings, samples + fresh + BAD)
        enriched = len({json.loads(line)["id"] for line in samples}) + len(fresh)
        records = collect(settings, [settings.topics.enriched, settings.topics.dead_letters],
                          enriched + len(BAD), timeout=120, idle=30)
        assert len(records) == enriched + len(BAD), worker.log()

        wait_for("the last counts scraped",
                 lambda: p.value(f'sum(streams_articles_total{{job="{WORKER_JOB}",outcome="enriched"}})')
                 == enriched, 60, logs, running)
        wait_for("consumer lag scraped and caught up",
                 lambda: len(lag := p.results("streams_consumer_lag_messages")) >= 4
                 and all(float(r["value"][1]) == 0 for r in lag), 60, logs, running)
        wait_for("a minute's worth of scrapes for rate()",
                 lambda: (p.value(f'count_over_time(up{{job="{WORKER_JOB}"}}[1m])') or 0) >= 8,
                 60, logs, running)
        yield Observed(settings, worker, prometheus, enriched, len(BAD))
    finally:
        if prometheus is not None:
            assert prometheus.stop() == 0, prometheus.log()
        worker.stop()


def test_every_dashboard_and_rule_query_evaluates(observed: Observed) -> None:
    problems = []
    queries = all_queries()
    for query in queries:
        answer = observed.prometheus.query(query.promql)
        if answer.get("status") != "success":
            problems.append(f"{query.where}: {answer.get('errorType')}: {answer.get('error')}")
        elif query.must_have_data and not answer["data"]["result"]:
            problems.append(f"{query.where}: no data for {query.promql}")
    assert not problems, "\n".join(problems)
    assert len(queries) >= 40


def test_scraped_values_match_what_the_worker_did(observed: Observed) -> None:
    p = observed.prometheus
    job = f'job="{WORKER_JOB}"'
    assert p.value(f"sum(up{{{job}}})") == 1
    assert p.value(f"sum(streams_worker_up{{{job}}})") == 1
    assert p.value(f'sum(streams_articles_total{{{job},outcome="duplicate"}})') == 1
    assert p.value(f"sum(streams_dead_letters_total{{{job}}})") == observed.dead_letters
    by_reason = {r["metric"]["reason"]: float(r["value"][1]) for r in p.results(
        f"streams_dead_letters_total{{{job}}} > 0")}
    assert by_reason == {"invalid_json": 1, "invalid_utf8": 1, "invalid_article": 1}
    assert p.value(f"sum(streams_end_to_end_latency_seconds_count{{{job}}})") == observed.enriched
    assert p.value(f"sum(streams_article_entities_count{{{job}}})") == observed.enriched
    assert p.value(f'sum(streams_stage_duration_seconds_count{{{job},stage="analyse"}})') == observed.enriched
    assert (p.value(f'sum(increase(streams_articles_total{{{job},outcome="enriched"}}[5m]))') or 0) > 0
    (info,) = p.results(f"streams_build_info{{{job}}}")
    assert (info["metric"]["version"], info["metric"]["analyzer_version"]) == (__version__, ANALYZER_VERSION)
    # Lag covers the agents' source topics (the risk agent's too, when installed), no changelogs.
    topics = observed.settings.topics
    lag_topics = {r["metric"]["topic"] for r in p.results("streams_consumer_lag_messages")}
    assert {topics.articles, topics.rekeyed} <= lag_topics
    assert lag_topics <= {topics.articles, topics.rekeyed, topics.stance_events}


def test_rules_load_and_evaluate_without_errors(observed: Observed) -> None:
    p = observed.prometheus

    def evaluated() -> list[dict[str, Any]] | None:
        rules = [{**r, "group": g["name"]}
                 for g in p.api("/api/v1/rules")["data"]["groups"] for r in g["rules"]]
        return rules if rules and all(r.get("lastEvaluation", "").startswith("2") for r in rules) else None

    rules = wait_for("every rule evaluated", evaluated, 30, p.log)
    assert {r["name"] for r in rules} >= {"StreamsWorkerDown", "StreamsConsumerLagGrowing",
                                          "StreamsDeadLetterRateHigh", "StreamsNoArticles",
                                          "StreamsDyadCritical"}
    assert all(r["health"] == "ok" for r in rules), [(r["name"], r.get("lastError")) for r in rules]
    # A healthy pipeline pages nobody (tension alerts depend on the news, not on health).
    assert [r["name"] for r in rules if r["state"] != "inactive" and r["group"] == "streams-pipeline"] == []


def test_target_is_scraped_cleanly(observed: Observed) -> None:
    targets = observed.prometheus.api("/api/v1/targets")["data"]["activeTargets"]
    (worker,) = [t for t in targets if t["labels"]["job"] == WORKER_JOB]
    assert worker["health"] == "up" and not worker["lastError"], worker
