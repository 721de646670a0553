"""Place and people names misspelt by one letter: "Afganistan", "Phillippines".

Wire copy misspells country names often enough to lose events ("rejected an
offer from Afganistan" had no target).  When NER marks a place or a people
that the actor table does not know, the name is read as the one country-level
surface (a country, capital or demonym) it differs from by a single slip: a
letter dropped or doubled, or two neighbours swapped.  Only names of six
letters or more, with the same first letter, and only when every such
surface names the same country (a slip that could be two countries is no
reading at all); see :func:`one_slip` for which differences count.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date, datetime

from streams.nlp.actors import ActorTable, Candidate

#: Surface kinds a slip may stand for: the names of countries and their peoples.
SLIP_KINDS = frozenset({"country", "capital", "demonym"})
#: Shorter names are too close to other words ("Mali", "Oman", "Niger").
MIN_LENGTH = 6


def one_slip(name: str, surface: str) -> bool:
    """Whether ``name`` is ``surface`` typed with one slip of the hand.

    The slips: a letter dropped ("Afganistan"), a letter doubled
    ("Phillippines"), two neighbours swapped ("Pakitsan").  A letter *changed*
    or *added* is how other real names differ from a country's ("Granada",
    "Grenada"; "Indiana", "Indian"), so those are not slips here.
    """
    if len(name) == len(surface) - 1:  # dropped
        i = next((k for k in range(len(name)) if name[k] != surface[k]), len(name))
        return name[i:] == surface[i + 1:]
    if len(name) == len(surface) + 1:  # doubled
        i = next((k for k in range(len(surface)) if name[k] != surface[k]), len(surface))
        return name[i + 1:] == surface[i:] and i > 0 and name[i] == name[i - 1]
    if len(name) == len(surface) and name != surface:  # swapped
        diff = [k for k in range(len(name)) if name[k] != surface[k]]
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and name[diff[0]] == surface[diff[1]] and name[diff[1]] == surface[diff[0]])
    return False


@functools.lru_cache(maxsize=8)
def _surfaces(table: ActorTable) -> dict[str, list[str]]:
    """Country-level surfaces by their first letter (lower case), built once per table."""
    index: dict[str, list[str]] = {}
    for s in table.surfaces():
        text = s.text.lower()
        if s.kind in SLIP_KINDS and len(text) >= MIN_LENGTH - 1 and text.isalpha():
            index.setdefault(text[0], []).append(s.text)
    return index


def respelt(name: str, table: ActorTable) -> list[str]:
    """The country-level surfaces ``name`` is one slip away from."""
    low = name.lower()
    if len(low) < MIN_LENGTH or not low.isalpha():
        return []
    return sorted({s for s in _surfaces(table).get(low[0], ()) if one_slip(low, s.lower())})


def slip_candidates(name: str, table: ActorTable, on: date | datetime | None = None) -> list[Candidate]:
    """Candidates of the one country ``name`` is a slip of, their basis saying so."""
    forms = respelt(name, table)
    found = [c for form in forms for c in table.lookup(form, on)]
    if not found or len({c.country for c in found}) != 1 or found[0].country is None:
        return []
    spelt = ", ".join(forms)
    return [replace(c, basis=f"{c.basis}; spelling: '{name}' read as {spelt}") for c in found]
