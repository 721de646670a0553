"""The spaCy pipeline, reorganised for speed with the same models and the same math.

``en_core_web_sm`` runs ``tok2vec, tagger, parser, attribute_ruler, ner`` over
whole documents.  Measured on news articles (see ``streams bench``), about half
of its time goes to two things that are not the neural networks:

* **The transition loop.**  spaCy 3.8's compiled greedy decoder releases the
  GIL and then re-acquires it inside every validity check of every action of
  every step (``StateC::B_`` is compiled with an exception check), so most of
  the parser's and the NER's time is spent locking a mutex.  Driving the very
  same step model from Python, with the GIL held, costs one numpy step per
  *batch* instead of a lock per action; and batching many states per step
  amortises it further.  :class:`SentenceEntityRecognizer` runs one NER state
  per sentence, all sentences of a batch in lock-step, over the whole-document
  token vectors: NER's features are the next token, the open entity's first
  token and the token before (``set_context_tokens`` with ``nF=3``) and an
  entity never crosses a sentence start, so each state makes exactly the
  decisions the whole-document state makes on that sentence.
  :class:`SentenceParser` parses each sentence as its own ``Doc`` carrying the
  slice of the document's ``tok2vec`` tensor (the parser's listener reads
  ``doc.tensor``), so the token vectors are the whole-document ones too.
* **The attribute ruler.**  179 token patterns through the ``Matcher`` cost
  about as much as the shared ``tok2vec`` network.  Every pattern that
  sets ``POS``, ``TAG`` or ``DEP`` tests a handful of token attributes, so
  :class:`FastAttributeRuler` evaluates them once per distinct combination
  and caches the result (``MORPH`` and ``LEMMA``, which nothing here reads,
  are not set).

Sentence boundaries come from the model's own ``senter`` (disabled by default
in the package; it has its own small embedding), run before the parser as the
parser used to run before NER; the parser may still split a sentence further.

The result is one ``Language`` whose ``nlp(text)`` gives the full analysis
(tags, parse, entities), so the worker, the offline command, the evaluation
and the tests all read the same documents.

The wrappers drive spaCy internals, so they reach them only through
:mod:`streams.nlp.spacy_compat`, which refuses (``RuntimeError``, at import) a spaCy
whose relied-on internals are not the ones audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Self, cast

import numpy as np
from spacy.attrs import DEP, HEAD, IS_SPACE, LOWER, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from streams.errors import DataError
from streams.nlp.spacy_compat import StateClass, ensure_labels
from streams.nlp.structure import NAME_TITLES, STRUCTURE_PIPE

#: Names of the pipeline components this module wraps (the wrappers keep the names).
NER, PARSER, RULER, SENTER = "ner", "parser", "attribute_ruler", "senter"
_FACTORY_NER = "streams_sentence_ner"
_FACTORY_PARSER = "streams_sentence_parser"
_FACTORY_RULER = "streams_fast_attribute_ruler"


# ---------------------------------------------------------------- sentences


def _batches(stream: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    items = iter(stream)
    while batch := list(islice(items, max(1, size))):
        yield batch


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences of ``doc`` (the whole doc when unsegmented)."""
    n = len(doc)
    if n == 0:
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, n)]
    flags = doc.to_array(SENT_START)
    starts = [0, *(int(i) for i in np.flatnonzero(flags[1:] == 1) + 1)]
    return list(zip(starts, [*starts[1:], n], strict=True))


def _greedy(component: Any, step: Any, states: list[Any],
            active: Callable[[Any], bool] | None = None) -> None:
    """Run spaCy's greedy decoder from Python: one step model call per batch step.

    ``step`` is the component's ``ParserStepModel`` (``component.model.predict(docs)``),
    so scores, unseen-class masking and action validity are spaCy's own.
    ``active`` narrows which states still need a decision.
    """
    def live(s: Any) -> bool:
        return not s.is_final() and (active is None or active(s))

    todo = [s for s in states if live(s)]
    while todo:
        scores = step.predict(todo)
        component.transition_states(todo, scores)
        todo = [s for s in todo if live(s)]
    step.clear_memory()


# ---------------------------------------------------------------- NER


