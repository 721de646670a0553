"""Dependency-parse helpers: who is the source, who the target, and how sure.

Everything here reads spaCy's ClearNLP-style labels (``nsubj``, ``nsubjpass``,
``agent``, ``dobj``, ``xcomp`` ...) as produced by ``en_core_web_sm``.  The
functions are small and pure so each rule can be tested on one sentence.

``agent`` there is spaCy's label of the passive ``by`` phrase and is read as
is; this package's own names call the one who acts the *source* and the one
acted on the *target* (see :mod:`streams.nlp.stance.events`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

from streams.nlp.evidence import SETTLEMENT_NOUNS
from streams.nlp.stance.lexicon import VerbLemmas
from streams.nlp.stance.mentions import Mention, MentionIndex
from streams.nlp.stance.words import (
    BARE_INFINITIVE_HOSTS,
    GROUP_NOUNS,
    INTRANSITIVE_PAST,
    LIGHT_PREP_VERBS,
    LIGHT_VERBS,
    MEASURE_NOUNS,
    NP_PREPS,
    OBJECT_CONTROL,
    PRIMARY_PREPS,
    QUOTE_CHARS,
    RELATIVE,
    SMALL_CLAUSE_NOUNS,
    TERMINATIVE,
    THIRD_PERSON,
    TOPIC_PREPS,
)

#: Prepositions of time and cause: their object is when or why, never the light verb's act.
_CIRCUMSTANCE_PREPS = frozenset({"after", "before", "during", "since", "until", "following", "amid",
                                 "despite", "because", "over", "throughout"})

Kind = Literal["direct", "prep", "secondary", "clause", "locative", "modifier", "implicit"]


@dataclass(frozen=True, slots=True)
class Arg:
    """An argument of an event: the mention and how far it sits from the trigger."""

    mention: Mention
    path: int  # dependency edges from the trigger
    kind: Kind = "direct"


class Syntax:
    """Parse helpers bound to one sentence's mentions and pronoun links."""

    def __init__(self, sent: Span, index: MentionIndex, lemmas: VerbLemmas,
                 pronouns: Mapping[int, Sequence[Mention]] | None = None) -> None:
        self.sent = sent
        self.index = index
        self.lemmas = lemmas
        self.pronouns: Mapping[int, Sequence[Mention]] = pronouns or {}

    # -- noun phrases -------------------------------------------------------

    def np_mentions(self, head: Token, base: int = 0, max_depth: int = 4,
                    places: bool = False) -> list[tuple[Mention, int]]:
        """Mentions a noun phrase stands for, nearest to its head first.

        "Russia's Deputy Foreign Minister Sergei Ryabkov" stands for the
        person when the person resolved, else for Russia; coordinated
        mentions ("Russia and China") are all returned.
        """
        found: dict[int, tuple[Mention, int]] = {}
        stack: list[tuple[Token, int]] = [(head, 0)]
        seen: set[int] = set()
        while stack:
            tok, depth = stack.pop()
            if tok.i in seen or depth > max_depth:
                continue
            seen.add(tok.i)
            mention = self.index.at(tok, places)
            if mention is not None:
                key = id(mention)
                if key not in found or found[key][1] > depth:
                    found[key] = (mention, depth)
                tok_children: Iterable[Token] = (
                    c for c in tok.doc[mention.head].children
                    if c.dep_ in ("conj", "appos") and not mention.start <= c.i < mention.end)
                for child in tok_children:
                    stack.append((child, depth))
                continue
            if tok.i in self.pronouns:
                for m in self.pronouns[tok.i]:
                    if id(m) not in found:
                        found[id(m)] = (m, depth)
                continue
            for child in tok.children:
                dep = child.dep_
                if dep in ("conj", "appos"):
                    stack.append((child, depth))
                elif dep in ("compound", "amod", "poss", "nmod", "npadvmod"):
                    stack.append((child, depth + 1))
                elif dep == "prep" and (child.lower_ in NP_PREPS or (
                        child.lower_ == "in" and tok.lower_ in GROUP_NOUNS)):
                    stack.extend((g, depth + 1) for g in child.children if g.dep_ == "pobj")
        if not found:
            return []
        best = min(d for _, d in found.values())
        # keep the nearest layer (coordination shares its depth)
        return sorted(((m, d + base) for m, d in found.values() if d == best),
                      key=lambda md: md[0].start)

    def args(self, heads: Iterable[Token], base: int, kind: Kind, *,
             pointers: bool = False, located: bool = False) -> list[Arg]:
        """Argument mentions of the phrases headed by ``heads``.

        A phrase without an actor may still point at one through a target
        preposition of its own: "restore ties *with Gondor*", "a resumption
        of ties *with Osgiliath*" (one level, one more edge).  With
        ``pointers`` (targets only), also through its topic or a participle
        clause (:meth:`pointed_mentions`); with ``located`` (material acts),
        also through where it is.
        """
        out: list[Arg] = []
        for h in heads:
            # a material act done to a place names it as its object: "shelled Kherson"
            found = self.np_mentions(h, base, places=kind == "locative" or (located and kind == "direct"))
            if not found and h.pos_ in ("NOUN", "PROPN"):
                for prep, obj in self.prep_objects(h):
                    if prep in PRIMARY_PREPS:
                        found += self.np_mentions(obj, base + 2)
                    elif prep == "of":
                        for prep2, obj2 in self.prep_objects(obj):
                            if prep2 in PRIMARY_PREPS:
                                found += self.np_mentions(obj2, base + 4)
                if not found and pointers:
                    found += self.pointed_mentions(h, base, located)
            out.extend(Arg(m, d, kind) for m, d in found)
        return out

    def pointed_mentions(self, h: Token, base: int, located: bool = False) -> list[tuple[Mention, int]]:
        """Actors a thing without one points at: its topic or its participle clause.

        "welcomed reports *about Bree*" (what the act is aimed at is who the
        thing is about), "welcomed memos *sent by Bree*" and "demanded an
        admission *by Moscow*" (its author), "cordoned off the roads *leading
        into Mordor*" (where it leads) and, with ``located`` (material acts),
        "sent inspectors to sites *in Iran*" (where it is; "condemned the
        bombing *in Manchester*" is not aimed at Britain).
        Only for targets: the subject of "troops sent to Mali attacked ..."
        is not Mali.
        """
        found: list[tuple[Mention, int]] = []
        for prep, obj in self.prep_objects(h):
            if prep in TOPIC_PREPS or prep == "by":
                found += self.np_mentions(obj, base + 2)
            elif located and (prep in ("in", "inside")  # "sent inspectors to sites *in Iran*"
                              or (prep == "of" and h.lower_ in SETTLEMENT_NOUNS)):  # "the city *of Kherson*"
                found += self.np_mentions(obj, base + 2, places=True)
        for c in h.children:
            if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN"):
                for g in c.children:
                    if g.dep_ == "agent" or (g.dep_ == "prep" and g.lower_ in PRIMARY_PREPS):
                        found += [md for p in g.children if p.dep_ == "pobj"
                                  for md in self.np_mentions(p, base + 3, places=located)]
        return found

    # -- verbs --------------------------------------------------------------

    def lemma(self, token: Token) -> str:
        return self.lemmas.lemma(token)

    @staticmethod
    def is_passive(v: Token) -> bool:
        if v.dep_ == "acl" and v.tag_ == "VBN":
            if v.lower_ in INTRANSITIVE_PAST and not any(c.dep_ == "agent" for c in v.children):
                return False  # "youths *clashed* with soldiers" has no passive reading
            # "Turkey, which has long disputed ..., *threatened* on Friday to ...": with the
            # subject parsed as the sentence's root, the main verb hangs on it as a participle
            # ("Journalists detained in Iran", with no comma, is the passive it looks)
            return not (v.head.dep_ == "ROOT" and v.head.pos_ in ("NOUN", "PROPN")
                        and v.i > v.head.i and v.doc[v.i - 1].text == ","
                        and not any(c.dep_ == "agent" for c in v.children))
        # "were tear-gassed and *beaten by* the Guard": a participle with a by-phrase of its own
        return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") or (
            c.dep_ == "agent" and v.tag_ == "VBN") for c in v.children)

    def source_heads(self, tok: Token) -> list[Token]:
        """Heads of the source phrase of a trigger: a verb's subject, an event noun's source."""
        if tok.pos_ == "VERB":
            return self.subject_heads(tok)[0]
        return self.noun_source_heads(tok)[0]

    def subject_heads(self, v: Token, depth: int = 0) -> tuple[list[Token], int, bool]:
        """Heads of the source phrase (who acts) of verb ``v``, the path length, and passive voice.

        Follows control ("urged X to ...", "threatened to ..."), coordination
        ("condemned and expelled"), relative clauses and participles.
        """
        if depth > 4:
            return [], 0, False
        passive = self.is_passive(v)
        if passive:
            by_phrase = [g for c in v.children if c.dep_ == "agent"  # spaCy's label of "by X"
                         for g in c.children if g.dep_ == "pobj"]
            if v.dep_ == "conj" and not by_phrase and self.is_passive(v.head):
                return self.subject_heads(v.head, depth + 1)
            return by_phrase, 2, True
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            if v.dep_ == "relcl" and subjects[0].lower_ in RELATIVE:
                return [v.head], 1, False
            return subjects, 1, False
        dep, head = v.dep_, v.head
        if dep == "conj" and head.pos_ in ("VERB", "AUX") and head.i != v.i:
            # "X was indicted by the court and will resign": the shared subject is X,
            # not the first verb's agent
            patients = [c for c in head.children if c.dep_ == "nsubjpass"]
            # ("were tear-gassed and *beaten* by X": a participle shares the passive too)
            if patients and self.is_passive(head) and v.tag_ != "VBN":
                return patients, 2, False
            heads, path, _ = self.subject_heads(head, depth + 1)
            return heads, path + 1, False
        if dep == "xcomp" and head.i != v.i:
            return self.controller(head, depth + 1)
        if dep == "advcl" and head.i != v.i and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            # a purpose infinitive: "sent monitors to Bosnia *to investigate* ..." -- the
            # main clause's subject acts
            target = head if head.pos_ in ("VERB", "AUX") else head.head
            heads, path, _ = self.subject_heads(target, depth + 1)
            return heads, path + 1, False
        if dep in ("advcl", "pcomp") and v.tag_ == "VBG" and head.i != v.i:
            target = head if head.pos_ in ("VERB", "AUX") else head.head
            heads, path, _ = self.subject_heads(target, depth + 1)
            return heads, path + 1, False
        if dep in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [head], 1, False
        return [], 0, False

    def controller(self, h: Token, depth: int) -> tuple[list[Token], int, bool]:
        """Who performs the act controlled by ``h`` (the head of an xcomp)."""
        if h.pos_ in ("VERB", "AUX"):
            objects = [c for c in h.children if c.dep_ in ("dobj", "dative")]
            if objects and self.lemma(h) in OBJECT_CONTROL:
                return objects, 2, False
            if self.lemma(h) in OBJECT_CONTROL:
                pobjs = [g for c in h.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                         for g in c.children if g.dep_ == "pobj"]
                if pobjs:
                    return pobjs, 3, False
            heads, path, passive = self.subject_heads(h, depth)
            if passive:  # "X was urged to ..." : the passive subject acts
                subj = [c for c in h.children if c.dep_ == "nsubjpass"]
                return subj, 2, False
            return heads, path + 1, False
        if h.pos_ == "ADJ" and h.head.i != h.i:  # "is ready to talk"
            heads, path, _ = self.subject_heads(h.head, depth)
            return heads, path + 1, False
        if h.pos_ in ("NOUN", "PROPN"):
            return self.noun_source_heads(h)
        return [], 0, False

    @staticmethod
    def object_heads(v: Token, passive: bool) -> list[Token]:
        heads = [c for c in v.children if c.dep_ in ("dobj", "dative", "oprd")]
        # "found X guilty", "declared X a threat": a small clause (no copula, no marker) stands
        # for the object, and its subject is whom the act is done to
        for c in v.children:
            # "allowed European Union monitors to patrol": only a noun takes a compound, so a
            # clause "verb" that has one is the object mis-tagged
            # ("took hundreds *hostage*": a noun that is never a verb, whatever its tag)
            nominal = c.pos_ == "NOUN" or c.lower_ in SMALL_CLAUSE_NOUNS or (
                c.pos_ == "VERB" and any(g.dep_ == "compound" for g in c.children))
            if c.dep_ in ("ccomp", "xcomp") and (nominal or c.pos_ == "ADJ") and not any(
                    g.dep_ in ("aux", "auxpass", "cop", "mark", "nsubjpass") for g in c.children):
                subjects = [g for g in c.children if g.dep_ == "nsubj"]
                # "found the French academic guilty" may parse as one noun phrase headed by the
                # adjective; "allowed EU monitors to patrol" leaves the object a bare clause noun
                if subjects or nominal or any(g.dep_ == "det" for g in c.children):
                    heads += [c, *subjects]
            # "allowed inspectors to visit" parsed with the object as the subject of the
            # infinitive: an infinitival clause with a subject of its own is the verb's object
            # (after "let", "make" and "help" the infinitive is bare: "let inspectors into ...")
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and (any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in c.children) or (
                    v.lower_ in BARE_INFINITIVE_HOSTS and not any(
                        g.dep_ in ("aux", "mark") for g in c.children))):
                heads += [g for g in c.children if g.dep_ == "nsubj"]
        if passive:
            heads += [c for c in v.children if c.dep_ == "nsubjpass"]
            if v.dep_ == "acl" and v.tag_ == "VBN":
                heads.append(v.head)
        return heads

    @staticmethod
    def prep_objects(tok: Token) -> Iterator[tuple[str, Token]]:
        """(preposition, object) pairs attached to ``tok``.

        A preposition left without an object is repaired when the parser made
        its object the subject of a reduced clause right after it ("granted
        asylum to *officers* holed up in ...": "officers" parsed as the
        subject of "holed"), a common error on long news sentences.
        """
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.pos_ == "ADP":
                objects = [g for g in c.children if g.dep_ == "pobj"]
                if not objects and c.i + 1 < len(c.doc):
                    objects = _dangling_object(c)
                for g in objects:
                    yield c.lower_, g

    # -- nouns --------------------------------------------------------------

    def governor(self, n: Token) -> Token | None:
        """The verb whose object (or subject complement) the event noun is."""
        if n.dep_ in ("dobj", "attr", "oprd", "nsubjpass") and n.head.pos_ in ("VERB", "AUX"):
            return n.head
        if n.dep_ == "conj":  # "imposed sanctions and travel bans"
            h = n.head
            if h.dep_ in ("dobj", "attr", "nsubjpass") and h.head.pos_ in ("VERB", "AUX"):
                return h.head
        if n.dep_ == "pobj" and n.head.head.pos_ == "VERB" and n.head.lower_ not in _CIRCUMSTANCE_PREPS:
            verb = n.head.head  # "went *on* strike", "remained *on* alert" (not "*after* the strike")
            if self.lemma(verb) in LIGHT_PREP_VERBS:
                return verb
        if n.dep_ == "compound" and n.head.i != n.i:  # "mediation mission", "peace talks"
            return self.governor(n.head)
        if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lower_ in MEASURE_NOUNS:
            return self.governor(n.head.head)  # "launched ten days *of war games*"
        for c in n.children:  # "the accord *reached* by Khartoum and the SPLA"
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.i == n.i + 1:
                return c
        return None

    def noun_source_heads(self, n: Token, light: frozenset[str] = frozenset(),
                          said: bool = False) -> tuple[list[Token], int, bool]:
        """Source of an event noun: possessor, ``by`` phrase, or the light verb's subject.

        ``light`` adds the verbs a lexicon row names as the noun's own ("*set* fire to").
        With ``said`` (the noun names words: an appeal, a demand, criticism, a protest),
        its ``from`` phrase is its author too: "responding to an appeal *from Nicaragua*",
        "met with disapproval *from France*" -- not whoever responds to or meets it.
        """
        poss = [c for c in n.children if c.dep_ == "poss"]
        if poss and not all(p.pos_ == "PRON" and p.i not in self.pronouns for p in poss):
            return poss, 1, False
        # "held *their* first meeting": an unlinked possessive pronoun is the subject's own
        by = [g for c in n.children if c.dep_ == "prep" and (c.lower_ == "by" or (
              said and c.lower_ == "from")) for g in c.children if g.dep_ == "pobj"]
        if by:
            return by, 2, False
        gov = self.governor(n)
        if gov is not None:
            lemma = self.lemma(gov)
            # "held talks", "suspended its cooperation", and "entered into / participated in
            # talks" (governed through the preposition of a light verb, see :meth:`governor`)
            if lemma in LIGHT_VERBS or lemma in LIGHT_PREP_VERBS or lemma in TERMINATIVE \
                    or lemma in light or lemma == "be" or n.dep_ == "attr":
                heads, path, passive = self.subject_heads(gov)
                if passive and n.dep_ == "nsubjpass":
                    return heads, path + 1, False
                if not passive:
                    return heads, path + 1, False
                if n.dep_ == "pobj" and lemma in LIGHT_PREP_VERBS:
                    # "were engaged / involved in ethnic cleansing": a state, its subject acts
                    return [c for c in gov.children if c.dep_ == "nsubjpass"], 2, False
        if poss and poss[0].lower_ in THIRD_PERSON:
            antecedent = self.possessive_antecedent(n)
            if antecedent:
                return antecedent, 2, False
        return [], 0, False

    def possessive_antecedent(self, n: Token) -> list[Token]:
        """Whom "its/their" on an event noun stands for: an actor of the noun's own clause.

        "Gondor and Osgiliath downplayed *their* meeting", "Osgiliath could be
        drawn into the process by *its* resumption of ties": the clause's
        subject (active or passive), unless an actor object stands between
        them ("condemned Israel for *its* strikes" is Israel's).  A light
        verb's subject is found by :meth:`noun_source_heads` already.
        """
        v = clause_head(n)
        if v.pos_ not in ("VERB", "AUX"):
            return []
        objects = [c for c in v.children if c.dep_ in ("dobj", "dative") and c.i < n.i
                   and self.np_mentions(c)]
        if objects:
            return objects
        return [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")
                and c.lower_ not in RELATIVE and self.np_mentions(c)]

    def modifier_mentions(self, n: Token) -> list[Mention]:
        """Actor mentions modifying an event noun: "US sanctions", "Russian strikes"."""
        out = []
        for c in n.children:
            if c.dep_ in ("compound", "amod", "nmod"):
                m = self.index.at(c)
                if m is not None:
                    out.append(m)
        return out

    # -- polarity, modality, quotes ------------------------------------------

    def negated(self, tok: Token) -> bool:
        """Whether the clause or phrase of ``tok`` is negated."""
        for c in tok.children:
            if c.dep_ == "neg":
                return True
            if c.dep_ == "det" and c.lower_ == "no":
                return True
            if c.dep_ in ("nsubj", "nsubjpass") and any(
                    g.dep_ in ("det", "preconj") and g.lower_ in ("no", "neither")
                    for g in c.children):
                return True
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("nobody", "none", "neither"):
                return True
        return tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "without"

    def aux_lemmas(self, v: Token) -> set[str]:
        return {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD"}

    def in_conditional(self, v: Token) -> bool:
        """Inside an if-clause, or the consequent of one ("If talks fail, X will ...")."""
        tok = v
        for _ in range(6):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in tok.children):
                return True
            if any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "unless")
                                              for g in c.children) for c in tok.children):
                return True
            if tok.dep_ in ("ROOT",) or tok.head.i == tok.i:
                return False
            tok = tok.head
        return False


