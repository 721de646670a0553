"""PETRARCH CAMEO verb-pattern dictionaries, read at run time as a fallback lexicon.

The project's own ``lexicon.tsv`` is the default and stays written by us.
Users who have PETRARCH's ``CAMEO.verbpatterns.*.txt`` (MIT, Open Event
Data Alliance) can add its verbs for wider recall by pointing
``STREAMS_CAMEO_VERBPATTERNS`` at the file (or calling
:func:`read_verbpatterns`); nothing of it is copied into the project.

What is read, and why only that: the file's verb blocks (``--- NAME [code]
---``) list verbs (``VERB`` or ``VERB [own code]``, optionally with
irregular forms in braces) and phrase patterns (``- * OBJECT [code]``).
Single-word verbs become rows coded by their block (or own) code; patterns
whose only constraint is one object word after the verb become ``obj=``
rows.  Multi-word verbs, synsets (``&WORD``) and patterns with actor slots
are PETRARCH's own machinery and are skipped; ``[---]`` (no event) is
skipped.  Rows come in at a low weight, below the project's, and only for
verbs the project's lexicon does not have, so our rows always win.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from streams.cameo import UnknownCameoCode, lookup
from streams.nlp.stance.lexicon import LexEntry, Lexicon, Pattern, noun_forms

#: How much a row read from a PETRARCH file is trusted (the project's rows are 0.3-0.95).
FALLBACK_WEIGHT = 0.45
_BLOCK = re.compile(r"^---\s*(\S+)\s*\[([^\]]*)\]")
_VERB = re.compile(r"^([A-Z][A-Z'-]*)\s*(?:\{[^}]*\})?\s*(?:\[([^\]]*)\])?\s*$")
_OBJECT_PATTERN = re.compile(r"^-\s*\*\s+([A-Z][A-Z-]*)\s*\[([^\]]*)\]")


def configured_path() -> Path | None:
    """The verb-pattern file the ``STREAMS_CAMEO_VERBPATTERNS`` setting names, if any.

    Read through :class:`streams.settings.Settings` so a ``.env`` line works
    like the environment variable, as every other setting does.
    """
    from streams.settings import Settings  # the settings know nothing of the analysis

    return Settings().cameo_verbpatterns


def _code(raw: str) -> str | None:
    """A valid CAMEO code, or ``None`` for ``---``, WEIS-style or malformed codes."""
    raw = raw.strip().split(":")[0].strip()
    if not raw.isdigit():
        return None
    try:
        code = lookup(raw).code
    except (UnknownCameoCode, LookupError):
        return None
    return code if code == raw else None


def _lines(path: Path) -> Iterator[str]:
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.strip():
            yield line.strip()


def read_verbpatterns(path: Path | str) -> list[LexEntry]:
    """Lexicon rows (verbs, and verb + object word) from a PETRARCH verb-pattern file."""
    entries: list[LexEntry] = []
    block_code: str | None = None
    verbs: list[str] = []
    for line in _lines(Path(path)):
        block = _BLOCK.match(line)
        if block:
            block_code, verbs = _code(block.group(2)), []
            continue
        if line.startswith("-"):
            pattern = _OBJECT_PATTERN.match(line)
            code = _code(pattern.group(2)) if pattern else None
            if pattern and code:
                obj = frozenset(noun_forms(pattern.group(1).lower()))
                entries += [LexEntry(v, "V", Pattern(obj=obj), code, FALLBACK_WEIGHT) for v in verbs]
            continue
        verb = _VERB.match(line)
        if verb is None:
            continue  # multi-word verbs, synsets
        lemma = verb.group(1).lower()
        code = _code(verb.group(2)) if verb.group(2) else block_code
        verbs.append(lemma)
        if code is not None:
            entries.append(LexEntry(lemma, "V", Pattern(), code, FALLBACK_WEIGHT))
    return entries


def fallback_rows(entries: list[LexEntry], known_verbs: frozenset[str]) -> list[LexEntry]:
    """The rows for verbs the project's lexicon lacks (ours always win)."""
    return [e for e in entries if e.lemma not in known_verbs and not e.code.startswith("01")]


def with_verbpatterns(own: Lexicon, path: Path | str | None) -> Lexicon:
    """``own`` plus the fallback rows of the PETRARCH file at ``path`` (``own`` when no path)."""
    if not path:
        return own
    extra = fallback_rows(read_verbpatterns(path), own.verb_lemmas)
    return Lexicon([*own.entries, *extra])
