"""The actor gazetteer: every surface form of the actor table, matched in text.

Surface forms come from :meth:`ActorTable.surfaces` (countries, demonyms,
capitals and palace metonyms, institutions, IGOs, armed groups, leaders),
plus pycountry names for the few ISO territories the table does not carry.
Matching is two ``PhraseMatcher`` passes, exact case (``ORTH``) for the
acronyms the table marks case-sensitive ("US" but not "us") and lower case
for the rest.

The component runs *after* spaCy's NER and merges the two readings, so the
statistical model can still see a whole name the gazetteer only knows part
of: "Chad Smith" stays a PERSON (the country inside it is not an actor),
"the Washington Post" stays the newspaper.  Rules (first that applies):

* a gazetteer hit equal to an NER entity keeps the span; the gazetteer's
  label wins unless NER says PERSON and the hit is a place or a demonym
  (then the resolver weighs the evidence: "Jordan" the man or the country);
* a hit strictly inside a PERSON entity, or the only hit inside an
  ORG/FAC/EVENT/... entity, leaves the entity alone;
* an entity that is nothing but hits, "the", punctuation and "and"
  ("the United States", "Russia-Ukraine", "Russia Warns US") is replaced
  by its hits;
* hits crossing an entity boundary: the longer span wins;
* a hit outside every entity is added, if plausible: at least one capital
  letter (case-insensitive forms are not matched in all-lower text), not a
  lone surname (those need NER's PERSON), not a sentence-initial common word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from streams.contracts import ActorRef
from streams.nlp.actors import ActorTable, Candidate
from streams.nlp.actors.normalize import key as surface_key

#: Name of the pipeline component.
GAZETTEER_PIPE = "actor_gazetteer"
#: Where the component leaves, per entity span, the gazetteer keys and NER's label.
HITS = "actor_gazetteer"

#: Kinds that name a place or a people; NER's PERSON on the same span is a conflict.
PLACE_KINDS = frozenset({"country", "capital", "demonym"})
_SPLITTABLE = frozenset({"GPE", "LOC", "NORP", "ORG", "FAC", "EVENT", "PERSON", "PRODUCT", "WORK_OF_ART",
                         "LAW", "DATE"})
_GLUE = frozenset({"the", "The", "and", "&", "-", "–", "—", ",", "/", "'s", "'", "’s", "’", "of"})
#: Words that only say which part of a place a GPE/LOC entity means: "Montenegro province",
#: "western Cambodia", "the Darfur region" name the country's land, the hit inside it.
PLACE_PARTS = frozenset({
    "province", "region", "state", "district", "territory", "enclave", "peninsula", "area",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "upper", "lower"})


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One surface form and the table entry it names."""

    surface: str
    #: The spaCy label such a mention carries (GPE, NORP, ORG, PERSON).
    label: str
    #: Entry id in the actor table (``country:RUS``) or ``territory:ABW``.
    key: str
    kind: str
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Hit:
    """What the gazetteer knows about one entity span."""

    keys: tuple[str, ...]
    kind: str
    #: NER's label when NER found the same span, else ``""``.
    ner_label: str


def table() -> ActorTable:
    """The shipped actor table (cached per process by the loader)."""
    return ActorTable.load()


# ---------------------------------------------------------------- territories


def _territory_names(country: object) -> list[str]:
    names: list[str] = []
    for attr in ("common_name", "name", "official_name"):
        name = getattr(country, attr, None)
        if not name:
            continue
        name = re.sub(r"\s*\([^)]*\)", "", name).strip()  # "Cocos (Keeling) Islands"
        if ", " in name:
            head, _, tail = name.partition(", ")
            # "Virgin Islands, British" -> "British Virgin Islands"; "Bonaire, Sint
            # Eustatius and Saba" -> "Bonaire".
            name = f"{tail} {head}" if len(tail.split()) <= 2 else head
        if name and name not in names:
            names.append(name)
    return names


@functools.cache
def territories() -> dict[str, Candidate]:
    """Normalised name -> candidate, for ISO-3166 codes the actor table lacks."""
    known = {row.iso3 for row in table().countries()}
    out: dict[str, Candidate] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        if code in known:
            continue
        names = _territory_names(country)
        cand = Candidate(code, code, None, names[0], "gazetteer:territory (pycountry)", "country",
                         f"territory:{code}")
        for name in names:
            out.setdefault(surface_key(name), cand)
    return out


# ---------------------------------------------------------------- entries


@functools.cache
def entries() -> tuple[GazetteerEntry, ...]:
    """Every surface form the gazetteer matches, in a stable order."""
    out = list(table_entries(table()))
    seen = {(e.surface, e.key) for e in out}
    for country in pycountry.countries:
        code = country.alpha_3
        cand = territories().get(surface_key(_territory_names(country)[0]))
        if cand is None or cand.key != f"territory:{code}":
            continue
        for name in _territory_names(country):
            if (name, cand.key) not in seen:
                seen.add((name, cand.key))
                out.append(GazetteerEntry(name, "GPE", cand.key, "country", False))
    return tuple(out)


