"""Stop 33: causes read in the misses of the codebook probes (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest

CAUSES = [
    # an obligation stated without "must": "had to", "was obliged to", "had no option but to"
    ("Tokyo said Seoul had to return the seized fishing boat.", "Tokyo", "Seoul", "1053"),
    ("The Arab League declared that Israel was obliged to withdraw from the Golan Heights.",
     "Arab League", "Israel", "106"),
    ("Baghdad said the Security Council had no option but to lift the embargo on Iraq.",
     "Baghdad", "Security Council", "1054"),
    # cooperation its actor says it will not give is refused, not negated away
    ("Hanoi said it would not release the Chinese fishermen.", "Hanoi", "Chinese fishermen",
     "1243"),
    ("Moscow will never give in to pressure from Washington, the Kremlin said.", "Moscow",
     "Washington", "124"),
    # force or protest carried on despite an appeal or an order refuses to yield to it
    ("Serbian troops vowed to press on with their offensive against Kosovo rebels despite NATO "
     "warnings.", "Serbian troops", "Kosovo rebels", "124"),
    ("Kurdish students vowed to continue their sit-in in defiance of a Turkish court order to "
     "leave.", "Kurdish students", "Turkish court", "1242"),
    # a mob that wrecks property while demanding someone's fall riots against them
    ("Angry mobs in Lagos looted shops and burned cars, demanding the resignation of President "
     "Ibrahim Babangida.", "Angry mobs", "Ibrahim Babangida", "1451"),
    # a hunger strike by "stopping eating", a road cut, a shutdown: protests with their aim
    ("Jailed Kurdish activists stopped eating to demand better treatment from Turkish prison "
     "authorities.", "Kurdish activists", "Turkish prison authorities", "142"),
    ("Peruvian farmers cut the roads linking Cuzco to the coast to resist the water plan of "
     "President Alberto Fujimori.", "Peruvian farmers", "Alberto Fujimori", "144"),
    ("Haitian opposition parties paralysed Port-au-Prince with shutdowns to pressure President "
     "Jean-Bertrand Aristide into holding new elections.", "Haitian opposition parties",
     "Jean-Bertrand Aristide", "143"),
    # "would move to lift": the act moved to is what is promised
    ("The EU said it would move quickly to lift its arms embargo on Libya.", "EU", "Libya",
     "0354"),
    # an offer of money is an offer of economic aid; a threat to use arms is a threat of force
    ("Kuwait's offer of 50 million dollars in loans to Jordan was announced on Sunday.", "Kuwait",
     "Jordan", "0331"),
    ("Saddam Hussein said Iraq would use chemical weapons against Israel if it attacked "
     "Baghdad.", "Saddam Hussein", "Israel", "1384"),
    # a protest staged to make someone act is that protest, aimed at them
    ("Kurdish activists fasted for ten days to push the Turkish government into lifting the ban "
     "on Kurdish schools.", "Kurdish activists", "Turkish government", "142"),
    # a "that" clause in the bare form under a word of insisting demands; "told X it had to"
    # obliges the one told
    ("The Croatian government was adamant that Belgrade return the church treasures taken from "
     "Vukovar.", "Croatian government", "Belgrade", "1053"),
    ("Ankara stipulated that Athens withdraw its troops from the islet before talks.", "Ankara",
     "Athens", "100"),
    ("Kofi Annan told Baghdad it had to admit the weapons inspectors without delay.", "Kofi Annan",
     "Baghdad", "1055"),
    ("Kenya said the African Union was duty-bound to step in as mediator in Somalia.", "Kenya",
     "African Union", "100"),
    # stopping traffic to call for something is obstructing passage for it
    ("Kurdish villagers stopped traffic on the Diyarbakir highway, calling on the Turkish "
     "government to rebuild their homes.", "Kurdish villagers", "Turkish government", "144"),
    # soldiers withdrawn from a peace mission withdraw peacekeepers
    ("Canada withdrew its soldiers from the UN protection force in Bosnia after the hostage "
     "crisis.", "Canada", "Bosnia", "1661"),
    # "there would be no concessions": refused at the noun
    ("Israel said there would be no concessions to Hamas while the soldier was held.", "Israel",
     "Hamas", "124"),
    # a condition on what a named body does, or stated by inversion, makes a threat
    ("Ankara would downgrade its ties with Paris if the French National Assembly passed the "
     "genocide bill.", "Ankara", "Paris", "1313"),
    ("Should Taiwan declare independence, Beijing would attack the island, the Chinese defence "
     "minister said.", "Beijing", "Taiwan", "1383"),
    # a crowd that beats people to death assaults them; it does not riot
    ("A Palestinian crowd beat two Israeli reservists to death in Ramallah.", "Palestinian crowd",
     "Israeli reservists", "1823"),
    # a charge made beside a deed that names no one aims the deed at the accused
    ("Armenia put its troops on high alert on Tuesday, accusing Azerbaijan of shelling border "
     "villages.", "Armenia", "Azerbaijan", "152"),
]

VOCABULARY = [
    # phrasal rejections
    ("The Duma voted down a proposal by the Kremlin to raise the pension age.", "Duma", "Kremlin",
     "120"),
    ("Slovak voters threw out Hungary's plan for a joint dam authority.", "Slovak voters",
     "Hungary", "120"),
    # appeals by filing or clamour
    ("Albania applied to the World Bank for an emergency credit on Monday.", "Albania",
     "World Bank", "020"),
    ("Pensioners in Bucharest clamoured for the Romanian government to raise their pensions.",
     "Pensioners", "Romanian government", "020"),
    # sanctions suspended are eased; a team admitted is let in; a call heeded is granted
    ("The Security Council suspended sanctions against Yugoslavia on Friday.", "Security Council",
     "Yugoslavia", "085"),
    ("Iraq admitted a team of U.N. experts to the Muthanna site.", "Iraq", "U.N. experts", "0862"),
    ("Chile heeded Argentina's appeal to reopen the border pass.", "Chile", "Argentina", "083"),
    # bargaining, shuttle diplomacy
    ("Syrian negotiators bargained with Israeli envoys over the Golan water rights.",
     "Syrian negotiators", "Israeli envoys", "046"),
    ("Jimmy Carter shuttled between Pyongyang and Seoul in June 1994.", "Jimmy Carter",
     "Pyongyang", "045"),
    # military hardware delivered; intelligence withheld; abuse; a note of protest
    ("Russia delivered six attack helicopters to Sudan's army on Monday.", "Russia", "Sudan",
     "072"),
    ("Britain withheld intelligence on the bombers from the Pakistani police.", "Britain",
     "Pakistani police", "1214"),
    ("Rights groups said Indonesian soldiers had abused detained Acehnese villagers.",
     "Indonesian soldiers", "Acehnese villagers", "182"),
    ("Moscow handed a note of protest to the Estonian ambassador on Tuesday.", "Moscow",
     "Estonian ambassador", "114"),
    ("Ottawa recalled its high commissioner from Pretoria on Friday.", "Ottawa", "Pretoria", "161"),
    ("Norway shelved its role as mediator between Colombia and the ELN rebels.", "Norway",
     "Colombia", "165"),
    ("Sudanese planes dropped bombs on the SPLA base at Yei.", "Sudanese", "SPLA", "195"),
    ("Beijing told Hanoi it would take military measures to defend the Paracels.", "Beijing",
     "Hanoi", "1384"),
    ("Belarusian President Alexander Lukashenko spoke up for Serbia at the summit.",
     "Alexander Lukashenko", "Serbia", "052"),
    ("Washington frowned on Ankara's purchase of Russian missiles.", "Washington", "Ankara", "110"),
    ("Serbia said it would not give ground to Kosovo Albanian leaders.", "Serbia",
     "Kosovo Albanian leaders", "124"),
    ("Croatian Serb commanders let a UNHCR food convoy through to Bihac on Monday.",
     "Croatian Serb commanders", "UNHCR", "0863"),
    ("Intelligence on the hijackers was relayed to Pakistani police by the CIA.", "CIA",
     "Pakistani police", "064"),
    ("Libyan instructors were training Sierra Leonean rebels in camps near Tripoli.",
     "Libyan instructors", "Sierra Leonean rebels", "072"),
    ("China wound down its naval exercises off Taiwan on Friday.", "China", "Taiwan", "087"),
    ("UN investigators exhumed graves near Srebrenica to establish the role of Bosnian Serb "
     "commanders.", "UN investigators", "Bosnian Serb commanders", "094"),
    ("Ankara put its border troops on heightened readiness against PKK rebels.", "Ankara",
     "PKK rebels", "152"),
    ("Germany gave back to Poland archives seized in 1939.", "Germany", "Poland", "084"),
    ("Greek and Cypriot air forces held combined drills over Crete.", "Greek", "Cypriot", "062"),
    ("Islamabad decided to reduce its military build-up along the border with India.",
     "Islamabad", "India", "087"),
    # refusals by phrase: "said no to", blocking an extradition, keeping inspectors out
    ("Hanoi said no to Beijing's proposal for joint patrols.", "Hanoi", "Beijing", "120"),
    ("The Spanish court blocked the extradition of the ETA suspect to France.", "Spanish court",
     "France", "1213"),
    ("Damascus kept the UN inspectors out of the Al Kibar site.", "Damascus", "UN inspectors",
     "1245"),
    # displeasure by an adjective with no verb behind it
    ("Seoul is unhappy with Tokyo's new textbooks.", "Seoul", "Tokyo", "110"),
    # a curfew removed is eased; pressure eased on fighters de-escalates
    ("The curfew on Palestinian residents of Nablus was removed by the Israeli army on Friday.",
     "Israeli army", "Palestinian residents", "0813"),
    ("Indian troops eased pressure on Kashmiri militants after the truce.", "Indian troops",
     "Kashmiri militants", "087"),
    # wanting another to act asks it to
    ("Kosovo Albanian leaders want NATO to deploy ground troops.", "Kosovo Albanian leaders",
     "NATO", "020"),
]


@pytest.mark.parametrize(("text", "source", "target", "code"), CAUSES + VOCABULARY)
def test_stop33_cause(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code


@pytest.mark.parametrize(("text", "source", "target", "root"), [
    # an attack made despite appeals is still the attack
    ("Israeli troops shelled Gaza despite UN appeals for restraint.", "Israeli troops", "Gaza",
     "19"),
    # a report of what did not happen is no refusal
    ("Hanoi did not release the Chinese fishermen on Monday.", "Hanoi", "Chinese fishermen", "08"),
    # a mob that kills commits violence, whatever it shouts
    ("A mob in Jos killed twelve Muslim traders on Sunday.", "mob", "Muslim traders", "18"),
    # rejecting calls to stop a protest refuses them; it is no protest against the caller
    ("Kenyan students vowed to keep up their boycott, rejecting Nairobi's calls to end it.",
     "Kenyan students", "Nairobi", "12"),
])
def test_stop33_keeps_the_act(between, text: str, source: str, target: str, root: str) -> None:  # type: ignore[no-untyped-def]
    code = between(text, source, target)
    assert code is not None and code[:2] == root, code
