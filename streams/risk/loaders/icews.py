"""ICEWS-style rows (``subject<TAB>event text<TAB>object<TAB>YYYY-MM-DD``) to stance events.

The event text is a CAMEO code name in ICEWS's wording.  It is mapped by, in
order: a caller-supplied mapping (e.g. a TSV of ``text<TAB>code`` loaded
with :func:`read_relation_mapping`), our alias table for ICEWS wordings,
and the CAMEO names themselves (ignoring case and ", not specified below").

Choices, all overridable by arguments:

* event time is the date at 00:00 UTC (ICEWS has day resolution);
* the outlet is ``"icews"``: the archive does not say which outlet
  reported the event, so ICEWS alone never corroborates beyond one outlet
  (lower ``min_outlets_for_warning`` to 1 for an ICEWS-only replay);
* confidence is a prior for machine-coded events, not a measurement;
* the event id hashes the whole row, so identical rows are one event;
* the signature hashes (dyad, code, day) whichever way the act runs: the
  same act between the same countries on the same day, coded from several
  stories, counts once, and so does the mirror image a coder often adds
  ("A attacks B" and "B attacks A" from one report of a clash).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from streams.cameo import CameoCode, UnknownCameoCode, all_codes, lookup
from streams.contracts.geo import StanceEvent
from streams.risk.loaders.actors import resolve_actor
from streams.risk.loaders.common import LoadError, build_event, coded_signature, hex_id

DEFAULT_CONFIDENCE = 0.8
_SPACES = re.compile(r"\s+")
_NOT_SPECIFIED = re.compile(r",?\s*not spec(ified)? below$")


def normalise_relation(text: str) -> str:
    """Case, spacing and quote-insensitive key for an event text."""
    text = text.strip().replace("\u2019", "'").replace("\u2018", "'").casefold()
    return _SPACES.sub(" ", _NOT_SPECIFIED.sub("", text))


@cache
def _builtin_relations() -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in all_codes():
        key = normalise_relation(entry.name)
        # A root and its "0" child share a name ("Consult", "Consult, not
        # specified below"): keep the three-digit code, as ICEWS does.
        if key not in table or len(entry.code) > len(table[key]):
            table[key] = entry.code
    text = resources.files("streams.risk.loaders").joinpath("data", "icews_relation_aliases.tsv")
    lines = [x for x in text.read_text("utf-8").splitlines() if x and not x.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        table[normalise_relation(row["relation"])] = row["cameo_code"]
    return table


def read_relation_mapping(path: str | Path) -> dict[str, str]:
    """A user mapping file: ``event text<TAB>CAMEO code`` per line (extra columns ignored).

    A header row is skipped when its second column is not a code.
    """
    mapping: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) >= 2 and row[1].strip().isdigit():
                mapping[row[0]] = row[1].strip()
    return mapping


def relation_code(text: str, mapping: Mapping[str, str] | None = None) -> CameoCode | None:
    """The CAMEO entry for an ICEWS event text, or ``None``."""
    key = normalise_relation(text)
    code: str | None = None
    if mapping:
        code = mapping.get(text) or {normalise_relation(k): v for k, v in mapping.items()}.get(key)
    if code is None:
        code = _builtin_relations().get(key)
    if code is None:
        return None
    try:
        return lookup(code)
    except UnknownCameoCode:
        return None


def load_icews(
    lines: Iterable[str],
    *,
    relations: Mapping[str, str] | None = None,
    actor_aliases: Mapping[str, str] | None = None,
    outlet: str = "icews",
    confidence: float = DEFAULT_CONFIDENCE,
    include_domestic: bool = False,
) -> Iterator[StanceEvent | LoadError]:
    """One :class:`StanceEvent` or :class:`LoadError` per non-blank input line."""
    normalised = {normalise_relation(k): v for k, v in relations.items()} if relations else None
    for number, line in enumerate(lines, start=1):
        raw = line.rstrip("\r\n")
        if not raw.strip():
            continue
        yield _row(number, raw, normalised, actor_aliases, outlet, confidence, include_domestic)


def _row(
    number: int,
    raw: str,
    relations: Mapping[str, str] | None,
    actor_aliases: Mapping[str, str] | None,
    outlet: str,
    confidence: float,
    include_domestic: bool,
) -> StanceEvent | LoadError:
    fields = raw.split("\t")
    if len(fields) != 4:
        return LoadError.of(number, "malformed", f"expected 4 columns, got {len(fields)}", raw)
    subject, relation, obj, date = (f.strip() for f in fields)
    try:
        day = datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return LoadError.of(number, "bad_date", f"not YYYY-MM-DD: {date!r}", raw)
    cameo = relation_code(relation, relations)
    if cameo is None:
        return LoadError.of(number, "unknown_relation", f"no CAMEO code for {relation!r}", raw)
    source = resolve_actor(subject, actor_aliases)
    target = resolve_actor(obj, actor_aliases)
    unresolved = [name for name, code in ((subject, source), (obj, target)) if code is None]
    if source is None or target is None:
        return LoadError.of(number, "unresolved_actor", "no country for " + ", ".join(unresolved), raw)
    return build_event(
        line=number,
        raw=raw,
        event_id=hex_id("icews", subject, normalise_relation(relation), obj, date),
        source_code=source,
        target_code=target,
        cameo=cameo,
        goldstein=cameo.goldstein,
        confidence=confidence,
        event_time=day,
        outlet=outlet,
        sentence=f"{subject} -- {relation} -- {obj}",
        signature=coded_signature(*sorted((source, target)), cameo.code, date),
        origin="icews",
        include_domestic=include_domestic,
    )
