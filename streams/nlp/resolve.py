"""From entity spans to entities with actor references, on the article's date.

The gazetteer (``streams.nlp.gazetteer``) has merged the actor table's
surface forms into spaCy's entities; this module decides who each mention
stands for, in passes over the document:

1. **Readings**: the actor table's candidates for the span on
   ``published_at`` (dated roles: Putin is ``RUSGOV`` since 2012, Biden
   ``USAGOV`` from 2021-01-20 to 2025-01-20 and ``USAELI`` after).
2. **Ambiguity**: a surface with several readings ("Congo", "Clinton"), a
   name that is also a place ("Jordan", "Chad", "Georgia"), a capital that is
   also a US state ("Washington") is settled by evidence in the document or
   left unresolved, with the reason kept (:func:`resolve_mentions`).
3. **People**: titles before the name, appositions after it, then short forms
   ("Ryabkov", "Mr Ryabkov") through :mod:`streams.nlp.coref`.
4. **Role nouns**: "Russian troops" -> ``RUSMIL``, "US lawmakers" -> ``USALEG``
   (:mod:`streams.nlp.roles`).
5. **Metonym or place**: "Moscow warned" is the government acting;
   "talks in Moscow" names a location (:mod:`streams.nlp.evidence`).
6. **Nominals**: "the ministry", "the government" point back to the last
   matching actor.

Usage and actor of a mention (see ``docs/resolution.md``):

* ``usage="actor"``: the mention stands for the actor in ``actor``;
* ``usage="place"``: a location.  A capital or palace used as a place keeps
  its country as a country-level reference (``RUS``, no role) whose basis
  records the government it would stand for; cities the table does not know
  have no actor;
* ``usage="other"``: anything else (unknown organisations, people without a
  role, unresolved ambiguities).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from spacy.tokens import Doc, Span

from streams.contracts import ActorRef, Entity
from streams.contracts.enriched import TextField
from streams.nlp import coref, evidence, gazetteer, roles
from streams.nlp.actors import LABELS, ActorTable, Candidate

Usage = Literal["actor", "place", "other"]

#: Entity labels we report; dates, numbers and the like are not actors.
REPORTED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
#: Labels whose mentions can stand for a political actor.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Labels of location mentions.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LOOKUP_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_OWNER_KINDS = frozenset({"country", "demonym", "capital", "palace", "institution", "igo", "group"})
_PLACE_LIKE = frozenset({"capital", "palace"})
_SHORT_FORM_LABELS = frozenset({"PERSON", "ORG", "GPE"})
#: How role nouns show in the published ``actor.basis``: PETRARCH's word "agent" is kept
#: there, since renaming it would change published output.
ROLE_NOUN_BASIS, ROLE_NOUN_OF_BASIS = "agent noun", "agent of"


@dataclass(slots=True)
class Resolution:
    """One mention while it is being resolved, and why it ended as it did."""

    start: int  # token indices into the doc
    end: int
    start_char: int
    end_char: int
    text: str
    label: str
    hit: gazetteer.Hit | None = None
    candidates: list[Candidate] = field(default_factory=list)
    candidate: Candidate | None = None
    kind: str | None = None
    usage: Usage = "other"
    #: How the actor was found, or why there is none.
    reason: str = ""
    #: Extra evidence appended to the actor's basis.
    evidence: list[str] = field(default_factory=list)
    #: The country-level reference of a capital or palace used as a place.
    place: Candidate | None = None

    @property
    def resolved(self) -> bool:
        return self.candidate is not None

    def choose(self, candidate: Candidate, why: str | None = None) -> None:
        self.candidate = candidate
        self.kind = candidate.kind
        if why:
            self.evidence.append(why)

    def leave(self, why: str) -> None:
        self.candidate = None
        self.reason = why

    def actor_ref(self) -> ActorRef | None:
        chosen = self.place if self.usage == "place" else self.candidate
        if chosen is None:
            return None
        ref = chosen.to_actor_ref()
        if self.evidence:
            ref = ref.model_copy(update={"basis": f"{ref.basis}; " + "; ".join(self.evidence)})
        return ref

    def entity(self, field_name: TextField) -> Entity:
        return Entity(field=field_name, start=self.start_char, end=self.end_char, text=self.text,
                      label=self.label, actor=self.actor_ref(), usage=self.usage)


def resolve_entities(doc: Doc, published_at: datetime | None, field: TextField,
                     table: ActorTable | None = None) -> list[Entity]:
    """Every reported entity of ``doc`` with its actor, offsets into ``doc.text``."""
    return [r.entity(field) for r in resolve_mentions(doc, published_at, table)]


def resolve_mentions(doc: Doc, published_at: date | datetime | None,
                     table: ActorTable | None = None) -> list[Resolution]:
    """The mentions of ``doc`` with their readings, choices and reasons."""
    tbl = table or gazetteer.table()
    hits = gazetteer.hits(doc)
    mentions = [_reading(span, hits.get((span.start, span.end)), published_at, tbl)
                for span in doc.ents if span.label_ in REPORTED_LABELS]
    if not mentions:
        return []
    ctx = _Context(doc, mentions, tbl, published_at)
    for m in mentions:
        _disambiguate(doc, m, ctx)
    ctx.refresh(mentions)
    for m in mentions:
        if m.label == "PERSON" and not m.reason.startswith("person"):
            _person(doc, m, tbl, published_at, ctx)
    _short_forms(doc, mentions, ctx)
    _role_nouns(doc, mentions, tbl, published_at)
    _ethnic_people(doc, mentions, tbl)
    for m in mentions:
        if m.usage == "other":
            _usage(doc, m)
    mentions += _unowned_agents(doc, mentions, tbl, published_at)
    mentions += _nominals(doc, mentions)
    return sorted(mentions, key=lambda m: m.start)


# ---------------------------------------------------------------- 1. readings


def _reading(span: Span, hit: gazetteer.Hit | None, on: date | datetime | None,
             tbl: ActorTable) -> Resolution:
    m = Resolution(span.start, span.end, span.start_char, span.end_char, span.text, span.label_, hit)
    if hit is None and span.label_ not in _LOOKUP_LABELS:
        return m
    found = gazetteer.candidates(span.text, on, tbl)
    if hit is not None:
        exact = [c for c in found if c.key in hit.keys]
        found = exact or found or [c for k in hit.keys if (c := tbl.resolve(k, on)) is not None]
        if not found:
            territory = next((k for k in hit.keys if k.startswith("territory:")), None)
            if territory is not None:
                found = [c for c in gazetteer.territories().values() if c.key == territory][:1]
    m.candidates = found
    if len({c.code for c in found}) == 1:
        m.choose(found[0])
        if found[0].kind == "leader" and m.label != "PERSON":
            m.label = "PERSON"  # "Braverman" tagged ORG by NER is the Home Secretary
        elif found[0].kind in ("institution", "igo", "ngo") and m.label == "PERSON":
            m.label = "ORG"
    elif found:
        m.reason = "ambiguous: " + "|".join(sorted({c.code for c in found}))
    else:
        m.reason = "not in the actor table"
    return m


class _Context:
    """What the whole document says, for evidence."""

    def __init__(self, doc: Doc, mentions: list[Resolution], table: ActorTable | None = None,
                 on: date | datetime | None = None) -> None:
        self.words = frozenset(t.text for t in doc if t.is_alpha)
        self.mentions = mentions
        self.table = table
        self.on = on
        #: token starts of mentions settled as countries or places (for list evidence)
        self.settled_places = frozenset(
            i for m in mentions if m.candidate is not None and m.label != "PERSON"
            and m.kind in ("country", "capital", "demonym") for i in range(m.start, m.end))
        self.people = coref.People()
        for m in mentions:
            if m.label == "PERSON" and (m.hit is None or m.hit.kind not in gazetteer.PLACE_KINDS):
                self.people.add(m.start, m.text, m.candidate if m.kind == "leader" else None, m.kind)
        self.person_tokens = self.people.tokens()
        self.countries: dict[str, set[int]] = {}
        self.refresh(mentions)

    def refresh(self, mentions: Iterable[Resolution]) -> None:
        """Countries named by settled, non-person mentions (mention index by country)."""
        self.countries = {}
        for m in mentions:
            c = m.candidate
            if c is not None and c.country and m.label != "PERSON" and not m.reason.startswith("ambiguous"):
                self.countries.setdefault(c.country, set()).add(m.start)

    def country_elsewhere(self, country: str | None, at: int) -> bool:
        return bool(country) and bool(self.countries.get(country or "", set()) - {at})


# ---------------------------------------------------------------- 2. ambiguity


def _disambiguate(doc: Doc, m: Resolution, ctx: _Context) -> None:
    span = doc[m.start:m.end]
    hit = m.hit
    if hit is not None and hit.ner_label == "PERSON" and hit.kind in gazetteer.PLACE_KINDS:
        _person_or_place(span, m, ctx)
        return
    if m.candidate is None and len({c.code for c in m.candidates}) > 1:
        supported = [c for c in m.candidates if ctx.country_elsewhere(c.country, m.start)]
        if len({c.code for c in supported}) == 1:
            m.choose(supported[0], f"{supported[0].country} named elsewhere in the document")
            m.reason = ""
        return
    if m.candidate is None:
        return
    if m.text in evidence.AMBIGUOUS_COUNTRIES and m.kind == "country":
        state = evidence.us_state_cue(span, ctx.words)
        country = ctx.country_elsewhere(m.candidate.country, m.start) or bool(
            evidence.country_cue(span, ctx.settled_places - set(range(m.start, m.end)), locative=False))
        if state and not country:
            _us_state(m, state)
        elif country and not state:
            m.evidence.append(f"{m.candidate.country} named elsewhere in the document")
        else:
            m.leave(f"ambiguous: country {m.candidate.code} or US state "
                    f"({'both' if state else 'no'} cues)")
    elif m.text in evidence.AMBIGUOUS_CAPITALS and m.kind == "capital":
        state = evidence.us_state_cue(span, ctx.words)
        person = evidence.person_cue(span, ctx.person_tokens)
        if person:
            m.label = "PERSON"
            m.leave(f"person: {person}")
        elif state:
            _us_state(m, state)
        elif ctx.country_elsewhere(m.candidate.country, m.start):
            m.evidence.append(f"{m.candidate.country} named elsewhere in the document")
        else:
            m.evidence.append("no US-state or person cue")


def _us_state(m: Resolution, why: str) -> None:
    assert m.candidate is not None
    m.place = Candidate("USA", "USA", None, f"{m.text} (US state)", f"place:us-state ({why})", "country",
                        "place:us-state")
    m.candidate = None
    m.kind = "us-state"
    m.reason = f"US state: {why}"
    m.label = "GPE"


def _person_or_place(span: Span, m: Resolution, ctx: _Context) -> None:
    """NER says PERSON, the gazetteer a place or people: "Jordan", "Chad", "Georgia"."""
    place = m.candidate or (m.candidates[0] if m.candidates else None)
    person = evidence.person_cue(span, ctx.person_tokens)
    cue = evidence.country_cue(span, ctx.settled_places)
    if cue is None and place is not None and ctx.country_elsewhere(place.country, m.start):
        cue = f"{place.country} named elsewhere in the document"
    if cue is None and place is not None and ctx.table is not None \
            and roles.role_noun_after(span.doc, span, place, ctx.table, ctx.on) is not None:
        cue = "owner of an office or institution"
    if person and not cue:
        m.leave(f"person: {person}")
    elif cue and not person and place is not None:
        m.choose(place, cue)
        m.label = LABELS.get(place.kind, "GPE")
    else:
        m.leave("ambiguous: person or " + (place.code if place else "place") + " (no evidence)")


# ---------------------------------------------------------------- 3. people


def _person(doc: Doc, m: Resolution, tbl: ActorTable, on: date | datetime | None, ctx: _Context) -> None:
    span = doc[m.start:m.end]
    titled = roles.title_before(doc, span, tbl, on) or roles.apposition_after(doc, span, tbl, on)
    if titled is not None and _owner_unsettled(ctx, titled[2], m):
        titled = None
    if titled is not None:
        cand, phrase, _ = titled
        if m.candidate is None or m.kind != "leader" or cand.key == m.candidate.key:
            m.choose(cand, f"title '{phrase}'")
            m.reason = ""
            return
    if m.candidate is None and titled is None:
        _titled_by_the_sentence(doc, m, span, tbl, ctx)
        return
    if m.candidate is not None and m.kind == "leader" and len(coref.name_tokens(m.text)) < 2:
        # A surname alone ("Harris", "Rice") stands for the leader only with support.
        if ctx.country_elsewhere(m.candidate.country, m.start) or m.candidate.country is None:
            m.evidence.append("surname; country named elsewhere in the document")
        elif m.candidate.role not in (None, "ELI"):
            m.evidence.append("surname of the office holder on the date")
        else:
            m.candidates = [m.candidate]
            m.leave(f"surname only: {m.candidate.code}? (not in office, no supporting mention)")


def _titled_by_the_sentence(doc: Doc, m: Resolution, span: Span, tbl: ActorTable, ctx: _Context) -> None:
    """"President Laurent X dismissed the rebels' appeal in the Ivory Coast": a person we do not
    know, with a title but no owner, holds it in the one country the sentence names.

    Only when the person is the sentence's only one (so "President X welcomed the
    South African leader Y" does not make X South African) and the sentence names
    one country, through names, demonyms, capitals or regions.
    """
    bare = roles.bare_title_before(doc, span, tbl)
    if bare is None:
        return
    role, title, _ = bare
    sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    inside = [o for o in ctx.mentions if sent.start <= o.start < sent.end and o is not m]
    if any(o.label == "PERSON" for o in inside):
        return
    countries = {o.candidate.country for o in inside
                 if o.candidate is not None and o.candidate.country and not o.reason.startswith("ambiguous")}
    if len(countries) != 1:
        return
    country = next(iter(countries))
    name = f"{tbl.country_name(country)} ({title.lower()})"
    m.choose(Candidate(country + role, country, role, name, f"title:{title.lower()}+sentence:{country}",
                       "title", f"country:{country}"),
             f"title '{title}' with no owner; the sentence names {country} only")
    m.reason = ""


def _owner_unsettled(ctx: _Context, first: int, m: Resolution) -> bool:
    """Whether the title's owner is a mention we could not settle (or a US state)."""
    lo, hi = min(first, m.start), max(first, m.end + 12)
    return any(o.start >= lo and o.end <= hi and o is not m and o.label != "PERSON"
               and o.candidate is None and o.hit is not None for o in ctx.mentions)


