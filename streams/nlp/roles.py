"""Roles from the words around a mention: titles, appositions and role nouns.

* titles before a name: "Russia's Deputy Foreign Minister Sergei Ryabkov",
  "State Department spokesman Ned Price", "Russian opposition leader X";
* appositions: "Sergei Ryabkov, Russia's deputy foreign minister,",
  "Ned Price, a spokesman for the State Department";
* role nouns after an owner: "Russian troops" (MIL), "Ukrainian rebels"
  (REB), "Chinese media" (MED), "US lawmakers" (LEG), "Russia's foreign
  ministry" (GOV).

All three build a phrase from tokens next to the mention and ask the actor
table to compose it (owner + title or institution noun: a role noun, what
PETRARCH calls an *agent*), so the vocabulary
lives in the data (``titles.yaml``, ``institution_types.yaml``), not here.
Only token attributes (text, part of speech, entity type) are read, never
the dependency parse.
"""

from __future__ import annotations

from datetime import date, datetime

from spacy.tokens import Doc, Span

from streams.nlp.actors import ActorTable, Candidate

#: How far a title may reach to the left of a name, and an apposition to the right.
MAX_TITLE_TOKENS = 8
MAX_APPOSITION_TOKENS = 10
MAX_ROLE_NOUN_TOKENS = 4

_TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ", "PART", "NUM"})
_JOINERS = frozenset({"-", "–", "'s", "’s", "'", "’", "of", "for"})
_ARTICLES = frozenset({"the", "a", "an"})
_COMPOSED = frozenset({"title", "institution"})
_ROLE_NOUN_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_OF = frozenset({"of", "from", "in", "for"})
#: Roles an unowned agent takes from the place it is in ("protesters in Monrovia"): the
#: country's own people and forces of order, not those often there as visitors (embassies,
#: troops, lawmakers and journalists on a visit, companies, refugees from elsewhere).
DOMESTIC_ROLES = frozenset({"OPP", "REB", "INS", "SEP", "UAF", "CVL", "COP", "LAB", "EDU"})
#: Modifiers before an owner that change the role of what follows ("former Gondor prosecutors").
_LEADING_MODIFIERS = frozenset({"former", "ex"})


def _sent_bounds(doc: Doc, span: Span) -> tuple[int, int]:
    if doc.has_annotation("SENT_START"):
        sent = span.sent
        return sent.start, sent.end
    return 0, len(doc)


def _text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text  # not doc.text[...]: Doc.text is rebuilt from every token


def _clean(phrase: str) -> str:
    for article in (" of the ", " for the ", " at the ", " to the ", " in the "):
        phrase = phrase.replace(article, article[:-4] + " ")
    return phrase


def _lookup(table: ActorTable, phrase: str, on: date | datetime | None) -> list[Candidate]:
    return table.lookup(_clean(phrase), on)


def title_before(doc: Doc, span: Span, table: ActorTable,
                 on: date | datetime | None) -> tuple[Candidate, str, int] | None:
    """An actor for a person from the title in front of the name: (actor, phrase, first token)."""
    sent_start, _ = _sent_bounds(doc, span)
    end = span.start
    if end - 1 >= sent_start and doc[end - 1].text == ",":
        end -= 1  # "Russia's deputy foreign minister, Sergei Ryabkov"
    starts: list[int] = []
    i = end - 1
    while i >= max(sent_start, end - MAX_TITLE_TOKENS):
        t = doc[i]
        if t.ent_type_ == "PERSON":
            break
        if t.lower_ in _ARTICLES:
            starts.append(i)
            break
        if t.pos_ not in _TITLE_POS and t.text not in _JOINERS and not t.text[:1].isupper():
            break
        starts.append(i)
        i -= 1
    name = span.text
    for start in reversed(starts):  # the longest phrase first
        if doc[start].text in _JOINERS:
            continue
        title = _text(doc, start, end)
        found = [c for c in _lookup(table, f"{title} {name}", on) if c.kind in ("title", "leader")]
        if found and len({c.code for c in found}) == 1:
            return found[0], title, start
    return None


def apposition_after(doc: Doc, span: Span, table: ActorTable,
                     on: date | datetime | None) -> tuple[Candidate, str, int] | None:
    """An actor for a person from an apposition: "Ryabkov, Russia's deputy foreign minister,"."""
    _, sent_end = _sent_bounds(doc, span)
    if span.end >= sent_end or doc[span.end].text != ",":
        return None
    start = span.end + 1
    if start < sent_end and doc[start].lower_ in _ARTICLES:
        start += 1
    stop = start
    while stop < min(sent_end, start + MAX_APPOSITION_TOKENS):
        t = doc[stop]
        if t.text in (",", ";", ".", ")", "(", '"', "“", "”") or t.ent_type_ == "PERSON":
            break
        if t.pos_ in ("VERB", "AUX", "PRON", "SCONJ") and not t.text[:1].isupper():
            break
        stop += 1
    for end in range(stop, start, -1):
        phrase = _text(doc, start, end)
        found = [c for c in _lookup(table, phrase, on) if c.kind in _COMPOSED]
        if found and len({c.code for c in found}) == 1:
            return found[0], phrase, start
    return None


