"""CAMEO event codes: one table, read once, looked up everywhere.

Stance detection, the GDELT/ICEWS loaders and the risk engine must agree on
what a code *means* (its Goldstein weight, quad class, PLOVER category and
whether it is hostile), so the facts live in one data file in this package
(``data/event_codes.tsv``) instead of being re-typed in each consumer.

Polarity is our choice, not part of CAMEO, and it decides what the risk
engine counts as conflict:

* quad classes 1-2 are ``cooperative`` and 3-4 ``hostile``, except
* statements (root ``01``) are ``neutral``: declining comment, being
  pessimistic or denying responsibility is talk *about* something, not an
  act toward the other actor.  ``018`` (empathetic comment) and ``019``
  (express accord) are directed and positive (Goldstein +3.4), so
  ``cooperative``;
* appeals (root ``02``) are ``neutral``: "X urged Y to ..." carries no sign
  of its own (the urged act does); GDELT's positive Goldstein for appeals
  would otherwise read every plea as cooperation;
* investigations (root ``09``) are ``hostile``: CAMEO puts them in verbal
  conflict with Goldstein -2, and an investigation of the target (crimes,
  war crimes, military action) is adversarial even though PLOVER drafts
  listed INVESTIGATE ambiguously.  Their weight is small, so they add little.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

Polarity = Literal["cooperative", "hostile", "neutral"]
QuadClass = Literal[1, 2, 3, 4]

#: Quad classes by name, for readable comparisons at call sites.
VERBAL_COOPERATION: QuadClass = 1
MATERIAL_COOPERATION: QuadClass = 2
VERBAL_CONFLICT: QuadClass = 3
MATERIAL_CONFLICT: QuadClass = 4

_POLARITIES: frozenset[str] = frozenset({"cooperative", "hostile", "neutral"})


class UnknownCameoCode(LookupError):
    """A code that is malformed or whose root is not a CAMEO root (01-20)."""


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code and what the project derives from it."""

    code: str
    name: str
    #: Goldstein (1992) weight, -10 (most conflictual) to +10.
    goldstein: float
    quad_class: QuadClass
    #: PLOVER 2021 category; empty for statements (01), which PLOVER drops.
    plover: str
    polarity: Polarity
    #: Two-digit root ("cue category"), e.g. ``"19"`` for ``"193"``.
    root: str

    @property
    def is_root(self) -> bool:
        return self.code == self.root

    @property
    def is_hostile(self) -> bool:
        return self.polarity == "hostile"

    @property
    def is_cooperative(self) -> bool:
        return self.polarity == "cooperative"

    @property
    def is_material(self) -> bool:
        """Material (deeds) rather than verbal (words), quad class 2 or 4."""
        return self.quad_class in (MATERIAL_COOPERATION, MATERIAL_CONFLICT)


def _data_lines(filename: str) -> Iterator[str]:
    text = resources.files("streams.cameo").joinpath("data", filename).read_text("utf-8")
    return (line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def _table() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(_data_lines("event_codes.tsv"), delimiter="\t"):
        quad = int(row["quad_class"])
        polarity = row["polarity"]
        if quad not in (1, 2, 3, 4) or polarity not in _POLARITIES:
            raise ValueError(f"corrupt CAMEO table row: {row}")
        code = row["code"]
        table[code] = CameoCode(
            code=code,
            name=row["name"],
            goldstein=float(row["goldstein"]),
            quad_class=cast(QuadClass, quad),
            plover=row["plover"],
            polarity=cast(Polarity, polarity),
            root=code[:2],
        )
    return table


def normalise_code(code: str | int) -> str:
    """Canonical text form of a code: digits only, zero-padded to the root.

    Archives that stored codes as integers lose the leading zero (``43`` for
    ``043``, ``871`` for ``0871``).  For an ``int`` we pad when the first two
    digits are not a CAMEO root (01-20); ``10`` stays root ``10``, so an
    integer ``010`` cannot be recovered.  Keep codes as strings.
    """
    text = str(code).strip()
    if not text.isdigit() or not 1 <= len(text) <= 4:
        raise UnknownCameoCode(f"not a CAMEO event code: {code!r}")
    if len(text) == 1 or (isinstance(code, int) and len(text) < 4 and not _is_root(text[:2])):
        text = "0" + text
    return text


def _is_root(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= 20


def lookup(code: str | int) -> CameoCode:
    """The entry for ``code``, or for its nearest known ancestor.

    Coders emit codes that are not in the codebook (local extensions, typos
    in archives); the nearest ancestor (4 -> 3 -> 2 digits) keeps the
    meaning right at a coarser grain.  Compare ``.code`` with the input to
    see whether a fallback happened.  Raises :class:`UnknownCameoCode` when
    even the root is not a CAMEO root.
    """
    text = normalise_code(code)
    table = _table()
    for length in range(len(text), 1, -1):
        entry = table.get(text[:length])
        if entry is not None:
            return entry
    raise UnknownCameoCode(f"unknown CAMEO root in {code!r}")


def is_known(code: str | int) -> bool:
    """Whether ``code`` itself (not an ancestor) is in the codebook."""
    try:
        return normalise_code(code) in _table()
    except UnknownCameoCode:
        return False


def all_codes() -> tuple[CameoCode, ...]:
    """Every code in the table, in codebook order."""
    return tuple(_table().values())


def roots() -> tuple[CameoCode, ...]:
    """The twenty root categories, 01-20."""
    return tuple(entry for entry in _table().values() if entry.is_root)


def name_of(code: str | int) -> str:
    return lookup(code).name


def goldstein_of(code: str | int) -> float:
    return lookup(code).goldstein


def quad_class_of(code: str | int) -> QuadClass:
    return lookup(code).quad_class


def plover_of(code: str | int) -> str:
    return lookup(code).plover


def polarity_of(code: str | int) -> Polarity:
    return lookup(code).polarity


def root_of(code: str | int) -> str:
    """The two-digit root, validated (``"193"`` -> ``"19"``)."""
    return lookup(code).root


#: Roots whose category name differs in the 2016-2018 PLOVER drafts, which the
#: PLOVER gold-standard records (and older tools) still use.
_DRAFT_BY_ROOT = {"09": "INVESTIGATE", "10": "DEMAND", "11": "DISAPPROVE", "19": "FIGHT"}


def plover_draft_of(code: str | int) -> str:
    """The category under the PLOVER drafts' 18-category names.

    Only the renamed roots differ (INVESTIGATE, DEMAND, DISAPPROVE, FIGHT);
    this is for scoring against data coded with the draft, not for output.
    """
    entry = lookup(code)
    return _DRAFT_BY_ROOT.get(entry.root, entry.plover)
