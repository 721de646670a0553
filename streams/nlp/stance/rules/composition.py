"""Composition: one event per phrase, and acts embedded in other acts.

* ``subsume_objects``: "sent aid" is the verb's 070, not also the noun's;
  a light verb lends its span to its noun event ("imposed sanctions");
* ``composition``: an act embedded under an appeal, demand, promise, threat,
  refusal or accusation is coded by the outer category ("threatened to
  expel" is 1313, see :mod:`streams.nlp.stance.coding`) and is not reported
  on its own; "refused to attack" is a negated attack; "ordered patrols" is
  the patrols; "condemned the US attack" aims the condemnation at the
  attacker;
* ``termination``: an act governed by a verb of ending that is no trigger
  itself ("halted the offensive", "suspended aid") de-escalates.
"""

from __future__ import annotations

import math
from dataclasses import replace

from spacy.tokens import Token

from streams.nlp.stance import coding
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.lexicon import verb_forms
from streams.nlp.stance.rules.base import event_rule, sentence_rule
from streams.nlp.stance.rules.force import MILITARY_NOUNS
from streams.nlp.stance.syntax import Arg, tree_depth
from streams.nlp.stance.words import INTENT_CONTROL, PARTITIVES, TERMINATIVE

#: Roots whose complement act they embed ("urged to", "threatened to", "refused to").
COMPOSING_ROOTS = frozenset({"02", "03", "10", "12", "13"})
#: The verbs of ending by form ("halted", "stopping"): hops through them end the act.
TERMINATIVE_BY_FORM = {form: lemma for lemma in sorted(TERMINATIVE) for form in verb_forms(lemma)}
#: Nouns of ending, by the verb they name: "the suspension of aid", "a halt to hostilities".
TERMINATIVE_NOUNS = {"suspension": "suspend", "halt": "halt", "freeze": "freeze",
                     "cancellation": "cancel", "termination": "terminate", "cessation": "cease",
                     "end": "end", "lifting": "lift", "abandonment": "abandon",
                     "reversal": "reverse", "revocation": "revoke", "repeal": "repeal"}
#: Verbs that grant what their complement asked for: "agreed *to the demands*", "bowed to calls".
_GRANTING_VERBS = frozenset({"agree", "accede", "bow", "yield", "consent", "submit", "give",
                             "accept", "heed", "meet", "grant"})
#: Verbs that convey an apology or a pardon named by their object: "offered an apology" apologizes.
_CONVEYING_VERBS = frozenset({"offer", "extend", "tender", "issue", "convey", "grant"})
#: Verbs whose object names the act they bring about: "ordered patrols", "committed atrocities".
_ORDER_VERBS = frozenset({"order", "authorize", "authorise", "approve", "commit"})