def table_entries(actor_table: ActorTable) -> tuple[GazetteerEntry, ...]:
    """The surface forms of one actor table (e.g. one with PETRARCH dictionaries plugged in)."""
    return tuple(GazetteerEntry(s.text, s.label, s.key, s.kind, s.case_sensitive)
                 for s in actor_table.surfaces())


@functools.cache
def country_names() -> dict[str, str]:
    """ISO3 -> display name: the actor table's, pycountry's for the rest."""
    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update({row.iso3: row.name for row in table().countries()})
    return names


def candidates(surface: str, on: date | datetime | None = None,
               actor_table: ActorTable | None = None) -> list[Candidate]:
    """Table candidates of a surface form on a date (territories as a fallback)."""
    found = (actor_table or table()).lookup(surface, on)
    if found:
        return found
    territory = territories().get(surface_key(surface))
    return [territory] if territory is not None else []


def resolve_surface(surface: str, on: date | datetime | None = None) -> ActorRef | None:
    """The actor a surface form names out of context, if it names exactly one."""
    found = candidates(surface, on)
    if len({c.code for c in found}) != 1:
        return None
    return found[0].to_actor_ref()


# ---------------------------------------------------------------- the pipe


class ActorGazetteer:
    """spaCy component: gazetteer hits merged into ``doc.ents`` (see the module doc)."""

    def __init__(self, nlp: Language, forms: Sequence[GazetteerEntry]) -> None:
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._kind: dict[str, str] = {}
        self._label: dict[str, str] = {}
        by_key: dict[tuple[str, bool], list[str]] = {}
        for form in forms:
            self._kind[form.key] = form.kind
            self._label[form.key] = form.label
            by_key.setdefault((form.key, form.case_sensitive), []).append(form.surface)
        for (entry_key, cs), texts in by_key.items():
            docs = list(nlp.tokenizer.pipe(texts))  # type: ignore[union-attr]
            (self._exact if cs else self._lower).add(entry_key, docs)
        self._strings = nlp.vocab.strings

    def __call__(self, doc: Doc) -> Doc:
        hits = self._hits(doc)
        doc.user_data[HITS] = merge_entities(doc, hits, self._kind, self._label)
        return doc

    def _hits(self, doc: Doc) -> list[tuple[Span, tuple[str, ...]]]:
        keys_at: dict[tuple[int, int], list[str]] = {}
        for matcher in (self._exact, self._lower):
            for match_id, start, end in matcher(doc):
                keys_at.setdefault((start, end), []).append(self._strings[match_id])
        spans = []
        for (start, end), keys in keys_at.items():
            span = doc[start:end]
            if _plausible(span, keys, self._kind, doc):
                spans.append(Span(doc, start, end, label=self._label[keys[0]]))
        kept = filter_spans(spans)
        return [(s, tuple(dict.fromkeys(keys_at[(s.start, s.end)]))) for s in kept]


def _plausible(span: Span, keys: Sequence[str], kinds: dict[str, str], doc: Doc) -> bool:
    """Whether a raw phrase hit may stand as a mention (before NER is consulted)."""
    text = span.text
    if not any(ch.isupper() for ch in text):
        return False
    if len(span) == 1:
        token = span[0]
        all_leaders = all(kinds[k] == "leader" for k in keys)
        # A lone surname ("Rice", "Bush") needs NER's PERSON, or a name's tag where NER
        # saw nothing (a one-word name NER does not know: "Gollum abandoned ...").
        named = token.ent_type_ == "PERSON" or (token.pos_ == "PROPN" and not token.ent_type_)
        if all_leaders and not named:
            return False
        if token.is_sent_start and token.pos_ not in ("PROPN",) and not token.ent_type_ \
                and not text.isupper() and not _owns_role_noun(span, keys, kinds):
            return False  # "Male voters ..." at the start of a sentence
    return True


#: How many words after a sentence-initial owner may make its role noun.
_ROLE_NOUN_WORDS = 3


def _owns_role_noun(span: Span, keys: Sequence[str], kinds: dict[str, str]) -> bool:
    """A sentence-initial demonym that owns the role noun after it: "Ghanaian authorities ...".

    NER often misses a capitalised adjective that opens a sentence; the common
    words such a rule must keep out ("Male voters") compose with nothing.
    """
    if not any(kinds[k] == "demonym" for k in keys):
        return False
    doc = span.doc
    for n in range(1, _ROLE_NOUN_WORDS + 1):
        end = span.end + n
        if end > len(doc) or not doc[end - 1].is_alpha:
            break
        if any(c.kind in ("title", "institution") for c in table().lookup(doc[span.start:end].text)):
            return True
    return False


