"""From validated rows of the built-in data to table entries and role nouns.

Each country gives four entries (the country, its demonym, its capital and its
palace metonyms); institutions, IGOs/NGOs, groups and leaders one each.  Dated
facts (a leader's terms, a group's changes of code) become :class:`Rule` s of the
entry, tried in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from streams.nlp.actors.models import (
    Candidate,
    CountryRow,
    Entry,
    GroupRow,
    IgoRow,
    Kind,
    PersonRow,
    RoleNoun,
    RoleNounRow,
    Rule,
    Term,
)
from streams.nlp.actors.normalize import key, plural
from streams.nlp.actors.validate import ActorData

#: The basis of a region named as its country ("Darfur" -> SDN): a territory, not the state.
REGION_BASIS = "gazetteer:region"


def builtin_entries(data: ActorData) -> Iterator[tuple[Entry, Kind, list[str]]]:
    """(entry, kind of its surfaces, surface texts) for every row, in a stable order."""
    countries = {c.iso3: c for c in data.countries}
    for c in data.countries:
        yield from _country_entries(c)
    for i in data.institutions:
        gov = Candidate(i.country + i.role, i.country, i.role, i.name,
                        f"institution:{i.key}", "institution", f"institution:{i.key}")
        yield (Entry(gov.key, "institution", i.name, fallback=gov), "institution",
               [i.name, *i.aliases, *i.shared])
    igo_names = {o.key: o for o in data.igos}
    group_rows = {g.key: g for g in data.groups}
    for o in data.igos:
        kind: Kind = "igo" if o.type == "igo" else "ngo"
        igo = Candidate(o.code, None, "IGO" if o.type == "igo" else "NGO", o.name,
                        f"{o.type}:{o.key}", kind, f"{o.type}:{o.key}")
        yield Entry(igo.key, kind, o.name, fallback=igo), kind, [o.name, *o.aliases, *o.shared]
    for g in data.groups:
        gkey = f"group:{g.key}"
        base = Candidate(g.code, g.country, g.role, g.name, gkey, "group", gkey)
        rules = tuple(
            Rule(d.start, d.end, replace(base, code=d.code, role=_role_of(d.code, g.country),
                                         basis=f"{gkey}:{d.start or ''}..{d.end or ''}"))
            for d in g.dated)
        yield (Entry(gkey, "group", g.name, rules=rules, fallback=base), "group",
               [g.name, *g.aliases, *g.shared])
    for _src, p in data.people:
        yield _person_entry(p, countries, igo_names, group_rows), "leader", [p.name, *p.aliases, *p.shared]


def builtin_role_nouns(data: ActorData) -> dict[str, RoleNoun]:
    """Institution nouns, then titles, by normalised surface (the first one of a surface wins)."""
    nouns: dict[str, RoleNoun] = {}
    for row in data.institution_types:
        _add_role_noun(nouns, row, "institution")
    if data.titles is not None:
        for row in data.titles.titles:
            _add_role_noun(nouns, row, "title")
    return nouns


def _country_entries(c: CountryRow) -> Iterator[tuple[Entry, Kind, list[str]]]:
    cameo = f" (CAMEO {c.cameo})" if c.cameo else ""
    country = Candidate(c.iso3, c.iso3, None, c.name, f"gazetteer:country{cameo}", "country",
                        f"country:{c.iso3}")
    names = [c.name, *([c.official] if c.official else []), *c.aliases, *c.shared]
    yield Entry(country.key, "country", c.name, fallback=country), "country", names
    demonym = replace(country, basis="gazetteer:demonym", kind="demonym", key=f"demonym:{c.iso3}")
    yield (Entry(demonym.key, "demonym", c.name, fallback=demonym), "demonym",
           [*c.adjectives, *c.demonyms])
    gov = Candidate(c.iso3 + "GOV", c.iso3, "GOV", f"Government of {c.name}", "gazetteer:capital-metonym",
                    "capital", f"capital:{c.iso3}")
    yield Entry(gov.key, "capital", c.name, fallback=gov), "capital", c.capital
    palace = replace(gov, basis="gazetteer:palace-metonym", kind="palace", key=f"palace:{c.iso3}")
    yield Entry(palace.key, "palace", c.name, fallback=palace), "palace", c.palaces
    # A region is named as its country: a place of its actors ("Darfur rebels" -> SDNREB).
    region = replace(country, basis=REGION_BASIS, key=f"region:{c.iso3}")
    yield Entry(region.key, "country", c.name, fallback=region), "country", c.regions


def _add_role_noun(nouns: dict[str, RoleNoun], row: RoleNounRow, kind: Kind) -> None:
    noun = RoleNoun(row.phrase, kind, row.role, row.role, inherits=row.inherits)
    forms = [row.phrase, *row.variants]
    plurals = row.plurals if row.plurals is not None else [plural(f) for f in forms]
    for text in (*forms, *plurals):
        nouns.setdefault(key(text), noun)


def _role_of(code: str, country: str | None) -> str | None:
    rest = code[3:] if country and code.startswith(country) else code
    return rest[:3] or None


def _person_entry(p: PersonRow, countries: dict[str, CountryRow], igos: dict[str, IgoRow],
                  groups: dict[str, GroupRow]) -> Entry:
    lk = f"leader:{p.key}"
    rules: list[Rule] = []
    # Offices of government first, so a simultaneous party or opposition post
    # does not mask a state office.
    order = {"GOV": 0, "IGO": 1, "MIL": 2}
    for t in sorted(p.terms, key=lambda t: (order.get(t.effective_role, 3), t.start)):
        if t.group is not None:
            rules.extend(_group_term_rules(p, t, groups[t.group]))
        else:
            rules.append(Rule(t.start, t.end, _term_candidate(p, t, igos)))
    home = countries[p.country].name if p.country in countries else p.country
    before = Candidate(p.country, p.country, None, p.name, f"{lk}:not yet in a recorded office",
                       "leader", lk)
    former = Candidate(p.country + "ELI", p.country, "ELI", p.name,
                       f"{lk}:former official ({home})", "leader", lk)
    return Entry(lk, "leader", p.name, rules=tuple(rules), fallback=former, before=before)


def _term_candidate(p: PersonRow, t: Term, igos: dict[str, IgoRow]) -> Candidate:
    span = f"{t.start}..{t.end or ''}"
    what = t.title or t.office.replace("_", " ")
    basis = f"leader:{p.key}:{t.office}:{span}"
    if t.igo is not None:
        igo = igos[t.igo]
        return Candidate(igo.code, None, "IGO", f"{p.name} ({what})", basis, "leader", f"leader:{p.key}")
    country = t.country or p.country
    role = t.effective_role
    return Candidate(country + role, country, role, f"{p.name} ({what})", basis, "leader", f"leader:{p.key}")


def _group_term_rules(p: PersonRow, t: Term, g: GroupRow) -> list[Rule]:
    """A term in a group, cut where the group's code changes (Taliban → AFGGOV)."""
    cuts = sorted({t.start, *(d for dc in g.dated for d in (dc.start, dc.end)
                              if d is not None and t.start < d and (t.end is None or d < t.end))})
    bounds = [*cuts, t.end]
    what = t.title or t.office.replace("_", " ")
    rules = []
    for start, end in pairwise(bounds):
        assert start is not None
        code = next((dc.code for dc in g.dated
                     if (dc.start is None or dc.start <= start) and (dc.end is None or start < dc.end)),
                    g.code)
        basis = f"leader:{p.key}:{t.office}@{g.key}:{start}..{end or ''}"
        rules.append(Rule(start, end, Candidate(code, g.country, _role_of(code, g.country),
                                                f"{p.name} ({what}, {g.name})", basis, "leader",
                                                f"leader:{p.key}")))
    return rules