def _short_forms(doc: Doc, mentions: list[Resolution], ctx: _Context) -> None:
    people = coref.People()
    for m in mentions:
        if m.label == "PERSON":
            people.add(m.start, m.text, m.candidate, m.kind)
    for m in mentions:
        if m.candidate is not None or m.reason.startswith("person") or m.label not in _SHORT_FORM_LABELS:
            continue
        if m.label != "PERSON" and m.hit is not None:
            continue
        antecedent = people.find(m.text, m.start)
        if antecedent is None or antecedent.candidate is None:
            continue
        m.label = "PERSON"
        m.choose(antecedent.candidate, f"coref '{antecedent.text}'")
        m.kind = antecedent.kind
        m.reason = ""
    # Surnames NER missed: a capitalised token equal to a resolved person's surname.
    surnames = people.surnames()
    if not surnames:
        return
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for token in doc:
        if token.i in taken or token.text not in surnames or token.pos_ != "PROPN":
            continue
        antecedent = people.find(token.text, token.i)
        if antecedent is None or antecedent.candidate is None:
            continue
        m = Resolution(token.i, token.i + 1, token.idx, token.idx + len(token.text), token.text, "PERSON")
        m.choose(antecedent.candidate, f"coref '{antecedent.text}'")
        m.kind = antecedent.kind
        mentions.append(m)
    mentions.sort(key=lambda r: r.start)


