"""Named organisations the actor table lacks, read from their own name.

Wire copy names many bodies once and never again: "the Kenyan Association of
Jurists", "Baghdad University Medical School", "the Montenegro Municipality
Association".  The table cannot list them all, but the name itself says
whose and what they are: a country (its name, adjective or a city of it)
and a head noun that fixes the sector.  A name that names two countries, no
country, or a head noun that could be a state organ or a party ("council",
"committee", "union", "front") is left unresolved, as before.
"""

from __future__ import annotations

from datetime import date, datetime

from spacy.tokens import Span

from streams.nlp import gazetteer
from streams.nlp.actors import ActorTable, Candidate
from streams.nlp.actors.cities import city_country

#: Head noun of the name -> CAMEO sector of the body.
SECTOR_BY_HEAD = {
    "university": "EDU", "school": "EDU", "college": "EDU", "academy": "EDU",
    "hospital": "HLH", "clinic": "HLH",
    "association": "NGO", "forum": "NGO", "society": "NGO", "foundation": "NGO",
    "federation": "NGO", "league": "NGO", "institute": "NGO", "centre": "NGO", "center": "NGO",
    "company": "BUS", "corporation": "BUS", "airline": "BUS", "airlines": "BUS",
}
_PLACE_KINDS = ("country", "demonym", "capital")


def named_org(span: Span, table: ActorTable, on: date | datetime | None) -> Candidate | None:
    """The body an unknown organisation name stands for, when the name says it."""
    sector = SECTOR_BY_HEAD.get(span.root.lower_)
    if sector is None:
        return None
    countries = {c for t in span if t.i != span.root.i and t.is_title for c in _countries(t.text, table, on)}
    if len(countries) != 1:
        return None
    (country,) = countries
    name = gazetteer.country_names().get(country, country)
    return Candidate(country + sector, country, sector, span.text, f"name:{sector.lower()} of {name}",
                     "ngo" if sector == "NGO" else "institution", f"named-org:{country}{sector}")


def _countries(word: str, table: ActorTable, on: date | datetime | None) -> set[str]:
    found = {c.country for c in table.lookup(word, on) if c.kind in _PLACE_KINDS and c.country}
    city = city_country(word)
    return found | ({city} if city else set())
