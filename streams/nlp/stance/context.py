"""What the rules of one sentence share: the :class:`SentenceContext`.

The context is built once per sentence, before any rule runs: the parse
helpers bound to the sentence's actor mentions, the quotes, and the *speech
frames* -- which verb of saying governs each token of reported content, and
who said it.  Pronouns inside reported speech ("we", "it would ...") are
linked to the speaker here, so every rule reads them as the speaker's
mentions.

Rules read the context; the only field a rule writes is
:attr:`SentenceContext.trigger_ids`, recorded by the ``lexicon_triggers``
rule for the rules after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from streams.nlp.stance.lexicon import Lexicon, VerbLemmas
from streams.nlp.stance.mentions import Mention, MentionIndex
from streams.nlp.stance.syntax import Syntax, in_ranges, quote_ranges, tree_depth
from streams.nlp.stance.words import FIRST_PERSON, SPEECH_VERBS, THIRD_PERSON


@dataclass(frozen=True, slots=True)
class SpeechFrame:
    """A verb of saying and the heads of its subject (the speaker)."""

    verb: Token
    subject: list[Token]


@dataclass(slots=True)
class SentenceContext:
    """One sentence, its mentions and parse helpers: what every rule may read."""

    sent: Span
    index: MentionIndex
    lexicon: Lexicon
    lemmas: VerbLemmas
    #: Token index ranges inside double quotes (see :func:`~.syntax.quote_ranges`).
    quotes: list[tuple[int, int]]
    #: Parse helpers, with pronouns in reported speech linked to their speaker.
    syntax: Syntax
    #: Token index -> the speech frame whose reported content holds the token.
    frames: dict[int, SpeechFrame]
    #: Token indices of the lexicon triggers (set by the ``lexicon_triggers`` rule).
    trigger_ids: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, sent: Span, index: MentionIndex, lexicon: Lexicon,
              lemmas: VerbLemmas) -> SentenceContext:
        quotes = quote_ranges(sent)
        syntax = Syntax(sent, index, lemmas)
        frames = speech_frames(sent, quotes, syntax, lemmas)
        syntax.pronouns = pronoun_links(sent, index, lemmas, quotes, frames)
        return cls(sent, index, lexicon, lemmas, quotes, syntax, frames)


def speech_frames(sent: Span, quotes: list[tuple[int, int]], syntax: Syntax,
                  lemmas: VerbLemmas) -> dict[int, SpeechFrame]:
    """Speech verb governing each token of reported content (by token index)."""
    frames: dict[int, SpeechFrame] = {}
    verbs = [t for t in sent if t.pos_ == "VERB" and lemmas.lemma(t) in SPEECH_VERBS]
    for v in verbs:
        subject, _, passive = syntax.subject_heads(v)
        if passive:
            continue
        frame = SpeechFrame(v, subject)
        for c in v.children:
            if c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and c.i < v.i):
                for t in c.subtree:
                    frames.setdefault(t.i, frame)  # inner frames were not set yet? see below
        if quotes and not in_ranges(v.i, quotes):
            # '"...," he said' parsed with the quote as a sibling clause: only
            # a quote that ends right before or starts right after the clause
            left = min([v.i, *(t.left_edge.i for t in subject)])
            right = max([v.i, *(t.right_edge.i for t in subject)])
            for a, b in quotes:
                if 0 <= left - b <= 3 or 0 <= a - right <= 3:
                    for i in range(a, b):
                        frames.setdefault(i, frame)
    # innermost frame wins: re-assign tokens inside nested frames
    for v in sorted(verbs, key=lambda t: -len(list(t.ancestors))):
        subject, _, passive = syntax.subject_heads(v)
        if passive:
            continue
        frame = SpeechFrame(v, subject)
        for c in v.children:
            if c.dep_ in ("ccomp", "parataxis"):
                for t in c.subtree:
                    if frames.get(t.i) is None or tree_depth(frames[t.i].verb) < tree_depth(v):
                        frames[t.i] = frame
    return frames


def pronoun_links(sent: Span, index: MentionIndex, lemmas: VerbLemmas,
                  quotes: list[tuple[int, int]],
                  frames: dict[int, SpeechFrame]) -> dict[int, list[Mention]]:
    """"we"/"our" in a quote and "it"/"its" in reported speech stand for the speaker."""
    links: dict[int, list[Mention]] = {}
    plain = Syntax(sent, index, lemmas)
    for t in sent:
        if t.pos_ != "PRON" or t.i not in frames:
            continue
        low = t.lower_
        first = low in FIRST_PERSON
        third = low in THIRD_PERSON and not in_ranges(t.i, quotes)
        if not (first or third):
            continue
        frame = frames[t.i]
        mentions = [m for h in frame.subject for m, _ in plain.np_mentions(h)]
        if third and not mentions:
            continue
        if mentions:
            links[t.i] = mentions
    return links
