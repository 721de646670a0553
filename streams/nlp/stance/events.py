"""The coded event: one act of one sentence, before it becomes stances.

An :class:`Event` is made by the ``lexicon_triggers`` rule and refined by
the rules after it (``streams.nlp.stance.rules``): its arguments, modality,
composition and final code.  Turning events into contract ``Stance`` objects
(pairs, filters, confidence) is ``streams.nlp.stance.build``.

Roles.  An event's :attr:`Event.sources` are the mentions that *act* (what
linguists call the agent: the subject, the passive ``by`` phrase, the
possessor of an event noun) and its :attr:`Event.targets` the mentions
*acted on* (the patient: the object, a target preposition, the passive
subject).  The names are CAMEO's and the ``Stance`` contract's: the sources
and targets of an event become the sources and targets of its stances
(reciprocal acts both ways).  "Agent" is kept for Faust agents in this
codebase; in stance code it only appears as spaCy's dependency label
``agent`` (the passive ``by`` phrase), read as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from streams.nlp.stance.lexicon import LexEntry
from streams.nlp.stance.syntax import Arg
from streams.nlp.stance.words import SPEECH_VERBS

#: Sports vocabulary: "Russia beat the US 3-1" is not an assault.
SPORTS_WORDS = frozenset({
    "tournament", "championship", "championships", "olympic", "olympics", "football",
    "soccer", "baseball", "basketball", "cricket", "rugby", "tennis", "hockey", "volleyball",
    "golf", "stadium", "medal", "medals", "striker", "midfielder", "goalkeeper", "semifinal",
    "semi-final", "quarterfinal", "quarter-final", "playoff", "playoffs", "fifa", "uefa",
    "nba", "nfl",
})


@dataclass(slots=True)
class Event:
    """One coded act, before it becomes one or more directed stances."""

    token: Token  # head of the trigger (the outer one when composed)
    entry: LexEntry
    code: str
    weight: float
    lemma: str
    sources: list[Arg] = field(default_factory=list)  # who acts
    targets: list[Arg] = field(default_factory=list)  # who is acted on
    passive: bool = False
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    obligation: str | None = None
    composed: bool = False
    consumed: bool = False
    reported: bool = False  # the act is inside someone's speech
    span: tuple[int, int] = (0, 0)  # token range of the trigger phrase
    speaker: Token | None = None
    speaker_args: list[Arg] = field(default_factory=list)
    in_quote: bool = False
    from_between: bool = False
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def is_speech(self) -> bool:
        """A plain verb of saying: a frame for what is said, not an act of its own."""
        return self.code == "010" and self.lemma in SPEECH_VERBS


def in_sports_context(sent: Span) -> bool:
    low = sent.text.lower()
    return any(w in low for w in (" world cup", "grand prix")) or any(
        t.lower_ in SPORTS_WORDS for t in sent)
