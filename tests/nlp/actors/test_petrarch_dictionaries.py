"""Phoenix/PETRARCH actors and agents (role nouns) dictionaries, read at runtime."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from streams.nlp.actors import ActorTable, read_actors, read_role_nouns
from streams.nlp.actors.petrarch import CodeSpec, parse_code, parse_date

# The shared evaluation data lives beside the repository (../shared); a fresh
# clone has none, and these tests then skip.
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
DICTIONARIES = SHARED / "eval" / "petrarch2" / "dictionaries"

ACTORS = """\
<!-- A SMALL TEST DICTIONARY -->
<!--
# a multi-line XML comment
# -->
ARNOR_  [ARN]
+ARNORIAN  # a synonym with a comment
GONDOR [GON] ; TABARI-style comment
+MINAS_TIRITH

GOLLUM  # no default code: dated codes only
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]

SAM_GAMGEE [HOB]
\t[ORCHOB 20100109-20100112] # listed first, so it wins over the next one
\t[HOBMIL 20080120-20121109]

PRINCE OF DOL AMROTH
\t[--- <950630]
\t[DOL]

JAVIER_SOLANA_\t[IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006]
THE_ELVES [ELR/GAL]

FIRST_NAME_WITHOUT_CODE
SECOND_NAME_WITHOUT_CODE
THIRD_NAME
\t[NUM 20000101-20001231]
"""

#: A PETRARCH agents dictionary: role nouns.
ROLE_NOUNS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
!MINST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES

FOREIGN_MINISTER [~GOVFRM] # jap 4/14/01
POLICE {} [ ~COP]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
AUTHORITY  [~GOV]
HUMAN_RIGHTS_BODY  [NGO~]
CONGRESS!PERSON! [~LEG]
!MINST!_OF_SILLY_WALKS [~GOV]
NO_CODE_HERE
"""


@pytest.fixture()
def sample(tmp_path: Path) -> tuple[Path, Path]:
    actors = tmp_path / "sample.actors.txt"
    role_nouns = tmp_path / "sample.agents.txt"
    actors.write_text(ACTORS, encoding="utf-8")
    role_nouns.write_text(ROLE_NOUNS, encoding="utf-8")
    return actors, role_nouns


def test_dates_follow_petrarch() -> None:
    assert parse_date("950601") == date(1995, 6, 1)
    assert parse_date("300101") == date(2030, 1, 1)  # 00-30 -> 20YY
    assert parse_date("310101") == date(1931, 1, 1)
    assert parse_date("20100109") == date(2010, 1, 9)
    assert parse_date("201005011") == date(2010, 5, 1)  # first eight digits
    with pytest.raises(ValueError):
        parse_date("20100931")


def test_code_restrictions() -> None:
    assert parse_code("RUSGOV") == CodeSpec("RUSGOV")
    assert parse_code("RUSGOV >080508") == CodeSpec("RUSGOV", date(2008, 5, 8), None)
    assert parse_code("HOB < 950601") == CodeSpec("HOB", None, date(1995, 6, 2))  # inclusive bound
    assert parse_code("HOBGOV 19950601 - 19990815") == CodeSpec("HOBGOV", date(1995, 6, 1), date(1999, 8, 16))
    assert parse_code("---") == CodeSpec(None)
    assert parse_code("pse") == CodeSpec("PSE")
    assert parse_code("MNEGOV 20121204") == CodeSpec("MNEGOV")  # a date without < > or -: ignored
    for bad in ("ELR/GAL", "G77", "YEMNO", "950601-990815", "ABC 990101-980101", "ABC >9901"):
        with pytest.raises(ValueError):
            parse_code(bad)


def test_actor_entries_synonyms_and_comments(sample: tuple[Path, Path]) -> None:
    actors = read_actors(sample[0])
    texts = {t for t, _ in actors.entries()}
    assert {"ARNOR", "ARNORIAN", "GONDOR", "MINAS TIRITH", "GOLLUM", "SMEAGOL", "SAM GAMGEE",
            "PRINCE OF DOL AMROTH", "JAVIER SOLANA"} <= texts
    assert not any("COMMENT" in t or "A SMALL" in t for t in texts)
    assert any("ELR/GAL" in w for w in actors.warnings)