# ---------------------------------------------------------------- 4. role nouns


def _role_nouns(doc: Doc, mentions: list[Resolution], tbl: ActorTable, on: date | datetime | None) -> None:
    """Owner + role noun.  Who carries the composed actor depends on the construction:

    * an adjective ("Russian troops"): the adjective carries ``RUSMIL`` (it is no
      name of the country, and the only mention of that actor);
    * a name as possessor or modifier ("North Korea's military", "US lawmakers"):
      the name still names the country (``PRK``, ``USA``); the role noun becomes
      a nominal mention of ``PRKMIL``/``USALEG``;
    * "US President Joe Biden", "Russia's Deputy Foreign Minister Sergei
      Ryabkov": the person carries the office; the owner keeps its own code.
    """
    extended: dict[int, str] = {}  # mention start -> role noun words
    added: list[Resolution] = []
    person_starts = {m.start for m in mentions if m.label == "PERSON"}
    for m in sorted(mentions, key=lambda r: -r.start):
        c = m.candidate
        if c is None or m.kind not in _OWNER_KINDS or m.label == "PERSON":
            continue
        span = doc[m.start:m.end]
        if _attitude(doc, span):
            m.leave("pro-/anti- attitude, not an owner")
            continue
        found = roles.role_noun_after(doc, span, c, tbl, on)
        if found is None:
            shared = _coordinated(doc, m, mentions, extended, tbl, on)
            if shared is not None:
                m.choose(shared[0], f"{ROLE_NOUN_BASIS} '{shared[1]}'")
                continue
            before = roles.role_noun_before(doc, span, c, tbl, on)
            if before is not None and not any(o is not m and before[2] <= o.start < before[3]
                                              for o in mentions):
                # "the government of Ukraine": the country keeps its code, the role noun is a nominal
                added.append(_nominal(doc, *before, m))
            continue
        cand, words, first, end = found
        extended[m.start] = words
        if end in person_starts:
            continue  # the named person carries the office
        named = [o for o in mentions if o is not m and first <= o.start < end]
        if named:
            # "United Kingdom Home Office": the institution is a mention of its own and
            # carries the actor; the owner keeps naming the country.
            for o in named:
                if o.candidate is None and o.label != "PERSON":
                    o.choose(cand, f"owner '{m.text}'")
                    o.reason = ""
            continue
        if first > m.end or m.kind != "demonym":
            # possessive ("North Korea's military") or a name used as a modifier ("US lawmakers"):
            added.append(_nominal(doc, cand, words, first, end, m))
            continue
        m.choose(cand, f"{ROLE_NOUN_BASIS} '{words}'")
    mentions += added
    mentions.sort(key=lambda r: r.start)