def _dangling_object(prep: Token) -> list[Token]:
    """The subject of a clause that starts right after an object-less preposition."""
    for t in prep.doc[prep.i + 1:min(len(prep.doc), prep.i + 8)]:
        if t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == prep.i + 1 \
                and t.head.dep_ in ("advcl", "acl", "relcl", "ccomp") and t.head.i > t.i:
            return [t]
    return []


def quote_ranges(sent: Span) -> list[tuple[int, int]]:
    """Token index ranges (exclusive of the marks) inside double quotes."""
    marks = [t.i for t in sent if t.text in QUOTE_CHARS]
    return [(marks[k] + 1, marks[k + 1]) for k in range(0, len(marks) - 1, 2)]


def in_ranges(i: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in ranges)


def clause_head(tok: Token) -> Token:
    """The verb heading the clause ``tok`` is in (itself for verbs)."""
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def path_length(a: Token, b: Token) -> int:
    """Number of dependency edges between two tokens of one sentence."""
    ancestors_a = {a.i: 0}
    t, d = a, 0
    while t.head.i != t.i and d < 40:
        t, d = t.head, d + 1
        ancestors_a[t.i] = d
    t, d = b, 0
    while True:
        if t.i in ancestors_a:
            return ancestors_a[t.i] + d
        if t.head.i == t.i or d > 40:
            return ancestors_a.get(t.i, 0) + d + 1
        t, d = t.head, d + 1


def tree_depth(tok: Token) -> int:
    """Number of ancestors of ``tok`` (0 for the root)."""
    return sum(1 for _ in tok.ancestors)
