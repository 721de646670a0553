"""Stop 29: causes read in the development sets' misses (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "source", "target", "code"), [
    # irregular pasts come from an inflection table: "found" is a form of "find"
    ("A Turkish court found a German journalist guilty of spreading propaganda.",
     "Turkish court", "German journalist", "116"),
    # a small clause stands for the object: whom it predicates of is the target
    ("Iran found the French academic guilty.", "Iran", "French academic", "116"),
    ("Britain held Iran responsible for the attack.", "Britain", "Iran", "112"),
    ("Russia declared the German envoy persona non grata.", "Russia", "German envoy", "161"),
    # "bar" is "ban": whom it bars says which restriction
    ("Belarus barred OSCE election observers from entering the country.", "Belarus", "OSCE", "1245"),
    ("Turkey barred Dutch ministers from holding rallies in Istanbul.", "Turkey", "Dutch ministers", "1722"),
    # asking something *from* someone appeals to them; money asked for is economic aid
    ("Pakistan sought an emergency loan from China.", "Pakistan", "China", "0231"),
    ("Kenya sought help from Ethiopia.", "Kenya", "Ethiopia", "023"),
    # goods shipped, exported or sold to a country, money poured into it: economic cooperation
    ("Qatar began shipping gas to Pakistan under a supply deal.", "Qatar", "Pakistan", "061"),
    ("Kazakhstan exported record amounts of wheat to Iran.", "Kazakhstan", "Iran", "061"),
    ("Saudi Arabia poured billions of dollars into Egypt.", "Saudi Arabia", "Egypt", "061"),
    ("France sold fighter jets to India.", "France", "India", "072"),
    # an act made to depend on another's conduct is a threat aimed at that other
    ("Germany will cut aid to Mali unless the junta holds elections.", "Germany", "the junta", "1311"),
    ("The European Union said it might end its involvement in Somalia unless the government "
     "curbed corruption.", "The European Union", "the government", "1313"),
    # a deadline given to comply is an ultimatum
    ("Ankara gave Damascus ten days to expel the rebel leader.", "Ankara", "Damascus", "139"),
    # asking third parties no table names to act against X rallies opposition to X
    ("Qatar urged Arab states to cut ties with Israel.", "Qatar", "Israel", "113"),
    # ... but an actor asked is appealed to
    ("Poland urged Germany to impose sanctions on Russia.", "Poland", "Germany", "020"),
    # an infinitive with a subject of its own: that subject is the verb's object
    ("Iraq allowed inspectors from the United Nations to visit its presidential palaces on Sunday.",
     "Iraq", "United Nations", "0862"),
    ("North Korea allowed monitors from the United Nations to enter its Yongbyon complex on Friday.",
     "North Korea", "United Nations", "0862"),
    # coordinating positions is diplomatic cooperation; a campaign of coercion coerces
    ("France coordinated its positions with Germany before the summit.", "France", "Germany", "050"),
    ("China stepped up its campaign of coercion against Taiwan.", "China", "Taiwan", "170"),
    # force used in violation of a truce violates it; people seized are hostages
    ("Serb forces shelled Sarajevo in violation of the ceasefire.", "Serb forces", "Sarajevo", "196"),
    ("Chechen rebels seized 40 foreign tourists from a hotel in Dagestan.", "Chechen rebels",
     "foreign tourists", "181"),
    # a purpose names the counterpart; the act it is the purpose of is the news ...
    ("Japan said it had scaled down its joint naval drills with the United States to ease tensions "
     "with China.", "Japan", "China", "087"),
    # ... unless the purpose says what the act is
    ("Palestinian workers stayed home on Monday to protest against Israel.", "Palestinian workers",
     "Israel", "141"),
    # a state's forces reduced de-escalate
    ("Serbia reduced its troops on the border with Kosovo.", "Serbia", "Kosovo", "087"),
    # a verb's own -ing noun is the act, its "of" phrase the object, its possessor the actor
    ("Turkey's lifting of the curfew in Diyarbakir was welcomed by Kurdish leaders.", "Turkey",
     "Diyarbakir", "0813"),
    ("Britain's freezing of Iranian assets angered Tehran.", "Britain", "Iranian", "163"),
    # "be on a tour of", "be in talks with": the subject of "be" acts
    ("The French president is on a four-day tour of Vietnam.", "The French president", "Vietnam", "042"),
    # rallying others behind someone garners support for them
    ("Turkey rallied Muslim states behind Azerbaijan.", "Turkey", "Azerbaijan", "053"),
    # a strike one is *in* is held by the subject of the verb that holds it
    ("Kurdish shopkeepers in Diyarbakir kept their shops shut on Monday in a strike demanding the "
     "release of jailed Turkish activists.", "Kurdish shopkeepers", "Turkish activists", "143"),
    ("Iranian bazaar merchants kept their stalls closed in a strike against the Iranian government.",
     "Iranian bazaar merchants", "the Iranian government", "143"),
    ("Three Palestinians were killed in an Israeli air strike on Gaza.", "Israeli", "Palestinians", "195"),
    # a hyphenated object the tokenizer splits is read whole
    ("Serb forces violated the cease-fire around Sarajevo.", "Serb forces", "Sarajevo", "196"),
    # saying sorry apologises; trading gunfire fights with small arms; civil disobedience protests
    ("Germany said sorry to Namibia for the colonial-era killings.", "Germany", "Namibia", "055"),
    ("Indian and Pakistani troops traded gunfire across the Line of Control.", "Indian",
     "Pakistani", "193"),
    ("Kosovo Albanians began a campaign of civil disobedience against Serbia.", "Kosovo Albanians",
     "Serbia", "140"),
    # revoking a licence or accreditation is an administrative sanction
    ("Russia revoked the accreditation of a German broadcaster.", "Russia", "German", "172"),
    ("China withdrew the press credentials of three American reporters.", "China", "American", "172"),
    # ordered to close its offices and leave: an expulsion
    ("Eritrea ordered the Norwegian aid agency to close its offices and leave the country.",
     "Eritrea", "Norwegian", "166"),
    # a strike is a labour strike before its ending is composed: calling it off eases dissent
    ("Kenyan nurses called off a week-long strike against the health ministry.",
     "Kenyan nurses", "the health ministry", "082"),
    # the deed is the news; the words in a clause of their own only explain it
    ("Kenyan nurses staged a nationwide strike on Monday to demand back pay, defying warnings from "
     "the health ministry.", "Kenyan nurses", "the health ministry", "143"),
])
def test_stop_29_causes(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code


@pytest.mark.parametrize(("text", "pair", "code"), [
    # the verb a row names for its noun is the noun's light verb: its subject acts
    ("Israeli troops set fire to Palestinian homes in Hebron.", ("ISR", "PSE"), "1712"),
    # ... and a crowd that sets fire protests violently
    ("Pakistani rioters set fire to the US consulate in Karachi.", ("PAK", "USA"), "145"),
])
def test_stop_29_end_to_end(dyads, text: str, pair: tuple[str, str], code: str) -> None:  # type: ignore[no-untyped-def]
    found = dyads(text)
    assert (*pair, code) in found, (text, found)


@pytest.mark.parametrize(("text", "source", "target", "code"), [
    # a deed inside the words is theirs: the threat, the promise, not the strike or the release
    ("North Korea threatened on Friday to launch a nuclear strike on the United States.",
     "North Korea", "United States", "13"),
    ("Iran, which detained two British sailors last month, said on Tuesday it would free them.",
     "Iran", "British sailors", "03"),
])
def test_stop_29_words_that_hold_the_deed(between, text: str, source: str, target: str,  # type: ignore[no-untyped-def]
                                          code: str) -> None:
    assert (between(text, source, target) or "")[:2] == code


@pytest.mark.parametrize(("text", "source", "target"), [
    # a reported clause is no small clause: its copula makes it a statement about the target
    ("Iran said the United States was guilty.", "Iran", "United States"),
    ("Iran said the United States was responsible.", "Iran", "United States"),
])
def test_stop_29_not_events(between, text: str, source: str, target: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) not in {"116", "112"}


def test_stop_29_the_from_phrase_of_words_is_their_author(dyads) -> None:  # type: ignore[no-untyped-def]
    """"Responding to an appeal *from* Nicaragua": Nicaragua appealed, the responder did not."""
    text = "Responding to an appeal from Nicaragua, Venezuela sent aid to Managua."
    found = dyads(text, 2)
    assert ("VEN", "NIC", "07") in found
    assert ("VEN", "NIC", "02") not in found, found


@pytest.mark.parametrize(("text", "pair"), [
    ("The Israeli raid drew condemnation from Egypt.", ("EGY", "ISR")),
    ("Russia's annexation of Crimea drew sharp criticism from Germany.", ("DEU", "RUS")),
])
def test_stop_29_words_an_act_drew_answer_its_actor(dyads, text: str,  # type: ignore[no-untyped-def]
                                                    pair: tuple[str, str]) -> None:
    """"X's act drew criticism from Y": Y criticised X (and not whatever X's act was done to)."""
    found = dyads(text, 2)
    assert (*pair, "11") in found, found
    assert not [f for f in found if f[0] == pair[0] and f[1] not in (pair[1],)], found
