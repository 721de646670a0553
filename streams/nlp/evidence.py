"""Context cues for resolution: what the words around a mention tell us.

Token patterns only (no dependency parse), so resolution stays correct when
the parser is restricted to some sentences for speed.  Each function returns
a short reason string, or ``None`` when the cue is absent, so the resolver
can say *why* it chose a reading.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

#: Prepositions after which a capital or palace names a location, not a government.
LOCATIVE = frozenset({
    "in", "at", "inside", "outside", "near", "around", "across", "throughout", "within", "into",
    "via", "through", "beyond", "amid",
})
#: "to"/"from" are locative only after a word of movement ("flew to Moscow").
DIRECTIONAL = frozenset({"to", "from", "toward", "towards"})
MOTION = frozenset({
    "go", "went", "gone", "going", "goes", "travel", "travelled", "traveled", "traveling", "travelling",
    "fly", "flew", "flown", "flying", "flight", "flights", "return", "returned", "returning", "returns",
    "arrive", "arrived", "arriving", "come", "came", "coming", "head", "headed", "heading", "move",
    "moved", "moving", "trip", "trips", "visit", "journey", "drive", "drove", "driven", "flee", "fled",
    "evacuate", "evacuated", "deported", "deport", "transferred", "transfer", "brought", "taken",
    "route", "road", "train", "way", "relocated", "relocate", "back", "home", "miles", "km",
    "kilometres", "kilometers",
})
#: Nouns whose "of" phrase is the place itself: "the town of Samarra", "shelled the city of Kherson".
SETTLEMENT_NOUNS = frozenset({"city", "town", "village", "port", "capital", "region", "province",
                              "district", "enclave", "suburb", "suburbs", "outskirts"})
#: Nouns after a capital that make it a place ("Moscow region", "Moscow-based").
PLACE_NOUNS = frozenset({
    "region", "oblast", "area", "suburb", "suburbs", "outskirts", "airport", "street", "streets",
    "residents", "time", "based", "mayor", "city", "metro", "subway", "district", "province", "county",
    "marathon", "skyline", "hotel", "hotels", "stadium", "university", "zoo",
})
#: Words right before a name that make it a person's.
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "coach", "captain", "striker",
    "midfielder", "defender", "goalkeeper", "singer", "actor", "actress", "rapper", "player", "star",
    "forward", "guard", "quarterback", "pitcher", "manager",
})

#: Cue words for the US state readings of "Georgia" and "Washington".
US_STATE_CUES: dict[str, frozenset[str]] = {
    "Georgia": frozenset({
        "Atlanta", "Savannah", "Augusta", "Macon", "Athens", "Columbus", "Kemp", "Raffensperger",
        "Warnock", "Ossoff", "Fulton", "Peach", "Gwinnett", "Cobb", "DeKalb", "governor", "Governor",
        "Gov", "county", "County", "runoff", "Republicans", "Democrats", "GOP", "Bulldogs",
    }),
    "Washington": frozenset({
        "Seattle", "Spokane", "Tacoma", "Olympia", "Bellevue", "Redmond", "Inslee", "Ferguson",
        "Everett", "Yakima", "Puget", "Cascades", "Huskies", "county", "County",
    }),
}
#: Capitals that are also US places or people's names: the metonym needs no
#: contrary cue (a state cue or a person) to stand.
AMBIGUOUS_CAPITALS = frozenset({"Washington"})
#: Countries that are also a US state: the country needs positive evidence.
AMBIGUOUS_COUNTRIES = frozenset({"Georgia"})


_LIST_GLUE = frozenset({"and", "or", ",", "the"})


def previous(doc: Doc, i: int, skip: Iterable[str] = ("the",)) -> Token | None:
    """The token before index ``i`` in the same sentence, skipping words in ``skip``."""
    skipped = set(skip)
    j = i - 1
    while j >= 0 and doc[j].lower_ in skipped:
        j -= 1
    if j < 0 or (doc.has_annotation("SENT_START") and doc[j].sent.start != doc[i].sent.start):
        return None
    return doc[j]


def place_cue(span: Span) -> str | None:
    """Why a capital or palace mention names a location rather than a government."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.text in ("'s", "’s", "'"):
        return None  # "Moscow's decision": a possessor acts
    before = previous(doc, span.start)
    if before is not None and before.lower_ in LOCATIVE:
        return f"after '{before.text}'"
    if before is not None and before.lower_ in ("and", "or", ","):
        # "talks in Geneva and Moscow": the preposition governs the whole list
        j = before.i - 1
        while j >= max(0, span.start - 8) and (doc[j].ent_type_ or doc[j].lower_ in _LIST_GLUE):
            j -= 1
        if j >= 0 and doc[j].lower_ in LOCATIVE and j < before.i - 1:
            return f"listed after '{doc[j].text}'"
    if before is not None and before.lower_ in DIRECTIONAL:
        window = doc[max(0, before.i - 3):before.i]
        if any(t.lower_ in MOTION for t in window):
            return f"after motion + '{before.text}'"
    if after is not None:
        nxt = after
        if nxt.text in ("-", "–") and nxt.i + 1 < len(doc):
            nxt = doc[nxt.i + 1]
        if nxt.lower_ in PLACE_NOUNS:
            return f"before '{nxt.text}'"
        if after.text == "," and after.i + 1 < len(doc):
            third = doc[after.i + 1]
            if third.text in ("D.C.", "DC") or (third.ent_type_ in ("GPE",) and third.text[:1].isupper()):
                return f"qualified by '{third.text}'"
        if after.text in ("D.C.", "DC"):
            return "Washington D.C."
    if _dateline(span):
        return "dateline"
    return None


