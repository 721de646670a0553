"""Article structure: the lines of a body that are not sentences of the story.

Crawled bodies carry more than the story: photo captions and their credits
("Russian Foreign Ministry / TASS"), bylines, datelines ("MOSCOW (Reuters) -"),
reporting credits and calls to action ("Support The Moscow Times!").  Left
in, a credit line without a full stop is glued by the sentence splitter to
the story's first sentence (its actors then act in it), and a subscription
plea is coded as if it were news.

The text is never changed -- every offset the analysis reports indexes the
original body.  Instead :func:`segments` finds the character ranges of such
material with line-level patterns, and the pipeline component
:class:`ArticleStructure` (run after the sentence splitter, before the
parser) makes each range start its own sentence and the story resume in a
new one after it, and records the ranges on the ``Doc``.  Readers then skip
those sentences (:func:`is_story`).  Patterns only: these lines are
formulaic, and a model would need labelled crawls we do not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

STRUCTURE_PIPE = "article_structure"
#: Where the segments of a document are kept (``Doc.user_data``).
USER_DATA_KEY = "streams.structure"

Kind = Literal["caption", "credit", "byline", "boilerplate", "dateline"]


@dataclass(frozen=True, slots=True)
class Segment:
    """Characters ``start:end`` of a text that are ``kind``, not story."""

    start: int
    end: int
    kind: Kind


#: Photo and wire agencies that appear after the slash of a credit.
_AGENCIES = (
    r"TASS|Reuters|REUTERS|AP|AFP|EPA(?:-EFE)?|Getty Images|Sputnik|RIA Novosti|Kremlin\.ru|"
    r"Kommersant|Moskva News Agency|Anadolu(?: Agency)?|Xinhua|Pixabay|Wikimedia Commons|"
    r"Unsplash|Shutterstock|ZUMA(?: Wire)?|SIPA|Imago|Alamy|dpa|DPA|UPI|Bloomberg|"
    r"Press Service|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3} Press Service|mil\.ru|mid\.ru|Twitter|Telegram|"
    r"Facebook|VK|Vedomosti|Interfax|Izvestia|Novaya Gazeta|Meduza|AP Photo|Handout|Pool"
)
#: Credits that name no photographer: "Kremlin.ru", "Getty Images", "Press Service".
_SOURCES = (
    r"Kremlin\.ru|Getty Images|Pixabay|Wikimedia Commons|Unsplash|Shutterstock|mil\.ru|mid\.ru|"
    r"(?:[A-Z][\w.]*\s+){0,3}Press Service|Handout"
)
#: A capitalised word of a credit's name; no full stop inside a name ends a sentence.
_CREDIT_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&-]*(?:\.[\w-]+)*)"
#: "Russian Foreign Ministry / TASS", "Maxim Shemetov / Reuters", "REUTERS/Evgenia Novozhenina",
#: "(AP Photo/Alexander Zemlianichenko)", "Photo: AFP", "Photo by John Doe/Getty Images", "Kremlin.ru".
_CREDIT = re.compile(
    r"(?:\(\s*)?(?:"
    r"(?:Photos?|Images?|Pictures?|Photograph|Credit|Source|Illustration)(?: by)?"
    r"\s*[:|]\s*[^\n]{1,80}(?=\s*$)"
    r"|(?:Photos?|Images?) by [A-Z][^\n]{1,80}(?=\s*$)"
    r"|" + _CREDIT_WORD + r"(?:\s+(?:of|the|de|van|von|" + _CREDIT_WORD + r")){0,6}\s*/\s*(?:"
    + _AGENCIES + r")"
    r"|(?:" + _AGENCIES + r")\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"|(?:" + _SOURCES + r")(?=\s*$)"
    r")(?:\s*\))?"
)
#: A place in capitals (or any place followed by the wire in brackets), an optional
#: date and wire, then a dash: "MOSCOW -", "WASHINGTON, Oct 27 (Reuters) -", "KYIV, Ukraine (AP) —".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+){0,3}"
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}(?=(?:,[^\n(]{1,30})?\s*\())"
    r"(?:,\s*[A-Z][\w.'’]*(?:\s+[\w.'’]+){0,2})?"
    r"(?:\s*\((?:" + _AGENCIES + r"|[A-Z][\w ]{1,25})\))?"
    r"\s*(?:--|-|–|—)(?:\s+(?=[A-Z\"“‘'])|\s*$)"
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:de|van|von|al|bin|[A-Z][\w'’.-]+)){1,3}"
#: "By John Smith", "By Jane Doe and John Roe, Reuters", "Reporting by ...; Editing by ...".
_BYLINE = re.compile(
    r"(?:(?:(?:Written|Compiled|Story) by|By)\s+" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME + r")*"
    r"(?:\s*[,|/]\s*[A-Z][\w .]{1,40})?"
    r"|(?:Additional )?(?:Reporting|Writing|Editing|Reported|Edited) by\s+[A-Z][^\n]{0,200})"
)
#: Calls to action and site furniture, matched case-insensitively at the start of a line
#: (or anywhere in a short one): a story sentence may quote "support the Moscow Times".
_BOILERPLATE = re.compile(
    r"^(?:support (?:the moscow times|our (?:journalism|work)|independent journalism)|contribute today|"
    r"subscribe (?:to|now|today)|sign up (?:for|to)|newsletter|read (?:more|also)\s*:|click here|"
    r"follow us on|share this (?:article|story)|^advertisement$|all rights reserved|©|"
    r"this (?:article|story) was (?:originally |first )?published|we need your help|"
    r"dear readers|donate (?:now|today)|join us on telegram|related\s*:|see also\b)",
    re.IGNORECASE,
)
_PLEA_INSIDE = re.compile(_BOILERPLATE.pattern.removeprefix("^"), re.IGNORECASE)
#: Lines longer than this are story, whatever they contain (a quote may say "subscribe").
_MAX_FURNITURE_WORDS = 40
#: Links to other stories ("SEE ALSO: <headline>") are furniture only this short: crawls glue
#: the story's next sentence to them, and losing story is worse than coding a headline.
_LINK = re.compile(r"(?:see also|read (?:more|also)|related)\b", re.IGNORECASE)
_MAX_LINK_WORDS = 20
#: A line this short is furniture when a call to action stands anywhere in it.
_MAX_PLEA_WORDS = 8
#: A line before a credit line is its caption when it is at most this long.
_MAX_CAPTION_WORDS = 30


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding spaces."""
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        left = len(line) - len(line.lstrip())
        right = len(line.rstrip())
        if right > left:
            yield m.start() + left, m.start() + right


