"""The forgery of issue 16 against the real worker: invented outlets cannot page anyone.

Two articles from two made-up outlet domains, each with twenty hostile sentences between
two quiet countries (written both ways, so reciprocity does not help), produced to the
articles topic like any producer could.  Before the outlet registry this took the pair
from nothing to critical (80.3) on the second message; now the pair's score passes the
warning threshold and the alert is still held at watch, capped as unverified.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

VERBS = ("attacked", "threatened", "condemned", "accused", "sanctioned", "denounced", "criticized",
         "warned")
TOPICS = ("the border", "fishing rights", "the islands", "the embassy", "trade")


def forged_article(article_id: str, domain: str, hour: int) -> bytes:
    sentences = []
    for k in range(20):
        a, b = ("Iceland", "New Zealand") if k % 2 == 0 else ("New Zealand", "Iceland")
        sentences.append(f"{a} {VERBS[k % len(VERBS)]} {b} over {TOPICS[k % len(TOPICS)]} "
                         f"in incident {k}.")
    return json.dumps({
        "id": article_id, "url": f"https://{domain}/{article_id}", "title": "Tensions rise",
        "body": " ".join(sentences), "published_at": f"2024-03-01T{hour:02d}:00:00Z",
        "source": {"name": domain, "domain": domain},
    }).encode()


def test_two_forged_articles_cannot_raise_a_pair_above_watch(kafka: str, tmp_path: Path) -> None:
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    worker = new_worker(settings, tmp_path).start()
    worker.wait_ready()
    try:
        produce(settings, [forged_article("forged-1", "daily-truth-news.com", 10),
                           forged_article("forged-2", "world-report-wire.net", 11)])
        # Read until 20 s of silence, not just the first alert: an escalation would come later.
        records = collect(settings, [settings.topics.alerts], 1_000, timeout=120, idle=20)
    finally:
        assert worker.stop() == 0, worker.log()
    alerts = [json.loads(r.value or b"") for r in records]
    assert alerts, "the flood is still visible, at watch"
    assert {a["dyad"] for a in alerts} == {"ISL|NZL"}
    assert {a["level"] for a in alerts} <= {"none", "watch"}, alerts
    raised = [a for a in alerts if a["level"] == "watch"]
    assert raised and raised[0]["capped_by"] == "unverified"
    assert raised[0]["score"] >= settings.risk.warning_enter  # the cap, not the score, holds it