class _SentenceComponent:
    """A pipeline component that runs the spaCy component it wraps sentence by sentence.

    :func:`configure` adds the wrapper under the original's name and binds the
    original to it (``.wrapped``, kept for its model, labels and tests).
    Subclasses implement :meth:`_annotate` over a batch of documents.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.wrapped: Any = None

    def bind(self, component: Any) -> Self:
        self.wrapped = component
        return self

    @property
    def model(self) -> Any:
        return self.wrapped.model

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in _batches(stream, batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: Sequence[Doc]) -> None:
        raise NotImplementedError


@Language.factory(_FACTORY_NER)
class SentenceEntityRecognizer(_SentenceComponent):
    """spaCy's ``ner``, decoded one state per sentence (see the module doc)."""

    def _annotate(self, docs: Sequence[Doc]) -> None:
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        ner = self.wrapped
        ensure_labels(ner, docs)
        step = ner.model.predict(docs)
        states: list[tuple[Any, Doc]] = []
        ends: dict[int, int] = {}
        offset = 0
        for doc in docs:
            cursor = StateClass(doc, offset=offset)
            # Preset entities may cross sentence starts (spaCy forces them through):
            # such a document is decoded as one state, as spaCy does.
            bounds = [(0, len(doc))] if doc.has_annotation("ENT_IOB") else sentence_bounds(doc)
            for start, end in bounds:
                state = cursor.copy()
                states.append((state, doc))
                ends[id(state)] = end
                for _ in range(start, end):  # what the "O" action does
                    cursor.push()
                    cursor.pop()
            offset += len(doc)
        # An entity never crosses a sentence start, so a state is done with its
        # sentence once the next token to read is the next sentence's first.
        _greedy(ner, step, [s for s, _ in states], lambda s: 0 <= s.B(0) < ends[id(s)])
        for state, doc in states:
            ner.moves.set_annotations(state, doc)
        for doc in docs:
            for hook in ner.postprocesses:
                hook(doc)


# ---------------------------------------------------------------- dependency parser


@Language.factory(_FACTORY_PARSER)
class SentenceParser(_SentenceComponent):
    """spaCy's ``parser`` run per sentence on the document's token vectors."""

    def _annotate(self, docs: Sequence[Doc]) -> None:
        pieces: list[tuple[Doc, int, Doc]] = []  # (document, first token, sentence doc)
        for doc in docs:
            tensor = doc.tensor
            has_tensor = tensor is not None and getattr(tensor, "size", 0) > 0
            for start, end in sentence_bounds(doc):
                tokens = doc[start:end]
                # the parser may split a sentence further, but not after a title ("Brig. John")
                sent = Doc(doc.vocab, words=[t.text for t in tokens],
                           spaces=[bool(t.whitespace_) for t in tokens],
                           sent_starts=[True, *(False if t.text in NAME_TITLES else None
                                                for t in tokens[:-1])])
                if has_tensor:
                    sent.tensor = tensor[start:end]
                pieces.append((doc, start, sent))
        if not pieces:
            return
        parser = self.wrapped
        sents = [p[2] for p in pieces]
        states = parser.moves.init_batch(sents)
        _greedy(parser, parser.model.predict(sents), states)
        parser.set_annotations(sents, states)
        arrays: dict[int, np.ndarray] = {}
        for doc, start, sent in pieces:
            arr = arrays.get(id(doc))
            if arr is None:
                arr = arrays[id(doc)] = np.zeros((len(doc), 2), dtype="uint64")
            arr[start:start + len(sent)] = sent.to_array([HEAD, DEP])
        for doc in docs:
            if id(doc) in arrays:
                # heads are relative offsets, so a sentence's rows copy as they are;
                # sentence starts follow from the trees (one per root)
                doc.from_array([HEAD, DEP], cast(Any, arrays[id(doc)]))


# ---------------------------------------------------------------- attribute ruler


_ATTRS = {"TAG": TAG, "LOWER": LOWER, "ORTH": ORTH, "DEP": DEP, "IS_SPACE": IS_SPACE}
_SET_COLUMNS = {"POS": 0, "TAG": 1, "DEP": 2}
#: Stands for every attribute value no pattern mentions (string hashes are never 1).
_OTHER = 1


