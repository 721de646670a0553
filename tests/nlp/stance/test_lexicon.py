"""The trigger lexicon: valid codes, every CAMEO root covered, morphology, patterns."""

from __future__ import annotations

import pytest

from streams.cameo import is_known, roots
from streams.nlp.stance import coding
from streams.nlp.stance.lexicon import Lexicon, default_lexicon, noun_forms, parse_pattern, verb_forms

#: The common verbs of each CAMEO root that the lexicon must know (issue 4).
REQUIRED = {
    "01": ["say", "comment"], "02": ["appeal", "urge", "call"], "03": ["pledge", "promise", "agree"],
    "04": ["meet", "talk", "visit", "host", "negotiate", "consult"],
    "05": ["praise", "thank", "support", "endorse"], "06": ["cooperate"], "07": ["aid"],
    "08": ["yield", "release", "withdraw", "lift"], "09": ["investigate"], "10": ["demand"],
    "11": ["criticize", "condemn", "accuse", "denounce"], "12": ["reject", "refuse", "deny"],
    "13": ["threaten", "warn"], "14": ["protest"], "15": ["mobilize", "deploy"],
    "16": ["expel", "ban", "sanction", "cut", "suspend", "designate"], "17": ["arrest", "seize"],
    "18": ["attack", "kill"], "19": ["fight", "clash", "strike", "bomb", "shell", "invade"],
    "20": ["massacre"],
}


def test_every_code_is_a_cameo_code() -> None:
    for entry in default_lexicon().entries:
        assert is_known(entry.code), entry


def test_no_row_is_written_twice() -> None:
    """A second row with the same word, part of speech and pattern would never be reached."""
    seen: set[tuple[str, str, object]] = set()
    for entry in default_lexicon().entries:
        key = (entry.lemma, entry.pos, entry.pattern)
        assert key not in seen, entry
        seen.add(key)


def test_every_root_is_covered() -> None:
    covered = {e.root for e in default_lexicon().entries}
    assert covered == {r.code for r in roots()}


@pytest.mark.parametrize("root,lemmas", sorted(REQUIRED.items()))
def test_common_verbs_of_each_root(root: str, lemmas: list[str]) -> None:
    by_lemma = {(e.lemma, e.root) for e in default_lexicon().entries if e.pos == "V"}
    for lemma in lemmas:
        assert (lemma, root) in by_lemma, (lemma, root)


def test_nominal_events_are_listed() -> None:
    nouns = {e.lemma for e in default_lexicon().entries if e.pos == "N"}
    assert {"talks", "sanction", "ban", "attack", "invasion", "aid", "visit", "threat"} <= nouns


@pytest.mark.parametrize("lemma,forms", [
    ("ban", {"bans", "banned", "banning"}),
    ("criticize", {"criticizes", "criticized", "criticizing"}),
    ("deny", {"denies", "denied", "denying"}),
    ("say", {"says", "said", "saying"}),
    ("strike", {"struck", "striking"}),
    ("withdraw", {"withdrew", "withdrawn"}),
])
def test_verb_forms(lemma: str, forms: set[str]) -> None:
    assert forms <= verb_forms(lemma)


def test_noun_forms() -> None:
    assert {"sanction", "sanctions"} <= noun_forms("sanction")
    assert {"embargoes", "vetoes"} <= noun_forms("embargo") | noun_forms("veto")
    assert "casualties" in noun_forms("casualty")


def test_patterns_parse_and_expand_plurals() -> None:
    p = parse_pattern("prt=off;obj=tie|relation")
    assert p.prt == {"off"} and {"ties", "relations"} <= (p.obj or set())
    assert p.specificity == 2
    assert parse_pattern("-").specificity == 0
    with pytest.raises(ValueError):
        parse_pattern("object=ties")


def test_malformed_rows_are_rejected() -> None:
    header = "lemma\tpos\tpattern\tcode\tweight\n"
    with pytest.raises(ValueError):
        Lexicon.from_tsv(header + "attack\tX\t-\t18\t0.5\n")
    with pytest.raises(ValueError):
        Lexicon.from_tsv(header + "attack\tV\t-\t999\t0.5\n")
    with pytest.raises(ValueError):
        Lexicon.from_tsv(header + "attack\tV\t-\t18\t1.5\n")


