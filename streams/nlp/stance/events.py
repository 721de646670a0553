"""Event coding of one sentence: triggers, their arguments, and composition.

The steps, in order:

1. *speech frames*: verbs of saying and the quotes they introduce name a
   speaker; pronouns inside ("we", "it would ...") are linked to the speaker;
2. *triggers*: tokens whose form and pattern match a lexicon row;
3. *arguments*: the agent (subject, passive ``by`` phrase, controller of an
   ``xcomp``, possessor of an event noun) and the patient (object, target
   preposition, passive subject, content clause) of each trigger, as actor
   mentions reached through the noun phrase;
4. *modality*: negation, modal and conditional hypotheticals, future intent;
5. *composition*: an act embedded under an appeal, demand, promise, threat,
   refusal or accusation is coded by the outer category ("threatened to
   expel" is 1313) and is not reported on its own;
6. *obligation*: "X said Y must ..." is X demanding of Y.

The result is a list of :class:`Event` objects with mentions; turning them
into contract ``Stance`` objects (pairs, filters, confidence) is
``streams.nlp.stance.build``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from streams.nlp.stance import coding
from streams.nlp.stance.lexicon import LexEntry, Lexicon, Pattern, VerbLemmas
from streams.nlp.stance.mentions import Mention, MentionIndex
from streams.nlp.stance.syntax import (
    FIRST_PERSON,
    FUTURE_MODALS,
    HYPOTHETICAL_CONTROL,
    HYPOTHETICAL_MODALS,
    INTENT_CONTROL,
    LOCATIVE_PREPS,
    NEGATING_CONTROL,
    OBLIGATION_MODALS,
    PRIMARY_PREPS,
    SECONDARY_PREPS,
    SPEECH_VERBS,
    TERMINATIVE,
    THIRD_PERSON,
    Arg,
    Syntax,
    in_ranges,
    path_length,
    quote_ranges,
)

#: Roots whose complement act they embed ("urged to", "threatened to", "refused to").
COMPOSING_ROOTS = frozenset({"02", "03", "10", "12", "13"})
#: Codes whose ``of`` phrase names the actor, not the target ("withdrawal of US troops").
_OF_IS_AGENT_PREFIXES = ("087", "15")
#: Roots for which a place ("in Kyiv") can be the target: acts done *to* a place.
_PLACE_TARGET_ROOTS = frozenset({"15", "17", "18", "19", "20"})
_PLACE_TARGET_CODES = frozenset({"042"})
#: Sports vocabulary: "Russia beat the US 3-1" is not an assault.
SPORTS_WORDS = frozenset({
    "tournament", "championship", "championships", "olympic", "olympics", "football",
    "soccer", "baseball", "basketball", "cricket", "rugby", "tennis", "hockey", "volleyball",
    "golf", "stadium", "medal", "medals", "striker", "midfielder", "goalkeeper", "semifinal",
    "semi-final", "quarterfinal", "quarter-final", "playoff", "playoffs", "fifa", "uefa",
    "nba", "nfl",
})
#: Nouns of crowds: "protesters protested" is a demonstration, "Russia protested" a complaint.
_CROWD_NOUNS = frozenset({
    "protester", "protesters", "protestors", "demonstrators", "youths", "students", "workers",
    "people", "thousands", "hundreds", "supporters", "activists", "residents", "crowds",
    "crowd", "villagers", "farmers", "opponents", "refugees", "teachers", "doctors",
    "women", "men", "citizens", "locals", "fans", "union", "unions",
})


#: Verbs whose object names the act they bring about: "ordered patrols".
_ORDER_VERBS = frozenset({"order", "authorize", "authorise", "approve"})
#: Heads of agent phrases that make generic violence conventional military force.
_MILITARY_NOUNS = frozenset({
    "forces", "force", "troops", "troop", "army", "armies", "soldiers", "soldier", "military",
    "navy", "jets", "warplanes", "aircraft", "artillery", "tanks", "marines", "paratroopers",
    "units", "battalion", "battalions", "warships", "drones", "missiles", "airforce",
})
#: ... and those that keep it unconventional (CAMEO 18).
_IRREGULAR_FORCES = frozenset({
    "militants", "gunmen", "rebels", "guerrillas", "guerillas", "insurgents", "terrorists",
    "militiamen", "militia", "militias", "extremists", "bombers", "attackers", "jihadists",
    "mob", "mobs", "assailants", "kidnappers", "separatists", "fighters", "settlers",
})


@dataclass(slots=True)
class Event:
    """One coded act, before it becomes one or more directed stances."""

    token: Token  # head of the trigger (the outer one when composed)
    entry: LexEntry
    code: str
    weight: float
    lemma: str
    agents: list[Arg] = field(default_factory=list)
    patients: list[Arg] = field(default_factory=list)
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


@dataclass(frozen=True, slots=True)
class SpeechFrame:
    verb: Token
    subject: list[Token]


class SentenceCoder:
    """Codes the events of one sentence; cheap to build, used once."""

    def __init__(self, sent: Span, index: MentionIndex, lexicon: Lexicon,
                 lemmas: VerbLemmas) -> None:
        self.sent = sent
        self.index = index
        self.lexicon = lexicon
        self.lemmas = lemmas
        self.quotes = quote_ranges(sent)
        self.syntax = Syntax(sent, index, lemmas)
        self.frames = self._speech_frames()
        self.syntax.pronouns = self._pronoun_links()

    # -- speech ---------------------------------------------------------------

    def _speech_frames(self) -> dict[int, SpeechFrame]:
        """Speech verb governing each token of reported content (by token index)."""
        frames: dict[int, SpeechFrame] = {}
        verbs = [t for t in self.sent if t.pos_ == "VERB" and self.lemmas.lemma(t) in SPEECH_VERBS]
        for v in verbs:
            subject, _, passive = self.syntax.subject_heads(v)
            if passive:
                continue
            frame = SpeechFrame(v, subject)
            for c in v.children:
                if c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and c.i < v.i):
                    for t in c.subtree:
                        frames.setdefault(t.i, frame)  # inner frames were not set yet? see below
            if self.quotes and not in_ranges(v.i, self.quotes):
                # '"...," he said' parsed with the quote as a sibling clause: only
                # a quote that ends right before or starts right after the clause
                left = min([v.i, *(t.left_edge.i for t in subject)])
                right = max([v.i, *(t.right_edge.i for t in subject)])
                for a, b in self.quotes:
                    if 0 <= left - b <= 3 or 0 <= a - right <= 3:
                        for i in range(a, b):
                            frames.setdefault(i, frame)
        # innermost frame wins: re-assign tokens inside nested frames
        for v in sorted(verbs, key=lambda t: -len(list(t.ancestors))):
            subject, _, passive = self.syntax.subject_heads(v)
            if passive:
                continue
            frame = SpeechFrame(v, subject)
            for c in v.children:
                if c.dep_ in ("ccomp", "parataxis"):
                    for t in c.subtree:
                        if frames.get(t.i) is None or _depth(frames[t.i].verb) < _depth(v):
                            frames[t.i] = frame
        return frames

    def _pronoun_links(self) -> dict[int, list[Mention]]:
        """"we"/"our" in a quote and "it"/"its" in reported speech stand for the speaker."""
        links: dict[int, list[Mention]] = {}
        plain = Syntax(self.sent, self.index, self.lemmas)
        for t in self.sent:
            if t.pos_ != "PRON" or t.i not in self.frames:
                continue
            low = t.lower_
            first = low in FIRST_PERSON
            third = low in THIRD_PERSON and not in_ranges(t.i, self.quotes)
            if not (first or third):
                continue
            frame = self.frames[t.i]
            mentions = [m for h in frame.subject for m, _ in plain.np_mentions(h)]
            if third and not mentions:
                continue
            if mentions:
                links[t.i] = mentions
        return links

    # -- triggers ---------------------------------------------------------------

    def triggers(self) -> list[Event]:
        events = []
        for tok in self.sent:
            for entry in self.lexicon.candidates(tok):
                if self._matches(entry, tok):
                    events.append(Event(tok, entry, entry.code, entry.weight, entry.lemma,
                                        span=(tok.i, tok.i + 1)))
                    break
        return events

    def _object_words(self, v: Token) -> set[str]:
        """Head and modifier words of the object (of a noun: its ``of`` phrase)."""
        words: set[str] = set()
        if v.pos_ != "VERB":
            heads = [g for c in v.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
        else:
            heads = self.syntax.object_heads(v, self.syntax.is_passive(v))
        for h in heads:
            words.add(h.lower_)
            for c in h.children:
                if c.dep_ in ("compound", "amod", "nmod"):
                    words.add(c.lower_)
                elif c.dep_ == "prep" and c.lower_ == "of":
                    words.update(g.lower_ for g in c.children if g.dep_ == "pobj")
        return words

    def _matches(self, entry: LexEntry, tok: Token) -> bool:
        p = entry.pattern
        if p.prt is not None and not any(
                c.dep_ in ("prt", "advmod", "prep") and c.lower_ in p.prt for c in tok.children):
            return False
        if p.prep is not None and not any(
                c.dep_ in ("prep", "dative", "agent") and c.lower_ in p.prep for c in tok.children):
            return False
        if p.obj is not None and not (self._object_words(tok) & p.obj):
            return False
        if p.mod is not None and not any(
                c.dep_ in ("compound", "amod", "nmod") and c.lower_ in p.mod
                for c in tok.children):
            return False
        if p.lv is not None:
            gov = self.syntax.governor(tok)
            if gov is None or self.lemmas.lemma(gov) not in p.lv:
                return False
        return True

    # -- arguments --------------------------------------------------------------

    def _fill_verb(self, e: Event) -> None:
        v, sx = e.token, self.syntax
        heads, path, passive = sx.subject_heads(v)
        e.passive = passive
        e.agents = sx.args(heads, path, "direct")
        direct = sx.args(sx.object_heads(v, passive), 1, "direct")
        primary: list[Arg] = []
        secondary: list[Arg] = []
        locative: list[Arg] = []
        pattern_preps = e.entry.pattern.prep or frozenset()
        if e.root == "01" and e.lemma in SPEECH_VERBS:
            # a statement is *to* someone only with an addressee: "told the US", "said to X"
            direct = [a for a in direct if a.mention.head in
                      {c.i for c in v.children if c.dep_ in ("dobj", "dative")}]
            direct += sx.args([obj for prep, obj in sx.prep_objects(v) if prep == "to"], 2, "prep")
            e.patients = _dedup([a for a in direct
                                 if id(a.mention) not in {id(x.mention) for x in e.agents}])
            return
        for prep, obj in sx.prep_objects(v):
            if prep in PRIMARY_PREPS or prep in pattern_preps:
                primary += sx.args([obj], 2, "prep")
            elif prep in SECONDARY_PREPS:
                secondary += sx.args([obj], 2, "secondary")
            elif prep in LOCATIVE_PREPS:
                locative += sx.args([obj], 2, "locative")
        if not direct:  # "imposed sanctions on X" with the prep on the noun
            for h in sx.object_heads(v, passive):
                for prep, obj in sx.prep_objects(h):
                    if prep in PRIMARY_PREPS:
                        primary += sx.args([obj], 3, "prep")
        clause: list[Arg] = []
        if not (direct or primary):
            for c in v.children:
                if c.dep_ in ("ccomp",) or (c.dep_ == "xcomp" and e.root in ("01", "13", "11")):
                    clause += self._clause_args(v, c)
        e.patients = self._choose(e, direct, primary, secondary, clause, locative)

    def _clause_args(self, v: Token, clause_head: Token) -> list[Arg]:
        out = []
        seen: set[int] = set()
        for t in clause_head.subtree:
            m = self.index.at(t)
            if m is not None and id(m) not in seen and t.i == m.head:
                seen.add(id(m))
                out.append(Arg(m, path_length(v, t), "clause"))
        return out

    def _fill_noun(self, e: Event) -> None:
        n, sx = e.token, self.syntax
        heads, path, _ = sx.noun_agent_heads(n)
        e.agents = sx.args(heads, path, "direct")
        mods = [Arg(m, 1, "modifier") for m in sx.modifier_mentions(n)]
        anti = [a for a in mods if _is_anti(a.mention, n)]
        mods = [a for a in mods if a not in anti]
        of_agent = e.code.startswith(_OF_IS_AGENT_PREFIXES)
        primary: list[Arg] = list(anti)
        secondary: list[Arg] = []
        locative: list[Arg] = []
        between: list[Arg] = []
        for prep, obj in sx.prep_objects(n):
            if prep == "between" or prep == "among":
                between += sx.args([obj], 2, "prep")
            elif prep == "of" and of_agent:
                if not e.agents:
                    e.agents = sx.args([obj], 2, "direct")
            elif prep == "by":
                continue
            elif prep in PRIMARY_PREPS or prep == "of":
                primary += sx.args([obj], 2, "prep")
            elif prep in SECONDARY_PREPS:
                secondary += sx.args([obj], 2, "secondary")
            elif prep in LOCATIVE_PREPS:
                locative += sx.args([obj], 2, "locative")
        gov = sx.governor(n)
        if gov is not None and self.lemmas.lemma(gov) in _light_or_pattern(e):
            for prep, obj in sx.prep_objects(gov):
                if prep in PRIMARY_PREPS:
                    primary += sx.args([obj], 3, "prep")
                elif prep in SECONDARY_PREPS:
                    secondary += sx.args([obj], 3, "secondary")
                elif prep in LOCATIVE_PREPS:
                    locative += sx.args([obj], 3, "locative")
            if self.syntax.negated(gov):
                e.negated = True
        if not e.agents and mods:
            e.agents = mods
        elif mods:
            primary += mods
        if between and not e.agents:
            e.agents = between
            e.from_between = True
        elif between:
            primary += between
        e.patients = self._choose(e, [], primary, secondary, [], locative)

    def _choose(self, e: Event, direct: list[Arg], primary: list[Arg], secondary: list[Arg],
                clause: list[Arg], locative: list[Arg]) -> list[Arg]:
        agent_ids = {id(a.mention) for a in e.agents}
        place_ok = e.root in _PLACE_TARGET_ROOTS or e.code in _PLACE_TARGET_CODES
        for group in (direct, primary, secondary, clause, locative if place_ok else []):
            kept = [a for a in group if id(a.mention) not in agent_ids]
            if kept:
                return _dedup(kept)
        return []

    # -- modality -----------------------------------------------------------------

    def _modality(self, e: Event) -> None:
        sx = self.syntax
        tok = e.token
        verb = tok if tok.pos_ == "VERB" else sx.governor(tok)
        if sx.negated(tok):
            e.negated = True
        if verb is None:
            if any(c.lower_ in ("possible", "potential", "planned", "proposed", "threatened")
                   for c in tok.children if c.dep_ == "amod"):
                e.hypothetical = True
            return
        chain = [verb]
        t = verb
        while t.dep_ in ("xcomp", "acl", "acomp") and t.head.i != t.i and len(chain) < 6:
            t = t.head  # "must be ready to mediate": ready -> be
            chain.append(t)
        for k, v in enumerate(chain):
            if k > 0 and v.i in self._trigger_ids:
                break  # the trigger above composes with this one
            low = self.lemmas.lemma(v) if v.pos_ == "VERB" else v.lower_
            if k > 0:
                if low in NEGATING_CONTROL:
                    e.negated = True
                elif low in INTENT_CONTROL:
                    e.future = True
                elif low in HYPOTHETICAL_CONTROL:
                    e.hypothetical = True
            if k > 0 and sx.negated(v):
                e.negated = True
            for c in v.children:
                if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD":
                    m = c.lower_
                    if m in FUTURE_MODALS:
                        e.future = True
                    elif m in OBLIGATION_MODALS:
                        e.obligation = m
                    elif m == "would" and (e.reported or e.in_quote):
                        e.future = True
                    elif m in HYPOTHETICAL_MODALS:
                        e.hypothetical = True
                if c.lower_ == "going" and c.dep_ == "aux":
                    e.future = True
            if v.dep_ == "xcomp" and v.head.lower_ == "going":
                e.future = True
            if v.pos_ == "ADJ" and v.lower_ in INTENT_CONTROL:
                e.future = True
        if sx.in_conditional(verb):
            e.hypothetical = True

    # -- speech attribution ---------------------------------------------------------

    def _attribute(self, e: Event) -> None:
        frame = self.frames.get(e.token.i)
        e.in_quote = in_ranges(e.token.i, self.quotes)
        if frame is None or frame.verb.i == e.token.i:
            return
        e.reported = True
        e.speaker = frame.subject[0] if frame.subject else None
        e.speaker_args = self.syntax.args(frame.subject, 1, "direct")
        if not e.agents and e.in_quote and e.speaker_args:
            e.agents = [replace(a, path=a.path + 2) for a in e.speaker_args]

    # -- composition ------------------------------------------------------------------

    def _complements(self, e: Event, by_token: dict[int, Event]) -> list[Event]:
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
                elif dep in ("prep",) and c.lower_ in ("for", "of", "to", "with", "on", "into",
                                                       "against", "about"):
                    candidates += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        else:
            for c in tok.children:
                if c.dep_ in ("acl", "relcl") and any(g.dep_ == "aux" and g.lower_ == "to"
                                                       for g in c.children):
                    candidates.append(c)
                elif c.dep_ == "prep" and c.lower_ in ("for", "of", "to", "on"):
                    candidates += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        for c in candidates:
            found = by_token.get(c.i)
            hops = 0
            while found is None and hops < 2 and c.pos_ == "VERB":
                # "urged X to try to ...", "promised to continue military aid"
                nxt = [g for g in c.children if g.dep_ == "xcomp"] or [
                    g for g in c.children if g.dep_ == "dobj" and g.i in by_token]
                if not nxt:
                    break
                c = nxt[0]
                found = by_token.get(c.i)
                hops += 1
            if found is not None and found is not e and not found.consumed:
                out.append(found)
        return out

    def _compose(self, events: list[Event]) -> list[Event]:
        by_token = {e.token.i: e for e in events}
        result: dict[int, Event] = {id(e): e for e in events}
        # innermost first, so chains fold from the inside out
        for e in sorted(events, key=lambda ev: -_depth(ev.token)):
            outer = result[id(e)]
            for inner in self._complements(outer, by_token):
                inner = by_token.get(inner.token.i, inner)
                merged = self._merge(outer, inner)
                if merged is not None:
                    outer = merged
            result[id(e)] = outer
            by_token[e.token.i] = outer
        return [ev for ev in result.values() if not ev.consumed]

    def _merge(self, outer: Event, inner: Event) -> Event | None:
        """``outer`` with ``inner`` folded in, or ``None`` when they stay separate."""
        lemma = outer.lemma
        words = frozenset(t.lower_ for t in inner.token.subtree)
        if outer.root == "13" and inner.token.dep_ == "pcomp" and \
                inner.token.head.lower_ in ("against", "of", "about"):
            inner.consumed = True  # "warned Russia against invading": the act warned of
            return outer
        if lemma in ("refuse", "decline") and inner.root in coding.HOSTILE_ROOTS:
            inner.negated = True  # refusing to attack: the attack did not happen
            outer.consumed = True
            return inner
        code: str | None = None
        if lemma in _ORDER_VERBS and inner.token.pos_ in ("NOUN", "PROPN"):
            inner.agents = inner.agents or outer.agents
            inner.span = _span_union(outer, inner)
            outer.consumed = True
            return inner  # "ordered patrols": the ordered act is the event
        if lemma in TERMINATIVE or (lemma in ("call", "break") and _has_particle(outer.token, "off")):
            code = coding.terminate(inner.code)
        if code is None and outer.root == "02" and inner.root in coding.HOSTILE_ROOTS and \
                not any(c.dep_ in ("dobj", "dative") for c in outer.token.children) and \
                not any(a.kind == "direct" for a in outer.patients):
            code = "113"  # "called for sanctions against X": rallying opposition to X
        if code is None and outer.root in COMPOSING_ROOTS | {"01", "11"}:
            code = coding.compose(outer.code, inner.code, lemma, words)
        if code is None:
            if outer.root in ("05", "11", "12") and inner.token.pos_ in ("NOUN", "PROPN"):
                # "condemned the US attack": the target is the attacker
                if not outer.patients or all(a.kind != "direct" for a in outer.patients):
                    pass
                redirect = [a for a in inner.agents if id(a.mention) not in
                            {id(x.mention) for x in outer.agents}]
                if redirect:
                    outer.patients = [replace(a, path=a.path + 1, kind="direct") for a in redirect]
                elif not outer.patients and inner.patients:
                    outer.patients = [replace(a, path=a.path + 1) for a in inner.patients]
                inner.factors["nested"] = 0.8
            return None
        merged = Event(
            token=outer.token, entry=outer.entry, code=code,
            weight=math.sqrt(outer.weight * inner.weight), lemma=outer.lemma,
            # an appeal or demand by nobody we know is nobody's: the controller of
            # the inner act is its addressee, not its author
            agents=outer.agents or (inner.agents if outer.root not in ("02", "10") else []),
            patients=self._composed_patients(outer, inner),
            passive=outer.passive, negated=outer.negated, hypothetical=outer.hypothetical,
            future=outer.future if outer.root not in COMPOSING_ROOTS else False,
            obligation=outer.obligation, composed=True, reported=outer.reported,
            span=_span_union(outer, inner), speaker=outer.speaker,
            speaker_args=outer.speaker_args, in_quote=outer.in_quote,
        )
        merged.factors.update(outer.factors)
        inner.consumed = True
        return merged

    @staticmethod
    def _composed_patients(outer: Event, inner: Event) -> list[Arg]:
        source_ids = {id(a.mention) for a in (outer.agents or inner.agents)}
        if outer.root in ("02", "10") and not outer.agents:
            source_ids = set()

        def usable(args: list[Arg]) -> list[Arg]:
            return [a for a in args if id(a.mention) not in source_ids]

        if outer.root in ("02", "10"):
            order = [[a for a in outer.patients if a.kind in ("direct", "prep")],
                     inner.agents, inner.patients, outer.patients]
        elif outer.root == "12" and inner.root in ("02", "10", "03"):
            order = [inner.agents, inner.patients, outer.patients]  # rejecting X's request
        else:
            order = [inner.patients, [a for a in outer.patients if a.kind != "clause"],
                     outer.patients, inner.agents]
        for group in order:
            kept = usable(group)
            if kept:
                return kept
        return []

    # -- the pass ------------------------------------------------------------------------

    def code(self) -> list[Event]:
        events = self.triggers()
        if not events:
            return []
        self._trigger_ids = {e.token.i for e in events}
        for e in events:
            if e.token.pos_ == "VERB":
                self._fill_verb(e)
            else:
                self._fill_noun(e)
            self._attribute(e)
            self._modality(e)
        self._subsume_objects(events)
        events = self._compose([e for e in events if not e.consumed])
        out: list[Event] = []
        for e in events:
            self._strike(e)
            self._terminated(e)
            e = self._obligation(e)
            self._intent(e)
            self._protest(e)
            self._accusation(e)
            self._denial(e)
            self._violence(e)
            self._joint(e)
            out.append(e)
        return out

    def code_all(self) -> list[Event]:
        """Lexicon events plus obligations stated without an event word."""
        events = self.code()
        covered = {t.i for e in events if not e.is_speech for t in e.token.subtree}
        return events + [e for e in self._bare_obligations()
                         if not any(a.mention.head in covered for a in e.patients)]

    def _bare_obligations(self) -> list[Event]:
        """"X declared that Y must drop barriers": a demand (100), "should" an appeal (020)."""
        out: list[Event] = []
        for t in self.sent:
            if t.pos_ not in ("VERB", "AUX") or t.dep_ != "ccomp":
                continue
            modal = next((c.lower_ for c in t.children if c.dep_ == "aux" and c.tag_ == "MD"
                          and c.lower_ in OBLIGATION_MODALS), None)
            head = t.head
            if modal is None or self.lemmas.lemma(head) not in SPEECH_VERBS:
                continue
            if self.syntax.negated(t):
                continue
            speaker_heads, path, passive = self.syntax.subject_heads(head)
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            speakers = self.syntax.args(speaker_heads, path, "direct")
            addressees = [a for a in self.syntax.args(subj, 2, "clause")
                          if id(a.mention) not in {id(x.mention) for x in speakers}]
            if passive or not speakers or not addressees:
                continue
            code = "100" if modal == "must" else "020"
            entry = LexEntry(self.lemmas.lemma(head), "V", Pattern(), code, 0.6)
            e = Event(head, entry, code, 0.6, entry.lemma, agents=speakers,
                      patients=addressees, composed=True, span=(head.i, head.i + 1))
            e.in_quote = in_ranges(t.i, self.quotes)
            out.append(e)
        return out

    def _terminated(self, e: Event) -> None:
        """"halted the offensive" de-escalates (087), "suspended aid" cuts aid (162)."""
        if e.token.pos_ not in ("NOUN", "PROPN") or e.composed:
            return
        gov = self.syntax.governor(e.token)
        if gov is None or gov.i in self._trigger_ids:
            return
        lemma = self.lemmas.lemma(gov)
        if lemma in TERMINATIVE or (lemma in ("call", "break") and _has_particle(gov, "off")):
            code = coding.terminate(e.code)
            if code is not None:
                e.code = code
                e.composed = True
                e.span = (min(e.span[0], gov.i), max(e.span[1], gov.i + 1))

    def _strike(self, e: Event) -> None:
        """A "strike" that nobody aims at anyone is a labour strike (143)."""
        if e.lemma != "strike" or e.token.pos_ not in ("NOUN", "PROPN") or e.code != "190":
            return
        aimed = any(p in ("on", "against", "at") for p, _ in self.syntax.prep_objects(e.token))
        gov = self.syntax.governor(e.token)
        labour_verbs = {"stage", "hold", "call", "begin", "end", "go", "organize", "organise",
                        "continue", "announce", "launch"}
        mods = {c.lower_ for c in e.token.children if c.dep_ in ("amod", "compound", "nummod")}
        if not aimed and (mods & {"day", "week", "national", "nationwide", "indefinite", "-"}
                          or (gov is not None and self.lemmas.lemma(gov) in labour_verbs)):
            e.code = "143"

    @staticmethod
    def _joint(e: Event) -> None:
        """Exercises held together by forces of different states are joint (062)."""
        if e.code != "150":
            return
        countries = {a.mention.actor.country for a in e.agents if a.mention.actor.country}
        if len(countries) >= 2:
            e.code = "062"

    def _subsume_objects(self, events: list[Event]) -> None:
        """One event per phrase: "sent aid" is the verb's 070, not also the noun's.

        A verb matched through an object pattern owns its object noun; a
        light verb lends its span to the noun event ("imposed sanctions").
        """
        by_token = {e.token.i: e for e in events}
        for e in events:
            tok = e.token
            if tok.pos_ == "VERB" and e.entry.pattern.obj is not None:
                for h in self.syntax.object_heads(tok, e.passive):
                    noun = by_token.get(h.i)
                    if noun is not None and noun is not e:
                        noun.consumed = True
                        if not e.patients and noun.patients:
                            e.patients = noun.patients
                    if 0 < h.i - tok.i <= 4:  # "cut ties", "expelled 23 diplomats"
                        e.span = (min(e.span[0], h.i), max(e.span[1], h.i + 1))
            elif tok.pos_ in ("NOUN", "PROPN"):
                gov = self.syntax.governor(tok)
                if gov is not None and gov.i not in by_token and 0 < tok.i - gov.i <= 4:
                    e.span = (gov.i, tok.i + 1)
                for c in tok.children:  # "air strike", "hunger strike": modifier in the span
                    if c.dep_ in ("compound", "amod") and c.i == e.span[0] - 1 and \
                            e.entry.pattern.mod is not None and c.lower_ in e.entry.pattern.mod:
                        e.span = (c.i, e.span[1])

    @staticmethod
    def _denial(e: Event) -> None:
        """"denied that its army crossed": denying a claim is 016, not rejecting."""
        if e.lemma == "deny" and e.code == "120" and any(
                c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and c.tag_ == "VBG")
                for c in e.token.children):
            e.code = "016"

    def _accusation(self, e: Event) -> None:
        """"accused X of espionage" is 1125: the charge picks the sub-code."""
        if e.code != "112" or e.composed:
            return
        words = frozenset(t.lower_ for c in e.token.children
                          if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")
                          for t in c.subtree)
        if words:
            e.code = coding.accuse(e.code, words)

    def _violence(self, e: Event) -> None:
        self._peacekeeping(e)
        self._generic_violence(e)

    def _peacekeeping(self, e: Event) -> None:
        """Peacekeepers arriving or deployed somewhere: provide peacekeeping (074)."""
        if e.root not in ("04", "15") or e.token.pos_ != "VERB":
            return
        heads, _, _ = self.syntax.subject_heads(e.token)
        words = {t.lower_ for h in heads for t in h.subtree}
        if words & {"peacekeepers", "peacekeeping", "peace-keeping", "peacekeeper"}:
            e.code = "074"

    def _generic_violence(self, e: Event) -> None:
        """Generic violence ("attacked", "killed") by armed forces of a state is 190.

        CAMEO keeps conventional military force (19) apart from the
        unconventional violence of militants, gunmen and mobs (18).
        """
        if e.code != "18" or not e.agents:
            return
        heads: list[Token]
        if e.token.pos_ == "VERB":
            heads, _, _ = self.syntax.subject_heads(e.token)
        else:
            heads, _, _ = self.syntax.noun_agent_heads(e.token)
            heads = heads or [e.token]
        words = {h.lower_ for h in heads} | {
            c.lower_ for h in heads for c in h.children if c.dep_ in ("compound", "amod")}
        roles = {a.mention.actor.role for a in e.agents}
        if words & _IRREGULAR_FORCES or roles & {"REB", "INS", "UAF", "CRM", "RAD"}:
            return
        if e.lemma in ("attack", "assault") and not words & _MILITARY_NOUNS and \
                all(a.mention.entity.label == "PERSON" for a in e.agents):
            e.code = "111"  # a politician "attacking" a rival attacks in words
            return
        state_actor = all(a.mention.actor.country is not None for a in e.agents)
        if words & _MILITARY_NOUNS or roles & {"MIL"} or (
                state_actor and any(self.index.at(h) is not None for h in heads)):
            e.code = "190"

    _trigger_ids: set[int] = set()

    def _obligation(self, e: Event) -> Event:
        """"X said Y must withdraw": X demands (must) or appeals (should) of Y.

        The one imposing the obligation is the speaker, or else the actor of
        the nearest governing clause ("issued a reminder that it must ...").
        """
        if e.obligation is None or e.negated or e.token.pos_ != "VERB":
            return e
        demander = e.speaker_args if e.reported else []
        if not demander:
            demander = self._governing_actor(e.token)
        if not demander:
            return e
        demander_ids = {id(a.mention) for a in demander}
        addressees = [a for a in e.agents if id(a.mention) not in demander_ids]
        if not addressees and e.agents:
            return e  # "we must ...": a resolution, not a demand
        code = coding.demand(e.code) if e.obligation == "must" else coding.appeal(e.code)
        return replace(e, code=code, agents=list(demander), patients=addressees,
                       composed=True, obligation=None, factors=dict(e.factors))

    def _governing_actor(self, tok: Token) -> list[Arg]:
        """Actor mentions of the subject of the nearest clause above ``tok``'s own."""
        own = {id(a.mention) for a in self.syntax.args(self.syntax.subject_heads(tok)[0], 1, "direct")}
        t = tok
        for _ in range(6):
            if t.head.i == t.i:
                return []
            t = t.head
            if t.pos_ not in ("VERB", "AUX"):
                continue
            heads, path, passive = self.syntax.subject_heads(t)
            if passive:
                continue
            found = [a for a in self.syntax.args(heads, path, "direct") if id(a.mention) not in own]
            if found:
                return found
        return []

    @staticmethod
    def _intent(e: Event) -> None:
        """A stated future act is an expression of intent (03) or a threat (13)."""
        if not e.future or e.negated or e.composed or e.root in ("01", "02", "03", "10", "12", "13"):
            return
        if e.root in ("09", "11"):
            e.hypothetical = True
            return
        e.code = coding.intent(e.code)
        e.composed = True

    def _protest(self, e: Event) -> None:
        """A government "protesting" complains (114); crowds demonstrate (141)."""
        if e.code != "141" or e.token.pos_ != "VERB" or not e.agents:
            return
        heads, _, _ = self.syntax.subject_heads(e.token)
        if heads and not any(h.lower_ in _CROWD_NOUNS for h in heads):
            e.code = "114"


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def _dedup(args: Sequence[Arg]) -> list[Arg]:
    best: dict[int, Arg] = {}
    for a in args:
        key = id(a.mention)
        if key not in best or best[key].path > a.path:
            best[key] = a
    return sorted(best.values(), key=lambda a: a.mention.start)


def _is_anti(m: Mention, n: Token) -> bool:
    """"anti-US protests": the modifier is the target, not the actor."""
    doc = n.doc
    k = m.start - 1
    while k >= 0 and doc[k].text in ("-",):
        k -= 1
    return k >= 0 and doc[k].lower_ in ("anti", "anti-")


def _has_particle(tok: Token, word: str) -> bool:
    return any(c.dep_ in ("prt", "advmod") and c.lower_ == word for c in tok.children)


def _light_or_pattern(e: Event) -> frozenset[str]:
    from streams.nlp.stance.syntax import LIGHT_VERBS
    return LIGHT_VERBS | (e.entry.pattern.lv or frozenset())


def _span_union(outer: Event, inner: Event) -> tuple[int, int]:
    a = min(outer.span[0], inner.span[0])
    b = max(outer.span[1], inner.span[1])
    if b - a > 6:  # far apart: the outer trigger alone explains the code
        return outer.span
    return (a, b)


def in_sports_context(sent: Span) -> bool:
    low = sent.text.lower()
    return any(w in low for w in (" world cup", "grand prix")) or any(
        t.lower_ in SPORTS_WORDS for t in sent)
