"""JSON Schema of every topic value, for producers in any language.

``schemas/<topic>.schema.json`` is generated from the pydantic models; a
test regenerates them and fails on any difference, so code and contract
cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from streams.contracts import Alert, Article, DeadLetter, EnrichedArticle, StanceEvent

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Topic → (model, validation mode).  Input contracts are exported in
#: "validation" mode (what we accept), outputs in "serialization" mode
#: (what we emit).
TOPIC_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "news.articles.v1": (Article, "validation"),
    "news.enriched.v1": (EnrichedArticle, "serialization"),
    "news.articles.dlq.v1": (DeadLetter, "serialization"),
    "geo.stance-events.v1": (StanceEvent, "validation"),
    "geo.alerts.v1": (Alert, "serialization"),
}


def schema_for(topic: str) -> dict[str, Any]:
    model, mode = TOPIC_MODELS[topic]
    schema = model.model_json_schema(mode=mode)  # type: ignore[arg-type]
    major = topic.rsplit(".v", 1)[1]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:streams:schema:{topic}",
        "x-topic": topic,
        "x-schema-version": int(major),
        **schema,
    }


def render(topic: str) -> str:
    return json.dumps(schema_for(topic), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export(directory: Path) -> list[Path]:
    """Write one ``<topic>.schema.json`` per topic; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for topic in TOPIC_MODELS:
        path = directory / f"{topic}.schema.json"
        path.write_text(render(topic), encoding="utf-8")
        written.append(path)
    return written


def drifted(directory: Path) -> list[str]:
    """Topics whose schema file is missing or differs from the models."""
    return [
        topic for topic in TOPIC_MODELS
        if not (p := directory / f"{topic}.schema.json").exists()
        or p.read_text(encoding="utf-8") != render(topic)
    ]
