"""A record of a topic as one readable line (``streams tail``, ``run``, ``process``, ``replay``)."""

from __future__ import annotations

import json
from typing import Any


def _readable(topic: str, value: bytes | None) -> str:
    """One line per record; never raises, whatever the record holds."""
    if value is None:
        return f"[{topic}] <null>"
    try:
        obj = json.loads(value)
    except (ValueError, RecursionError):
        return f"[{topic}] <{len(value)} bytes, not JSON>"
    if not isinstance(obj, dict):
        return f"[{topic}] {value[:200]!r}"
    try:
        return _describe_record(obj) or f"[{topic}] {value[:300].decode('utf-8', 'replace')}"
    except (KeyError, TypeError, ValueError, AttributeError):
        return f"[{topic}] {value[:300].decode('utf-8', 'replace')}"


def _describe_record(obj: dict[str, Any]) -> str | None:
    if "enrichment_id" in obj:
        actors = ", ".join(f"{a['code']}×{a['mentions']}" for a in obj.get("actors", []))
        stances = "; ".join(
            f"{s['source']['code']}→{s['target']['code']} {s['cameo_code']} {s['polarity']}"
            for s in obj.get("stances", [])
        )
        extra = f" reasons={obj['reasons']}" if obj.get("reasons") else ""
        return (f"ENRICHED {obj['id']} [{obj['status']}{extra}] actors: {actors or '-'}"
                + (f" | stances: {stances}" if stances else ""))
    if "alert_id" in obj:
        return (f"ALERT {obj['dyad']} {obj['previous_level']}→{obj['level']} "
                f"score={obj['score']:.1f}: {obj['explanation']}")
    if "original_b64" in obj:
        return f"DEAD LETTER {obj['reason']}: {obj['detail']}"
    if "event_id" in obj:
        return (f"STANCE {obj['dyad']} {obj['source_code']}→{obj['target_code']} "
                f"{obj['cameo_code']} g={obj['goldstein']}: {obj['sentence'][:100]}")
    return None
