"""Surface forms of countries, for the entity ruler and for resolution.

The ruler runs before spaCy's statistical NER, so gazetteer hits win over
the model's guesses ("Georgia" the country, not a person) and every hit
carries its actor code as the span's ``ent_id``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry

from streams.contracts import ActorRef


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One surface form and what it stands for."""

    surface: str
    label: str  # GPE for names, NORP for adjectives/demonyms
    code: str
    kind: str  # "country" | "adjective" | "demonym" | "alias"


# Common short names and adjectives pycountry does not carry.  Facts only.
_ALIASES: dict[str, tuple[list[str], list[str]]] = {
    # iso3: ([aliases], [adjectives and demonyms])
    "USA": (["United States", "U.S.", "US", "U.S.A.", "USA", "America", "United States of America"],
            ["American", "Americans"]),
    "GBR": (["Britain", "Great Britain", "United Kingdom", "UK", "U.K."], ["British", "Briton", "Britons"]),
    "RUS": (["Russia", "Russian Federation"], ["Russian", "Russians"]),
    "CHN": (["China", "People's Republic of China", "PRC"], ["Chinese"]),
    "UKR": (["Ukraine"], ["Ukrainian", "Ukrainians"]),
    "FRA": (["France"], ["French", "Frenchman"]),
    "DEU": (["Germany"], ["German", "Germans"]),
    "IRN": (["Iran"], ["Iranian", "Iranians"]),
    "IRQ": (["Iraq"], ["Iraqi", "Iraqis"]),
    "SYR": (["Syria"], ["Syrian", "Syrians"]),
    "ISR": (["Israel"], ["Israeli", "Israelis"]),
    "PSE": (["Palestine", "Palestinian territories"], ["Palestinian", "Palestinians"]),
    "PRK": (["North Korea", "DPRK"], ["North Korean", "North Koreans"]),
    "KOR": (["South Korea"], ["South Korean", "South Koreans"]),
    "JPN": (["Japan"], ["Japanese"]),
    "IND": (["India"], ["Indian", "Indians"]),
    "PAK": (["Pakistan"], ["Pakistani", "Pakistanis"]),
    "AFG": (["Afghanistan"], ["Afghan", "Afghans"]),
    "TUR": (["Turkey", "Turkiye", "Türkiye"], ["Turkish", "Turks"]),
    "SAU": (["Saudi Arabia"], ["Saudi", "Saudis"]),
    "EGY": (["Egypt"], ["Egyptian", "Egyptians"]),
    "ITA": (["Italy"], ["Italian", "Italians"]),
    "ESP": (["Spain"], ["Spanish", "Spaniards"]),
    "POL": (["Poland"], ["Polish", "Poles"]),
    "BLR": (["Belarus"], ["Belarusian", "Belarusians"]),
    "CAN": (["Canada"], ["Canadian", "Canadians"]),
    "MEX": (["Mexico"], ["Mexican", "Mexicans"]),
    "BRA": (["Brazil"], ["Brazilian", "Brazilians"]),
    "AUS": (["Australia"], ["Australian", "Australians"]),
    "VEN": (["Venezuela"], ["Venezuelan", "Venezuelans"]),
    "CUB": (["Cuba"], ["Cuban", "Cubans"]),
    "LBN": (["Lebanon"], ["Lebanese"]),
    "YEM": (["Yemen"], ["Yemeni", "Yemenis"]),
    "LBY": (["Libya"], ["Libyan", "Libyans"]),
    "SDN": (["Sudan"], ["Sudanese"]),
    "ETH": (["Ethiopia"], ["Ethiopian", "Ethiopians"]),
    "NGA": (["Nigeria"], ["Nigerian", "Nigerians"]),
    "ZAF": (["South Africa"], ["South African", "South Africans"]),
    "TWN": (["Taiwan"], ["Taiwanese"]),
    "VNM": (["Vietnam", "Viet Nam"], ["Vietnamese"]),
    "MMR": (["Myanmar", "Burma"], ["Burmese"]),
    "GEO": (["Georgia"], ["Georgian", "Georgians"]),
    "ARM": (["Armenia"], ["Armenian", "Armenians"]),
    "AZE": (["Azerbaijan"], ["Azerbaijani", "Azerbaijanis"]),
    "KAZ": (["Kazakhstan"], ["Kazakh"]),
    "NLD": (["Netherlands", "Holland"], ["Dutch"]),
    "SWE": (["Sweden"], ["Swedish", "Swedes"]),
    "FIN": (["Finland"], ["Finnish", "Finns"]),
    "NOR": (["Norway"], ["Norwegian", "Norwegians"]),
    "GRC": (["Greece"], ["Greek", "Greeks"]),
    "COD": (["Democratic Republic of the Congo", "DR Congo", "DRC"], ["Congolese"]),
    "CZE": (["Czech Republic", "Czechia"], ["Czech", "Czechs"]),
}


@functools.cache
def entries() -> tuple[GazetteerEntry, ...]:
    """Every surface form we recognise as a country, an alias or an adjective."""
    seen: set[tuple[str, str]] = set()
    out: list[GazetteerEntry] = []

    def add(surface: str, label: str, code: str, kind: str) -> None:
        if (surface, label) not in seen:
            seen.add((surface, label))
            out.append(GazetteerEntry(surface, label, code, kind))

    for country in pycountry.countries:
        code = country.alpha_3
        aliases, adjectives = _ALIASES.get(code, ([], []))
        for alias in aliases:
            add(alias, "GPE", code, "alias")
        for adjective in adjectives:
            add(adjective, "NORP", code, "adjective")
        for name in (getattr(country, "common_name", None), country.name):
            if name and "(" in name:  # "Holy See (Vatican City State)" → "Holy See"
                name = name.split("(")[0].strip()
            if name and "," not in name:
                add(name, "GPE", code, "country")
    return tuple(out)


@functools.cache
def country_names() -> dict[str, str]:
    """ISO3 → the display name we use for the country."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        names[country.alpha_3] = getattr(country, "common_name", None) or country.name
    return names


@functools.cache
def _by_surface() -> dict[str, GazetteerEntry]:
    table: dict[str, GazetteerEntry] = {}
    for entry in entries():  # first entry wins: names before adjectives
        table.setdefault(entry.surface.casefold(), entry)
    return table


def resolve_surface(surface: str) -> ActorRef | None:
    """The country a surface form names, with how we know it."""
    text = surface.strip()
    if text.casefold().startswith("the "):
        text = text[4:]
    entry = _by_surface().get(text.casefold())
    if entry is None:
        return None
    return ActorRef(
        code=entry.code,
        country=entry.code,
        role=None,
        name=country_names()[entry.code],
        basis=f"gazetteer:{entry.kind}",
    )
