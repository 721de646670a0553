"""Withdrawal: what one pulls out of, or pulls out, says what ends.

* ``withdrawal``: withdrawing from talks or mediation ends them (164, 165), and
  pulling out peacekeepers or observers withdraws them (1661, 1662); only
  troops pulled out de-escalate (087), the lexicon's reading of the verb.
"""

from __future__ import annotations

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules.base import sentence_rule

#: Verbs of withdrawing from something: "pulled out of talks", "withdrew as mediator".
_WITHDRAW_VERBS = frozenset({"withdraw", "pull", "walk", "quit", "leave", "exit", "ship"})
#: Who is pulled out, when not troops: peacekeepers (1661), observers (1662).
_WITHDRAWN = {"peacekeeper": "1661", "peacekeepers": "1661", "helmets": "1661",
              "observer": "1662", "observers": "1662", "monitors": "1662", "inspectors": "1662"}


@sentence_rule("withdrawal")
def withdrawal(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """"Serbia pulled out of talks with Kosovo" ends the talks (164), it moves no troops."""
    by_token = {e.token.i: e for e in events}
    for e in events:
        tok = e.token
        if tok.pos_ == "NOUN" and tok.lower_ in _WITHDRAWAL_NOUNS and not e.composed:
            # "the pullout of the OSCE's verification mission from Yugoslavia"
            heads = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
            e.code = _mission_withdrawn(heads, tok) or e.code
            continue
        if tok.pos_ != "VERB" or ctx.lemmas.lemma(tok) not in _WITHDRAW_VERBS or e.composed:
            continue
        heads = ctx.syntax.object_heads(tok, e.passive)
        objects = {h.lower_ for h in heads}
        withdrawn = next((_WITHDRAWN[w] for w in sorted(objects) if w in _WITHDRAWN), None) \
            or _mission_withdrawn(heads, tok)
        if withdrawn is not None:
            e.code = withdrawn
            continue
        if e.root == "16" and _out_of_ground(tok):
            e.code = "087"  # "pulled out of positions south of Grozny": troops leave ground
            continue
        if ctx.lemmas.lemma(tok) == "walk" and \
                any(o.lower_ in _CHAMBERS for o in _out_of_objects(tok)):
            e.code = "143"  # "walked out of parliament in protest": a walkout boycotts the sitting
            continue
        for inner in _left_acts(tok, by_token):
            code = coding.terminate(inner.code)
            if code is not None:
                e.code, e.composed = code, True
                e.targets = e.targets or inner.targets
                inner.consumed = True
                break
    return [e for e in events if not e.consumed]


#: Nouns of pulling out: "the *pullout* of the mission".
_WITHDRAWAL_NOUNS = frozenset({"pullout", "pull-out", "withdrawal"})
#: A mission that watches (1662) rather than keeps the peace (1661).
_WATCHING = frozenset({"verification", "monitoring", "observer", "observation", "inspection"})
#: What troops serve in when they keep the peace: "withdrew its paratroopers *from the UN
#: assistance mission*".
_MISSIONS = frozenset({"mission", "force", "operation", "contingent", "peacekeeping"})
_PEACE_WORDS = frozenset({"un", "u.n.", "united", "nations", "peacekeeping", "assistance",
                          "multinational", "international", "protection", "stabilisation",
                          "stabilization", "observer"})


def _mission_withdrawn(heads: list[Token], verb: Token) -> str | None:
    """1662 when the one pulled out is a watching mission ("the verification mission"), 1661
    when troops are pulled out of a peace mission ("from the UN assistance mission")."""
    for h in heads:
        words = {c.lower_ for c in h.children if c.dep_ in ("compound", "amod", "nmod")}
        if h.lower_ in ("mission", "missions") and words & _WATCHING:
            return "1662"
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            for m in c.children:
                if m.dep_ != "pobj" or m.lower_ not in _MISSIONS:
                    continue
                words = {w.lower_ for w in m.subtree if w.i < m.i}
                if words & _WATCHING and m.lower_ == "mission":
                    return "1662"
                if words & _PEACE_WORDS:
                    return "1661"
    return None


#: Ground that troops hold: leaving it is a military withdrawal, not a cut in relations.
_GROUND = frozenset({"position", "positions", "base", "bases", "town", "towns", "city", "area",
                     "areas", "region", "village", "villages", "territory", "zone", "province",
                     "district", "enclave", "corridor", "valley", "border", "frontier"})


#: Sittings one walks out of in protest: a walkout (143), not a halt to talks.
_CHAMBERS = frozenset({"parliament", "assembly", "chamber", "hall", "session", "sitting",
                       "congress", "senate", "house", "council", "legislature", "duma", "knesset"})


def _out_of_objects(verb: Token) -> list[Token]:
    """The objects of ``verb``'s "out of" (or bare "of") phrase: "pulled out *of positions*"."""
    return [o for c in verb.children if c.lower_ in ("of", "out")
            for p in ([c] if c.lower_ == "of" else [g for g in c.children if g.lower_ == "of"])
            for o in p.children if o.dep_ == "pobj"]


def _out_of_ground(verb: Token) -> bool:
    """Whether ``verb`` is "out of" a place or held ground (not out of a treaty or talks)."""
    return any(o.lower_ in _GROUND or o.ent_type_ in ("GPE", "LOC") for o in _out_of_objects(verb))


def _left_acts(verb: Token, by_token: dict[int, Event]) -> list[Event]:
    """Talks or mediation named in the verb's "out of", "from" or "as" phrases."""
    out: list[Event] = []
    for t in verb.subtree:
        found = by_token.get(t.i)
        if found is None or found.root != "04" or t.dep_ != "pobj":
            continue
        hops, h = 0, t.head
        while h.i != verb.i and h.dep_ in ("prep", "pobj", "prt") and hops < 4:
            h, hops = h.head, hops + 1
        if h.i == verb.i:
            out.append(found)
    return out
