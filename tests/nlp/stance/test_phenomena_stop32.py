"""Stop 32: causes read in the misses of our probes (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest

CAUSES = [
    # a verb's own noun made with a suffix is its act: the possessor or "by" phrase acts, the
    # "of" phrase undergoes it
    ("Ankara's suspension of flights to Erbil was extended on Monday.", "Ankara", "Erbil", "163"),
    ("The prosecution of opposition leaders by the junta drew criticism.", "junta",
     "opposition leaders", "173"),
    ("Caracas's admission of UN inspectors to the sites ended the standoff.", "Caracas",
     "UN inspectors", "0862"),
    ("Washington warned Havana that it would face isolation if it kept the troops there.",
     "Washington", "Havana", "131"),
    # an inspection allowed is a concession, like the inspectors allowed
    ("Tehran agreed to allow inspections of its enrichment plant by the IAEA.", "Tehran", "IAEA",
     "0355"),
    # a participle before a mention's noun describes it: what was done to the source is not
    # its act, what it is doing is
    ("More than 100 jailed Kurdish activists have been on hunger strike in protest at the "
     "Turkish government's prison rules.", "Kurdish activists", "Turkish government", "142"),
    ("Egypt's negotiating team haggled with Sudanese delegates late into the night.", "Egypt",
     "Sudanese delegates", "046"),
    # a noun's object is its "on" phrase too: a ban on a party bans the party
    ("Minsk's ban on the Belarusian Popular Front was upheld by the supreme court.", "Minsk",
     "Belarusian Popular Front", "1722"),
    # reversing, revoking or repealing a ban ends it, as lifting does
    ("Hanoi's reversal of its ban on Chinese fruit imports was welcomed in Beijing.", "Hanoi",
     "Chinese", "081"),
    ("Islamabad revoked its ban on Indian films on Monday.", "Islamabad", "Indian", "081"),
    # ending a curfew eases it
    ("Indian troops ended a three-day curfew on Kashmiri villagers on Sunday.", "Indian troops",
     "Kashmiri villagers", "0813"),
    # a noun matched through its object owns it and the arguments hung on it
    ("The easing of visa rules by Ankara on Iranian traders took effect on Monday.", "Ankara",
     "Iranian traders", "081"),
    # a participle right after an event noun is the verb that governs it: "the accord *reached*
    # by X", "an audience *granted* by X to Y"
    ("An audience granted by the Pope to Fidel Castro lasted an hour.", "the Pope",
     "Fidel Castro", "040"),
    ("The accord reached by Hanoi and Beijing on the land border was ratified.", "Hanoi",
     "Beijing", "057"),
    # lifting a suspension eases a sanction
    ("The junta lifted its suspension of the opposition party on Friday.", "junta",
     "opposition party", "081"),
]

VOCABULARY = [
    # event nouns the lexicon lacked, each with its arguments inside its own phrase
    ("Trade between Chile and Peru grew by a fifth last year.", "Chile", "Peru", "061"),
    ("Secret contacts between Seoul and Pyongyang were revealed on Monday.", "Seoul", "Pyongyang",
     "040"),
    ("A clamour from Kenyan unions for Nairobi to cut fuel prices grew louder.", "Kenyan unions",
     "Nairobi", "100"),
    ("A vigil by Tibetan exiles outside the Chinese embassy lasted all night.", "Tibetan exiles",
     "Chinese", "141"),
    ("Minsk's censorship of Polish broadcasts has tightened.", "Minsk", "Polish", "1721"),
    ("The barter between Jakarta and Moscow covered palm oil and jets.", "Jakarta", "Moscow",
     "061"),
    ("Fresh bluster from Tehran about closing the strait alarmed Riyadh.", "Tehran", "Riyadh",
     "130"),
    ("Seoul has cold-shouldered Tokyo since the ruling.", "Seoul", "Tokyo", "120"),
    ("The dispatch of three warships by Paris to the Gulf of Aden was aimed at Somali pirates.",
     "Paris", "Somali pirates", "154"),
    ("Premier Li Peng gave his word to Boris Yeltsin that trade would grow.", "Li Peng",
     "Boris Yeltsin", "030"),
    ("Rebel fighters mutilated villagers in the east of the country.", "Rebel fighters",
     "villagers", "182"),
    ("Paris returned ancient manuscripts taken during the war to Seoul on Monday.", "Paris",
     "Seoul", "0842"),
    ("Moscow ordered two warships toward the Syrian coast in a show of force aimed at Ankara.",
     "Moscow", "Ankara", "154"),
    ("Eritrean troops moved out of the Ethiopian town of Badme on Friday.", "Eritrean troops",
     "Ethiopian", "087"),
    ("The UN named a fact-finding team on Burma's treatment of the Rohingya.", "The UN", "Burma",
     "090"),
    ("Militiamen amputated the hands of villagers in the north.", "Militiamen", "villagers",
     "182"),
    ("Bolivia's government declared a state of emergency in La Paz after clashes with coca "
     "growers.", "Bolivia's government", "coca growers", "1724"),
    ("President Lula scrapped a pension bill opposed by Brazilian unions on Monday.",
     "President Lula", "Brazilian unions", "0832"),
    ("Tehran returned the seized Greek tanker to Athens on Friday.", "Tehran", "Athens", "084"),
    ("Baku initialled a gas protocol with Ankara on Wednesday.", "Baku", "Ankara", "057"),
    ("Qatar chipped in 50 million dollars for Gaza's reconstruction.", "Qatar", "Gaza", "071"),
    ("President Aliyev pardoned 60 jailed opposition activists on Monday.", "President Aliyev",
     "opposition activists", "0841"),
    ("Hanoi rolled back curbs on foreign reporters.", "Hanoi", "foreign reporters", "081"),
    ("Malaysian police dug into the finances of the Jemaah Islamiah network.",
     "Malaysian police", "Jemaah Islamiah", "090"),
    ("The BNP's boycott of parliament entered its third month.", "BNP", "parliament", "143"),
    ("Croatia has brought a genocide case against Serbia at the ICJ.", "Croatia", "Serbia",
     "115"),
    ("Zagreb began returning homes to ethnic Serbs in Krajina.", "Zagreb", "ethnic Serbs",
     "0842"),
    ("Brussels froze out the junta after the coup.", "Brussels", "junta", "160"),
    ("Chad garrisoned extra troops in Adre near the border with Sudan.", "Chad", "Sudan", "154"),
    # an indictment is a formal accusation (112), as the PLOVER records code it (DISAPPROVE),
    # not an arrest
    ("The UN tribunal in Arusha indicted Rwanda's former army chief for genocide.",
     "UN tribunal", "Rwanda's former army chief", "1121"),
    ("Uzbek authorities shut down the offices of the Norwegian Refugee Council in Tashkent.",
     "Uzbek authorities", "Norwegian Refugee Council", "172"),
    ("Ukraine partnered Poland in a cyber-defence drill near Lviv.", "Ukraine", "Poland", "060"),
    ("Paris handed back 26 artifacts looted from Benin to Cotonou on Tuesday.", "Paris",
     "Cotonou", "0842"),
    ("Detainees were subjected to waterboarding by CIA interrogators.", "CIA interrogators",
     "Detainees", "1822"),
    ("Rangoon ended ten months of martial law in Mandalay on Tuesday.", "Rangoon", "Mandalay",
     "0814"),
    ("Paris forgave Hanoi's debts.", "Paris", "Hanoi", "071"),
    ("The Pope forgave Mehmet Ali Agca.", "The Pope", "Mehmet Ali Agca", "056"),
    # walking out of a sitting is a walkout (143); out of talks it ends them (164)
    ("Kurdish deputies walked out of the Turkish parliament on Tuesday.", "Kurdish deputies",
     "Turkish parliament", "143"),
    ("Serbia walked out of talks with Kosovo in Brussels.", "Serbia", "Kosovo", "164"),
    # a predicate of the object read as a particle: "set them free"
    ("The rebels set free two Italian priests on Monday.", "rebels", "Italian priests", "0841"),
    ("Two Thai soldiers have been set free by the Khmer Rouge.", "Khmer Rouge", "Thai soldiers",
     "0841"),
    # verbs the lexicon lacked
    ("Riot police swooped on opposition supporters outside the parliament in Minsk.",
     "Riot police", "opposition supporters", "173"),
    ("Tokyo nudged Seoul to resume the intelligence pact.", "Tokyo", "Seoul", "020"),
    ("Nepal's army quashed the uprising by Maoist rebels in the west.", "Nepal's army",
     "Maoist rebels", "175"),
    ("Kampala ditched its ban on Kenyan poultry.", "Kampala", "Kenyan", "081"),
    ("Washington earmarked $50 million for Colombia's anti-drug police.", "Washington",
     "Colombia", "071"),
]


@pytest.mark.parametrize(("text", "source", "target", "code"), CAUSES + VOCABULARY)
def test_stop32_cause(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code


@pytest.mark.parametrize(("text", "source", "target"), [
    # a body or a place spelled like a verb's noun is no act: no "commit" here
    ("The Kenyan commission on Tanzanian refugees published its report.", "Kenyan",
     "Tanzanian"),
    # a trigger naming some people's trade is no act ("the aid group said")
    ("Police searched the offices of the Norwegian Refugee Council in Chechnya, the aid group "
     "said.", "Police", "Norwegian Refugee Council"),
    # what was done to the target, by someone unnamed
    ("France sent doctors to wounded Lebanese soldiers.", "France", "Lebanese soldiers"),
    ("Egyptian officials held a news conference on Sudan's border in Cairo.", "Egyptian",
     "Sudan"),
])
def test_no_event_of_the_source_toward_the_target(between, text: str, source: str,  # type: ignore[no-untyped-def]
                                                target: str) -> None:
    assert between(text, source, target) is None