class UnsupportedPattern(DataError, ValueError):
    """An attribute-ruler pattern this evaluator cannot reproduce exactly."""


Predicate = Callable[[int], bool]


@dataclass(frozen=True, slots=True)
class _Rule:
    order: int
    #: alternatives, each a token sequence, each token a tuple of (column, predicate)
    alternatives: tuple[tuple[tuple[tuple[int, Predicate], ...], ...], ...]
    index: int
    #: (column in POS/TAG/DEP, value hash)
    sets: tuple[tuple[int, int], ...]

    @property
    def width(self) -> int:
        return max(len(alt) for alt in self.alternatives)


class _Compiler:
    """Patterns -> rules over attribute hashes, collecting the values they mention."""

    def __init__(self, strings: Any) -> None:
        self.strings = strings
        self.columns = list(_ATTRS)
        self.mentioned: dict[int, set[int]] = {c: set() for c in range(len(self.columns))}

    def string_columns(self) -> list[int]:
        return [c for c, name in enumerate(self.columns) if name != "IS_SPACE"]

    def value(self, column: int, raw: Any) -> int:
        if isinstance(raw, bool):
            if self.columns[column] != "IS_SPACE":
                raise UnsupportedPattern(f"boolean for {self.columns[column]}")
            key = int(raw)
        elif isinstance(raw, str) and self.columns[column] != "IS_SPACE":
            key = int(self.strings.add(raw)) if raw else 0
        else:
            raise UnsupportedPattern(f"value {raw!r} for {self.columns[column]}")
        self.mentioned[column].add(key)
        return key

    def predicate(self, column: int, raw: Any) -> Predicate:
        if not isinstance(raw, dict):
            expected = self.value(column, raw)
            return lambda v: v == expected
        if len(raw) == 1:
            ((op, arg),) = raw.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list):
                values = frozenset(self.value(column, a) for a in arg)
                if op == "IN":
                    return lambda v: v in values
                return lambda v: v not in values
        raise UnsupportedPattern(f"predicate {raw!r}")

    def rules(self, patterns: Iterable[dict[str, Any]]) -> list[_Rule]:
        out = []
        for order, entry in enumerate(patterns):
            sets = tuple((_SET_COLUMNS[k], int(self.strings.add(str(v))))
                         for k, v in entry["attrs"].items() if k in _SET_COLUMNS)
            if not sets:
                continue  # MORPH and LEMMA only: nothing downstream reads them
            alternatives = []
            for alt in entry["patterns"]:
                tokens = []
                for spec in alt:
                    if not spec or any(k not in _ATTRS for k in spec):
                        raise UnsupportedPattern(f"token pattern {spec!r}")
                    tokens.append(tuple((self.columns.index(k), self.predicate(self.columns.index(k), v))
                                        for k, v in sorted(spec.items())))
                alternatives.append(tuple(tokens))
            out.append(_Rule(order, tuple(alternatives), int(entry.get("index", 0)), sets))
        if any(_OTHER in self.mentioned[c] for c in self.string_columns()):
            raise UnsupportedPattern("a pattern value hashes to the placeholder")
        return out


_NONE = ((-1, 0), (-1, 0), (-1, 0))
Found = tuple[tuple[int, int], ...]


