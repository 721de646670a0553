"""Features of one mention in its parsed sentence, for the target-sentiment model.

Everything is read from the ``Doc`` the analyzer already made (no re-parse):
the words around the mention with the mention masked, its syntactic role and
governing predicate, the words of its clause, content words within three
dependency edges, negation, quotation, evaluative words by their scope
relative to the mention and by which actor of the sentence they are nearest
to in the parse, what the mention is, the polarity of coded stances that hit
it, spaCy's contextual token vectors, and static word vectors (reduced from
spaCy's ``en_core_web_md``, see ``word_vectors``): their means over the
mention, its governor, clause, left and right windows and sentence.  The
same functions serve training
(``train_sentiment``) and inference (``sentiment``), so the two cannot drift.

Evaluative words come from two lists: the project's own ``polarity.tsv``
(political news) and the VADER lexicon (Hutto & Gilbert 2014, MIT licence,
shipped by the ``vaderSentiment`` package), read as data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from spacy.tokens import Doc, Span, Token

from streams.nlp.stance.lexicon import noun_forms, verb_forms
from streams.nlp.stance.word_vectors import WordVectors, word_vectors

Features = dict[str, float]
WINDOW = 4
_NEGATORS = frozenset({"not", "n't", "never", "no", "without", "nor", "neither", "hardly"})
_SPEECH = frozenset({"said", "says", "say", "told", "added", "wrote", "asked", "noted"})
_QUOTES = frozenset({'"', "“", "”", "``", "''"})
_NAMED = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Pronouns that do not stand for an actor.
_NOT_ACTORS = frozenset({"it", "this", "that", "which", "who", "what"})


@dataclass(frozen=True, slots=True)
class Target:
    """The mention whose sentiment is asked for, located in the parse."""

    span: Span
    head: Token


def locate(doc: Doc, target_span: tuple[int, int]) -> Target | None:
    """The tokens covering the character span ``target_span``, or ``None``."""
    start, end = target_span
    if not 0 <= start < end <= len(doc.text):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return Target(span, span.root)


@cache
def polarity_words() -> dict[str, int]:
    """Inflected form -> +1/-1, from ``polarity.tsv``."""
    text = resources.files("streams.nlp.stance").joinpath("polarity.tsv").read_text("utf-8")
    table: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "word\t")):
            continue
        word, _, value = line.partition("\t")
        sign = 1 if int(value) > 0 else -1
        for form in verb_forms(word) | noun_forms(word) | {word}:
            table.setdefault(form, sign)
    return table


@cache
def valence_words() -> dict[str, float]:
    """Word -> mean valence (-4..4) of the VADER lexicon; empty if the package is absent."""
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    table: dict[str, float] = {}
    for line in text.splitlines():
        word, _, rest = line.partition("\t")
        value = rest.partition("\t")[0]
        if word and value:
            table[word] = float(value)
    return table


def governor(tok: Token) -> Token | None:
    """The nearest verb or auxiliary above ``tok`` (eight steps at most)."""
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return t if t.pos_ in ("VERB", "AUX") and t is not tok else None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in tok.children)


def lexical_polarity(target: Target) -> int:
    """Signed count of evaluative words said of the mention in its own clause.

    The clause is the mention's governing predicate with its dependents
    (minus the mention itself); negation of the predicate flips the sign:
    "are not heeding our logic" is -1 for the subject.
    """
    words = polarity_words()
    gov = governor(target.head)
    if gov is None:
        return 0
    own = {t.i for t in target.head.subtree}
    total = 0
    for t in gov.subtree:
        if t.i in own or t.is_punct:
            continue
        if governor(t) not in (gov, None) and t.i != gov.i and t.head.i != gov.i:
            continue  # words of embedded clauses speak of someone else
        total += words.get(t.lower_, 0)
    return -total if _negated(gov) else total


def sparse_features(target: Target, stance_polarities: Sequence[tuple[str, str]] = ()) -> Features:
    """Named features of the mention in its sentence (name -> count or value)."""
    feats: Counter[str] = Counter({"bias": 1})
    span, head = target.span, target.head
    sent = head.sent
    inside = set(range(span.start, span.end))
    for t in sent:
        if t.i in inside or t.is_punct:
            continue
        distance = span.start - t.i if t.i < span.start else t.i - span.end + 1
        if distance <= WINDOW:
            feats[("l:" if t.i < span.start else "r:") + t.lower_] += 1
        if not t.is_stop:
            feats["s:" + t.lower_] += 1
    feats["role:" + head.dep_] += 1
    feats["rel:" + head.dep_ + "^" + head.head.lower_] += 1
    gov = governor(head)
    if gov is not None:
        _clause_features(feats, target, gov)
    for c in head.children:
        if c.dep_ in ("amod", "compound", "appos", "acl", "relcl") and not c.is_punct:
            feats["mod:" + c.lower_] += 1
    quotes = [t.i for t in sent if t.text in _QUOTES]
    if any(a < head.i < b for a, b in zip(quotes[::2], quotes[1::2], strict=False)):
        feats["in_quote"] += 1
    if gov is not None and head.dep_ == "nsubj" and gov.lower_ in _SPEECH:
        feats["speaker"] += 1
    named = sum(1 for e in sent.ents if e.label_ in _NAMED and e.start not in inside)
    feats[f"others:{min(named, 3)}"] += 1
    for role, polarity in stance_polarities:
        feats[f"stance:{role}:{polarity}"] += 1
    feats.update(_ngram_features(target))
    feats.update(_path_features(target))
    lex = lexical_polarity(target)
    if lex:
        feats["lex:" + ("+" if lex > 0 else "-")] += 1
    feats.update(_mention_features(target))
    out: Features = dict(feats)
    out.update(_valence_features(target))
    out.update(_attribution_features(target))
    return out


def _clause_features(feats: Counter[str], target: Target, gov: Token) -> None:
    head = target.head
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in gov.children)
    feats["gov:" + gov.lower_] += 1
    feats["govrole:" + head.dep_ + ":" + gov.lower_ + (":pass" if passive else "")] += 1
    negated = _negated(gov)
    if negated:
        feats["neg"] += 1
        feats["neggov:" + gov.lower_] += 1
    own = {t.i for t in head.subtree}
    for t in gov.subtree:
        if t.i not in own and not t.is_punct and not t.is_stop:
            feats["clause:" + t.lower_ + (":neg" if negated else "")] += 1


def _scope(tok: Token, target: Target, own: set[int], clause: set[int]) -> str:
    """Where an evaluative word stands relative to the mention."""
    if tok.i in own:
        return "own"  # said of the mention itself: "the corrupt senator"
    if tok.i in clause:
        return "clause"
    span = target.span
    distance = span.start - tok.i if tok.i < span.start else tok.i - span.end + 1
    return "near" if distance <= WINDOW else "far"


def _valence_features(target: Target) -> Features:
    """Evaluative words (VADER valence, ``polarity.tsv`` sign) by scope and negation."""
    valence, project = valence_words(), polarity_words()
    head = target.head
    inside = set(range(target.span.start, target.span.end))
    own = {t.i for t in head.subtree} - inside
    gov = governor(head)
    clause = {t.i for t in gov.subtree} - own - inside if gov is not None else set()
    out: Counter[str] = Counter()
    sums: dict[str, float] = {}
    for t in head.sent:
        if t.i in inside or t.is_punct:
            continue
        value = valence.get(t.lower_, 0.0) or 2.0 * project.get(t.lower_, 0)
        if not value:
            continue
        if _negated(t) or (t.head.i != t.i and _negated(t.head) and t.dep_ in ("acomp", "attr", "dobj")):
            value = -0.5 * value
        scope = _scope(t, target, own, clause)
        sign = "+" if value > 0 else "-"
        out[f"v:{scope}:{sign}"] += 1
        sums[f"vs:{scope}"] = sums.get(f"vs:{scope}", 0.0) + value / 4.0
        if gov is not None and t.i == gov.i:
            out[f"vgov:{head.dep_}:{sign}"] += 1
    result: Features = dict(out)
    result.update(sums)
    return result


def _ancestors(tok: Token) -> list[Token]:
    """``tok`` and the tokens above it, up to its sentence's root."""
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def tree_distance(a: Token, b: Token) -> int:
    """Dependency edges between two tokens of one sentence (99 across sentences)."""
    depth = {t.i: k for k, t in enumerate(_ancestors(a))}
    for k, t in enumerate(_ancestors(b)):
        if t.i in depth:
            return depth[t.i] + k
    return 99


