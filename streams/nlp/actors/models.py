"""The shapes of the actor data files, of the table built from them, and of a lookup's answer.

Rows are pydantic models that forbid unknown fields, so a typo in a data
file ("adjectivs:") fails loudly instead of silently dropping a column.
Cross-row rules (unique keys, known countries, non-overlapping terms) live
in :mod:`streams.nlp.actors.validate`.  The frozen dataclasses after them
(:class:`Candidate`, :class:`Entry` with its dated :class:`Rule` s, :class:`RoleNoun`)
are what both the built-in data and the PETRARCH readers produce for the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from streams.contracts.enriched import ActorRef, Role

ROLES: frozenset[str] = frozenset(get_args(Role))

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Code = Annotated[str, Field(pattern=r"^[A-Z]{3}([A-Z]{3})*$", max_length=24)]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Surface = Annotated[str, Field(min_length=1, max_length=120)]

#: What kind of thing a surface form names.  ``demonym`` covers adjectives
#: and people nouns ("Russian", "Russians"); ``title`` is a person known only
#: by an office attached to an actor ("the Russian foreign minister").
Kind = Literal[
    "country", "demonym", "capital", "palace", "institution", "igo", "ngo",
    "leader", "group", "title",
]

#: Offices a leader's term can hold.  Single-holder offices are checked for
#: overlapping terms within a country.
Office = Literal[
    "head_of_state", "head_of_government", "head_of_state_and_government",
    "deputy_head_of_state", "deputy_head_of_government",
    "foreign_minister", "defence_minister", "interior_minister",
    "chief_of_defence", "de_facto_leader", "opposition_leader",
    "speaker", "un_ambassador", "spokesperson", "igo_head", "minister", "other",
]

#: Offices with one holder at a time per country (or per IGO).
SINGLE_HOLDER_OFFICES: frozenset[str] = frozenset({
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister",
    "interior_minister", "chief_of_defence", "igo_head",
})

#: The default role of each office; a term can override it.
OFFICE_ROLE: dict[str, str] = {
    "chief_of_defence": "MIL",
    "opposition_leader": "OPP",
    "speaker": "LEG",
    "igo_head": "IGO",
}


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CountryRow(Row):
    """A state, observer or commonly coded territory."""

    iso3: ISO3
    #: CAMEO's code when it differs from ISO-3166 (Kosovo ``KSV``, Timor-Leste ``TMP``).
    cameo: str | None = None
    status: Literal["member", "observer", "territory"]
    #: For territories: the state it belongs to, if any.
    sovereign: ISO3 | None = None
    name: Surface
    official: Surface | None = None
    aliases: list[Surface] = []
    #: Surface forms knowingly shared with another entry ("Congo", "Korea").
    shared: list[Surface] = []
    adjectives: list[Surface] = []
    demonyms: list[Surface] = []
    #: The seat of government, used as a metonym ("Moscow warned").
    capital: list[Surface] = []
    #: Presidency or palace metonyms ("the Kremlin", "Downing Street").
    palaces: list[Surface] = []
    #: Regions, provinces and occupied areas coded as the country ("the West Bank" -> PSE,
    #: "Darfur" -> SDN, "Northern Ireland" -> GBR): places where the country's actors are.
    regions: list[Surface] = []
    note: str | None = None


class InstitutionRow(Row):
    """A named state body: ministry, legislature, armed force, court, media."""

    key: Key
    country: ISO3
    role: Role
    type: Literal[
        "government", "presidency", "foreign_ministry", "defence_ministry", "interior_ministry",
        "ministry", "legislature", "military", "central_bank", "court", "state_media", "media",
        "intelligence", "police", "party", "other",
    ]
    name: Surface
    aliases: list[Surface] = []
    shared: list[Surface] = []
    note: str | None = None


class RoleNounRow(Row):
    """A generic institution noun or person title that gives an actor its role.

    "foreign ministry" + Russia → ``RUSGOV``; "lawmaker" + US → ``USALEG``.
    """

    phrase: Surface
    role: Role
    variants: list[Surface] = []
    #: Plurals are made regularly unless given; ``[]`` means "no plural".
    plurals: list[Surface] | None = None
    #: Take the role of the institution the title is attached to, if any
    #: ("Pentagon spokesman" → the Pentagon's role); else ``role``.
    inherits: bool = False
    note: str | None = None


class TitleModifierRow(Row):
    """A word in front of a title: "deputy" keeps the role, "former" turns it into ELI."""

    word: Surface
    role: Role | None = None


class TitlesFile(Row):
    modifiers: list[TitleModifierRow]
    honorifics: list[Surface]
    titles: list[RoleNounRow]


class IgoRow(Row):
    """An intergovernmental organisation, one of its organs, or an international NGO."""

    key: Key
    code: Code
    type: Literal["igo", "ngo"]
    name: Surface
    aliases: list[Surface] = []
    shared: list[Surface] = []
    #: Organisation this one belongs to (an organ or agency), by key.
    parent: Key | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _prefix(self) -> IgoRow:
        if not self.code.startswith(self.type.upper()):
            raise ValueError(f"code {self.code} of a {self.type} must start with {self.type.upper()}")
        return self


class DatedCode(Row):
    """A code that applies between two dates (end exclusive, ``None`` = still so)."""

    code: Code
    start: date | None = None
    end: date | None = None
    note: str | None = None


class GroupRow(Row):
    """An armed non-state group, movement or party."""

    key: Key
    name: Surface
    aliases: list[Surface] = []
    shared: list[Surface] = []
    #: Country the group belongs to or fights in; ``None`` for transnational groups.
    country: ISO3 | None = None
    code: Code
    role: Role
    #: Periods with another code (the Taliban became the de facto government).
    dated: list[DatedCode] = []
    note: str | None = None


class Term(Row):
    """One holding of one office, ``start`` inclusive, ``end`` exclusive."""

    office: Office
    start: date
    end: date | None = None
    #: Human-readable office, e.g. "Secretary of State".
    title: str | None = None
    role: Role | None = None
    #: When the office is in another country than the person's (rare) ...
    country: ISO3 | None = None
    #: ... or in an IGO, by key (UN Secretary-General, NATO Secretary General) ...
    igo: Key | None = None
    #: ... or in an armed group, by key: the person acts for the group, with
    #: the group's code on each day (Taliban leaders became AFGGOV in 2021).
    group: Key | None = None
    #: Exempt from the single-holder overlap check (rival governments, co-rulers).
    parallel: bool = False
    #: The day of ``start`` or ``end`` is uncertain (within about a month).
    approx: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Term:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"term ends ({self.end}) on or before it starts ({self.start})")
        if sum(x is not None for x in (self.country, self.igo, self.group)) > 1:
            raise ValueError("a term names at most one of country, igo and group")
        return self

    @property
    def effective_role(self) -> str:
        if self.role is not None:
            return self.role
        return OFFICE_ROLE.get(self.office, "GOV")


class PersonRow(Row):
    """A leader with dated offices."""

    key: Key
    name: Surface
    aliases: list[Surface] = []
    shared: list[Surface] = []
    country: ISO3
    terms: list[Term] = Field(min_length=1)
    note: str | None = None

    @field_validator("terms")
    @classmethod
    def _sorted(cls, terms: list[Term]) -> list[Term]:
        return sorted(terms, key=lambda t: t.start)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a surface form: an ``ActorRef`` plus what kind of thing it is.

    Lookups return these; :meth:`to_actor_ref` gives the published contract.
    """

    code: str
    country: str | None
    role: str | None
    name: str
    basis: str
    kind: Kind
    #: Stable id of the entry the reading came from, e.g. ``leader:vladimir-putin``.
    key: str
    #: ``builtin`` or the file a plugged-in dictionary entry came from.
    source: str = "builtin"

    @property
    def dyad_code(self) -> str:
        """The three-letter code a dyad is keyed on.

        The country for state actors; for IGOs, NGOs and transnational groups
        (``IGONAT``, ``IGOUNOWHO``, ``IMGISI``) the most specific tag (``NAT``,
        ``WHO``, ``ISI``), so NATO and the UN do not collapse into one ``IGO``.
        """
        if self.country is not None:
            return self.country
        return self.code[-3:]

    def to_actor_ref(self) -> ActorRef:
        return ActorRef(
            code=self.code,
            country=self.country,
            role=self.role if self.role in ROLES else None,
            name=self.name,
            basis=self.basis,
        )