@sentence_rule("subsume_objects")
def subsume_objects(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """One event per phrase: "sent aid" is the verb's 070, not also the noun's.

    A verb matched through an object pattern owns its object noun, and so
    does a verb whose object names an act of its own kind ("provide ... aid":
    070 and 070); a light verb lends its span to the noun event ("imposed sanctions").
    """
    by_token = {e.token.i: e for e in events}
    for e in events:
        tok = e.token
        if tok.pos_ == "VERB":
            owns = e.entry.pattern.obj is not None
            direct = ctx.syntax.object_heads(tok, e.passive)
            # "provided 70 million dollars *of aid*": the act is named in the "of" phrase
            of_phrases = [(h, g) for h in direct for c in h.children
                          if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"]
            heads = direct + [g for _, g in of_phrases]
            # "lifted *most of* its sanctions": a share of the object is the object
            owned = direct + [g for h, g in of_phrases if h.lower_ in PARTITIVES]
            for h in heads:
                noun = by_token.get(h.i)
                if noun is not None and noun is not e and (
                        (owns and h in owned) or noun.root == e.root):
                    noun.consumed = True
                    if not e.targets and noun.targets:
                        e.targets = noun.targets
                if owns and h in direct and 0 < h.i - tok.i <= 4:  # "cut ties", "expelled 23 diplomats"
                    e.span = (min(e.span[0], h.i), max(e.span[1], h.i + 1))
        elif tok.pos_ in ("NOUN", "PROPN"):
            if e.entry.pattern.obj is not None and tok.lower_ not in TERMINATIVE_NOUNS:
                # "the *easing of* travel restrictions by Israel on Palestinians": the noun
                # matched through its object owns it, and takes the arguments hung on it
                # (a noun of ending composes with it instead: "the suspension of aid")
                for c in tok.children:
                    if c.dep_ != "prep" or c.lower_ not in ("of", "on"):
                        continue
                    for g in c.children:
                        noun = by_token.get(g.i)
                        if g.dep_ != "pobj" or noun is None or noun is e:
                            continue
                        noun.consumed = True
                        e.sources = e.sources or noun.sources
                        e.targets = e.targets or noun.targets
            gov = ctx.syntax.governor(tok)
            if gov is not None and gov.i not in by_token and 0 < tok.i - gov.i <= 4:
                e.span = (gov.i, tok.i + 1)
            for c in tok.children:  # "air strike", "hunger strike": modifier in the span
                if c.dep_ in ("compound", "amod") and c.i == e.span[0] - 1 and \
                        e.entry.pattern.mod is not None and c.lower_ in e.entry.pattern.mod:
                    e.span = (c.i, e.span[1])
    return events


@sentence_rule("composition")
def composition(ctx: SentenceContext, events: list[Event]) -> list[Event]:
    """Folds embedded acts into the acts that embed them; drops consumed events."""
    events = [e for e in events if not e.consumed]
    by_token = {e.token.i: e for e in events}
    result: dict[int, Event] = {id(e): e for e in events}
    # innermost first, so chains fold from the inside out
    for e in sorted(events, key=lambda ev: -tree_depth(ev.token)):
        outer = result[id(e)]
        for inner in complements(outer, by_token):
            inner = by_token.get(inner.token.i, inner)
            merged = merge(outer, inner)
            if merged is not None:
                outer = merged
        result[id(e)] = outer
        by_token[e.token.i] = outer
    return [ev for ev in result.values() if not ev.consumed]


@event_rule("termination")
def termination(ctx: SentenceContext, e: Event) -> Event:
    """"halted the offensive" de-escalates (087), "suspended aid" cuts aid (162)."""
    if e.token.pos_ not in ("NOUN", "PROPN") or e.composed:
        return e
    gov = ctx.syntax.governor(e.token)
    if gov is None and e.token.dep_ == "pobj" and e.token.head.lower_ in ("of", "to") and \
            e.token.head.head.lower_ in TERMINATIVE_NOUNS:  # "the suspension of aid"
        gov = e.token.head.head
        lemma = TERMINATIVE_NOUNS[gov.lower_]
    elif gov is None or gov.i in ctx.trigger_ids:
        return e
    else:
        lemma = ctx.lemmas.lemma(gov)
    if ends(lemma, gov, e):
        code = coding.terminate(e.code)
        if code is not None:
            e.code = code
            e.composed = True
            e.span = (min(e.span[0], gov.i), max(e.span[1], gov.i + 1))
    return e


def complements(e: Event, by_token: dict[int, Event]) -> list[Event]:
    """The events embedded as complements of ``e`` ("urged X *to send aid*")."""
    tok = e.token
    out: list[Event] = []
    candidates: list[Token] = []
    if tok.pos_ == "VERB":
        for c in tok.children:
            dep = c.dep_
            embeds_clause = e.root in ("02", "10", "13", "03") or e.code == "016" \
                or e.lemma in ("deny", "accuse")
            if dep in ("xcomp", "dobj", "nsubjpass") or (dep == "ccomp" and embeds_clause):
                candidates.append(c)
            elif dep == "advcl" and embeds_clause and any(
                    g.dep_ == "mark" and g.lower_ == "for" for g in c.children):
                candidates.append(c)  # "pushed *for* the EU to impose sanctions"
            elif dep == "advcl" and e.root in ("02", "10") and any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                candidates.append(c)  # "lobbied members ... *to isolate* Israel" (as a purpose)
            elif dep in ("prep",) and c.lower_ in ("for", "of", "to", "with", "on", "into",
                                                   "against", "about", "at"):
                candidates += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
    else:
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and any(g.dep_ == "aux" and g.lower_ == "to"
                                                   for g in c.children):
                candidates.append(c)
            elif c.dep_ == "acl" and e.code.startswith("112") and any(
                    g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                candidates.append(c)  # "Sweden's charge *that Iran had beaten* prisoners"
            elif c.dep_ == "prep" and c.lower_ in ("for", "of", "to", "on"):
                candidates += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
    for c in candidates:
        found = by_token.get(c.i)
        hops = 0
        ender: Token | None = None  # "urged X to halt the air strikes": the strikes come out ended
        while found is None and hops < 2 and (c.pos_ == "VERB" or _readiness(c)):
            ender = c if c.lower_ in TERMINATIVE_BY_FORM else ender
            # "urged X to try to ...", "promised to continue military aid",
            # "told Kyiv he was ready to host talks" (through the adjective)
            nxt = [g for g in c.children if g.dep_ == "xcomp"] or [
                g for g in c.children if g.dep_ == "dobj" and g.i in by_token] or [
                g for a in c.children if a.dep_ == "acomp" and a.lower_ in INTENT_CONTROL
                for g in a.children if g.dep_ == "xcomp"] or [
                # "offered to act *as a mediator*": the role names the act
                g for p in c.children if p.dep_ == "prep" and p.lower_ == "as"
                for g in p.children if g.dep_ == "pobj" and g.i in by_token]
            if not nxt:
                break
            c = nxt[0]
            found = by_token.get(c.i)
            hops += 1
        if found is not None and found is not e and not found.consumed:
            if ender is not None and not found.composed and \
                    ends(TERMINATIVE_BY_FORM[ender.lower_], ender, found):
                ended = coding.terminate(found.code)
                if ended is not None:
                    found.code, found.composed = ended, True
            out.append(found)
    return out


def _readiness(tok: Token) -> bool:
    """"was *ready* to ...": a copula whose complement states intent."""
    return tok.pos_ == "AUX" and any(a.dep_ == "acomp" and a.lower_ in INTENT_CONTROL
                                     for a in tok.children)


def merge(outer: Event, inner: Event) -> Event | None:
    """``outer`` with ``inner`` folded in, or ``None`` when they stay separate."""
    lemma = outer.lemma
    words = frozenset(t.lower_ for t in inner.token.subtree)
    if outer.root == "13" and inner.token.dep_ == "pcomp" and \
            inner.token.head.lower_ in ("against", "of", "about"):
        inner.consumed = True  # "warned Russia against invading": the act warned of
        return outer
    # a demand or an appeal named by a noun is what is granted or refused, not an act
    asked = inner.root in ("02", "10") and inner.token.pos_ in ("NOUN", "PROPN")
    if lemma in ("refuse", "decline") and inner.root in coding.HOSTILE_ROOTS and not asked:
        inner.negated = True  # refusing to attack: the attack did not happen
        outer.consumed = True
        return inner
    code: str | None = None
    if asked and outer.root == "12":
        code = coding.refuse(inner.code)  # "refused Serbian demands to call off the protests"
    elif asked and lemma in _GRANTING_VERBS:
        code = coding.concede(inner.code)  # "agreed to a demand by the opposition"
    # (its own object: "ordered Israel *to halt* its offensive" orders the halt, a demand)
    if code is None and inner.token.pos_ in ("NOUN", "PROPN") and \
            inner.token.head.i == outer.token.i and (
            lemma in _ORDER_VERBS or (lemma in _CONVEYING_VERBS and inner.code in ("055", "056"))):
        return _the_act(outer, inner, inner.sources or outer.sources)  # "ordered patrols"
    if code is None and lemma in _COMMANDING and inner.token.pos_ == "VERB" and \
            _own_forces(outer.token):
        # "Moscow ordered its troops to pull out of Kherson": its own forces' act is its own
        return _the_act(outer, inner, outer.sources or inner.sources)
    if ends(lemma, outer.token, inner):
        code = coding.terminate(inner.code)
    if code is None and lemma in _ASKING and inner.code == "056" and \
            inner.token.pos_ in ("NOUN", "PROPN"):
        code = "055"  # "asked for forgiveness": an apology
    lobbying = lemma in _LOBBYING and bool(inner.targets)
    if code is None and outer.root == "02" and (inner.root in coding.HOSTILE_ROOTS or (
            inner.root == "05" and inner.targets) or (
            lobbying and inner.root in coding.COOPERATIVE_ROOTS)) and (
            lobbying or (
                not addressed_on(outer) and not any(a.kind == "direct" for a in outer.targets)
                and not any(a.mention.actor is not None for a in inner.sources
                            if a.mention not in [b.mention for b in outer.sources]))):
        # "called for sanctions against X", "urged Muslim nations to unite against X":
        # asking no actor to act, or third parties no table names, rallies opposition to X;
        # asking them to back X rallies support for X.  Lobbying others to act on X rallies
        # them whoever they are ("lobbied EU partners to open talks with Ukraine").
        code = "113" if inner.root in coding.HOSTILE_ROOTS else "053"
    if code is None and outer.root == "03" and inner.negated and \
            inner.root in coding.COOPERATIVE_ROOTS:
        code = coding.reject(inner.code)  # "told Kyiv it would hold no talks": a refusal
    # "rejected Sweden's charge that ...": the charge stays Sweden's act, the rejection answers it
    charge = inner.code.startswith("112") and inner.token.pos_ == "NOUN" and bool(inner.sources)
    if code is None and outer.root in COMPOSING_ROOTS | {"01", "11"} and not (
            charge and outer.root == "12"):
        code = coding.compose(outer.code, inner.code, lemma, words)
    if code is None:
        if outer.root in ("05", "11", "12") and inner.token.pos_ in ("NOUN", "PROPN"):
            # "condemned the US attack": the target is the attacker
            redirect = [a for a in inner.sources if id(a.mention) not in
                        {id(x.mention) for x in outer.sources}]
            if redirect:
                outer.targets = [replace(a, path=a.path + 1, kind="direct") for a in redirect]
            elif not outer.targets and inner.targets and not (
                    outer.root in ("11", "12") and inner.root in coding.HOSTILE_ROOTS):
                # "praised the aid to X" is aimed at X; "condemned the bombing in X" is not
                outer.targets = [replace(a, path=a.path + 1) for a in inner.targets]
            inner.factors["nested"] = 0.8
        return None
    merged = Event(
        token=outer.token, entry=outer.entry, code=code,
        weight=math.sqrt(outer.weight * inner.weight), lemma=outer.lemma,
        # an appeal or demand by nobody we know is nobody's: the controller of
        # the inner act is its addressee, not its author
        sources=outer.sources or (inner.sources if outer.root not in ("02", "10") else []),
        targets=composed_targets(outer, inner),
        passive=outer.passive, negated=outer.negated, hypothetical=outer.hypothetical,
        future=outer.future if outer.root not in COMPOSING_ROOTS else False,
        obligation=outer.obligation, composed=True, reported=outer.reported,
        span=span_union(outer, inner), speaker=outer.speaker,
        speaker_args=outer.speaker_args, in_quote=outer.in_quote,
    )
    merged.factors.update(outer.factors)
    inner.consumed = True
    return merged


def composed_targets(outer: Event, inner: Event) -> list[Arg]:
    """Who a composed act is aimed at: the addressee of an appeal, else the inner target."""
    source_ids = {id(a.mention) for a in (outer.sources or inner.sources)}
    if outer.root in ("02", "10") and not outer.sources:
        source_ids = set()

    def usable(args: list[Arg]) -> list[Arg]:
        return [a for a in args if id(a.mention) not in source_ids]

    if outer.root in ("02", "10"):
        # "demanded that the US match the EU's support": the one asked to act is the
        # subject of the clause that holds the act, not the act's own possessor
        order = [[a for a in outer.targets if a.kind in ("direct", "prep")],
                 [a for a in outer.targets if a.kind == "clause" and _subject_above(a, inner)],
                 inner.sources, inner.targets, outer.targets]
    elif outer.root == "12" and inner.root in ("02", "10", "03"):
        order = [inner.sources, inner.targets, outer.targets]  # rejecting X's request
    else:
        order = [inner.targets, [a for a in outer.targets if a.kind != "clause"],
                 outer.targets, inner.sources]
    for group in order:
        kept = usable(group)
        if kept:
            return kept
    return []


def _subject_above(arg: Arg, inner: Event) -> bool:
    """Whether ``arg`` is the subject of a verb that governs (or is) the inner trigger."""
    head = inner.token.doc[arg.mention.head]
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = head.head
    return verb.i == inner.token.i or verb.is_ancestor(inner.token)


def span_union(outer: Event, inner: Event) -> tuple[int, int]:
    """The token range of both triggers, unless they are far apart."""
    a = min(outer.span[0], inner.span[0])
    b = max(outer.span[1], inner.span[1])
    if b - a > 6:  # far apart: the outer trigger alone explains the code
        return outer.span
    return (a, b)


def addressed_on(outer: Event) -> bool:
    """"the call *on Sudan* to halt ...": the appeal has an addressee (not "on Sunday")."""
    doc = outer.token.doc
    return any(doc[a.mention.head].head.lower_ in ("on", "upon")
               and doc[a.mention.head].head.head.i == outer.token.i for a in outer.targets)


#: Verbs of asking: asking forgiveness apologizes.
_ASKING = frozenset({"ask", "seek", "beg", "request", "plead"})
#: Verbs of canvassing third parties for or against someone.
_LOBBYING = frozenset({"lobby", "canvass"})
#: Verbs of command: what one commands one's own forces to do, one does.
_COMMANDING = frozenset({"order", "instruct", "command", "direct", "tell"})
_OWN = frozenset({"its", "his", "her", "their"})


def _the_act(outer: Event, inner: Event, sources: list[Arg]) -> Event:
    """``inner`` as the event itself, done by ``sources``, spanning ``outer`` (which it consumes)."""
    inner.sources = sources
    inner.span = span_union(outer, inner)
    outer.consumed = True
    return inner


def _own_forces(verb: Token) -> bool:
    """Whether the addressee of ``verb`` is the subject's own forces ("ordered *its troops* to")."""
    # (the addressee is the object, or the subject of a clause parsed as the object)
    addressees = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for c in verb.children if c.dep_ in ("xcomp", "ccomp") for g in c.children
        if g.dep_ == "nsubj"]
    return any(a.lower_ in MILITARY_NOUNS and any(g.dep_ == "poss" and g.lower_ in _OWN
                                                  for g in a.children) for a in addressees)


def ends(lemma: str, verb: Token, inner: Event) -> bool:
    """Whether ``verb`` (of ``lemma``) ends ``inner``: "halted the offensive", "called off talks".

    One drops charges and plans, or bombs: "dropped mustard gas on X" attacks.
    """
    if lemma == "drop" and inner.root in ("18", "19", "20"):
        return False
    return lemma in TERMINATIVE or (lemma in ("call", "break") and has_particle(verb, "off")) or (
        lemma in ("put", "place") and _on_hold(verb))


def _on_hold(verb: Token) -> bool:
    """"put the talks *on hold*", "placed aid *on ice*": a pause, which ends the act for now."""
    return any(c.dep_ == "prep" and c.lower_ == "on" and any(
        g.dep_ == "pobj" and g.lower_ in ("hold", "ice") for g in c.children) for c in verb.children)


def has_particle(tok: Token, word: str) -> bool:
    return any(c.dep_ in ("prt", "advmod") and c.lower_ == word for c in tok.children)
