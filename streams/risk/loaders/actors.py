"""Country-level actors from the names that coded archives use.

ICEWS names actors three ways: a country (``Japan``), a sector of a country
(``Government (Ukraine)``, ``Citizen (Nigeria)``) or a person or
organisation (``Barack Obama``, ``African Union``).  The first two resolve
to a country (pycountry plus a small alias table) and a CAMEO role (a
keyword table); persons and organisations need dated roles we do not have
here, so they resolve only through a caller-supplied alias mapping and are
otherwise reported as unresolved.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

import pycountry

_SECTOR = re.compile(r"^(?P<sector>.*\S)\s*\((?P<country>[^()]+)\)$")


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("streams.risk.loaders").joinpath("data", filename).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def _country_aliases() -> dict[str, str]:
    return {row["name"].casefold(): row["iso3"] for row in _rows("country_aliases.tsv")}


@cache
def _role_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(r"\b" + re.escape(row["keyword"])), row["role"])
        for row in _rows("icews_sector_roles.tsv")
    )


@cache
def country_code(name: str) -> str | None:
    """ISO-3166 alpha-3 for a country name, or ``None``."""
    text = name.strip()
    if not text:
        return None
    alias = _country_aliases().get(text.casefold())
    if alias:
        return alias
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return None
    # lookup() also accepts numeric and alpha-2 codes; names are what we want.
    code = getattr(country, "alpha_3", None)
    return code if isinstance(code, str) else None


@cache
def sector_role(sector: str) -> str:
    """CAMEO role for an ICEWS sector description ('' when none applies)."""
    text = sector.casefold()
    for pattern, role in _role_rules():
        if pattern.search(text):
            return role
    return ""


def resolve_actor(name: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """A CAMEO actor code (``UKRGOV``, ``JPN``) for an ICEWS actor name, or ``None``.

    ``aliases`` maps exact names (persons, organisations) to actor codes,
    e.g. ``{"Barack Obama": "USAGOV"}``; it is consulted first.
    """
    if aliases and name in aliases:
        return aliases[name]
    match = _SECTOR.match(name.strip())
    if match:
        country = country_code(match["country"])
        return None if country is None else country + sector_role(match["sector"])
    return country_code(name)
