"""The actor table: from a surface form and a date to CAMEO-coded candidates.

Everything is precomputed at load time into plain dicts keyed by the
normalised surface (:func:`streams.nlp.actors.normalize.key`), so a lookup
is one or two dict accesses; dated entries (leaders, groups, PETRARCH date
restrictions) keep a short tuple of rules that is scanned in order.

A lookup that misses exactly falls back to composition, the way PETRARCH
combines actors and *agents* (here: role nouns): an owner (country, demonym,
IGO, group or named institution) plus a role noun, i.e. a generic institution
noun or a title ("the Russian Defence Ministry", "Russia's Deputy Foreign Minister Sergei Ryabkov",
"Foreign Ministry of Ukraine"), and title-prefixed names ("President
Putin", "U.S. Secretary of State Antony Blinken").  Nothing is guessed:
an owner without a known noun, or a name without an entry, gives nothing.

Built from the rows by :func:`build`: entries of the built-in data come from
:mod:`streams.nlp.actors.entries`, plugged-in dictionaries from
:mod:`streams.nlp.actors.petrarch`; titles are matched by
:mod:`streams.nlp.actors.titles`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from streams.nlp.actors.entries import builtin_entries, builtin_role_nouns
from streams.nlp.actors.models import Candidate, CountryRow, Entry, Kind, RoleNoun, SurfaceForm
from streams.nlp.actors.normalize import is_case_sensitive, key
from streams.nlp.actors.petrarch import read_actors, read_role_nouns
from streams.nlp.actors.titles import TitleMatch, Titles
from streams.nlp.actors.validate import ActorData, read

DATA_DIR = Path(__file__).resolve().parent / "data"

#: spaCy/OntoNotes label a surface of each kind usually carries.
LABELS: dict[str, str] = {
    "country": "GPE", "capital": "GPE", "demonym": "NORP", "palace": "ORG",
    "institution": "ORG", "igo": "ORG", "ngo": "ORG", "group": "ORG",
    "leader": "PERSON", "title": "PERSON",
}

#: Order in which candidates of different kinds are returned.
_KIND_ORDER: dict[str, int] = {
    k: i for i, k in enumerate(
        ["country", "demonym", "capital", "palace", "institution", "igo", "ngo", "group", "leader", "title"])
}

#: Kinds that can own an institution noun or a title.
_OWNER_KINDS = frozenset({"country", "demonym", "capital", "palace", "institution", "igo", "ngo", "group"})
_NON_STATE_KINDS = frozenset({"igo", "ngo", "group"})
#: "<title> of <owner>": the owner is the title's own state.  Not "to"/"in":
#: the ambassador *to* Russia and the embassy *in* Moscow are foreign.
_CONNECTORS = ("of", "for", "from")


@dataclass(frozen=True, slots=True)
class Decomposition:
    """How a phrase splits into owner, title and name.

    ``"Russia's Deputy Foreign Minister Sergei Ryabkov"`` → owner Russia,
    title "deputy foreign minister", name "sergei ryabkov".
    """

    owners: tuple[Candidate, ...]
    title: TitleMatch | None
    #: The remaining words (normalised), usually a person's name; "" if none.
    name: str
    #: The same words with their case kept.
    cased_name: str = ""


class ActorTable:
    """Who a name stands for, on a date.

    >>> table = ActorTable.load()
    >>> [c.code for c in table.lookup("the Kremlin")]
    ['RUSGOV']
    """

    def __init__(self, entries: Iterable[tuple[str, bool, Entry]], nouns: dict[str, RoleNoun],
                 modifiers: dict[str, str | None], honorifics: frozenset[str],
                 countries: dict[str, CountryRow], as_of: date,
                 surfaces: Iterable[SurfaceForm] = ()):
        #: case-folded key -> entries, and capitals-only key -> entries
        self._ci: dict[str, list[Entry]] = {}
        self._cs: dict[str, list[Entry]] = {}
        for k, case_sensitive, entry in entries:
            bucket = self._cs if case_sensitive else self._ci
            found = bucket.setdefault(k, [])
            if all(e.key != entry.key for e in found):
                found.append(entry)
        for found in (*self._ci.values(), *self._cs.values()):
            found.sort(key=lambda e: _KIND_ORDER[e.kind])
        self.titles = Titles(nouns, modifiers, honorifics)
        self._countries = countries
        self._surfaces = tuple(surfaces)
        self._by_key = {e.key: e for found in (*self._ci.values(), *self._cs.values()) for e in found}
        #: Undated lookups resolve as of the data's as-of date.
        self.as_of = as_of
        self._max_owner_len = max((len(k.split()) for k in self._ci), default=1)

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, data_dir: Path | str | None = None, *, petrarch_actors: Sequence[Path | str] = (),
             petrarch_role_nouns: Sequence[Path | str] = (), builtin: bool = True) -> ActorTable:
        """The table for ``data_dir`` (default: the shipped data), cached per process.

        ``petrarch_actors`` and ``petrarch_role_nouns`` plug in Phoenix/PETRARCH
        actors and agents dictionaries (see :mod:`streams.nlp.actors.petrarch`);
        their entries are added after the built-in ones.  ``builtin=False`` uses only the
        plugged-in dictionaries (still with the built-in country list for
        naming codes).
        """
        return _load_cached(
            str(Path(data_dir or DATA_DIR).resolve()),
            tuple(str(Path(p).resolve()) for p in petrarch_actors),
            tuple(str(Path(p).resolve()) for p in petrarch_role_nouns),
            builtin,
        )

    # ------------------------------------------------------------------ lookups

    def lookup(self, surface: str, on: date | datetime | None = None) -> list[Candidate]:
        """Candidates for a mention, resolved on the article's date.

        Exact surface forms first (any case, except capitals-only acronyms);
        then owner + institution/title compositions and title-prefixed names.
        An empty list means "not a known actor", never a guess.
        """
        day = _day(on, self.as_of)
        entries = self._exact(surface)
        if entries:
            return _resolve_all(entries, day)
        return self._compose(surface, day)

    def lookup_exact(self, surface: str, on: date | datetime | None = None) -> list[Candidate]:
        """Like :meth:`lookup` without the composition fallback."""
        return _resolve_all(self._exact(surface), _day(on, self.as_of))

    def entry(self, entry_key: str) -> Entry | None:
        """An entry by id (``country:RUS``, ``leader:joe-biden``...)."""
        return self._by_key.get(entry_key)

    def resolve(self, entry_key: str, on: date | datetime | None = None) -> Candidate | None:
        """The candidate of a known entry on a date (for coreference: "Ryabkov" later)."""
        entry = self._by_key.get(entry_key)
        return entry.resolve(_day(on, self.as_of)) if entry else None

    def country(self, iso3: str) -> CountryRow | None:
        """Names, adjectives, capital and status of a country by ISO-3166 alpha-3."""
        return self._countries.get(iso3.upper())

    def countries(self) -> tuple[CountryRow, ...]:
        return tuple(self._countries.values())

    def surfaces(self) -> tuple[SurfaceForm, ...]:
        """Every surface form of every entry, with its kind (not titles: see ``titles.phrases()``)."""
        return self._surfaces

    def decompose(self, surface: str, on: date | datetime | None = None) -> Decomposition:
        """Split "Russia's Deputy Foreign Minister Sergei Ryabkov" into owner, title and name."""
        return self._decompose(key(surface, keep_case=True).split(), _day(on, self.as_of))

    # ------------------------------------------------------------------ internals

    def _exact(self, surface: str) -> list[Entry]:
        found = self._cs.get(key(surface, keep_case=True), [])
        more = self._ci.get(key(surface), [])
        if found and more:
            return [*found, *(e for e in more if e not in found)]
        return found or more

    def _owners(self, tokens: Sequence[str], cased: Sequence[str], start: int,
                day: date) -> tuple[int, list[Candidate]]:
        """Longest owner phrase at ``tokens[start:]``: (length, candidates)."""
        for n in range(min(self._max_owner_len, len(tokens) - start), 0, -1):
            found = [*self._cs.get(" ".join(cased[start:start + n]), []),
                     *self._ci.get(" ".join(tokens[start:start + n]), [])]
            entries = [e for e in found if e.kind in _OWNER_KINDS]
            if entries:
                return n, _resolve_all(entries, day)
        return 0, []

    def _decompose(self, cased: list[str], day: date) -> Decomposition:
        tokens = [t.casefold() for t in cased]
        n_owner, owners = self._owners(tokens, cased, 0, day)
        lead = 0
        if not owners:
            # "former Russian foreign minister": modifiers may precede the owner.
            while lead < len(tokens) and tokens[lead] in self.titles.modifiers:
                lead += 1
            if lead:
                n_owner, owners = self._owners(tokens, cased, lead, day)
                if not owners:
                    lead = 0
        i = lead + n_owner
        title = self.titles.match_tokens(tokens, i)
        if title is not None:
            i += title.length
            if lead:
                mods = tuple(tokens[:lead])
                title = replace(title, modifiers=mods + title.modifiers,
                                role=self.titles.role_after(mods, title.role))
        while i < len(tokens) and tokens[i] in self.titles.honorifics:
            i += 1
        return Decomposition(tuple(owners), title, " ".join(tokens[i:]), " ".join(cased[i:]))

    def _compose(self, surface: str, day: date) -> list[Candidate]:
        cased = key(surface, keep_case=True).split()
        if not cased:
            return []
        parts = self._decompose(cased, day)
        if parts.name:
            # "President Putin", "Mr Putin", "NATO chief Mark Rutte": the named
            # entry decides, on its own dates, whatever the title says.
            found = [*self._cs.get(parts.cased_name, []), *self._ci.get(parts.name, [])]
            named = [c for c in _resolve_all(found, day) if c.kind in ("leader", "group", "igo", "ngo")]
            if named:
                return named
        if parts.title is not None and parts.owners:
            # "Russia's Deputy Foreign Minister Sergei Ryabkov", "the Russian Defence Ministry"
            return _dedupe(_attach(o, parts.title, self) for o in parts.owners)
        return self._compose_of(cased, day)

    def _compose_of(self, cased: list[str], day: date) -> list[Candidate]:
        """"<title> of|for|to <owner>": "Ministry of Foreign Affairs of Ukraine"."""
        tokens = [t.casefold() for t in cased]
        for i in range(len(tokens) - 1, 0, -1):
            if tokens[i] not in _CONNECTORS:
                continue
            title = self.titles.match_tokens(tokens[:i])
            if title is None or title.length != i:
                continue
            n, owners = self._owners(tokens, cased, i + 1, day)
            if owners and i + 1 + n == len(tokens):
                return _dedupe(_attach(o, title, self) for o in owners)
        return []

    def country_name(self, iso3: str) -> str:
        """A country's name by ISO-3166 alpha-3; the code itself if the table does not know it."""
        row = self._countries.get(iso3)
        return row.name if row else iso3


