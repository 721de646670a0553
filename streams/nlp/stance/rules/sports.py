"""Sports: in a sentence about a game, only the acts a game cannot mean are kept.

"Russia beat the US 3-1", "France meets Spain in the semifinal", "Brazil
hosts Argentina", "conceded two goals": in a sentence with sports vocabulary
(:func:`~streams.nlp.stance.events.in_sports_context`) meetings, visits,
threats, protests, yielding and every kind of force are read as the game.
Acts no game performs are kept: "the KU basketball team is about to restore
diplomatic ties with Libya", "FIFA appealed to Russia", "the volleyball
federation broke relations with X", and what courts and police do to
players: "a Russian court convicted an American basketball player", "police
arrested a footballer".
"""

from __future__ import annotations

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event, in_sports_context
from streams.nlp.stance.rules.base import sentence_rule

#: CAMEO roots a game never means: appeals, intents, diplomatic and material
#: cooperation, aid, demands, rejections and reductions of relations.
NON_SPORTING_ROOTS = frozenset({"02", "03", "05", "06", "07", "10", "12", "16"})
#: Codes of other roots a game never means either: lawsuits and convictions (115, 116),
#: arrests and expulsions (173, 174).
NON_SPORTING_CODES = ("115", "116", "173", "174")


@sentence_rule("sports")
def sports(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """In a sports sentence, drop the acts a game can mean (meet, beat, host, concede...)."""
    if not events or not in_sports_context(ctx.sent):
        return events
    return [e for e in events if e.root in NON_SPORTING_ROOTS or e.code.startswith(NON_SPORTING_CODES)]