@dataclass(frozen=True, slots=True)
class Rule:
    """``candidate`` applies from ``start`` (inclusive) to ``end`` (exclusive)."""

    start: date | None
    end: date | None
    #: ``None`` is PETRARCH's null code: explicitly no actor in that period.
    candidate: Candidate | None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """A thing with names: resolved against a date to at most one candidate.

    Rules are tried in order and the first that covers the date wins;
    otherwise ``before`` applies to dates before every rule (a leader not yet
    in office), and ``fallback`` to the rest (a former leader, an undated code).
    """

    key: str
    kind: Kind
    name: str
    rules: tuple[Rule, ...] = ()
    fallback: Candidate | None = None
    before: Candidate | None = None

    def resolve(self, on: date) -> Candidate | None:
        for rule in self.rules:
            if rule.covers(on):
                return rule.candidate
        if self.before is not None and all(r.start is not None and on < r.start for r in self.rules):
            return self.before
        return self.fallback


@dataclass(frozen=True, slots=True)
class RoleNoun:
    """A generic institution noun or a person title ("foreign ministry", "lawmaker").

    Attached to an owner it gives the role part of the actor code ("Russian" +
    "foreign ministry" -> ``RUSGOV``).  PETRARCH calls these *agents*; here "agent"
    means a Faust agent only.
    """

    phrase: str
    kind: Kind  # "institution" or "title"
    role: str
    #: Role chunks appended to the owner's country code (``GOV``, or a
    #: PETRARCH ``GOVFRM``); ``prefix`` chunks go in front (PETRARCH ``NGO~``).
    suffix: str
    prefix: str = ""
    inherits: bool = False
    source: str = "builtin"


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A string to match in text, for building a spaCy PhraseMatcher or EntityRuler."""

    text: str
    #: Entry id, e.g. ``country:RUS``, ``leader:vladimir-putin``, ``title:foreign minister``.
    key: str
    kind: Kind
    #: The spaCy label such a mention usually carries (GPE, NORP, ORG, PERSON).
    label: str
    #: Match on ORTH (exact case) rather than LOWER: "US" but not "us".
    case_sensitive: bool
