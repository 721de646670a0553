"""PETRARCH-2 unit-test records: event recall, false positives and event roots.

The suite's fictional actors (Arnor, Gondor) come from its own actor and agent
files, plugged into actor resolution the way the suite's coder reads them.
Part of the stance evaluation (:func:`streams.evaluation.stance.evaluate_stance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from streams.contracts import ActorRef, Entity
from streams.evaluation.actor_sets import ratio, read_jsonl
from streams.nlp.actors import ActorTable
from streams.nlp.gazetteer import GAZETTEER_PIPE, ActorGazetteer, table_entries
from streams.nlp.resolve import resolve_entities
from streams.nlp.stance import extract_stances
from streams.nlp.stance.verbpatterns import configured_path

#: The suite's agents file, beside its actors file: role nouns ("police", "students").
PETRARCH_AGENTS = "PETR.Validate.agents.txt"


class Parser(Protocol):
    """What the suite needs from ``streams.nlp.Analyzer``: its spaCy pipeline."""

    nlp: Language



def read_petrarch_actors(path: Path) -> dict[str, str]:
    """Surface form (upper case, spaces) -> actor code, from a PETRARCH actor file."""
    table: dict[str, str] = {}
    code: str | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("+"):
            if code:
                table.setdefault(_petr_name(line[1:]), code)
            continue
        match = re.match(r"^(.+?)\s*\[([^\]]*)\]", line)
        if match is None:
            code = None
            continue
        name = _petr_name(match.group(1))
        letters = re.sub(r"[^A-Za-z]", "", match.group(2).split()[0] if match.group(2).split() else "")
        code = letters.upper() if len(letters) >= 3 and len(letters) % 3 == 0 else None
        if code and name:
            table.setdefault(name, code)
    return table


def _petr_name(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("_", " ")).strip().upper()


def _petrarch_entities(text: str, actors: dict[str, str], resolved: list[Entity]) -> list[Entity]:
    """Gold-dictionary entities for the fictional actors, plus resolved real ones."""
    upper = text.upper()
    taken: list[tuple[int, int]] = []
    out: list[Entity] = []
    for name in sorted(actors, key=len, reverse=True):
        for m in re.finditer(r"(?<![A-Z])" + re.escape(name) + r"[A-Z]*", upper):
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            code = actors[name][:24]
            # "Russian police": the dictionary says RUS, the role noun made it RUSCOP; as
            # PETRARCH's own coder composes its agents, the composed actor stands
            composed = [r for r in resolved if r.start < e and s < r.end and r.actor is not None
                        and r.actor.country == code[:3] and r.actor.role is not None]
            if composed:
                out.extend(composed)
                continue
            ref = ActorRef(code=code, country=code[:3], role=None, name=name.title(),
                           basis="petrarch:validate")
            out.append(Entity(field="body", start=s, end=e, text=text[s:e], label="GPE",
                              actor=ref, usage="actor"))
    out += [e for e in resolved if not any(a < e.end and e.start < b for a, b in taken)]
    return sorted(out, key=lambda e: e.start)


def _record_date(record: dict[str, Any]) -> datetime | None:
    """The record's date (``19950104``): the suite's actors hold dated roles ("HOB < 950601")."""
    try:
        return datetime.strptime(str(record.get("date", "")), "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class PetrarchSuite:
    """How a PETRARCH record is read: the suite's dictionaries plugged in, as a user would.

    Its actors and agents files (``PETR.Validate.*``) go into actor resolution
    (``ActorTable.load(petrarch_actors=..., petrarch_role_nouns=...)``), the
    suite's names ("Gollum") are found the way ours are, by the gazetteer over
    that table, and each record is resolved on its own date.
    """

    nlp: Language
    actors: dict[str, str]
    table: ActorTable | None
    gazetteer: ActorGazetteer | None

    @classmethod
    def load(cls, nlp: Language, actors_path: Path | None) -> PetrarchSuite:
        actors = read_petrarch_actors(actors_path) if actors_path and actors_path.exists() else {}
        agents = actors_path.with_name(PETRARCH_AGENTS) if actors_path else None
        table = (ActorTable.load(petrarch_actors=[actors_path], petrarch_role_nouns=[agents])
                 if actors_path is not None and agents is not None and agents.exists() else None)
        gazetteer = ActorGazetteer(nlp, table_entries(table)) if table is not None else None
        return cls(nlp, actors, table, gazetteer)

    def read(self, record: dict[str, Any]) -> tuple[Doc, list[Entity]]:
        """The parsed record and its entities."""
        if self.gazetteer is None:
            doc = self.nlp(record["text"])
        else:
            with self.nlp.select_pipes(disable=[GAZETTEER_PIPE]):
                doc = self.gazetteer(self.nlp(record["text"]))
        resolved = resolve_entities(doc, _record_date(record), "body", self.table)
        return doc, _petrarch_entities(record["text"], self.actors, resolved)


def evaluate_petrarch(analyzer: Parser, path: Path, actors_path: Path | None,
                      limit: int | None = None) -> dict[str, Any]:
    """Event-root accuracy, event recall and false positives on the PETRARCH-2 unit tests.

    The suite's fictional actors come from its actors file, and both it and
    the agents file next to it (``PETR.Validate.agents.txt``) are plugged
    into actor resolution (``ActorTable.load(petrarch_actors=...,
    petrarch_role_nouns=...)``), the way the suite's own coder reads them
    ("police", "students" as role nouns).
    """
    suite = PetrarchSuite.load(analyzer.nlp, actors_path)
    with_events = no_events = root_ok = detected = dyad_ok = fp = errors = 0
    for record in list(read_jsonl(path))[:limit]:
        expected = record.get("expected") or []
        if any("error" in e for e in expected):
            errors += 1
            continue
        expect_none = not expected or any("noevents" in e for e in expected)
        doc, entities = suite.read(record)
        stances = extract_stances(doc, entities, "body")
        if expect_none:
            no_events += 1
            fp += bool(stances)
            continue
        with_events += 1
        detected += bool(stances)
        roots = {str(e.get("eventcode", ""))[:2] for e in expected}
        root_ok += any(s.cameo_code[:2] in roots for s in stances)
        dyads = {(str(e.get("sourcecode", ""))[:3], str(e.get("targetcode", ""))[:3]) for e in expected}
        dyad_ok += any((s.source.code[:3], s.target.code[:3]) in dyads for s in stances)
    return {
        "records_expecting_events": with_events,
        "records_expecting_none": no_events,
        "error_records_skipped": errors,
        "event_root_accuracy": ratio(root_ok, with_events),
        "detection_rate": ratio(detected, with_events),
        "dyad_accuracy": ratio(dyad_ok, with_events),
        "false_positive_rate": ratio(fp, no_events),
        "lexicon": _lexicon_name(),
        "role_nouns": PETRARCH_AGENTS if suite.table is not None else "built-in",
        "note": ("expected codes come from PETRARCH's validation verb dictionary, which its own "
                 "header describes as mostly WEIS codes tweaked ad hoc for the tests, not CAMEO; "
                 "root accuracy against them measures agreement with that dictionary"),
    }


def _lexicon_name() -> str:
    """Which trigger lexicon the figures were measured with."""
    path = configured_path()
    return f"project + PETRARCH verb patterns ({path.name})" if path else "project"
