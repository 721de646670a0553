"""Entity evaluation: named-span rules, scoring, the political-actor table, the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from streams.contracts import ActorRef, Entity
from streams.evaluation import entities as ev
from streams.evaluation.entities import GumDoc, GumSentence
from streams.evaluation.report import main as report_main
from streams.evaluation.report import rows
from tests.support import shared_path


def sentence(tokens: str, pos: str, mentions: list[dict[str, object]], heads: list[int] | None = None,
             sent_id: str = "d-1") -> GumSentence:
    toks = tokens.split()
    tags = pos.split()
    assert len(toks) == len(tags)
    return GumSentence(sent_id, " ".join(toks), toks, tags, mentions, heads or [-1] * len(toks))


def mention(first: int, last: int, kind: str, title: str | None = None) -> dict[str, object]:
    return {"text": "", "tok_start": first, "tok_end": last, "type": kind, "wikipedia": title,
            "entity_id": "1"}


# --- what a named mention is ------------------------------------------------------------


def test_normalise_drops_the_article_and_the_possessive() -> None:
    tokens = ["the", "Korean", "People", "'s", "Army", "'s"]
    assert ev.normalise(tokens, 0, 5) == (1, 4)
    assert ev.normalise(["The", "Hague"], 0, 1) == (1, 1)


def test_the_name_inside_a_linked_mention_follows_the_title() -> None:
    s = sentence("U.S. President Donald Trump 's policies", "PROPN PROPN PROPN PROPN PART NOUN",
                 [mention(0, 4, "person", "Donald_Trump")])
    assert ev.named_span(s, s.mentions[0]) == (2, 3)


def test_a_surname_and_an_abbreviation_are_names_of_their_titles() -> None:
    s = sentence("President Trump and the U.S.", "PROPN PROPN CCONJ DET PROPN",
                 [mention(0, 1, "person", "Donald_Trump"), mention(3, 4, "place", "United_States")])
    assert ev.named_span(s, s.mentions[0]) == (1, 1)
    assert ev.named_span(s, s.mentions[1]) == (4, 4)


def test_a_title_alone_is_not_a_name() -> None:
    s = sentence("The President said", "DET PROPN VERB", [mention(0, 1, "person", "Donald_Trump")])
    assert ev.named_span(s, s.mentions[0]) is None


def test_unlinked_mentions_use_the_proper_nouns_around_the_head() -> None:
    # "Lee Cheuk - yan of the Labour Party": head "Lee", the name stops at "of".
    s = sentence("Lee Cheuk - yan of the Labour Party", "PROPN PROPN PUNCT PROPN ADP DET PROPN PROPN",
                 [mention(0, 7, "person"), mention(5, 7, "organization")],
                 heads=[-1, 0, 3, 0, 7, 7, 7, 0])
    assert ev.named_span(s, s.mentions[0]) == (0, 3)
    assert ev.named_span(s, s.mentions[1]) == (6, 7)


def test_nominals_and_pronouns_are_not_named() -> None:
    s = sentence("the country 's military", "DET NOUN PART NOUN",
                 [mention(0, 2, "organization", "North_Korea"), mention(0, 3, "organization")],
                 heads=[1, 3, 1, -1])
    named, _, other = ev.gold_mentions(s)
    assert named == {} and other


# --- scoring -------------------------------------------------------------------------------


def _doc() -> GumDoc:
    s = sentence("North Korea warned the United States", "PROPN PROPN VERB DET PROPN PROPN",
                 [mention(0, 1, "organization", "North_Korea"), mention(3, 5, "place", "United_States")])
    doc = GumDoc("d", None, [s])
    doc.text = s.text
    cursor = 0
    for token in s.tokens:
        at = s.text.index(token, cursor)
        s.spans.append((at, at + len(token)))
        cursor = at + len(token)
    return doc


def _entity(text: str, doc: GumDoc, label: str, code: str | None) -> Entity:
    start = doc.text.index(text)
    actor = ActorRef(code=code, country=code[:3], name=text, basis="test") if code else None
    return Entity(field="body", start=start, end=start + len(text), text=text, label=label, actor=actor,
                  usage="actor" if actor else "other")


def test_score_counts_typed_and_untyped_matches_and_actor_codes() -> None:
    doc = _doc()
    ents = [_entity("North Korea", doc, "GPE", "PRK"), _entity("United States", doc, "GPE", "USAGOV")]
    tally = ev._score_doc(doc, ents, {"North_Korea": "PRK", "United_States": "USA"})
    # "North Korea" is an organization in GUM: right span, wrong type.
    assert (tally.tp, tally.fp, tally.fn) == (1, 1, 1)
    assert (tally.untyped_tp, tally.untyped_fp, tally.untyped_fn) == (2, 0, 0)
    assert [(c["gold"], c["got"]) for c in tally.codes] == [("PRK", "PRK"), ("USA", "USAGOV")]


def test_predictions_on_unscored_gold_mentions_are_ignored() -> None:
    s = sentence("the country said", "DET NOUN VERB", [mention(0, 1, "organization")], heads=[1, 2, -1])
    doc = GumDoc("d", None, [s], s.text)
    s.spans.extend([(0, 3), (4, 11), (12, 16)])
    ent = Entity(field="body", start=4, end=11, text="country", label="ORG", usage="other")
    tally = ev._score_doc(doc, [ent], {})
    assert (tally.tp, tally.fp, tally.fn) == (0, 0, 0)


def test_the_political_actor_table_is_well_formed() -> None:
    table = ev.read_political_actors()
    assert len(table) >= 50
    assert table["North_Korea"] == "PRK" and table["Korean_People's_Army"] == "PRKMIL"
    for title, code in table.items():
        assert re.fullmatch(r"[A-Z]{3}([A-Z]{3})*", code), (title, code)
        assert " " not in title


def test_split_is_stable_and_uses_both_halves() -> None:
    names = [f"GUM_news_{i}" for i in range(40)]
    assert {ev.split_of(n) for n in names} == {"dev", "heldout"}
    assert [ev.split_of(n) for n in names] == [ev.split_of(n) for n in names]


# --- the report -------------------------------------------------------------------------------


def test_the_report_says_absent_without_the_shared_directory(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main(["--shared", str(tmp_path / "nowhere")]) == 0
    assert "absent" in capsys.readouterr().out


def test_rows_cover_every_section() -> None:
    gum = {"named_mentions": 10, "typed": {"f1": 0.5}, "untyped": {"f1": 0.6},
           "f1_by_type": {"person": 0.1, "organization": 0.2, "place": 0.3},
           "actor_mentions": 4, "actor_code_accuracy": 0.75, "actor_country_accuracy": 1.0}
    report = {"entities": {"gum_news": {"all": gum, "dev": gum, "heldout": gum},
                           "petrarch_actors": {"expected_codes": 3, "actor_code_accuracy": 0.9,
                                               "actor_country_accuracy": 1.0}},
              "stance": None, "speed": {"articles": 2, "ms_per_article": 10.0,
                                        "baseline_ms_per_article": 9.0, "baseline_ref": "abc",
                                        "slowdown": 0.111}}
    sections = {r[0] for r in rows(report)}
    assert {"gum_news all", "gum_news heldout", "petrarch2", "stance", "speed"} <= sections
    assert ("stance", "evaluate_stance", "absent") in rows(report)


# --- on the real data (skipped without ../shared) ----------------------------------------------


def test_a_few_gum_documents_score_sensibly(analyzer) -> None:  # type: ignore[no-untyped-def]
    gum_dir = shared_path("eval", "gum_news")
    docs = [d for d in ev.load_gum(gum_dir) if d.doc_id in ("GUM_news_korea", "GUM_news_questionnaire")]
    assert len(docs) == 2
    for doc in docs:
        for sent in doc.sentences:
            for token, (start, end) in zip(sent.tokens, sent.spans, strict=True):
                assert doc.text[start:end] == token
    codes = ev.read_political_actors()
    tally = ev._Tally()
    for doc in docs:
        tally.add(ev._score_doc(doc, analyzer.analyze(doc.text).entities, codes))
    summary = ev._gum_summary(tally, len(docs))
    assert summary["typed"]["f1"] > 0.5
    assert summary["actor_mentions"] >= 10
    assert summary["actor_country_accuracy"] > 0.6
    json.dumps(summary)


def test_petrarch_actor_codes_with_the_validation_dictionaries(analyzer) -> None:  # type: ignore[no-untyped-def]
    shared = shared_path("eval", "petrarch2").parents[1]
    result = ev.evaluate_petrarch_actors(analyzer, shared)
    assert result["expected_codes"] > 300
    assert result["actor_code_accuracy"] > 0.7


def test_rows_show_the_issue_figures_of_the_stance_layer() -> None:
    """Held-out and dev category accuracy apart, and country accuracy when a stance is found."""
    half = {"category_accuracy": 0.5, "source_country_accuracy_when_coded": 0.9,
            "target_country_accuracy_when_coded": 0.8}
    report = {"entities": {}, "stance": {"plover": {"all": half, "dev": {**half, "category_accuracy": 0.75},
                                                     "heldout": half}}}
    by_metric = {(r[0], r[1]): r[2] for r in rows(report)}
    assert by_metric[("plover stance", "category accuracy held-out / dev half")] == "0.500 / 0.750"
    assert by_metric[("plover stance", "source / target country when a stance is found")] == "0.900 / 0.800"
