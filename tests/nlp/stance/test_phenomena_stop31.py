"""Stop 31: causes read in the misses of our probes (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest

CAUSES = [
    # verbs of feeling: the one who feels disapproves of whoever caused it, whichever the voice
    ("Poland's decision to close the border angered Lithuania, officials said.", "Lithuania",
     "Poland", "110"),
    ("Seoul was deeply disappointed by Tokyo's refusal to apologise, the ministry said.", "Seoul",
     "Tokyo", "110"),
    ("Canada said it was dismayed at India's expulsion of its diplomats.", "Canada", "India", "110"),
    # joining another in an act is cooperating with it; the act itself is aimed at its object
    ("Norway joined Sweden in a diplomatic initiative on Arctic fisheries.", "Norway", "Sweden",
     "050"),
    ("Belgium joined the Netherlands in condemning Russia's missile strikes.", "Belgium", "Russia",
     "111"),
    # a role taken on ("act as a mediator") names the act, and what controls it composes with it
    ("Oman said it was ready to act as a go-between for Iran and Saudi Arabia.", "Oman", "Iran",
     "039"),
    ("Switzerland offered to act as a mediator between Armenia and Azerbaijan.", "Switzerland",
     "Armenia", "039"),
    # a small-clause noun the parser tags as a verb: "took hundreds hostage"
    ("Islamist gunmen took dozens of Algerian workers hostage at a gas plant on Wednesday.",
     "Islamist gunmen", "Algerian workers", "181"),
    # a particle parsed as a preposition ("closed down the paper") or as "more than" ("hand over
    # 40 prisoners")
    ("Azerbaijani authorities closed down the opposition newspaper Azadliq on Monday.",
     "Azerbaijani authorities", "opposition newspaper Azadliq", "1721"),
    ("Hamas said it was prepared to hand over 40 Israeli captives to Egypt if the bombing stopped.",
     "Hamas", "Egypt", "0353"),
    # a share of the object ("most of its sanctions") is the object
    ("Canada lifted most of its sanctions on Myanmar on Friday.", "Canada", "Myanmar", "085"),
    # a past tense hung on a noun as a participle is active when the verb has no passive
    ("Rock-throwing Kashmiri youths clashed with Indian troops in Srinagar on Friday, and police "
     "answered with tear gas.", "Kashmiri youths", "Indian troops", "145"),
    # rallying others against someone, or forging a front against it, rallies opposition
    ("Libya sought to rally African states against France at the summit.", "Libya", "France", "113"),
    ("Moscow worked to forge a united front against NATO expansion in Central Asia.", "Moscow",
     "NATO", "113"),
    # goods flown to someone are delivered; police poured into a city are mobilized there
    ("Russia has been flying weapons and ammunition to Armenian forces, diplomats said.", "Russia",
     "Armenian forces", "072"),
    ("Beijing poured thousands of armed police into Urumqi to head off protests by Uighur "
     "activists.", "Beijing", "Uighur activists", "153"),
    # riot police firing tear gas and rubber bullets repress a crowd; they do not fight it
    ("Riot police fired tear gas and rubber bullets to disperse opposition supporters in Lagos.",
     "Riot police", "opposition supporters", "175"),
    # troops pulling out of ground they held de-escalate; hostages and tips are coded by object
    ("Ethiopian troops began pulling out of positions in Somalia under a deal with the Somali "
     "government.", "Ethiopian troops", "Somali government", "087"),
    ("Jordan passed to Britain the tip-off that led to the arrest of the bombing suspects.",
     "Jordan", "Britain", "064"),
    ("Indian authorities slapped a curfew on Imphal to stop Naga separatists from staging a march.",
     "Indian authorities", "Naga separatists", "1723"),
    ("The EU envoy resumed his shuttle diplomacy with Kosovo's prime minister on Monday.",
     "EU", "Kosovo", "045"),
    # offering to send troops puts protection at another's disposal; it threatens no one
    ("Kenya offered to send troops to Haiti to restore order, officials said.", "Kenya", "Haiti",
     "0334"),
    # a charge answered by another stays its maker's accusation, aimed at whom it charges
    ("Georgia's charge that Russia had shelled Georgian villages was rejected by Moscow.",
     "Georgia", "Russia", "1123"),
    ("Georgia's charge that Russia had shelled Georgian villages was rejected by Moscow.",
     "Moscow", "Georgia", "120"),
    # an apology or a pardon offered or granted is the apology or the pardon
    ("Belgium's king offered a formal apology to Congo for the abuses of colonial rule.",
     "Belgium", "Congo", "055"),
    ("President Ilham Aliyev granted a pardon to opposition journalists on Friday.",
     "Ilham Aliyev", "opposition journalists", "056"),
    # money released or gas pumped to someone is material help
    ("The World Bank released 200 million dollars in budget support for Ukraine on Monday.",
     "World Bank", "Ukraine", "071"),
    ("Russia began pumping gas to China through the Power of Siberia pipeline.", "Russia",
     "China", "061"),
    # killed by hacking or beating: death by physical assault
    ("Militiamen hacked to death five Lendu villagers in Ituri on Sunday.", "Militiamen",
     "Lendu villagers", "1823"),
    # putting an act on hold ends it for now
    ("Turkey put its accession talks with the European Union on hold on Monday.", "Turkey",
     "European Union", "164"),
    # a police raid coerces; troops' raids stay military force
    ("Police raided the offices of the opposition Democratic Party in Kampala on Monday.",
     "Police", "Democratic Party", "170"),
    # verbs no development set had shown, coded by the CAMEO definitions
    ("Hungary's prime minister pilloried the European Commission on Friday.", "Hungary",
     "European Commission", "111"),
    ("Ukraine's president felicitated Moldova on its independence day.", "Ukraine", "Moldova",
     "051"),
    ("Iranian forces commandeered a Greek tanker in the Gulf of Oman.", "Iranian forces", "Greek",
     "171"),
    ("The Islamic State militants decapitated two Kurdish fighters near Kobani.", "Islamic State",
     "Kurdish fighters", "1823"),
    # what one orders one's own forces to do, one does; ordering another to do it demands it
    ("Baku ordered its troops to pull out of the Lachin corridor on Friday.", "Baku", "Lachin",
     "087"),
    ("Armenia ordered Azerbaijan to withdraw its troops from the corridor.", "Armenia",
     "Azerbaijan", "106"),
    # lobbying others to act for or against someone rallies support or opposition
    ("Poland lobbied EU partners to open membership talks with Moldova.", "Poland", "Moldova",
     "053"),
    ("Pakistan has lobbied Gulf states to isolate India diplomatically.", "Pakistan", "India",
     "113"),
    # asking for forgiveness apologizes
    ("The Dutch king asked Indonesia for forgiveness for the violence of the colonial war.",
     "Dutch", "Indonesia", "055"),
    # help flown in planeloads, a bailout approved, control of companies seized, hitting out at
    ("Greece dispatched planeloads of rescue teams, tents and food to Turkey after the quake.",
     "Greece", "Turkey", "073"),
    ("The International Monetary Fund approved a bailout for Sri Lanka on Monday.",
     "International Monetary Fund", "Sri Lanka", "071"),
    ("Russia seized control of the local subsidiaries of the Finnish energy group Fortum.",
     "Russia", "Finnish", "1711"),
    ("Chancellor Olaf Scholz hit out at Hungary on Thursday for blocking aid to Ukraine.",
     "Olaf Scholz", "Hungary", "111"),
    # a change of leadership asked, demanded, promised or refused keeps its kind (CAMEO 0x41)
    ("Opposition parties demanded the resignation of Prime Minister Imran Khan.",
     "Opposition parties", "Imran Khan", "1041"),
    ("Peru's army promised the Organization of American States it would hand power to a civilian "
     "government.", "Peru", "Organization of American States", "0341"),
    # acts named by nouns the lexicon lacked
    ("The expropriation of Spanish oil assets by Argentina angered Madrid.", "Argentina",
     "Spanish", "1711"),
    ("Israel's demolition of Palestinian homes in East Jerusalem drew criticism.", "Israel",
     "Palestinian", "1712"),
    ("Ukraine's ratification of the association agreement with the European Union came on Tuesday.",
     "Ukraine", "European Union", "057"),
    # ordering another to end an act demands it; only one's own object is the ordered act
    ("The Security Council ordered Armenia to halt its offensive in Karabakh.",
     "Security Council", "Armenia", "106"),
    # phrasal and nominal acts a newcomer to the lexicon would miss
    ("The Chinese premier exchanged views with his Japanese counterpart in Jakarta.", "Chinese",
     "Japanese", "040"),
    ("Erdogan played host to the Iranian president in Ankara on Monday.", "Erdogan", "Iranian",
     "043"),
    ("Paris threw its weight behind the Moroccan autonomy plan.", "Paris", "Moroccan", "051"),
    ("Tokyo voiced regret over Seoul's court ruling on wartime labour.", "Tokyo", "Seoul", "110"),
    ("The junta shrugged off the ECOWAS demand to free the president.", "junta", "ECOWAS", "120"),
    ("Serbia balked at the European proposal on Kosovo.", "Serbia", "European", "120"),
    ("Pakistan beefed up security along its border with Afghanistan.", "Pakistan", "Afghanistan",
     "151"),
    ("The military government dissolved the main opposition party.", "military government",
     "opposition party", "1722"),
    ("Georgia ceded two villages to South Ossetia under the accord.", "Georgia", "South Ossetia",
     "0874"),
    # force on one unarmed person is assault, even by a state's police
    ("Indian police shot dead a Kashmiri teenager in Srinagar.", "Indian police",
     "Kashmiri teenager", "180"),
    # an act done "in" a standing quarrel is the news; the quarrel is its setting
    ("Peru backed down on Friday in its row with Chile over fishing rights, officials said.",
     "Peru", "Chile", "080"),
]


def test_feeling_verbs_stay_in_their_lane(between) -> None:  # type: ignore[no-untyped-def]
    # the feeling's cause does not disapprove of the one who feels it
    assert between("Poland's decision angered Lithuania.", "Poland", "Lithuania") != "110"
    # pulling out of a treaty is not a pull-back of troops from ground
    assert between("Russia pulled out of talks with Ukraine.", "Russia", "Ukraine") != "087"


VOCABULARY = [
    # idioms and plain words of agency and wire copy the lexicon lacked (sentences of ours)
    ("Seoul gave the go-ahead for talks with Pyongyang next month.", "Seoul", "Pyongyang", "036"),
    ("The UN envoy was closeted with President Milosevic for four hours in Belgrade.", "UN",
     "Milosevic", "040"),
    ("The Indian prime minister paid a call on the Nepalese king in Kathmandu.", "Indian",
     "Nepalese", "042"),
    ("Japan expressed deep remorse to China for its wartime aggression.", "Japan", "China", "055"),
    ("The CIA funnelled weapons to Contra rebels through Honduras.", "CIA", "Contra rebels", "072"),
    ("Britain wrote off debts owed by Tanzania on Monday.", "Britain", "Tanzania", "071"),
    ("President de Klerk unbanned the Pan Africanist Congress on Friday.", "de Klerk",
     "Pan Africanist Congress", "0812"),
    ("Washington took Tokyo to task over its trade surplus.", "Washington", "Tokyo", "111"),
    ("Nicaragua took Colombia to court over the maritime border.", "Nicaragua", "Colombia", "115"),
    ("The rebels stonewalled United Nations demands to disarm.", "rebels", "United Nations", "120"),
    ("Egypt called up reservists amid rising tension with Israel.", "Egypt", "Israel", "154"),
    ("Sri Lankan troops traded artillery fire with Tamil Tiger rebels near Jaffna.",
     "Sri Lankan troops", "Tamil Tiger rebels", "193"),
    ("Iraq lobbed missiles at Israeli cities overnight.", "Iraq", "Israeli", "190"),
    ("The Kurdish fighters have handed in their weapons to the Iraqi government.",
     "Kurdish fighters", "Iraqi government", "0873"),
    ("France voiced dismay at Italy's decision to close its ports.", "France", "Italy", "110"),
    ("Greece has scrambled fighter jets after Turkish aircraft entered its airspace.", "Greece",
     "Turkish", "150"),
    ("The junta barred women from working for foreign aid groups in Afghanistan.", "junta",
     "women", "172"),
]


VERBS = [
    # verbs of agency copy
    ("Ukraine assented on Friday to a plan to share the port with Moldova.", "Ukraine", "Moldova",
     "030"),
    ("EU foreign ministers huddled with the Turkish foreign minister in Brussels.", "EU",
     "Turkish", "040"),
    ("Sudan bartered cotton with Egypt for wheat.", "Sudan", "Egypt", "061"),
    ("French legionnaires drilled alongside Malian troops near Gao.", "French legionnaires",
     "Malian troops", "062"),
    ("The junta rescinded travel restrictions on the opposition leader on Friday.", "junta",
     "opposition leader", "081"),
    ("A grand jury subpoenaed officials of the Venezuelan oil company.", "grand jury",
     "Venezuelan", "090"),
    ("Washington leaned on Seoul to drop its tariffs on rice.", "Washington", "Seoul", "100"),
    # nouns of intent with their to-clause; workers let in to help
    ("Serbia's willingness to hold talks with Kosovo was conveyed to EU mediators.", "Serbia",
     "Kosovo", "036"),
    ("Syria allowed Red Cross workers into the besieged town of Madaya.", "Syria", "Red Cross",
     "0863"),
    # acts named by nouns with their doer
    ("The downing of a Malaysian airliner by Russian-backed rebels shocked the world.",
     "rebels", "Malaysian", "190"),
    # (militants' fire on towns is unconventional violence, 180, as the force rules code it)
    ("A mortar barrage by Hamas on Israeli border towns came at dawn.", "Hamas", "Israeli",
     "180"),
    ("The pogrom against Armenians in Sumgait by Azerbaijani mobs lasted three days.",
     "Azerbaijani", "Armenians", "202"),
    ("Russia stationed extra border guards on the Tajik frontier.", "Russia", "Tajik", "154"),
    # "swore", "wanted", "sought": the controllers of intent in any form, not only the lexicon's
    ("Tamil Tiger rebels swore to attack Colombo.", "Tamil Tiger rebels", "Colombo", "1383"),
    ("Jakarta wanted to expand practical cooperation with Seoul in defence.", "Jakarta", "Seoul",
     "032"),
]


@pytest.mark.parametrize(("text", "source", "target", "code"), CAUSES + VOCABULARY + VERBS)
def test_stop31_cause(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code