def merge_entities(doc: Doc, hits: Iterable[tuple[Span, tuple[str, ...]]], kinds: dict[str, str],
                   labels: dict[str, str]) -> dict[tuple[int, int], Hit]:
    """Merge gazetteer hits with NER's entities; set ``doc.ents``; return the hits kept."""
    ents = list(doc.ents)
    ent_of = [-1] * len(doc)
    for i, ent in enumerate(ents):
        for t in range(ent.start, ent.end):
            ent_of[t] = i
    inside: dict[int, list[tuple[Span, tuple[str, ...]]]] = {}
    crossing: list[tuple[Span, tuple[str, ...]]] = []
    free: list[tuple[Span, tuple[str, ...]]] = []
    for span, keys in hits:
        owners = {ent_of[t] for t in range(span.start, span.end)}
        if owners == {-1}:
            free.append((span, keys))
        elif len(owners) == 1 and (i := owners.pop()) >= 0:
            inside.setdefault(i, []).append((span, keys))
        else:
            crossing.append((span, keys))

    out: list[Span] = []
    kept: dict[tuple[int, int], Hit] = {}

    def take(span: Span, keys: tuple[str, ...], ner_label: str) -> None:
        kind = kinds[keys[0]]
        label = labels[keys[0]]
        if ner_label == "PERSON" and kind in PLACE_KINDS and len(span) == 1:
            label = "PERSON"  # "Jordan", "Chad": a conflict the resolver settles with evidence
        elif ner_label == "PERSON" and kind in PLACE_KINDS:
            ner_label = ""  # "Sri Lanka" is no one's name: the gazetteer wins
        out.append(Span(doc, span.start, span.end, label=label))
        kept[(span.start, span.end)] = Hit(keys, kind, ner_label)

    dropped: set[int] = set()
    for span, keys in crossing:
        rivals = {ent_of[t] for t in range(span.start, span.end)} - {-1}
        if all(len(span) >= len(ents[i]) for i in rivals):
            dropped |= rivals
            free.append((span, keys))
    for i in dropped:
        free.extend(inside.pop(i, []))
    for i, ent in enumerate(ents):
        if i in dropped:
            continue
        found = inside.get(i, [])
        if not found:
            out.append(ent)
            continue
        if len(found) == 1 and (found[0][0].start, found[0][0].end) == (ent.start, ent.end):
            take(found[0][0], found[0][1], ent.label_)
            continue
        if ent.label_ in ("GPE", "LOC") and any(t.text == "," for t in ent):
            # "Toronto, Canada", "Irving, Texas": two places, each its own mention
            _split_at_commas(doc, ent, found, take, out)
            continue
        covered = {t for span, _ in found for t in range(span.start, span.end)}
        rest = [doc[t].text for t in range(ent.start, ent.end) if t not in covered]
        only_glue = all(w in _GLUE for w in rest)
        if len(found) == 1 and ent.label_ in ("GPE", "LOC") and kinds[found[0][1][0]] == "country" \
                and not only_glue and all(w in _GLUE or w.lower() in PLACE_PARTS for w in rest):
            # "Montenegro province", "western Cambodia": the whole span is the place, of that country
            out.append(ent)
            kept[(ent.start, ent.end)] = Hit(found[0][1], "country", ent.label_)
            continue
        if ent.label_ in _SPLITTABLE and ((only_glue and ent.label_ != "PERSON")
                                          or (len(found) >= 2 and ent.label_ not in ("PERSON",))):
            for span, keys in found:
                take(span, keys, "")
        else:
            out.append(ent)  # "Chad Smith", "the Washington Post", "Moscow Oblast"
    for span, keys in free:
        take(span, keys, "")
    final = [_without_article(e) for e in filter_spans(out)]
    doc.ents = final
    spans = {(e.start, e.end) for e in final}
    return {(k[0] + 1 if k not in spans else k[0], k[1]): v for k, v in kept.items()
            if k in spans or (k[0] + 1, k[1]) in spans}


def _split_at_commas(doc: Doc, ent: Span, found: list[tuple[Span, tuple[str, ...]]],
                     take: Callable[[Span, tuple[str, ...], str], None], out: list[Span]) -> None:
    start = ent.start
    for i in [*(t.i for t in ent if t.text == ","), ent.end]:
        if i > start:
            part = doc[start:i]
            hit = next((keys for span, keys in found
                        if (span.start, span.end) == (part.start, part.end)), None)
            if hit is not None:
                take(part, hit, ent.label_)
            else:
                out.append(Span(doc, part.start, part.end, label=ent.label_))
        start = i + 1


def _without_article(span: Span) -> Span:
    """Entity spans never start with "the": "the Kremlin" -> "Kremlin" (offsets stay exact)."""
    if len(span) > 1 and span[0].lower_ == "the":
        return Span(span.doc, span.start + 1, span.end, label=span.label_)
    return span


@Language.factory(GAZETTEER_PIPE)
def make_actor_gazetteer(nlp: Language, name: str) -> ActorGazetteer:
    """The gazetteer over the shipped actor table."""
    return ActorGazetteer(nlp, entries())


def hits(doc: Doc) -> dict[tuple[int, int], Hit]:
    """The gazetteer's record for ``doc`` (empty when the component did not run)."""
    found = doc.user_data.get(HITS)
    return found if isinstance(found, dict) else {}
