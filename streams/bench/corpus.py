"""The benchmark corpus: realistic news with no duplicate shortcut.

The bundled sample articles plus, when ``../shared/eval/gum_news`` is
present, its 24 Wikinews documents.  Each repetition gets a fresh id and a
rotated sentence order, so neither the dedup table nor any cache can skip
work that a real feed would need.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
GUM = REPO.parent / "shared" / "eval" / "gum_news" / "gum_news_entities.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def base_articles() -> tuple[list[dict[str, Any]], str]:
    """English articles with a body, and a description of where they came from."""
    text = resources.files("streams.samples").joinpath("articles.jsonl").read_text("utf-8")
    samples = [json.loads(line) for line in text.splitlines() if line.strip()]
    articles = [a for a in samples if a.get("body") and a.get("language", "en") == "en"]
    seen: set[str] = set()
    articles = [a for a in articles if not (a["id"] in seen or seen.add(a["id"]))]  # type: ignore[func-returns-value]
    described = f"{len(articles)} sample articles"
    if GUM.exists():
        docs: dict[str, list[str]] = defaultdict(list)
        for line in GUM.read_text("utf-8").splitlines():
            row = json.loads(line)
            docs[row["doc"]].append(row["text"])
        for name, sentences in sorted(docs.items()):
            articles.append({
                "id": name, "title": sentences[0], "body": " ".join(sentences[1:]),
                "published_at": "2019-06-01T12:00:00Z", "language": "en",
                "source": {"name": "Wikinews", "domain": "wikinews.org"},
                "url": f"https://en.wikinews.org/wiki/{name}",
            })
        described += f" + {len(docs)} gum_news documents"
    return articles, described


def corpus(n: int) -> list[dict[str, Any]]:
    """``n`` distinct articles cycling over the base set with rotated sentences."""
    base, _ = base_articles()
    out = []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(n):
        article = dict(base[i % len(base)])
        sentences = _SENTENCE.split(article["body"])
        shift = (i // len(base)) % max(1, len(sentences))
        article["body"] = " ".join(sentences[shift:] + sentences[:shift])
        article["id"] = f"bench-{i}-{article['id']}"
        article["published_at"] = (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z")
        out.append(article)
    return out
