"""Countries and pairs as people type them: ``RUS``, ``Ukraine``, ``RUS|UKR``, ``russia - ukraine``."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from streams.contracts.common import dyad_key

_CODE = re.compile(r"^[A-Za-z]{3}$")
#: Separators between the two sides of a pair (a space only separates two codes).
_PAIR = re.compile(r"\s*(?:\||/|,|\s-\s|-(?=[A-Za-z]{3}$)|\bvs\.?\b|\band\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=512)
def country_code(text: str, fuzzy: bool = True) -> str | None:
    """The three-letter code of a country typed as a code or a name; ``None`` if unknown.

    Any three letters are taken as a code: dyads also have IGO and group tags (``NAT``).
    ``fuzzy`` also tries pycountry's fuzzy search (``"russia"`` → Russian Federation).
    """
    text = text.strip()
    if _CODE.match(text):
        return text.upper()
    if not text or len(text) > 80:
        return None
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        pass
    if not fuzzy:
        return None
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    return str(found[0].alpha_3) if found else None


def _two_names(text: str) -> tuple[str, str] | None:
    """``"south korea japan"``, ``"ukraine russia"``: the first split into two exact names,
    else into two that the fuzzy search knows."""
    words = text.split()
    for fuzzy in (False, True):
        for cut in range(1, len(words)):
            a = country_code(" ".join(words[:cut]), fuzzy=fuzzy)
            b = country_code(" ".join(words[cut:]), fuzzy=fuzzy) if a else None
            if a and b:
                return a, b
    return None


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """A readable name for a dyad member's code (the code itself when it is not a country)."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def parse_query(query: str) -> tuple[str, ...]:
    """The codes a search names: one country, a pair (sorted, as a dyad key), or nothing."""
    query = query.strip()[:200]
    parts = [p for p in _PAIR.split(query) if p and p.strip()]
    if len(parts) == 1 and country_code(parts[0], fuzzy=False) is None and (two := _two_names(parts[0])):
        parts = list(two)
    codes = [country_code(p) for p in parts[:2]]
    if not codes or None in codes:
        return ()
    resolved = [c for c in codes if c]
    if len(resolved) == 2:
        return tuple(dyad_key(*resolved).split("|"))
    return tuple(resolved)


def pair_slug(dyad: str) -> str:
    """The path segment of a pair's page: ``RUS|UKR`` → ``RUS-UKR``."""
    return dyad.replace("|", "-")