def role_noun_before(doc: Doc, span: Span, owner: Candidate, table: ActorTable,
                 on: date | datetime | None) -> tuple[Candidate, str, int, int] | None:
    """"the government of Ukraine", "soldiers from Gondor", "lawmakers in Fornost".

    Returns the composed actor, the role noun's words and their token range.
    """
    sent_start, _ = _sent_bounds(doc, span)
    k = span.start - 1
    if k > sent_start and doc[k].lower_ == "the":
        k -= 1  # "rebels in the Ivory Coast"
    if k < sent_start or doc[k].lower_ not in _OF:
        return None
    connector = doc[k].lower_
    stop = k
    i = k - 1
    while (i >= max(sent_start, k - MAX_ROLE_NOUN_TOKENS) and doc[i].pos_ in _ROLE_NOUN_POS
           and not doc[i].ent_type_):
        i -= 1
    if i >= sent_start and doc[i].ent_type_ in ("NORP", "GPE", "ORG"):
        return None  # "Serbian forces from Bosnia": the forces have an owner already
    for start in range(i + 1, stop):
        words = _text(doc, start, stop)
        if connector == "in":
            # "opposition groups in Zimbabwe" are Zimbabwe's opposition; the embassy or the
            # troops *in* a country are usually another's, so only the domestic roles.
            found = [c for c in _lookup(table, f"{span.text} {words}", on)
                     if c.kind in _COMPOSED and c.key == owner.key and c.role in DOMESTIC_ROLES]
        else:
            found = [c for c in _lookup(table, f"{words} {connector} {span.text}", on)
                     if c.kind in _COMPOSED and c.key == owner.key and c.code != owner.code]
        if found:
            return found[0], words, start, stop
    return None


def role_noun_after(doc: Doc, span: Span, owner: Candidate, table: ActorTable,
                on: date | datetime | None) -> tuple[Candidate, str, int, int] | None:
    """The owner's institution or office named right after it: "Russian troops" -> RUSMIL.

    Returns the composed actor, the role noun's words and their token range.
    """
    _, sent_end = _sent_bounds(doc, span)
    i = span.end
    if i < sent_end and doc[i].text in ("'s", "’s", "'", "’"):
        i += 1
    stop = i
    while stop < min(sent_end, i + MAX_ROLE_NOUN_TOKENS):
        t = doc[stop]
        if t.ent_type_ in ("PERSON", "GPE", "NORP") or (t.pos_ not in _ROLE_NOUN_POS and t.text != "-"):
            break
        stop += 1
    lead = ""
    if span.start > 0 and doc[span.start - 1].lower_ in _LEADING_MODIFIERS:
        lead = doc[span.start - 1].lower_ + " "
    for end in range(stop, i, -1):
        phrase = f"{lead}{span.text} {_text(doc, i, end)}"
        if table.decompose(phrase, on).name:
            continue  # words left over: not one institution or office
        found = [c for c in _lookup(table, phrase, on)
                 if c.kind in _COMPOSED and c.key == owner.key and c.code != owner.code]
        if found:
            return found[0], _text(doc, i, end), i, end
    return None


#: Roles of the state's own agents: an actor of one of them acting in a sentence lends its
#: country to the unowned people it acts on ("Egyptian police dispersed demonstrators").
STATE_ROLES = frozenset({"GOV", "COP", "MIL", "JUD", "SPY", "LEG"})
#: Roles an unowned agent may take from the state actor of its sentence: the society
#: the state polices or fights, never another state organ (that needs an owner).
#: Not refugees: they are mostly from elsewhere.
SOCIETY_ROLES = frozenset({"OPP", "REB", "INS", "SEP", "UAF", "CVL", "LAB", "EDU"})
#: Armed roles are lent only by a state organ at home (police, government, courts): an army
#: fights militants abroad as often as at home ("US troops killed militants").
ARMED_ROLES = frozenset({"REB", "INS", "SEP", "UAF"})
_PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})


def unowned_agent(doc: Doc, token_i: int, country: str, table: ActorTable,
                  on: date | datetime | None, armed: bool = True) -> Candidate | None:
    """The actor an unowned plural agent noun stands for in a domestic sentence.

    "Egyptian police opened fire on fundamentalist demonstrators": CAMEO codes
    the demonstrators with the police's country (the state acts at home unless
    the sentence says otherwise), so that police against protesters is a
    domestic event (EGYCOP -> EGYCVL) rather than no event.  The caller checks
    that the sentence names one country only and that its actor is a state organ.
    """
    token = doc[token_i]
    if token.tag_ not in _PLURAL_NOUN_TAGS or token.ent_type_ or not token.is_alpha:
        return None
    name = table.country_name(country)
    found = [c for c in _lookup(table, f"{name} {token.text}", on)
             if c.kind in _COMPOSED and c.country == country and c.role in SOCIETY_ROLES
             and (armed or c.role not in ARMED_ROLES)]
    return found[0] if len({c.code for c in found}) == 1 else None


def bare_title_before(doc: Doc, span: Span, table: ActorTable) -> tuple[str, str, int] | None:
    """A title with no owner in front of a name: "President Laurent X" -> (role, title, first token).

    Only the words right before the name, all of them one title (with its
    modifiers: "Ousted President", "Lt. Gen."); the caller decides whose
    title it is.
    """
    sent_start, _ = _sent_bounds(doc, span)
    first = span.start
    while first > max(sent_start, span.start - MAX_ROLE_NOUN_TOKENS) and (
            doc[first - 1].text[:1].isupper() or doc[first - 1].text == "."
            or doc[first - 1].lower_ in table.titles.modifiers) and not doc[first - 1].ent_type_:
        first -= 1  # "former President", "Lt. Gen."
    for start in range(first, span.start):
        if not doc[start].text[:1].isalpha():
            continue
        words = _text(doc, start, span.start).replace(".", " ").lower().split()
        match = table.titles.match_tokens(words)
        if match is not None and match.length == len(words):
            return match.role, _text(doc, start, span.start), start
    return None