def _day(on: date | datetime | None, default: date) -> date:
    if on is None:
        return default
    if isinstance(on, datetime):
        return on.date()
    return on


def _resolve_all(entries: Iterable[Entry], day: date) -> list[Candidate]:
    return _dedupe(e.resolve(day) for e in entries)


def _dedupe(cands: Iterable[Candidate | None]) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for c in cands:
        if c is not None and (c.key, c.code) not in seen:
            seen.add((c.key, c.code))
            out.append(c)
    return out


def _attach(owner: Candidate, title: TitleMatch, table: ActorTable) -> Candidate | None:
    """Owner + title/institution noun → the composed actor."""
    noun = title.noun
    assert noun is not None
    former = title.role == "ELI" and noun.role != "ELI"
    kind: Kind = "title" if noun.kind == "title" else "institution"
    words = " ".join((*title.modifiers, title.title))
    basis = f"{noun.kind}:{words}+{owner.key}"
    if noun.source != "builtin":
        basis = f"{basis} ({noun.source})"
    if owner.kind in _NON_STATE_KINDS or owner.country is None:
        if former:
            return None  # a former official of an IGO or group no longer acts for it
        return Candidate(owner.code, owner.country, owner.role, f"{owner.name} ({words})",
                         basis, kind, owner.key, noun.source)
    country = owner.country
    if noun.inherits and owner.role is not None and not former:
        role, code = owner.role, owner.code
    elif former:
        role, code = "ELI", country + "ELI"
    else:
        role = title.role
        code = f"{noun.prefix}{country}{noun.suffix}" if noun.source != "builtin" else country + role
    name = f"{table.country_name(country)} ({words})"
    return Candidate(code, country, role, name, basis, kind, owner.key, noun.source)


