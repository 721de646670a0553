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
   (:mod:`streams.nlp.role_mentions`, :mod:`streams.nlp.roles`).
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
from datetime import date, datetime

from spacy.tokens import Doc, Span

from streams.contracts import Entity
from streams.contracts.enriched import TextField
from streams.nlp import coref, evidence, gazetteer, role_mentions, roles, spelling
from streams.nlp.actors import LABELS, ActorTable, Candidate
from streams.nlp.actors.cities import city_country
from streams.nlp.inflection import verb_forms
from streams.nlp.named_orgs import named_org
from streams.nlp.resolution import Resolution

#: Entity labels we report; dates, numbers and the like are not actors.
REPORTED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
#: Labels whose mentions can stand for a political actor.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Labels of location mentions.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LOOKUP_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: NER labels of names read through a one-letter slip when the table lacks them.
_SLIP_LABELS = frozenset({"GPE", "NORP", "LOC"})
#: Labels of mentions looked up as cities when the table has no reading for them.
_CITY_LABELS = frozenset({"GPE", "LOC"})
#: Verbs whose object, when it is the name of a city, is that city: one shells or
#: captures a place ("shelled Kherson", spaCy reading the name as a person).
_TAKEN_PLACES = frozenset(
    form for verb in ("shell", "bomb", "capture", "seize", "storm", "besiege", "encircle", "bombard",
                      "recapture", "liberate", "occupy", "raid")
    for form in verb_forms(verb))
_PLACE_LIKE = frozenset({"capital", "palace"})
_SHORT_FORM_LABELS = frozenset({"PERSON", "ORG", "GPE"})
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
        return role_mentions.generic_ngos(doc, [])
    ctx = _Context(doc, mentions, tbl, published_at)
    for m in mentions:
        _disambiguate(doc, m, ctx)
    ctx.refresh(mentions)
    for m in mentions:
        if m.label == "PERSON" and not m.reason.startswith("person"):
            _person(doc, m, tbl, published_at, ctx)
    _short_forms(doc, mentions, ctx)
    role_mentions.role_nouns(doc, mentions, tbl, published_at)
    role_mentions.ethnic_people(doc, mentions, tbl)
    for m in mentions:
        if m.label == "ORG" and m.candidate is None and not m.candidates:
            found = named_org(doc[m.start:m.end], tbl, published_at)  # "Kenyan Association of Jurists"
            if found is not None:
                m.choose(found, "read from the name")
                m.reason = ""
    for m in mentions:
        if m.usage == "other":
            _usage(doc, m)
    mentions += role_mentions.unowned_agents(doc, mentions, tbl, published_at)
    mentions += role_mentions.generic_ngos(doc, mentions)
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
    if not found and hit is None and span.label_ in _SLIP_LABELS:
        found = spelling.slip_candidates(span.text, tbl, on)  # "Afganistan"
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
    if m.candidate is not None and m.kind == "leader" and len(coref.name_tokens(m.text)) < 2 \
            and len(coref.name_tokens(m.candidate.name)) >= 2:
        # A surname alone ("Harris", "Rice") stands for the leader only with support; a
        # one-word name ("Suharto") is the whole name, not a short form.
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


# ---------------------------------------------------------------- 5. usage


def _usage(doc: Doc, m: Resolution) -> None:
    if m.place is not None:
        m.usage = "place"
        return
    c = m.candidate
    if c is None:
        m.usage = "place" if m.label in PLACE_LABELS else "other"
        if not m.candidates:
            _city(doc[m.start:m.end], m)
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


def _city(span: Span, m: Resolution) -> None:
    """A place the table does not know may be a city of a known country ("near Samarra").

    Only what spaCy calls a place, or what the sentence places ("in Kherson",
    "the town of Samarra", which spaCy may read as a person or a people).
    """
    country = city_country(m.text)
    if country is None:
        return
    if m.label not in _CITY_LABELS and evidence.place_cue(span) is None and not _named_place(span):
        return
    name = gazetteer.country_names().get(country, country)
    m.place = Candidate(country, country, None, f"{m.text} ({name})", f"place:city ({name})",
                        "country", f"place:city:{country}")
    m.usage, m.label = "place", "GPE"


def _named_place(span: Span) -> bool:
    """ "the town of X" names a place, and so does the object of "shelled X", "captured X"."""
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" \
            and doc[span.start - 2].lower_ in evidence.SETTLEMENT_NOUNS:
        return True
    head = span.root
    return head.dep_ == "dobj" and head.head.lower_ in _TAKEN_PLACES


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
