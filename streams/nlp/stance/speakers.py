"""Who said each quote: quotes of a whole document and their speakers.

A sentence-level speech frame ('"...," Ryabkov said') sees only its own
sentence.  News quotes are longer than that: a quote runs over several
sentences or paragraphs ('"We propose ... . We are ready," he said'), the
attribution uses other shapes ("news agency Interfax quoted Ryabkov as
saying", "said Ryabkov, deputy foreign minister", "according to Ryabkov",
"the statement added"), and the speaker is often a pronoun.  This module
reads the document once:

* :func:`quote_spans` finds quotes by their marks, across sentences and
  paragraphs (a paragraph that opens with a mark while a quote is open
  continues it, as news style writes it);
* :func:`attribute_quotes` gives each quote a :class:`Speaker` from the verb
  of saying next to it (after the quote first, then before it), reading the
  parse: the subject, the object of "quoted ... as saying", the object of
  "according to"; a pronoun or title subject is the previous speaker or the
  nearest person before it; a document ("the statement added") is the last
  named issuer; a quote with no attribution of its own continues the open
  speaker of the quote before it.

Stance coding uses the result (:func:`attach`) so that an act inside a quote
is the speaker's, and ``we``/``our``/``us`` in it stand for the speaker's
actor.  The attribution itself is also measured on its own
(``streams.evaluation.speakers``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from streams.contracts import Entity
from streams.nlp.stance.context import SentenceContext, SpeechFrame
from streams.nlp.stance.lexicon import VerbLemmas
from streams.nlp.stance.mentions import CharIndex, Mention
from streams.nlp.stance.words import FIRST_PERSON, SPEECH_VERBS

OPENING = frozenset({"“", "«", "``"})
CLOSING = frozenset({"”", "»", "''"})
STRAIGHT = frozenset({'"'})
#: Documents that "add" or "say" for their issuer: "the statement added".
DOCUMENT_NOUNS = frozenset({
    "statement", "communique", "communiqué", "release", "letter", "note", "declaration",
    "document", "readout", "post", "tweet", "message", "report", "resolution",
})
#: Verbs that attribute a quote: the verbs of saying, and what documents do ("the letter reads").
ATTRIBUTION_VERBS = SPEECH_VERBS | {"read", "continue", "ask", "tell"}


@cache
def _attribution_lemmas() -> VerbLemmas:
    """Forms of the attribution verbs (the pipeline runs without a lemmatizer)."""
    return VerbLemmas(ATTRIBUTION_VERBS)


#: Titles that stand for a person named before: "the minister said".
PERSON_TITLES = frozenset({
    "minister", "spokesman", "spokeswoman", "spokesperson", "official", "diplomat", "president",
    "ambassador", "envoy", "secretary", "chief", "leader", "aide", "premier", "chancellor",
    "general", "commander", "senator", "governor", "mayor", "prosecutor", "director", "head",
})
PERSON_PRONOUNS = frozenset({"he", "she"})
#: Tags of finite verbs: '"We will respond"' is speech, 'in "approved security cabinets"' is not.
_FINITE = frozenset({"VBD", "VBP", "VBZ", "MD"})
GROUP_PRONOUNS = frozenset({"they", "it"})
#: How many sentences back a pronoun, title or document looks for its speaker.
LOOKBACK_SENTENCES = 4
#: A quote continues the previous speaker at most this many sentences after it.
CONTINUATION_SENTENCES = 3
#: Tokens an attribution may sit after the closing mark of its quote.
MAX_ATTRIBUTION_GAP = 12


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quote: the name as written where it was named, and the actor."""

    #: The speaker's name as written (for a pronoun, the name it stands for).
    text: str
    #: Character offsets of ``text`` in the document.
    start: int
    end: int
    #: The actor mention the speaker is, when resolved.
    mention: Mention | None
    #: The verb of saying (or "according") that attributes the quote.
    cue: int
    #: ``said``, ``quoted``, ``according``, ``pronoun``, ``title``, ``document``, ``dash``,
    #: ``continued``, or ``nominal`` (a common noun: "the report's authors said").
    how: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Tokens ``start:end`` between a pair of quote marks, and who said them."""

    start: int
    end: int
    speaker: Speaker | None = None
    #: Whether it opened a new paragraph while the quote before it was open.
    continued: bool = False

    def is_speech(self, doc: Doc) -> bool:
        """Spoken words, not a scare quote ('an "unfriendly state"') or a title.

        Four words, or three and a finite verb; a title ("The Internet Explorer 6
        Countdown") capitalises every word longer than three letters.
        """
        tokens = doc[self.start:self.end]
        words = [t.text for t in tokens if t.is_alpha]
        if all(w[0].isupper() for w in words if len(w) > 3):
            return False
        return len(words) >= 4 or (len(words) >= 3 and any(t.tag_ in _FINITE for t in tokens))


# -- finding quotes ---------------------------------------------------------------------------


def _paragraph_break(doc: Doc, i: int) -> bool:
    """Whether a new line separates token ``i`` from the one before it."""
    return i > 0 and ("\n" in doc[i - 1].whitespace_ or (doc[i - 1].is_space and "\n" in doc[i - 1].text))


def quote_spans(doc: Doc) -> list[tuple[int, int, bool]]:
    """(first, end, continued) token ranges between quote marks, marks excluded.

    Curly and guillemet marks say which side they are; straight marks
    alternate.  A quote left open at the end of a paragraph runs on when the
    next paragraph does not open with a mark (one quote over two
    paragraphs), and is closed there and reopened (``continued``) when it does.
    """
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    continued = False
    for t in doc:
        text = t.text
        if text not in OPENING and text not in CLOSING and text not in STRAIGHT:
            continue
        closes = text not in OPENING or _ends_paragraph(doc, t.i)  # 'decision.“' mistyped
        if open_at is not None and closes and not (text in STRAIGHT and _opens_paragraph(doc, t.i)):
            if t.i > open_at:
                out.append((open_at, t.i, continued))
            open_at, continued = None, False
            continue
        if open_at is not None:  # a paragraph opening with a mark while a quote is open
            end = t.i
            while end > open_at and doc[end - 1].is_space:
                end -= 1
            if end > open_at:
                out.append((open_at, end, continued))
            continued = True
        elif text in CLOSING:
            continue  # a stray closing mark
        open_at = t.i + 1
    if open_at is not None and open_at < len(doc):
        out.append((open_at, len(doc), continued))
    return out


def _ends_paragraph(doc: Doc, i: int) -> bool:
    return i + 1 >= len(doc) or "\n" in doc[i].whitespace_ or (
        doc[i + 1].is_space and "\n" in doc[i + 1].text)


def _opens_paragraph(doc: Doc, i: int) -> bool:
    j = i
    while j > 0 and doc[j - 1].is_space:
        j -= 1
    return _paragraph_break(doc, i) or (j < i and "\n" in doc[j:i].text)


# -- attributing them -------------------------------------------------------------------------


class _Document:
    """What attribution needs of a document: sentences, entities by token, mentions by token."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention], entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self.sent_starts = [s.start for s in self.sents]
        self.mention_at: dict[int, Mention] = {}
        for m in sorted(mentions, key=lambda m: m.start - m.end):
            for i in range(m.start, m.end):
                self.mention_at.setdefault(i, m)
        chars = CharIndex(doc)
        self.entity_at: dict[int, tuple[Entity, Span]] = {}
        for e in entities:
            span = chars.span(e.start, e.end)
            if span is not None:
                for i in range(span.start, span.end):
                    self.entity_at.setdefault(i, (e, span))
        self.lemmas = _attribution_lemmas()

    def sentence_of(self, i: int) -> int:
        return bisect_right(self.sent_starts, i) - 1

    def lemma(self, t: Token) -> str:
        return self.lemmas.lemma(t)

    def named(self, head: Token, cue: Token, how: str) -> Speaker | None:
        """The speaker a noun phrase names: its entity (or its name phrase), and its actor.

        A person named anywhere in the phrase is the speaker ("Governor of Washington
        Chris Gregoire said", however the parser attached the name).
        """
        found = None
        for t in (head, *(c for c in head.children if c.dep_ == "appos"),
                  *(c for c in head.children if c.dep_ == "compound")):
            found = found or self.entity_at.get(t.i)
        if found is None or found[0].label != "PERSON":
            people = [self.entity_at[i] for i in range(head.left_edge.i, head.right_edge.i + 1)
                      if i in self.entity_at and self.entity_at[i][0].label == "PERSON"]
            found = people[-1] if people else found
        if found is not None:
            entity, span = found
            return Speaker(entity.text, entity.start, entity.end, self.mention_at.get(span.root.i),
                           cue.i, how)
        if head.pos_ == "PROPN":
            left = min([head.i, *(c.i for c in head.lefts if c.dep_ == "compound")])
            first = self.doc[left]
            return Speaker(self.doc[left:head.i + 1].text, first.idx, head.idx + len(head),
                           None, cue.i, how)
        return None


def _subject(v: Token) -> Token | None:
    """The subject of a verb of saying, through coordination ("met and said") and adverbial
    clauses ("defended the record whilst promising: ...")."""
    for w in (v, v.head if v.dep_ in ("conj", "advcl", "xcomp") else None):
        if w is None:
            continue
        for c in w.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _prep_object(t: Token, prep: str) -> Token | None:
    """The object of the preposition ``prep`` under ``t`` ("according *to X*")."""
    return next((g for c in t.children if c.lower_ == prep for g in c.children if g.dep_ == "pobj"), None)


def _cues(d: _Document, tokens: Sequence[Token]) -> list[tuple[Token, Token]]:
    """(cue, speaker head) of the attributions among ``tokens``."""
    out = []
    for t in tokens:
        low = t.lower_
        if low == "according" or (low == "words" and t.head.lower_ == "in"):  # "in the words of X"
            obj = _prep_object(t, "to" if low == "according" else "of")
            if obj is not None:
                out.append((t, obj))
            continue
        if t.pos_ not in ("VERB", "AUX") or d.lemma(t) not in ATTRIBUTION_VERBS:
            continue
        if d.lemma(t) == "quote":
            # "Interfax quoted Ryabkov as saying", "Ryabkov was quoted as saying by Interfax"
            obj = next((c for c in t.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if obj is not None:
                out.append((t, obj))
            continue
        if t.dep_ == "pcomp" and t.head.lower_ == "as":
            continue  # "saying" of "quoted X as saying" is read at "quoted"
        subject = _subject(t)
        if subject is not None:
            out.append((t, subject))
    return out


def _window(d: _Document, a: int, b: int) -> tuple[list[Token], list[Token]]:
    """Tokens after the closing mark (to the end of its sentence) and before the opening one."""
    doc = d.doc
    after: list[Token] = []
    if b < len(doc):
        k = d.sentence_of(b)
        end = d.sents[k].end
        if end <= b + 2 and k + 1 < len(d.sents):  # '"..."' ends a sentence: a short next one
            nxt = d.sents[k + 1]
            if len(nxt) <= MAX_ATTRIBUTION_GAP and not _paragraph_break(doc, nxt.start):
                end = nxt.end
        after = [t for t in doc[b + 1:end] if not _in_quote_char(t)][:MAX_ATTRIBUTION_GAP + 8]
    before: list[Token] = []
    if a > 1:
        k = d.sentence_of(a - 1)
        before = list(doc[d.sents[k].start:a - 1])
    return after, before


def _in_quote_char(t: Token) -> bool:
    return t.text in OPENING or t.text in CLOSING or t.text in STRAIGHT


def _speaker_of(d: _Document, cue: Token, head: Token, previous: Speaker | None) -> Speaker | None:
    """The speaker a cue's subject stands for."""
    low = head.lower_
    how = {"quote": "quoted", "according": "according", "words": "according"}.get(d.lemma(cue), "said")
    named = d.named(head, cue, how)
    if named is not None:
        return named
    if low in PERSON_PRONOUNS or low in GROUP_PRONOUNS:
        return _antecedent(d, head, cue, previous, person=low in PERSON_PRONOUNS)
    if low in PERSON_TITLES:
        return _antecedent(d, head, cue, previous, person=True, how="title")
    if low in DOCUMENT_NOUNS:
        return _issuer(d, head, cue, previous)
    if head.pos_ == "NOUN":  # "the report's authors said": a speaker, if not a named one
        first = d.doc[head.left_edge.i]
        return Speaker(d.doc[first.i:head.i + 1].text, first.idx, head.idx + len(head), None, cue.i,
                       "nominal")
    return None


def _recent(d: _Document, speaker: Speaker | None, at: Token) -> bool:
    """Whether ``speaker`` last spoke at most a few sentences before ``at``."""
    return speaker is not None and \
        d.sentence_of(at.i) - d.sentence_of(speaker.cue) <= LOOKBACK_SENTENCES


def _antecedent(d: _Document, head: Token, cue: Token, previous: Speaker | None, *, person: bool,
                how: str = "pronoun") -> Speaker | None:
    """"he said": the previous speaker when recent and of the right kind, else the nearest such name."""
    if previous is not None and _recent(d, previous, cue) and (
            previous.mention is None or (previous.mention.entity.label == "PERSON") == person
            or previous.mention.actor.role is not None):
        return Speaker(previous.text, previous.start, previous.end, previous.mention, cue.i, how)
    first = d.sents[max(0, d.sentence_of(head.i) - LOOKBACK_SENTENCES)].start
    for i in range(head.i - 1, first - 1, -1):
        found = d.entity_at.get(i)
        if found is None:
            continue
        entity, span = found
        if (entity.label == "PERSON") == person and (person or entity.actor is not None):
            return Speaker(entity.text, entity.start, entity.end, d.mention_at.get(span.root.i),
                           cue.i, how)
    return None


def _issuer(d: _Document, head: Token, cue: Token, previous: Speaker | None) -> Speaker | None:
    """"the statement added": who issued the last statement named before, else the last speaker."""
    first = d.sents[max(0, d.sentence_of(head.i) - LOOKBACK_SENTENCES)].start
    for i in range(head.i - 1, first - 1, -1):
        t = d.doc[i]
        if t.lower_ != head.lower_ or i in d.entity_at:
            continue
        v = t.head
        while v.dep_ in ("pobj", "prep", "dobj", "conj", "pcomp") and v.head is not v:
            v = v.head
        subject = _subject(v)
        if subject is not None and subject.i != t.i:
            named = d.named(subject, cue, "document")
            if named is not None:
                return named
    if previous is not None and _recent(d, previous, cue):
        return Speaker(previous.text, previous.start, previous.end, previous.mention, cue.i, "document")
    return None


def _dash_attribution(d: _Document, b: int) -> Speaker | None:
    """'"..." - Matthew Ingram': a name after a dash that follows the closing mark."""
    doc = d.doc
    if b + 2 < len(doc) and doc[b + 1].text in ("-", "–", "—", "--"):
        found = d.entity_at.get(b + 2)
        if found is not None and found[0].label == "PERSON":
            entity, span = found
            return Speaker(entity.text, entity.start, entity.end, d.mention_at.get(span.root.i),
                           doc[b + 1].i, "dash")
    return None


def _colon_attribution(d: _Document, a: int, previous: Speaker | None, quoted: set[int]) -> Speaker | None:
    """'Sunak defended the record whilst promising an update: "..."': the subject of the clause
    that a colon hands over to the quote, whatever its verb."""
    j = a - 2
    while j >= 0 and d.doc[j].is_space:
        j -= 1
    if j < 0 or d.doc[j].text != ":":
        return None
    v = d.doc[j].head
    while v.pos_ not in ("VERB", "AUX") and v.head is not v:
        v = v.head
    subject = _subject(v)
    if subject is None or subject.i in quoted:
        return None
    return _speaker_of(d, v, subject, previous)


def attribute_quotes(doc: Doc, mentions: Sequence[Mention], entities: Sequence[Entity]) -> list[Quote]:
    """Every quote of ``doc`` with its speaker where the text gives one (see the module doc)."""
    spans = quote_spans(doc)
    if not spans:
        return []
    d = _Document(doc, mentions, entities)
    quoted = {i for a, b, _ in spans for i in range(a, b)}  # a verb inside a quote attributes nothing
    out: list[Quote] = []
    previous: Speaker | None = None
    previous_end = -1
    for a, b, continued in spans:
        quote = Quote(a, b, None, continued)
        if not quote.is_speech(doc):
            out.append(quote)
            continue
        after, before = _window(d, a, b)
        speaker = _dash_attribution(d, b)
        # the attribution nearest the marks: '"...," X said' or 'X asserted that officials, "..."'
        cues = sorted([c for c in [*_cues(d, after), *_cues(d, before)]
                       if c[0].i not in quoted and c[1].i not in quoted],
                      key=lambda c: c[0].i - b if c[0].i > b else a - c[0].i)
        for cue, head in cues:
            if speaker is None:
                speaker = _speaker_of(d, cue, head, previous)
        if speaker is None:
            speaker = _colon_attribution(d, a, previous, quoted)
        if speaker is None and previous is not None and (
                continued or d.sentence_of(a) - d.sentence_of(previous_end) <= CONTINUATION_SENTENCES):
            speaker = Speaker(previous.text, previous.start, previous.end, previous.mention,
                              previous.cue, "continued")
        out.append(Quote(a, b, speaker, continued))
        if speaker is not None and speaker.how != "nominal":  # "critics said" carries on to no one
            previous, previous_end = speaker, b
    return out


# -- what stance coding reads -----------------------------------------------------------------


def speaker_mentions(quotes: Sequence[Quote], sent: Span, group: Sequence[Mention]) -> list[Mention]:
    """Speakers of the quotes in ``sent`` who are not mentioned in it (they act in the quote)."""
    have = {id(m) for m in group}
    out: list[Mention] = []
    for q in quotes:
        m = q.speaker.mention if q.speaker is not None else None
        if m is None or id(m) in have or q.end <= sent.start or q.start >= sent.end:
            continue
        have.add(id(m))
        out.append(m)
    return out


def attach(ctx: SentenceContext, quotes: Sequence[Quote]) -> None:
    """Make the speaker of each quote in the sentence the speaker of its words.

    The quote's tokens get a speech frame whose subject is the speaker's
    mention (which may stand in an earlier sentence), and first-person
    pronouns in it stand for that mention.
    """
    sent = ctx.sent
    doc = sent.doc
    pronouns = dict(ctx.syntax.pronouns)
    changed = False
    for q in quotes:
        sp = q.speaker
        if sp is None or sp.mention is None or q.end <= sent.start or q.start >= sent.end:
            continue
        head = doc[sp.mention.head]
        frame = SpeechFrame(doc[sp.cue], [head])
        if ctx.index.at(head) is None:
            pronouns[head.i] = [sp.mention]
        for i in range(max(q.start, sent.start), min(q.end, sent.end)):
            ctx.frames[i] = frame
            if doc[i].lower_ in FIRST_PERSON and doc[i].pos_ == "PRON":
                pronouns[i] = [sp.mention]
        changed = True
    if changed:
        ctx.syntax.pronouns = pronouns
    _according_to(ctx)


def _according_to(ctx: SentenceContext) -> None:
    """"Russia will expel the diplomats, according to Interfax": the sentence is Interfax's report.

    Tokens outside the "according to" phrase with no speech frame yet get one
    whose speaker is its object, so acts in it are reported with that speaker.
    """
    for t in ctx.sent:
        if t.lower_ != "according" or t.dep_ != "prep":
            continue
        obj = _prep_object(t, "to")
        if obj is None or not ctx.syntax.args([obj], 1, "direct"):
            continue
        frame = SpeechFrame(t, [obj])
        phrase = range(t.left_edge.i, t.right_edge.i + 1)
        for u in ctx.sent:
            if u.i not in phrase:
                ctx.frames.setdefault(u.i, frame)
