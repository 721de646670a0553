"""Coding one sentence: the shared lexicon, the sentence's context, and the rules run on it.

Both the public entry points (``streams.nlp.stance``) and the sentiment
features (``streams.nlp.stance.sentiment``) code sentences through here, so
neither has to import the other.  The rules themselves, their registry and
their order are ``streams.nlp.stance.rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from spacy.tokens import Span

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import Lexicon, VerbLemmas, default_lexicon
from streams.nlp.stance.mentions import Mention, MentionIndex
from streams.nlp.stance.rules import run
from streams.nlp.stance.verbpatterns import configured_path, with_verbpatterns
from streams.nlp.stance.words import ALL_KNOWN_VERBS


@cache
def resources() -> tuple[Lexicon, VerbLemmas]:
    """The trigger lexicon and the verb lemmas it and the syntax rules need (loaded once).

    The project's lexicon, plus the verbs of a PETRARCH verb-pattern file
    when the ``STREAMS_CAMEO_VERBPATTERNS`` setting names one (see ``verbpatterns``).
    """
    lexicon = with_verbpatterns(default_lexicon(), configured_path())
    return lexicon, VerbLemmas(lexicon.verb_lemmas | ALL_KNOWN_VERBS)


def has_trigger(sent: Span) -> bool:
    """Cheap pre-check: does any token of the sentence have a lexicon form?"""
    lexicon, _ = resources()
    return any(lexicon.candidates(t) for t in sent)


def sentence_context(sent: Span, mentions: Sequence[Mention]) -> SentenceContext:
    """The context the rules read for one sentence, given its actor mentions."""
    lexicon, lemmas = resources()
    return SentenceContext.build(sent, MentionIndex(mentions), lexicon, lemmas)


def code_sentence(sent: Span, mentions: Sequence[Mention]) -> list[Event]:
    """The coded events of one sentence, given its actor mentions: every rule, in order."""
    return run(sentence_context(sent, mentions))