def other_mentions(target: Target) -> list[Token]:
    """Heads of the other people, groups and places of the sentence (named, or pronouns)."""
    span, sent = target.span, target.head.sent
    heads = [e.root for e in sent.ents
             if e.label_ in _NAMED and (e.end <= span.start or e.start >= span.end)]
    heads += [t for t in sent
              if t.pos_ == "PRON" and t.lower_ not in _NOT_ACTORS and not span.start <= t.i < span.end
              and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "poss")]
    return heads


def signed_valence(tok: Token) -> float:
    """VADER valence (else 2 × the ``polarity.tsv`` sign) of a word, halved and flipped under negation."""
    value = valence_words().get(tok.lower_, 0.0) or 2.0 * polarity_words().get(tok.lower_, 0)
    if value and (_negated(tok) or (tok.head.i != tok.i and _negated(tok.head)
                                    and tok.dep_ in ("acomp", "attr", "dobj"))):
        value = -0.5 * value
    return value


def _attribution_features(target: Target) -> Features:
    """Evaluative words by whom they are nearest to in the parse: the mention, another, or a tie.

    In a sentence with several actors ("Trump praised Kim and attacked the
    press") a word mostly speaks of the actor it is closest to in the tree.
    """
    head = target.head
    span = target.span
    others = other_mentions(target)
    out: Features = {}
    for t in head.sent:
        if span.start <= t.i < span.end or t.is_punct:
            continue
        value = signed_valence(t)
        if not value:
            continue
        mine = tree_distance(t, head)
        theirs = min((tree_distance(t, o) for o in others), default=99)
        whose = "mine" if mine < theirs else "tie" if mine == theirs else "theirs"
        for name, amount in ((f"vn:{whose}:{'+' if value > 0 else '-'}", 1.0), (f"vns:{whose}", value / 4.0)):
            out[name] = out.get(name, 0.0) + amount
    return out


