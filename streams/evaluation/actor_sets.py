"""Actor resolution scored on the PETRARCH-2 unit-test records and PLOVER's gold actors.

Split from ``streams.evaluation.entities`` (which scores GUM's named mentions and
runs every entity evaluation): these two read coded event sets, not mention
annotations, and score the actor codes and countries we resolve.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language

from streams.contracts.enriched import TextField

PETRARCH_FILE = ("eval", "petrarch2", "PETR.UnitTest.records.jsonl")
PETRARCH_ACTORS = ("eval", "petrarch2", "dictionaries", "PETR.Validate.actors.txt")
#: PETRARCH's agents dictionary: the role nouns ("minister", "police") of the validation set.
PETRARCH_ROLE_NOUNS = ("eval", "petrarch2", "dictionaries", "PETR.Validate.agents.txt")
PLOVER_FILE = ("eval", "plover", "PLOVER_GSR_flat.jsonl")


class EntityAnalyzer(Protocol):
    nlp: Language

    def analyze(self, text: str, published_at: datetime | None = None,
                field: TextField = "body") -> Any: ...


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, blank lines skipped."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def ratio(n: int, d: int) -> float | None:
    """``n / d`` to four places, or None when there is nothing to divide by."""
    return round(n / d, 4) if d else None


# ---------------------------------------------------------------- PETRARCH


def evaluate_petrarch_actors(analyzer: EntityAnalyzer, shared_dir: Path) -> dict[str, Any]:
    """Expected source/target codes found among our actor mentions, validation dictionaries loaded."""
    from streams.nlp.actors import ActorTable
    from streams.nlp.gazetteer import GAZETTEER_PIPE, ActorGazetteer, table_entries
    from streams.nlp.resolve import resolve_entities

    actors = shared_dir.joinpath(*PETRARCH_ACTORS)
    role_nouns = shared_dir.joinpath(*PETRARCH_ROLE_NOUNS)
    table = ActorTable.load(petrarch_actors=[actors],
                            petrarch_role_nouns=[role_nouns] if role_nouns.exists() else [], builtin=False)
    pipe = ActorGazetteer(analyzer.nlp, table_entries(table))
    expected_total = full = country = records = 0
    misses: list[str] = []
    for record in read_jsonl(shared_dir.joinpath(*PETRARCH_FILE)):
        expected = [e for e in record.get("expected") or [] if "sourcecode" in e]
        gold = {str(e.get(k) or "") for e in expected for k in ("sourcecode", "targetcode")}
        gold = {g for g in gold if re.fullmatch(r"[A-Z]{3,}", g)}
        if not gold:
            continue
        records += 1
        with analyzer.nlp.select_pipes(disable=[GAZETTEER_PIPE]):
            doc = analyzer.nlp(record["text"])
        pipe(doc)
        day = _petr_date(record.get("date"))
        when = datetime.combine(day, datetime.min.time(), UTC) if day else None
        got = {e.actor.code for e in resolve_entities(doc, when, "body", table)
               if e.actor is not None and e.usage == "actor"}
        for g in sorted(gold):
            expected_total += 1
            full += g in got
            country += any(c[:3] == g[:3] for c in got)
            if g not in got and len(misses) < 20:
                misses.append(f"{record['id']}: {g} not in {sorted(got)}")
    return {
        "records": records,
        "expected_codes": expected_total,
        "actor_code_accuracy": round(full / expected_total, 4) if expected_total else None,
        "actor_country_accuracy": round(country / expected_total, 4) if expected_total else None,
        "misses": misses,
        "note": "share of expected source/target codes carried by some actor mention of the sentence; "
                "validation actors and agents loaded through streams.nlp.actors.petrarch, built-in data off",
    }


def _petr_date(text: str | None) -> date | None:
    if not text or not text.isdigit() or len(text) != 8:
        return None
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


# ---------------------------------------------------------------- PLOVER


GOLD_COUNTRY_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "UAR": "EGY", "ROM": "ROU",
                      "BUL": "BGR", "GMW": "DEU", "GME": "DEU", "UKG": "GBR", "ZAI": "COD"}
NON_COUNTRY_CODES = frozenset({"IGO", "NGO", "IMG", "ISM", "MNC", "UNK", "---"})


def evaluate_plover_mentions(analyzer: EntityAnalyzer, path: Path) -> dict[str, Any]:
    """Country of each gold source/target actor, read from our entities inside its text span."""
    tallies = {"source": [0, 0, 0], "target": [0, 0, 0]}  # total, right, resolved
    misses: list[str] = []
    for record in read_jsonl(path):
        text = record["text"]
        entities = [e for e in analyzer.analyze(text).entities if e.actor is not None]
        for side in ("source", "target"):
            for actor in record.get(side) or []:
                code = GOLD_COUNTRY_FIXES.get((actor.get("code") or "").upper(),
                                              (actor.get("code") or "").upper())
                if len(code) != 3 or not code.isalpha() or code in NON_COUNTRY_CODES:
                    continue
                span = _find(text, actor.get("text") or "")
                if span is None:
                    continue
                inside = [e for e in entities if e.start < span[1] and span[0] < e.end]
                countries = {e.actor.country for e in inside if e.actor and e.actor.country}
                tallies[side][0] += 1
                tallies[side][2] += bool(countries)
                ok = code in countries and len(countries) == 1
                tallies[side][1] += ok
                if not ok and len(misses) < 20:
                    misses.append(f"{record['id']} {side} '{actor.get('text')}': "
                                  f"{code} got {sorted(countries)}")
    out: dict[str, Any] = {}
    for side, (total, right, resolved) in tallies.items():
        out[f"{side}_mentions"] = total
        out[f"{side}_country_accuracy"] = round(right / total, 4) if total else None
        out[f"{side}_country_accuracy_when_resolved"] = round(right / resolved, 4) if resolved else None
    out["misses"] = misses
    out["note"] = ("mention level: the gold actor text is found in the sentence and the countries of our "
                   "entities inside it must be exactly the gold country; independent of stance detection")
    return out


def _find(text: str, needle: str) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    at = text.find(needle)
    if at < 0:
        at = text.lower().find(needle.lower())
    return (at, at + len(needle)) if at >= 0 else None