def test_dated_codes_resolve_like_petrarch(sample: tuple[Path, Path]) -> None:
    table = ActorTable.load(petrarch_actors=[sample[0]], builtin=False)

    def code(surface: str, on: date) -> list[str]:
        return [c.code for c in table.lookup(surface, on)]

    assert code("Gollum", date(1990, 1, 1)) == ["HOB"]
    assert code("Smeagol", date(1995, 6, 1)) == ["HOB"]  # '<' includes its day; listed first, so it wins
    assert code("Smeagol", date(1997, 1, 1)) == ["HOBGOV"]
    assert code("Gollum", date(1999, 8, 15)) == ["HOBGOV"]  # interval ends are inclusive
    assert code("Gollum", date(1999, 8, 16)) == ["HOBREB"]  # so are '>' bounds
    assert code("Gollum", date(2001, 1, 1)) == ["HOBREB"]
    assert code("Sam Gamgee", date(2010, 1, 10)) == ["ORCHOB"]  # first restriction wins
    assert code("Sam Gamgee", date(2011, 1, 1)) == ["HOBMIL"]
    assert code("Sam Gamgee", date(2015, 1, 1)) == ["HOB"]  # the default
    assert code("Prince of Dol Amroth", date(1990, 1, 1)) == []  # '---' is the null code
    assert code("Prince of Dol Amroth", date(1996, 1, 1)) == ["DOL"]
    assert code("Javier Solana", date(1997, 1, 1)) == ["IGOWSTNAT"]  # two restrictions on one line
    assert code("Minas Tirith", date(2000, 1, 1)) == ["GON"]
    # Primary phrases without codes take the next record's codes (PETRARCH).
    assert code("first name without code", date(2000, 6, 1)) == ["NUM"]
    assert code("second name without code", date(2000, 6, 1)) == ["NUM"]
    (c,) = table.lookup("Gollum", date(1997, 1, 1))
    assert (c.country, c.role, c.kind, c.source) == ("HOB", "GOV", "leader", "sample.actors.txt")
    assert c.basis == "petrarch:sample.actors.txt:10:1995-06-01..1999-08-15"


def test_role_nouns_attach_to_actors(sample: tuple[Path, Path]) -> None:
    nouns = read_role_nouns(sample[1])
    texts = {t for t, _ in nouns.nouns()}
    assert {"FOREIGN MINISTER", "FOREIGN MINISTERS", "POLICE", "ATTORNEY GENERAL", "ATTORNEYS GENERAL",
            "AUTHORITY", "AUTHORITIES", "CONGRESSMAN", "CONGRESSWOMEN", "MINISTRY OF SILLY WALKS",
            "MINISTERS OF SILLY WALKS"} <= texts
    assert "POLICES" not in texts  # {} means no plural
    assert any("need a [code]" in w for w in nouns.warnings)

    table = ActorTable.load(petrarch_actors=[sample[0]], petrarch_role_nouns=[sample[1]], builtin=False)
    on = date(2000, 1, 1)
    assert [c.code for c in table.lookup("Arnor's foreign minister", on)] == ["ARNGOVFRM"]
    assert [c.code for c in table.lookup("Gondor police", on)] == ["GONCOP"]
    assert [c.code for c in table.lookup("Gondor congresswomen", on)] == ["GONLEG"]
    assert [c.code for c in table.lookup("Arnorian human rights body", on)] == ["NGOARN"]


def test_plugged_in_dictionaries_add_to_the_builtin_data(sample: tuple[Path, Path]) -> None:
    table = ActorTable.load(petrarch_actors=[sample[0]], petrarch_role_nouns=[sample[1]])
    assert [c.code for c in table.lookup("Gondor", date(2000, 1, 1))] == ["GON"]
    assert [c.code for c in table.lookup("the Kremlin", date(2000, 1, 1))] == ["RUSGOV"]
    assert any(s.text == "MINAS TIRITH" for s in table.surfaces())


# ---------------------------------------------------------------------- the PETRARCH validation suite


@pytest.fixture(scope="module")
def validation() -> ActorTable:
    actors = DICTIONARIES / "PETR.Validate.actors.txt"
    role_nouns = DICTIONARIES / "PETR.Validate.agents.txt"
    if not actors.exists() or not role_nouns.exists():
        pytest.skip(f"{DICTIONARIES} is absent (the shared evaluation data lives beside the repo)")
    return ActorTable.load(petrarch_actors=[actors], petrarch_role_nouns=[role_nouns], builtin=False)


