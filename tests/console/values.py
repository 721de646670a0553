"""Real topic values for the console's tests: the sample feed (plus one hostile article whose
text carries markup) through the same core as the worker, and the alerts the risk engine
raises from its stance events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from streams.contracts.article import Article
from streams.risk import replay
from streams.settings import Settings

#: An article whose title, body and URL try to inject markup and script into the console.
SCRIPT_ARTICLE = {
    "id": "rus-ukr-markup", "url": "javascript:alert('url')",
    "title": "Shelling <script>alert('title')</script> <b>bold</b>",
    "body": "Russian forces attacked Ukrainian positions <script>alert('sentence')</script> with "
            "artillery <img src=x onerror=alert(1)>, Ukraine's military said.",
    "published_at": "2022-02-20T11:00:00Z",
    "source": {"name": "Markup <i>Wire</i>", "domain": "markup.example.org"}, "language": "en",
}


@dataclass(frozen=True)
class TopicValues:
    """Values as the topics carry them (JSON bytes), in publication order."""

    enriched: list[bytes]
    stance_events: list[bytes]
    alerts: list[bytes]


def sample_lines() -> list[bytes]:
    text = resources.files("streams.samples").joinpath("articles.jsonl").read_bytes()
    return [line for line in text.splitlines() if line.strip()]


def topic_values(analyzer: Any, extra: list[dict[str, Any]] | None = None) -> TopicValues:
    from streams.pipeline.enrich import enrich

    enriched, events = [], []
    seen: set[str] = set()
    for line in [*sample_lines(), *(json.dumps(a).encode() for a in extra or [])]:
        article = Article.model_validate_json(line)
        if article.id in seen:
            continue
        seen.add(article.id)
        result = enrich(article, analyzer)
        enriched.append(result.enriched.model_dump_json().encode())
        events.extend(result.stance_events)
    _, alerts = replay(events, Settings().risk, flush_at_end=False)
    return TopicValues(enriched, [e.model_dump_json().encode() for e in events],
                       [a.model_dump_json().encode() for a in alerts])