def _words(text: str) -> int:
    return len(text.split())


def _credit_in(line: str) -> re.Match[str] | None:
    """A credit that opens the line or follows a full stop, and ends it or is glued to the story.

    Glued: "Russian Foreign Ministry / TASS Russia warned ..." -- the story
    goes on after the credit on the same line, with a capital.
    """
    starts = [0, *(m.end() for m in re.finditer(r"[.!?)”\"]\s+", line))]
    for at in starts:
        m = _CREDIT.match(line, at)
        if m is None:
            continue
        after = line[m.end():]
        if not after.strip() or (after[:1].isspace() and after.lstrip()[:1].isupper()):
            return m
    return None


def segments(text: str) -> list[Segment]:
    """The non-story ranges of ``text``, in order (no two overlap).

    A dateline is looked for only before the first story line (it opens a
    story); the line before a credit line is its caption when it is short.
    """
    out: list[Segment] = []
    lines = list(_lines(text))
    story_seen = False
    for k, (start, end) in enumerate(lines):
        line = text[start:end]
        words = _words(line)
        if words <= _MAX_FURNITURE_WORDS and _BYLINE.fullmatch(line):
            out.append(Segment(start, end, "byline"))
            continue
        plea = _BOILERPLATE.match(line) or (words <= _MAX_PLEA_WORDS and _PLEA_INSIDE.search(line))
        if plea and words <= (_MAX_LINK_WORDS if _LINK.match(line) else _MAX_FURNITURE_WORDS):
            out.append(Segment(start, end, "boilerplate"))
            continue
        credit = _credit_in(line)
        if credit is not None and _words(line[:credit.start()]) <= _MAX_CAPTION_WORDS:
            stop = start + len(line[:credit.end()].rstrip())
            if credit.start() == 0 and k > 0:
                previous = lines[k - 1]
                if _words(text[slice(*previous)]) <= _MAX_CAPTION_WORDS \
                        and not (out and out[-1].end >= previous[1]):
                    out.append(Segment(*previous, "caption"))
            out.append(Segment(start, stop, "caption" if credit.start() else "credit"))
            if stop < end:
                story_seen = True  # the story goes on after a glued credit
            continue
        dateline = None if story_seen else _DATELINE.match(line)
        if dateline is not None:
            out.append(Segment(start, start + len(dateline.group().rstrip()), "dateline"))
        story_seen = True
    return out