def _nominal(doc: Doc, cand: Candidate, words: str, first: int, end: int, owner: Resolution) -> Resolution:
    """The role noun of ``owner`` as a mention of its own, carrying the composed actor."""
    nominal = Resolution(first, end, doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text),
                         words, "PERSON" if cand.kind == "title" else "ORG", usage="actor")
    nominal.choose(cand, f"{coref.NOMINAL_BASIS} {ROLE_NOUN_OF_BASIS} '{owner.text}'")
    return nominal


def _attitude(doc: Doc, span: Span) -> bool:
    if span.start >= 2 and doc[span.start - 1].text in ("-", "–"):
        return doc[span.start - 2].lower_ in ("pro", "anti")
    return False


def _coordinated(doc: Doc, m: Resolution, mentions: list[Resolution], extended: dict[int, str],
                 tbl: ActorTable, on: date | datetime | None) -> tuple[Candidate, str] | None:
    """"US and Russian troops": the first owner shares the second one's role noun."""
    if m.end + 1 >= len(doc) or doc[m.end].lower_ not in ("and", "or", ","):
        return None
    nxt = next((r for r in mentions if r.start == m.end + 1), None)
    if nxt is None or nxt.start not in extended or m.candidate is None:
        return None
    words = extended[nxt.start]
    found = [c for c in tbl.lookup(f"{m.text} {words}", on)
             if c.key == m.candidate.key and c.kind in ("title", "institution")]
    return (found[0], words) if found else None


