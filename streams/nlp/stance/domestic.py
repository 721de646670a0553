"""Bare legislative role nouns that appeal to a government: read as that country's legislature.

"Senators urged President Joe Biden to ..." names no country for the
senators, so actor resolution (rightly) leaves them unresolved, and the
sentence has one actor.  English news marks foreign legislators ("Russian
lawmakers urged Biden ..."); a bare "Senators", "Lawmakers" or "MPs"
appealing to, or making a demand of, a government actor is that
government's own legislature.  This module adds that reading as a mention
for the sentence only, with the basis ``stance:domestic-appeal``:

* the noun is the subject of a verb whose lexicon rows are appeals (02) or
  demands (10);
* it is a plural legislative role noun of the actor table (role ``LEG``),
  with no nationality, owner or ``of``/``from`` phrase of its own, and is
  in no mention already;
* the verb's addressee (its object, or the object of "on" after "call")
  is a mention with role ``GOV``; its country is the legislature's.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from streams.contracts import ActorRef, Entity
from streams.contracts.enriched import TextField
from streams.nlp.actors import ActorTable
from streams.nlp.stance.lexicon import Lexicon
from streams.nlp.stance.mentions import Mention, MentionIndex

BASIS = "stance:domestic-appeal"
_APPEAL_ROOTS = frozenset({"02", "10"})
_OWN_MODIFIERS = frozenset({"amod", "compound", "poss", "nmod", "prep"})


def _addressee(verb: Token, index: MentionIndex) -> Mention | None:
    heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    heads += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
              for g in c.children if g.dep_ == "pobj"]
    for h in heads:
        m = index.at(h) or next((index.at(t) for t in h.subtree if index.at(t) is not None), None)
        if m is not None and m.actor.role == "GOV" and m.actor.country:
            return m
    return None


def _is_bare_legislature(tok: Token, table: ActorTable) -> bool:
    noun = table.titles.get(tok.lower_)
    return (noun is not None and noun.role == "LEG" and tok.tag_ in ("NNS", "NNPS")
            and not any(c.dep_ in _OWN_MODIFIERS for c in tok.children))


def domestic_appeal_mentions(sent: Span, group: Sequence[Mention], lexicon: Lexicon,
                             table: ActorTable, field: TextField) -> list[Mention]:
    """Mentions for bare legislatures appealing to a government of the sentence (often none)."""
    index = MentionIndex(group)
    out: list[Mention] = []
    for tok in sent:
        verb = tok.head
        if tok.dep_ != "nsubj" or verb.pos_ != "VERB" or index.at(tok, places=True) is not None:
            continue
        if not {e.root for e in lexicon.candidates(verb)} & _APPEAL_ROOTS:
            continue
        if not _is_bare_legislature(tok, table):
            continue
        addressee = _addressee(verb, index)
        if addressee is None:
            continue
        country = addressee.actor.country
        assert country is not None  # checked by _addressee
        actor = ActorRef(code=f"{country}LEG", country=country, role="LEG",
                         name=f"{tok.text} ({country})", basis=BASIS)
        entity = Entity(field=field, start=tok.idx, end=tok.idx + len(tok.text), text=tok.text,
                        label="NORP", actor=actor, usage="actor")
        out.append(Mention(entity, tok.i, tok.i + 1, tok.i, actor))
    return out