def stored(doc: Doc) -> tuple[Segment, ...]:
    """The segments :class:`ArticleStructure` recorded on ``doc`` (none when it did not run)."""
    found = doc.user_data.get(USER_DATA_KEY, ())
    return found if isinstance(found, tuple) else ()


def is_story(sent: Span) -> bool:
    """Whether a sentence is story text: not inside a caption, credit, byline, dateline or plea."""
    found = stored(sent.doc)
    if not found:
        return True
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return not any(s.start <= start and end <= s.end for s in found)


#: Titles that wire copy abbreviates before a name ("Lt. Gen. Prosper Avril", "Capt. Ibrahim
#: Traore") and that spaCy's English exceptions lack ("Gen.", "Sen.", "Gov." are there).
#: Split off, their full stop ended the sentence in the middle of a name.
TITLE_ABBREVIATIONS = ("Lt.", "Col.", "Sgt.", "Capt.", "Maj.", "Brig.", "Cmdr.", "Cdr.", "Cpl.",
                       "Pvt.", "Supt.", "Pres.", "Amb.", "Hon.", "Insp.", "Gens.", "Sens.", "Reps.")
#: Abbreviations that only ever stand before a name, so never end a sentence.
NAME_TITLES = frozenset({*TITLE_ABBREVIATIONS, "Gen.", "Gov.", "Sen.", "Rep.", "Adm.", "Dr.",
                         "Mr.", "Mrs.", "Ms.", "Prof.", "Rev."})


@Language.factory(STRUCTURE_PIPE)
class ArticleStructure:
    """Pipeline component: non-story segments become sentences of their own.

    Runs after the sentence splitter and before the parser, so each segment
    and the story after it are parsed apart, as the wire's own layout means.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found = tuple(segments(doc.text)) if len(doc) else ()
        doc.user_data[USER_DATA_KEY] = found
        if not doc.has_annotation("SENT_START"):
            return doc
        titled = [t.i + 1 for t in doc[:-1] if t.text in NAME_TITLES]
        # "Chinese Premier Li | Peng on Thursday called ...": a sentence of running text
        # starts after punctuation or a line break, never straight after a word
        unpunctuated = [t.i + 1 for t in doc[:-1] if doc[t.i + 1].is_sent_start
                        and (t.is_alpha or t.like_num) and "\n" not in t.whitespace_]
        if not found and not titled and not unpunctuated:
            return doc
        # SENT_START is 1 (starts), -1 (does not), 0 (unknown); spaCy's array is unsigned
        starts = doc.to_array([SENT_START]).reshape(-1).astype(np.int64)
        starts[titled] = -1  # "Brig. John Mensah": the title's full stop ends no sentence
        starts[unpunctuated] = -1
        ends = np.array([t.idx + len(t) for t in doc])
        idx = np.array([t.idx for t in doc])
        for seg in found:
            first = int(np.searchsorted(ends, seg.start, side="right"))
            after = int(np.searchsorted(idx, seg.end, side="left"))
            if first < len(doc):
                starts[first] = 1
            for i in range(first + 1, min(after, len(doc))):
                starts[i] = -1
            while after < len(doc) and doc[after].is_space:
                starts[after] = -1
                after += 1
            if after < len(doc):
                starts[after] = 1
        doc.from_array([SENT_START], cast(Any, starts.astype(np.uint64).reshape(-1, 1)))
        return doc
