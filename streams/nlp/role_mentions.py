"""Actors named by role nouns: "Russian troops", "US lawmakers", "ethnic Albanians in
Serbia", "demonstrators" where one state acts at home (pass 4 of :mod:`streams.nlp.resolve`).

The owner (a country, demonym, capital or institution) and the role noun
compose the actor (:mod:`streams.nlp.roles` finds the noun); which mention
carries it depends on the construction, as :func:`role_nouns` says.
"""

from __future__ import annotations

from datetime import date, datetime

from spacy.tokens import Doc, Span

from streams.nlp import coref, gazetteer, roles
from streams.nlp.actors import ActorTable, Candidate
from streams.nlp.resolution import ROLE_NOUN_BASIS, ROLE_NOUN_OF_BASIS, Resolution

_OWNER_KINDS = frozenset({"country", "demonym", "capital", "palace", "institution", "igo", "group"})


def role_nouns(doc: Doc, mentions: list[Resolution], tbl: ActorTable, on: date | datetime | None) -> None:
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


def ethnic_people(doc: Doc, mentions: list[Resolution], tbl: ActorTable) -> None:
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


def unowned_agents(doc: Doc, mentions: list[Resolution], tbl: ActorTable,
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


#: Unnamed non-governmental organisations, by what they do: "a human rights group protested".
#: (first words, heads) -> CAMEO code: HRI human rights, plain NGO for aid and relief.
_NGO_HEADS = frozenset({"group", "groups", "organisation", "organisations", "organization",
                        "organizations", "agency", "agencies", "watchdog", "watchdogs", "body",
                        "bodies", "charity", "charities"})
GENERIC_NGOS: dict[tuple[str, ...], tuple[str, str]] = {
    ("human", "rights"): ("NGOHRI", "human rights organisation"),
    ("rights",): ("NGOHRI", "human rights organisation"),
    ("aid",): ("NGO", "aid organisation"),
    ("relief",): ("NGO", "relief organisation"),
    ("humanitarian",): ("NGO", "humanitarian organisation"),
}


def generic_ngos(doc: Doc, mentions: list[Resolution]) -> list[Resolution]:
    """Unnamed NGOs by their trade: "a human rights group said", "aid agencies warned".

    Non-state actors with no country (``NGOHRI``, ``NGO``), so they feed no
    country's dyad on their own; a phrase inside or right after another mention
    ("Egyptian rights groups", "the UN aid agency") is that mention's, not one of these.
    """
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out: list[Resolution] = []
    for t in doc:
        if t.lower_ not in _NGO_HEADS or t.i in taken:
            continue
        for words, (code, name) in GENERIC_NGOS.items():
            start = t.i - len(words)
            if start < 0 or tuple(w.lower_ for w in doc[start:t.i]) != words:
                continue
            if any(i in taken for i in range(start - 1, t.i)) or (start and doc[start - 1].ent_type_):
                break
            cand = Candidate(code, None, "NGO", name, f"generic:{name}", "ngo",
                             f"ngo:generic-{code.lower()}")
            m = Resolution(start, t.i + 1, doc[start].idx, t.idx + len(t.text),
                           doc[start:t.i + 1].text, "ORG", usage="actor")
            m.choose(cand, f"{coref.NOMINAL_BASIS} unnamed {name} '{m.text}'")
            out.append(m)
            taken.update(range(start, t.i + 1))
            break
    return out
