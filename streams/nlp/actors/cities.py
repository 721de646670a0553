"""Which country a city is in, for place names the actor table does not know.

The table (``data/cities.tsv``, written by :mod:`streams.nlp.actors.build_cities`
from GeoNames) holds cities of 50,000 people or more whose name no other
country's city of comparable size shares.  Resolution reads it only for a
mention the actor table has no reading for and that spaCy calls a place (GPE
or LOC) or the sentence places ("in X", "the town of X", the object of
"shelled"; ``streams.nlp.resolve``): "a roadside bomb near *Samarra*" is a
place in Iraq, while "Jackson said" (a person) and "Mobile phones" (no place)
never reach it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CITIES_FILE = Path(__file__).resolve().parent / "data" / "cities.tsv"


@cache
def _cities() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in CITIES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, iso3, _ = line.split("\t")
            table[name] = iso3
    return table


def city_country(name: str) -> str | None:
    """ISO3 code of the country of the city called ``name`` (as written), or None."""
    text = name.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    return _cities().get(text)