# ---------------------------------------------------------------------- building


@functools.lru_cache(maxsize=8)
def _load_cached(data_dir: str, petrarch_actors: tuple[str, ...], petrarch_role_nouns: tuple[str, ...],
                 builtin: bool) -> ActorTable:
    data = read(Path(data_dir))
    return build(data, petrarch_actors=[Path(p) for p in petrarch_actors],
                 petrarch_role_nouns=[Path(p) for p in petrarch_role_nouns], builtin=builtin)


def build(data: ActorData, *, petrarch_actors: Sequence[Path] = (), petrarch_role_nouns: Sequence[Path] = (),
          builtin: bool = True) -> ActorTable:
    """Turn validated rows (and optional PETRARCH dictionaries) into a table."""
    countries = {c.iso3: c for c in data.countries}
    entries: list[tuple[str, bool, Entry]] = []
    surfaces: list[SurfaceForm] = []
    nouns: dict[str, RoleNoun] = builtin_role_nouns(data) if builtin else {}

    def add(entry: Entry, kind: Kind, texts: Iterable[str]) -> None:
        for text in texts:
            cs = is_case_sensitive(text)
            entries.append((key(text, keep_case=True) if cs else key(text), cs, entry))
            for variant in _variants(text):
                surfaces.append(SurfaceForm(variant, entry.key, kind, LABELS[kind], cs))

    if builtin:
        for entry, kind, texts in builtin_entries(data):
            add(entry, kind, texts)

    modifiers: dict[str, str | None] = {}
    honorifics: frozenset[str] = frozenset()
    if data.titles is not None:
        modifiers = {key(m.word): m.role for m in data.titles.modifiers}
        honorifics = frozenset(key(h) for h in data.titles.honorifics)

    for path in petrarch_actors:
        for text, entry in read_actors(path).entries():
            cs = is_case_sensitive(text)
            entries.append((key(text, keep_case=True) if cs else key(text), cs, entry))
            surfaces.append(SurfaceForm(text, entry.key, entry.kind, LABELS[entry.kind], cs))
    for path in petrarch_role_nouns:
        for text, noun in read_role_nouns(path).nouns():
            nouns.setdefault(key(text), noun)

    return ActorTable(entries, nouns, modifiers, honorifics, countries, data.as_of,
                      _dedupe_surfaces(surfaces))


def _variants(text: str) -> list[str]:
    """The text, and its spelling without diacritics when different (for ORTH/LOWER matchers)."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'")
    return [text] if plain == text else [text, plain]


def _dedupe_surfaces(surfaces: Iterable[SurfaceForm]) -> list[SurfaceForm]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for s in surfaces:
        k = (s.text, s.key, s.kind)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out

