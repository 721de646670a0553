"""The reorganised pipeline gives what spaCy's own components give on the same input.

``streams.nlp.parsing`` drives spaCy's NER and parser from Python, one state
per sentence, and evaluates the attribute ruler's patterns without the
Matcher.  Each wrapper keeps the original component (``.wrapped``); these
tests run the original over the same input and compare token by token.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from spacy.attrs import DEP, HEAD, POS, TAG
from spacy.tokens import Doc

from streams.nlp import parsing

LONG = (
    "MOSCOW - Russia warned on Wednesday that ties with the United States faced the threat of "
    "collapse.\n\n\"We expect parity on staffing numbers,\" State Department spokesman Ned Price "
    "said. There is no deal yet; what did they do? Mr. Ryabkov, Russia's deputy foreign minister, "
    "said Moscow had not decided.  The U.S.-Russia talks, which began in Geneva, will resume "
    "in January but it is unclear whether Washington will attend.\n"
    "Ukraine accused Russia of shelling villages near the line of contact on Sunday. "
    "The Kremlin denied the accusations and warned Kyiv against any offensive."
)


def _texts() -> list[str]:
    raw = resources.files("streams.samples").joinpath("articles.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    out = [LONG, "", "Russia.", "  \n "]
    for row in rows:
        out += [row.get("title") or "", row.get("body") or ""]
    return [t for t in out if t is not None]


@pytest.fixture(scope="module")
def docs(analyzer):  # type: ignore[no-untyped-def]
    return list(analyzer.nlp.pipe(_texts()))


def _same_tokens(analyzer, doc: Doc) -> Doc:  # type: ignore[no-untyped-def]
    return analyzer.nlp.make_doc(doc.text)


def test_pipeline_order_and_idempotence(analyzer) -> None:  # type: ignore[no-untyped-def]
    names = analyzer.nlp.pipe_names
    assert names[:7] == ["tok2vec", "tagger", "senter", "article_structure", "parser",
                         "attribute_ruler", "ner"]
    assert isinstance(analyzer.nlp.get_pipe("ner"), parsing.SentenceEntityRecognizer)
    assert parsing.configure(analyzer.nlp) is analyzer.nlp
    assert analyzer.nlp.pipe_names == names


def test_attribute_ruler_as_spacy(analyzer, docs) -> None:  # type: ignore[no-untyped-def]
    ruler = analyzer.nlp.get_pipe("attribute_ruler")
    for doc in docs:
        copy = Doc(doc.vocab).from_bytes(doc.to_bytes(exclude=["user_data"]))
        ruler.wrapped(copy)
        assert (copy.to_array([POS, TAG, DEP]) == doc.to_array([POS, TAG, DEP])).all(), doc.text[:60]


def test_attribute_ruler_before_the_parse(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Without dependencies the DEP-conditioned rules must not fire, as in spaCy."""
    ruler = analyzer.nlp.get_pipe("attribute_ruler")
    with analyzer.nlp.select_pipes(enable=["tok2vec", "tagger"]):
        ours = analyzer.nlp(LONG)
        theirs = analyzer.nlp(LONG)
    ruler(ours)
    ruler.wrapped(theirs)
    assert [t.pos_ for t in ours] == [t.pos_ for t in theirs]


def test_parser_as_spacy_per_sentence(analyzer, docs) -> None:  # type: ignore[no-untyped-def]
    parser = analyzer.nlp.get_pipe("parser").wrapped
    ruler = analyzer.nlp.get_pipe("attribute_ruler").wrapped
    for doc in docs:
        fresh = _same_tokens(analyzer, doc)
        for name in ("tok2vec", "tagger", "senter", "article_structure"):
            analyzer.nlp.get_pipe(name)(fresh)
        rows = []
        for start, end in parsing.sentence_bounds(fresh):
            tokens = fresh[start:end]
            sent = Doc(fresh.vocab, words=[t.text for t in tokens],
                       spaces=[bool(t.whitespace_) for t in tokens])
            sent.tensor = fresh.tensor[start:end]
            parser(sent)  # spaCy's compiled decoder
            rows.append(sent.to_array([HEAD, DEP]))
        if rows:
            fresh.from_array([HEAD, DEP], np.concatenate(rows))
            ruler(fresh)  # it relabels whitespace tokens' dependencies
            attrs = [HEAD, DEP, POS, TAG]
            assert (fresh.to_array(attrs) == doc.to_array(attrs)).all(), doc.text[:60]


def test_ner_as_spacy_on_the_same_sentences(analyzer, docs) -> None:  # type: ignore[no-untyped-def]
    ner = analyzer.nlp.get_pipe("ner").wrapped
    for doc in docs:
        fresh = _same_tokens(analyzer, doc)
        if len(doc):
            fresh.from_array([HEAD, DEP], doc.to_array([HEAD, DEP]))  # the same sentences
        ner(fresh)  # spaCy's compiled decoder, one state for the whole document
        ours = analyzer.nlp.get_pipe("ner")(_with_parse(analyzer, doc))
        assert [(e.start, e.end, e.label_) for e in ours.ents] == \
            [(e.start, e.end, e.label_) for e in fresh.ents], doc.text[:60]


def _with_parse(analyzer, doc: Doc) -> Doc:  # type: ignore[no-untyped-def]
    fresh = _same_tokens(analyzer, doc)
    if len(doc):
        fresh.from_array([HEAD, DEP], doc.to_array([HEAD, DEP]))
    return fresh


def test_sentences_follow_the_parse(docs) -> None:  # type: ignore[no-untyped-def]
    """Every sentence is one tree: the parser's own splits become sentence starts."""
    for doc in docs:
        for sent in doc.sents:
            roots = [t for t in sent if t.head.i == t.i]
            assert len(roots) == 1, sent.text
            assert all(sent.start <= t.head.i < sent.end for t in sent)


def test_unsegmented_documents(analyzer) -> None:  # type: ignore[no-untyped-def]
    """With the sentence and parse components off, NER reads the text as one sentence."""
    with analyzer.nlp.select_pipes(enable=["tok2vec", "tagger", "ner"]):
        doc = analyzer.nlp(LONG)
    assert "Russia" in {e.text for e in doc.ents}


def test_entity_offsets_index_the_text(docs) -> None:  # type: ignore[no-untyped-def]
    for doc in docs:
        for ent in doc.ents:
            assert doc.text[ent.start_char:ent.end_char] == ent.text