def _ethnic_people(doc: Doc, mentions: list[Resolution], tbl: ActorTable) -> None:
    """"ethnic Albanians in southern Serbia": a minority is coded with the country it lives in.

    CAMEO gives an ethnic group the country of residence (its civilians), not
    the country its name comes from; the place must follow at once ("in"/"of",
    an article, words like "southern").
    """
    starts = {m.start: m for m in mentions}
    for m in mentions:
        if m.kind != "demonym" or m.candidate is None or m.start == 0 or m.end >= len(doc) \
                or doc[m.start - 1].lower_ != "ethnic" or doc[m.end].lower_ not in ("in", "of"):
            continue
        j = m.end + 1
        while j < len(doc) and (doc[j].lower_ == "the" or doc[j].lower_ in gazetteer.PLACE_PARTS):
            j += 1
        place = starts.get(j)
        c = place.candidate if place is not None else None
        if place is None or c is None or c.kind != "country" or not c.country \
                or c.country == m.candidate.country:
            continue
        name = f"{tbl.country_name(c.country)} (ethnic {m.text})"
        m.choose(Candidate(c.country + "CVL", c.country, "CVL", name, f"ethnic:{m.text}+{c.key}",
                           "title", c.key), f"ethnic {m.text} living in '{place.text}'")