def _dateline(span: Span) -> bool:
    doc = span.doc
    line_start = span.start == 0 or "\n" in doc[span.start - 1].whitespace_ or doc[span.start - 1].is_space
    if not line_start:
        return False
    if span.end >= len(doc):
        return False
    after = doc[span.end]
    return (span.text.isupper() and len(span.text) > 2) or after.text in ("(", "—", "–") or (
        after.text == "," and after.i + 1 < len(doc) and doc[after.i + 1].ent_type_ == "DATE")


#: Words between a locative preposition and a place ("in south Ithilen", "in northern Jordan").
_COMPASS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "neighbouring", "neighboring", "rural", "occupied",
})


def country_cue(span: Span, settled: frozenset[int], locative: bool = True) -> str | None:
    """Why a name is the country here: after a preposition of place, or listed with places."""
    doc = span.doc
    before = previous(doc, span.start, skip=("the", *_COMPASS))
    if locative and before is not None and before.lower_ in LOCATIVE | {"to", "from"}:
        return f"after '{before.text}'"
    # in a list with places: "Arnor, Osgiliath and Ithilen", "Ithilen and the government of Gondor"
    for step in (-1, 1):
        i = span.start - 1 if step < 0 else span.end
        while 0 <= i < len(doc) and doc[i].lower_ in _LIST_GLUE:
            i += step
        if i != (span.start - 1 if step < 0 else span.end) and 0 <= i < len(doc) and i in settled:
            return f"listed with '{doc[i].text}'"
        if step > 0 and 0 <= i < len(doc) and doc[i].lower_ in ("government", "people") \
                and i + 2 < len(doc) and doc[i + 1].lower_ == "of" and i + 2 in settled:
            return f"listed with '{doc[i + 2].text}'"
    return None


def person_cue(span: Span, person_tokens: dict[str, str]) -> str | None:
    """Why a name that is also a place is a person here ("Mr Jordan", "Michael Jordan ... Jordan")."""
    before = previous(span.doc, span.start, skip=())
    if before is not None and before.lower_.rstrip(".") in HONORIFICS:
        return f"after '{before.text}'"
    full = person_tokens.get(span.text)
    if full is not None and full != span.text:
        return f"part of the name '{full}' in this document"
    return None


def us_state_cue(span: Span, doc_words: frozenset[str]) -> str | None:
    """Why "Georgia"/"Washington" is the US state here."""
    doc = span.doc
    before = previous(doc, span.start, skip=())
    if before is not None and before.text == "," and before.i > 0 and doc[before.i - 1].ent_type_ == "GPE":
        return f"'{doc[before.i - 1].text}, {span.text}'"
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ == "state":
        return f"'{span.text} state'"
    if before is not None and before.lower_ == "of" and before.i > 0 and doc[before.i - 1].lower_ == "state":
        return f"'state of {span.text}'"
    cues = US_STATE_CUES.get(span.text, frozenset()) & doc_words
    if cues:
        return "cue words: " + ", ".join(sorted(cues)[:3])
    return None
