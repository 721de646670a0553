"""Stance detection: who acts toward whom, CAMEO-coded, from the parse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from spacy.tokens import Doc

from streams.contracts import Entity, Stance
from streams.contracts.enriched import TextField


def extract_stances(doc: Doc, entities: Sequence[Entity], field: TextField,
                    published_at: datetime | None = None) -> list[Stance]:
    """Directed stances between the actor mentions of ``doc``.

    Not implemented yet: returns no stances (the enriched contract already
    carries the field).
    """
    return []