def _unowned_agents(doc: Doc, mentions: list[Resolution], tbl: ActorTable,
                    on: date | datetime | None) -> list[Resolution]:
    """Plural agent nouns with no owner in a sentence where one state acts at home.

    "Egyptian police opened fire on demonstrators": the sentence names one
    country, through a state organ (police, army, government); the
    demonstrators are that country's (see :func:`roles.unowned_agent`).
    """
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out: list[Resolution] = []
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sentences:
        inside = [m for m in mentions if sent.start <= m.start < sent.end and m.candidate is not None]
        countries = {m.candidate.country for m in inside if m.candidate and m.candidate.country}
        states = [m for m in inside if m.usage == "actor" and m.candidate is not None
                  and m.candidate.role in roles.STATE_ROLES]
        state = next((m for m in states if m.candidate and m.candidate.role != "MIL"),
                     states[0] if states else None)
        if len(countries) != 1 or state is None or state.candidate is None:
            continue
        country = next(iter(countries))
        for token in sent:
            if token.i in taken:
                continue
            cand = roles.unowned_agent(doc, token.i, country, tbl, on,
                                       armed=state.candidate.role != "MIL")
            if cand is None:
                continue
            m = Resolution(token.i, token.i + 1, token.idx, token.idx + len(token.text), token.text,
                           "PERSON" if cand.kind == "title" else "ORG", usage="actor")
            m.choose(cand, f"{coref.NOMINAL_BASIS} unowned agent; country of '{state.text}' "
                           "in the sentence")
            out.append(m)
    return out


# ---------------------------------------------------------------- 5. usage


def _usage(doc: Doc, m: Resolution) -> None:
    if m.place is not None:
        m.usage = "place"
        return
    c = m.candidate
    if c is None:
        m.usage = "place" if m.label in PLACE_LABELS else "other"
        return
    if m.kind in _PLACE_LIKE:
        cue = evidence.place_cue(doc[m.start:m.end])
        if cue is not None and c.country is not None:
            country = gazetteer.country_names().get(c.country, c.country)
            m.place = Candidate(c.country, c.country, None, f"{m.text} ({country})",
                                f"place:{m.kind}:{c.country} ({cue}; as an actor {c.code})", "country",
                                f"place:{c.country}")
            m.usage = "place"
            return
    m.usage = "actor"
    if m.label not in ACTOR_LABELS:
        m.label = LABELS.get(m.kind or "", "ORG")


# ---------------------------------------------------------------- 6. nominals


def _nominals(doc: Doc, mentions: list[Resolution]) -> list[Resolution]:
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = coref.nominal_spans(doc, taken)
    if not found:
        return []
    sent_of = _sentence_index(doc)
    out = []
    for span, head in found:
        window = sent_of[span.start] - coref.NOMINAL_WINDOW
        before = [coref.Antecedent(r.start, r.text, r.candidate, r.kind)
                  for r in sorted(mentions, key=lambda r: -r.start)
                  if r.end <= span.start and sent_of[r.start] >= window and r.usage == "actor"]
        cand = coref.nominal_antecedent(head, before)
        if cand is None:
            continue
        m = Resolution(span.start, span.end, span.start_char, span.end_char, span.text,
                       "GPE" if head == "country" else "ORG")
        m.candidate = cand
        m.kind = cand.kind
        m.usage = "actor"
        ante = next(a for a in before if a.candidate is not None and a.candidate.country == cand.country)
        m.evidence.append(f"{coref.NOMINAL_BASIS} '{head}' -> '{ante.text}'")
        out.append(m)
    return out


def _sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    if not doc.has_annotation("SENT_START"):
        return index
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = k
    return index


def is_nominal(entity: Entity) -> bool:
    """Whether an entity is a nominal ("the ministry", "military" in "Russia's military"), not a name."""
    return entity.actor is not None and f"; {coref.NOMINAL_BASIS} " in entity.actor.basis