@Language.factory(_FACTORY_RULER)
class FastAttributeRuler:
    """The pipeline's ``attribute_ruler`` for POS, TAG and DEP, without the Matcher.

    A one-token rule's outcome depends only on the token's TAG, LOWER, ORTH,
    IS_SPACE and DEP, and only on whether each is one of the values some
    pattern names; the outcome is computed once per such combination.  Rules
    over several tokens (one in ``en_core_web_sm``) are checked where they
    could apply.  Later rules win, as in spaCy's ``AttributeRuler``.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.wrapped: Any = None
        self._single: list[_Rule] = []
        self._multi: list[_Rule] = []
        self._mentioned: list[tuple[int, np.ndarray]] = []
        self._cache: dict[tuple[int, ...], Found] = {}
        self._strings = nlp.vocab.strings

    def bind(self, component: Any) -> FastAttributeRuler:
        compiler = _Compiler(self._strings)
        rules = compiler.rules(component.patterns)
        self.wrapped = component
        self._single = [r for r in rules if r.width == 1]
        self._multi = [r for r in rules if r.width > 1]
        self._mentioned = [(c, np.array(sorted(compiler.mentioned[c]), dtype="uint64"))
                           for c in compiler.string_columns()]
        self._cache.clear()
        return self

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        data = doc.to_array(list(_ATTRS.values()))
        for c, mentioned in self._mentioned:
            column = data[:, c]
            column[~np.isin(column, mentioned)] = _OTHER
        rows = [tuple(r) for r in data.tolist()]
        found: list[Found] = []
        for row in rows:
            hit = self._cache.get(row)
            if hit is None:
                hit = self._cache[row] = self._evaluate(row)
            found.append(hit)
        for rule in self._multi:
            for i in range(n):
                if self._matches_at(rule, rows, i):
                    best = list(found[i] or _NONE)
                    for col, value in rule.sets:
                        if best[col][0] < rule.order:
                            best[col] = (rule.order, value)
                    found[i] = tuple(best)
        if not any(found):
            return doc
        out = doc.to_array([POS, TAG, DEP])
        for i, hit in enumerate(found):
            for col, (order, value) in enumerate(hit):
                if order >= 0:
                    out[i, col] = value
        doc.from_array([POS, TAG, DEP], cast(Any, out))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def _evaluate(self, row: tuple[int, ...]) -> Found:
        """(rule order, value) for POS, TAG, DEP from the one-token rules; ``()``: none apply."""
        best = list(_NONE)
        for rule in self._single:
            if any(all(pred(row[c]) for c, pred in alt[0]) for alt in rule.alternatives):
                for col, value in rule.sets:
                    best[col] = (rule.order, value)
        return tuple(best) if any(o >= 0 for o, _ in best) else ()

    @staticmethod
    def _matches_at(rule: _Rule, rows: Sequence[tuple[int, ...]], i: int) -> bool:
        """Whether ``rule`` matches with its ``index`` token at position ``i``."""
        start = i - rule.index
        for alt in rule.alternatives:
            if start < 0 or start + len(alt) > len(rows):
                continue
            if all(all(pred(rows[start + j][c]) for c, pred in spec) for j, spec in enumerate(alt)):
                return True
        return False


# ---------------------------------------------------------------- set-up


_WRAPPERS = (SentenceEntityRecognizer, SentenceParser, FastAttributeRuler)


def configure(nlp: Language) -> Language:
    """Reorganise a loaded ``en_core_web_sm``-style pipeline in place (idempotent).

    ``tok2vec, tagger, senter, article_structure, parser, attribute_ruler, ner``
    with the last three replaced by the wrappers above; components a pipeline
    lacks are skipped.  ``article_structure`` (:mod:`streams.nlp.structure`)
    makes captions, credits, bylines, datelines and pleas sentences of their
    own before anything is parsed.
    """
    if any(isinstance(nlp.get_pipe(n), _WRAPPERS) for n in nlp.component_names):
        return nlp
    anchor = None
    if SENTER in nlp.component_names:
        if SENTER in nlp.disabled:
            nlp.enable_pipe(SENTER)
        anchor = SENTER
    elif PARSER in nlp.component_names:
        nlp.add_pipe("sentencizer", name=SENTER, before=PARSER)
        anchor = SENTER
    if anchor is not None and STRUCTURE_PIPE not in nlp.component_names:
        nlp.add_pipe(STRUCTURE_PIPE, after=anchor)
        anchor = STRUCTURE_PIPE
    for name, factory in ((PARSER, _FACTORY_PARSER), (RULER, _FACTORY_RULER), (NER, _FACTORY_NER)):
        if name not in nlp.component_names:
            continue
        was_disabled = name in nlp.disabled
        _, original = nlp.remove_pipe(name)
        where = {"after": anchor} if anchor in nlp.pipe_names else {"last": True}
        wrapper = nlp.add_pipe(factory, name=name, **where)
        wrapper.bind(original)  # type: ignore[attr-defined]
        if was_disabled:
            nlp.disable_pipe(name)
        anchor = name
    return nlp