def _mention_features(target: Target) -> Counter[str]:
    """How many other actors there are, where the mention stands, what it is."""
    span, head = target.span, target.head
    sent = head.sent
    out: Counter[str] = Counter()
    out[f"nt_oth:{min(len(other_mentions(target)), 3)}"] += 1
    out[f"pos_in_sent:{min(4, (span.start - sent.start) * 5 // max(1, len(sent)))}"] += 1
    out[f"tgt_pos:{head.pos_}:{head.dep_}"] += 1
    if head.pos_ == "PRON":
        out["tgt_pron"] += 1
    return out


def _norm(t: Token, inside: set[int]) -> str:
    if t.i in inside:
        return "TGT"
    if t.ent_type_ in _NAMED:
        return "ENT"
    return t.lower_


def _ngram_features(target: Target) -> Counter[str]:
    """Bigrams and trigrams around the mention, with the mention as ``TGT``."""
    span = target.span
    sent = target.head.sent
    inside = set(range(span.start, span.end))
    toks: list[str] = []
    k = sent.start
    while k < sent.end:
        if k in inside:
            toks.append("TGT")
            k = span.end
            continue
        toks.append(_norm(sent.doc[k], inside))
        k += 1
    at = toks.index("TGT") if "TGT" in toks else 0
    out: Counter[str] = Counter()
    lo, hi = max(0, at - 5), min(len(toks), at + 6)
    for n in (2, 3):
        for i in range(lo, hi - n + 1):
            out[f"ng{n}:" + "_".join(toks[i:i + n])] += 1
    return out


def _path_features(target: Target) -> Counter[str]:
    """Content words within three dependency edges of the mention, with the path."""
    head = target.head
    inside = set(range(target.span.start, target.span.end))
    out: Counter[str] = Counter()
    frontier: list[tuple[Token, str]] = [(head, "")]
    seen = {head.i}
    for _ in range(3):
        nxt: list[tuple[Token, str]] = []
        for tok, path in frontier:
            steps = [(tok.head, path + "^" + tok.dep_)] if tok.head.i != tok.i else []
            steps += [(c, path + "v" + c.dep_) for c in tok.children]
            for other, p in steps:
                if other.i in seen or other.i in inside:
                    continue
                seen.add(other.i)
                nxt.append((other, p))
                if not other.is_stop and not other.is_punct and other.pos_ in (
                        "VERB", "ADJ", "NOUN", "ADV"):
                    out["dp:" + p + ":" + other.lower_] += 1
                    out["dw:" + other.lower_] += 1
        frontier = nxt
    return out


def dense_features(target: Target) -> np.ndarray:
    """Contextual vectors (spaCy ``tok2vec``): mention, governor, sentence, left and right windows."""
    doc = target.span.doc
    tensor = doc.tensor
    width = tensor.shape[1] if tensor is not None and tensor.size else 0
    if width == 0:
        return np.zeros(0, dtype=np.float32)
    zero = np.zeros(width, dtype=tensor.dtype)
    span = target.span
    sent = target.head.sent

    def mean(a: int, b: int) -> np.ndarray:
        return tensor[a:b].mean(axis=0) if b > a else zero

    gov = governor(target.head)
    parts = [
        mean(span.start, span.end),
        tensor[gov.i] if gov is not None else zero,
        mean(sent.start, sent.end),
        mean(max(sent.start, span.start - WINDOW), span.start),
        mean(span.end, min(sent.end, span.end + WINDOW)),
        static_features(target),
    ]
    return np.concatenate(parts).astype(np.float32)


def static_features(target: Target, table: WordVectors | None = None) -> np.ndarray:
    """Mean static vectors: mention, governor, clause, left and right windows, sentence (content words)."""
    wv = table if table is not None else word_vectors()
    if wv is None:
        return np.zeros(0, dtype=np.float32)
    span, head = target.span, target.head
    sent = head.sent
    inside = set(range(span.start, span.end))
    own = {t.i for t in head.subtree}
    gov = governor(head)

    def words(tokens: Sequence[Token] | Span) -> list[str]:
        return [t.lower_ for t in tokens if not t.is_punct and not t.is_stop and t.i not in inside]

    clause = [t for t in gov.subtree if t.i not in own] if gov is not None else []
    parts = [
        wv.mean([t.lower_ for t in span]),
        wv.mean([gov.lower_] if gov is not None else []),
        wv.mean(words(clause)),
        wv.mean(words(sent.doc[max(sent.start, span.start - WINDOW):span.start])),
        wv.mean(words(sent.doc[span.end:min(sent.end, span.end + WINDOW)])),
        wv.mean(words(sent)),
    ]
    return np.concatenate(parts).astype(np.float32)