def test_specific_rows_come_first() -> None:
    lexicon = Lexicon.from_tsv("lemma\tpos\tpattern\tcode\tweight\n"
                               "cut\tV\t-\t160\t0.5\ncut\tV\tobj=tie\t161\t0.9\n")
    assert [e.code for e in lexicon.rows("cut", "V")] == ["161", "160"]


@pytest.mark.parametrize("fn,inner,expected", [
    (coding.threat, "163", "1312"), (coding.threat, "161", "1313"), (coding.threat, "190", "1384"),
    (coding.appeal, "040", "026"), (coding.appeal, "073", "0233"), (coding.reject, "040", "125"),
    (coding.reject, "085", "1244"), (coding.intent, "072", "0332"), (coding.intent, "163", "1312"),
    (coding.demand, "087", "106"), (coding.demand, "0871", "107"),
])
def test_composition_tables(fn, inner: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert fn(inner) == expected
    assert is_known(expected)


def test_terminating_an_act() -> None:
    assert coding.terminate("040") == "164"  # suspended talks
    assert coding.terminate("190") == "087"  # halted the offensive
    assert coding.terminate("163") == "085"  # lifted sanctions
    assert coding.terminate("160") == "081"  # lifted the suspension of political parties
    assert coding.terminate("010") is None


def test_every_composition_result_is_a_cameo_code() -> None:
    for table in coding.TABLES.values():
        for code in table.values():
            assert is_known(code), code


# -- rows grown by verb class (engagement, hostile action, comments, money, receiving) -------

#: Each class, with the root its members must code (a class is grown whole, not word by word).
CLASSES = {
    ("work", "with"): "06", ("act", "with"): "06", ("engage", "with"): "05",
    ("celebrate", "with"): "04", ("dine", "with"): "04", ("adopt", "with"): "05",
    ("act", "against"): "17", ("move", "against"): "17", ("depart", "for"): "04",
    ("contribute", "to"): "07", ("break", "with"): "16", ("split", "with"): "16",
    ("rally", "behind"): "05", ("turn", "against"): "11", ("bow", "to"): "08",
}


@pytest.mark.parametrize("lemma_prep,root", sorted(CLASSES.items()))
def test_verb_classes_by_preposition(lemma_prep: tuple[str, str], root: str) -> None:
    lemma, prep = lemma_prep
    rows = [e for e in default_lexicon().rows(lemma, "V")
            if e.pattern.prep is not None and prep in e.pattern.prep]
    assert rows and {e.root for e in rows} == {root}, (lemma, prep, rows)


def test_money_class_covers_every_verb_of_giving_and_the_same_currencies() -> None:
    lexicon = default_lexicon()
    for verb in ("give", "send", "provide", "transfer", "contribute", "donate"):
        money = [e for e in lexicon.rows(verb, "V") if e.code == "071" and e.pattern.obj]
        words = set().union(*(e.pattern.obj or set() for e in money))
        assert {"euros", "francs", "florins", "rupees"} <= words, verb


def test_light_verbs_of_noun_rows_are_lemmatized() -> None:
    # "reasserted friendship" must find the lv= verb by its lemma
    assert "reassert" in default_lexicon().verb_lemmas
    assert "voice" in default_lexicon().verb_lemmas


def test_clause_patterns_parse_and_count() -> None:
    p = parse_pattern("clause=that")
    assert p.clause == frozenset({"that"}) and p.specificity == 1
    allow = default_lexicon().rows("allowed", "V")
    assert any(e.pattern.clause == frozenset({"that"}) and e.code == "015" for e in allow)  # "allowed that"


def test_no_row_is_shadowed_by_an_earlier_one() -> None:
    """A row with the same word, keys and an overlapping alternative as an earlier row can
    never win for that alternative (the first matching row of equal specificity does):
    the overlap is dead text that says something the coder never does."""
    entries = default_lexicon().entries
    keys = ("prt", "prep", "obj", "mod", "lv", "clause")
    dead = []
    for k, e in enumerate(entries):
        mine = {key: getattr(e.pattern, key) for key in keys if getattr(e.pattern, key) is not None}
        for earlier in entries[:k]:
            theirs = {key: getattr(earlier.pattern, key) for key in keys
                      if getattr(earlier.pattern, key) is not None}
            if (earlier.lemma, earlier.pos) == (e.lemma, e.pos) and earlier.code != e.code and \
                    set(mine) == set(theirs) and all(mine[key] & theirs[key] for key in mine):
                dead.append((e.lemma, e.code, earlier.code,
                             {key: sorted(mine[key] & theirs[key]) for key in mine}))
    assert not dead, dead


def test_an_ing_noun_without_rows_of_its_own_takes_its_verbs(analyzer) -> None:  # type: ignore[no-untyped-def]
    lexicon = default_lexicon()
    doc = analyzer.nlp("Ethiopia's lifting of the state of emergency and the meeting in Addis.")
    lifting, meeting = doc[2], doc[10]
    assert lifting.pos_ == "NOUN" and {e.code for e in lexicon.candidates(lifting)} >= {"0814"}
    # a noun with rows of its own keeps them
    assert lexicon.candidates(meeting) == lexicon.rows("meeting", "N")


def _noun(analyzer, text: str, word: str):  # type: ignore[no-untyped-def]
    token = next(t for t in analyzer.nlp(text) if t.text == word)
    assert token.pos_ == "NOUN", (word, token.pos_)
    return token


@pytest.mark.parametrize(("text", "word", "code"), [
    ("The prosecution of opposition leaders went ahead.", "prosecution", "173"),
    ("Moscow's suspensions of flights angered Tbilisi.", "suspensions", "160"),
    ("The mistreatment of detainees by guards continued.", "mistreatment", "182"),
])
def test_a_suffixed_noun_without_rows_of_its_own_takes_its_verbs(  # type: ignore[no-untyped-def]
        analyzer, text: str, word: str, code: str) -> None:
    lexicon = default_lexicon()
    token = _noun(analyzer, text, word)
    assert lexicon.rows(word, "N") == []
    assert code in {e.code for e in lexicon.candidates(token)}


@pytest.mark.parametrize(("text", "word"), [
    ("Police at the station said the commission would meet.", "station"),  # not "state"
    ("Police at the station said the commission would meet.", "commission"),  # not "commit"
    ("The opposition movement held a news conference.", "movement"),
    ("The opposition movement held a news conference.", "conference"),  # not "confer"
])
def test_a_suffixed_noun_that_names_a_thing_is_not_its_verbs_act(  # type: ignore[no-untyped-def]
        analyzer, text: str, word: str) -> None:
    assert default_lexicon().candidates(_noun(analyzer, text, word)) == []


def test_a_suffixed_speech_noun_is_no_speech_frame(analyzer) -> None:  # type: ignore[no-untyped-def]
    token = _noun(analyzer, "The declaration was read aloud.", "declaration")
    assert not [e for e in default_lexicon().candidates(token) if e.code.startswith("01")]


@pytest.mark.parametrize(("text", "index", "code"), [
    ("The students ended their sit-in on Friday.", 6, "141"),  # sit - in: the "in"
    ("Both sides agreed a cease-fire.", 6, "0871"),
    ("Washington strong-armed Panama.", 3, "170"),
])
def test_a_hyphenated_word_split_by_the_tokenizer_is_read_whole(analyzer, text: str,  # type: ignore[no-untyped-def]
                                                                index: int, code: str) -> None:
    token = analyzer.nlp(text)[index]
    assert code in {e.code for e in default_lexicon().candidates(token)}, (token.text, token.pos_)
    # the same word with spaces around its hyphen is two words (neither gets the whole word's rows)
    whole = f"{token.doc[index - 2].lower_}-{token.lower_}"
    spaced = analyzer.nlp(text.replace("-", " - "))
    assert all(whole not in {e.lemma for e in default_lexicon().candidates(t)} for t in spaced
               if t.lower_ in ("in", "fire", "armed")), text