@pytest.mark.parametrize(("surface", "on", "code"), [
    ("Arnor", "19950101", "ARN"),
    ("Gondor", "19950101", "GON"),
    ("Minas Tirith", "19950101", "GON"),
    ("Dagolath", "19950103", "DAG"),
    ("Telemar", "19950103", "DAG"),
    ("Caras Galadhon", "19950103", "ELF"),
    ("Hamas", "20080101", "PSEREBHMS"),
    ("Israeli troops", "20080101", "ISRMIL"),
    ("United States", "20080101", "USA"),
    ("U.S.", "20080101", "USA"),
    ("White House", "20080101", "USAGOV"),
    ("Interpol", "20080101", "IGOCOPITP"),
    ("Gollum", "19900101", "HOB"),
    ("Gollum", "19970101", "HOBGOV"),
    ("Smeagol", "20000101", "HOBREB"),
    ("Sam Gamgee", "20100110", "ORCHOB"),
    ("Sam Gamgee", "20110101", "HOBMIL"),
    ("Sam Gamgee", "20121201", "HOBGOV"),
    ("Sam Gamgee", "20140101", "HOBELI"),
    ("Zimbabwe", "19700101", "RHO"),
    ("Zimbabwe", "19900101", "ZBW"),
    ("USSR", "19800101", "USR"),
])
def test_validation_actors(validation: ActorTable, surface: str, on: str, code: str) -> None:
    d = parse_date(on)
    assert [c.code for c in validation.lookup(surface, d)] == [code]


def test_a_phrase_in_two_entries_returns_both(validation: ActorTable) -> None:
    # PALESTINIAN is both its own entry [pse] and a synonym of PALESTINE [PAL].
    assert sorted(c.code for c in validation.lookup("Palestinian", date(2008, 1, 1))) == ["PAL", "PSE"]


def test_validation_role_nouns_compose(validation: ActorTable) -> None:
    on = date(1995, 1, 3)
    assert [c.code for c in validation.lookup("Dagolath's Deputy Prime Minister", on)] == ["DAGGOV"]
    assert [c.code for c in validation.lookup("Arnor foreign minister", on)] == ["ARNGOVFRM"]
    assert [c.code for c in validation.lookup("Gondor parliament", on)] == ["GONLEG"]
    assert [c.code for c in validation.lookup("Arnor police", on)] == ["ARNCOP"]


def test_validation_dictionary_problems_are_reported_not_raised() -> None:
    path = DICTIONARIES / "PETR.Validate.actors.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    actors = read_actors(path)
    assert len(actors) > 100
    joined = "\n".join(actors.warnings)
    assert "ELR/GAL" in joined and "G77" in joined


def test_the_public_phoenix_dictionaries_load() -> None:
    countries = DICTIONARIES / "Phoenix.Countries.actors.txt"
    role_nouns = DICTIONARIES / "Phoenix.agents.txt"
    if not countries.exists():
        pytest.skip(f"{countries} is absent")
    table = ActorTable.load(petrarch_actors=[countries], petrarch_role_nouns=[role_nouns], builtin=False)
    assert [c.code for c in table.lookup("Vladimir Putin", date(2010, 1, 1))] == ["RUSGOV"]
    assert [c.code for c in table.lookup("Dmitri Medvedev", date(2010, 1, 1))] == ["RUSGOV"]
    # That file lists DMITRY_MEDVEDEV_ with no code just before DMITR_MEDVEDEV_
    # and its restrictions: as in PETRARCH, the code-less phrases share them.
    assert [c.code for c in table.lookup("Dmitry Medvedev", date(2010, 1, 1))] == ["RUSGOV"]
    assert [c.code for c in table.lookup("Afghanistan", date(2010, 1, 1))] == ["AFG"]


# ---------------------------------------------------------------------- one-word names in the text


@pytest.mark.parametrize(("text", "code"), [
    ("Gollum abandoned the talks with Gondor on Saturday.", "HOB"),      # first word, NER silent
    ("Neither Arnor nor Gollum boycotted the parade.", "HOB"),
])
def test_a_one_word_dictionary_name_tagged_as_a_name_is_found(
        sample: tuple[Path, Path], text: str, code: str) -> None:
    from streams.nlp import Analyzer
    from streams.nlp.gazetteer import GAZETTEER_PIPE, ActorGazetteer, table_entries
    from streams.nlp.resolve import resolve_entities

    nlp = Analyzer().nlp
    table = ActorTable.load(petrarch_actors=[sample[0]], petrarch_role_nouns=[sample[1]])
    with nlp.select_pipes(disable=[GAZETTEER_PIPE]):
        doc = ActorGazetteer(nlp, table_entries(table))(nlp(text))
    found = {e.text: e.actor.code for e in resolve_entities(doc, date(1992, 1, 2), "body", table)
             if e.actor is not None}
    assert found.get("Gollum") == code, found

