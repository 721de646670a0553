"""Stop 30: causes read in the development sets' misses (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "source", "target", "code"), [
    # a counted span after a double object parses as an adverbial: still the ultimatum's term
    ("Washington gave the Iraqi leader 48 hours to leave the country or face military action.",
     "Washington", "Iraqi leader", "139"),
    ("The African Union gave Mali's junta one week on Monday to free the president or face "
     "sanctions.", "The African Union", "Mali", "139"),
    # after "let" the infinitive is bare; its subject is the verb's object
    ("Syria let UN chemical weapons inspectors led by a Swedish scientist into the site on Monday.",
     "Syria", "UN", "0862"),
    # a clause noun mis-tagged as a verb (it takes a compound) is the object
    ("Armenia allowed European Union monitors to patrol its border with Azerbaijan.",
     "Armenia", "European Union", "0862"),
    # a team of observers is its members
    ("A team of Organization of African Unity observers was admitted by Zimbabwe on Monday to "
     "monitor the vote.", "Zimbabwe", "Organization of African Unity", "0862"),
    # driving people from their homes or a town expels them en masse
    ("Serb forces drove thousands of Bosnian Muslims from their homes in Foca.", "Serb forces",
     "Bosnian Muslims", "201"),
    ("Croatian troops drove out the Serb population of the Krajina.", "Croatian troops",
     "Serb population", "201"),
    # yielding in a clause of its own names whom the concession it explains is made to
    ("Peru's prime minister resigned on Friday, bowing to demands from the United States.",
     "Peru", "United States", "0831"),
    ("Kenyan President William Ruto withdrew the finance bill on Wednesday, bowing to protesters "
     "who had demanded it be scrapped.", "William Ruto", "protesters", "0832"),
    # a charge beside a deed names whom the deed is aimed at
    ("The World Health Organization suspended vaccine deliveries to northern Syria on Friday, "
     "accusing the rebels of diverting supplies.", "World Health Organization", "rebels", "160"),
    # a crowd's deeds, whatever it demands beside them, are a violent protest against whom it
    # demands it of; a count of demonstrators is demonstrators; "anti-government" is not the state
    ("Thousands of anti-government demonstrators stormed the parliament in Tirana and set cars "
     "ablaze, demanding the resignation of President Sali Berisha.", "demonstrators",
     "Sali Berisha", "145"),
    # asking others to back X rallies support for X, as asking them to act against X rallies
    # opposition to X; toward the one asked it stays an appeal
    ("Egypt urged the European Union to support the Palestinian Authority.", "Egypt",
     "Palestinian Authority", "053"),
    ("Egypt urged the European Union to support the Palestinian Authority.", "Egypt",
     "European Union", "022"),
    ("Qatar lobbied Gulf neighbours to back Syria's return to the Arab League.", "Qatar",
     "Syria", "053"),
    # joining a crowd in a demand: the deed the joining explains, or a demonstration
    ("Inmates rioted at a prison in Tbilisi on Friday, joining thousands of protesters in "
     "demanding the resignation of President Eduard Shevardnadze.", "Inmates",
     "Eduard Shevardnadze", "1451"),
    ("Students in Jakarta joined thousands of workers in demanding the resignation of President "
     "Suharto.", "Students", "Suharto", "1411"),
    # "pushing for X to do Y": the preposition parsed as a clause marker still asks X
    ("France is pushing hard for Germany to back its plan for a European army.", "France",
     "Germany", "022"),
    ("Poland is pushing for the European Union to impose sanctions on Belarus.", "Poland",
     "Belarus", "113"),
    # cooperation that fell through is rejected, not cooperation negated away
    ("Serbia and Kosovo failed to reach agreement on Sunday despite hours of talks in Brussels.",
     "Serbia", "Kosovo", "127"),
    ("Iran failed to reach a deal with the United States on Sunday.", "Iran", "United States",
     "127"),
    # "loosen" eases as "ease" and "relax" do
    ("President Bill Clinton refused to loosen the economic embargo on Cuba despite appeals from "
     "the Pope.", "Bill Clinton", "Cuba", "1244"),
    # a joint project, venture, production or patrol is cooperation; launched to an end, the
    # launching is the act
    ("Chile and Peru launched a joint operation on Monday to fight forest fires along their "
     "border.", "Chile", "Peru", "060"),
    ("The China National Petroleum Corporation began joint oil production with Sudan.",
     "China", "Sudan", "061"),
    ("Manila demanded that Washington carry out joint naval patrols with its forces.", "Manila",
     "Washington", "1012"),
    # an act made to depend on what another actor does is a threat aimed at that actor
    ("Britain would expel the envoy if Iran carries out the execution.", "Britain", "Iran", "1313"),
    # a hyphenated modifier is read whole; a show of force is force posture
    ("The Chinese navy held live-fire drills near Taiwan on Tuesday in a show of force directed "
     "at the United States.", "Chinese", "United States", "150"),
    # refusing food is a hunger strike
    ("A British journalist's refusal of food in an Egyptian prison entered its second week.",
     "British journalist", "Egyptian", "142"),
    # each of coordinated objects is an object: "sent fuel, funds and equipment"
    ("Answering an appeal from Cuba, Mexico sent fuel, funds and equipment to Havana.", "Mexico",
     "Cuba", "070"),
    # new verbs: airdropping food is humanitarian aid; training alongside is military cooperation
    ("The World Food Programme airdropped food to Sudanese refugees in eastern Chad on Monday.",
     "World Food Programme", "Sudanese", "073"),
    ("American forces, in the annual Cobra Gold exercise opened in Sattahip on Monday, trained "
     "alongside Thai troops.", "American", "Thai troops", "062"),
    # the main verb hung on a subject parsed as the root, past a relative clause, is active
    ("Turkey, which has long disputed Athens' claims in the Aegean, threatened on Friday to "
     '"take all necessary measures" against Greece if it extends its territorial waters.',
     "Turkey", "Greece", "130"),
    # an act ruled out ("is out of the question") is refused
    ("Washington said on Tuesday that lifting the sanctions on Cuba was out of the question.",
     "Washington", "Cuba", "1244"),
    # willing to send materiel: an intent to give aid, aimed at whom it is to help
    ("Denmark is willing to send materiel to help defend Estonia if it is attacked.", "Denmark",
     "Estonia", "033"),
    # pressure with an aim is a demand; pressure alone coerces
    ("China pressured Lithuania to downgrade its ties with Taiwan.", "China", "Lithuania", "100"),
    ("China pressured Lithuania.", "China", "Lithuania", "170"),
    # a hostile measure announced is decided, not threatened; announced cooperation is intended
    ("The European Union announced on Monday it would suspend all aid to the junta in Niger.",
     "European Union", "Niger", "162"),
    ("China announced on Tuesday it would ease visa rules for South Korean travellers.", "China",
     "South Korean", "0351"),
    ("The European Union said on Monday it would suspend all aid to the junta in Niger.",
     "European Union", "Niger", "1311"),
    # shipping forces out withdraws them: peacekeepers end a mission, troops de-escalate
    ("Eighty UN peacekeepers were shipped out of the Bosnian enclave of Gorazde on Friday.", "UN",
     "Bosnian", "1661"),
    ("Russia shipped its troops out of Syria.", "Russia", "Syria", "087"),
    # widening political freedoms eases the restrictions on them
    ("President Islam Karimov has taken steps to enhance political freedoms in Uzbekistan.",
     "Islam Karimov", "Uzbekistan", "0811"),
])
def test_stop30_cause(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code


def test_yielding_alone_is_still_yielding(between) -> None:  # type: ignore[no-untyped-def]
    # no concession of its own in the main clause: the yielding is the act
    assert between("Greece bowed to demands from the European Union on Tuesday.",
                   "Greece", "European Union") == "080"


def test_a_conjoined_verb_shares_the_passive_subject_not_the_agent(analyzer) -> None:  # type: ignore[no-untyped-def]
    from streams.nlp.resolve import resolve_entities
    from streams.nlp.stance import act_of

    text = ("Montenegro's prime minister has been indicted by the U.N. war crimes court for "
            "atrocities and will step down.")
    doc = analyzer.nlp(text)
    start = text.index("Montenegro")
    span = (start, start + len("Montenegro's prime minister"))
    act = act_of(doc, resolve_entities(doc, None, "body"), span)
    assert act is not None and act.lemma != "indict"
    assert act.code[:2] in ("03", "08")  # the minister's own act: stepping down, not the court's


def test_a_participle_with_a_by_phrase_is_passive(between) -> None:  # type: ignore[no-untyped-def]
    # "were tear-gassed and beaten by the Guard": the crowd is beaten, it does not protest
    code = between("Hundreds of opposition supporters in Lome were tear-gassed and beaten by the "
                   "Republican Guard as they tried to march on the palace.", "Republican Guard",
                   "opposition supporters")
    assert code is not None and code[:2] in ("17", "18", "20")


def test_a_negated_cooperation_is_not_a_rejection(between) -> None:  # type: ignore[no-untyped-def]
    # only an act sought and fallen through is rejected; "did not" leaves the act negated
    assert between("Serbia did not sign the agreement with Kosovo.", "Serbia", "Kosovo") != "127"


def test_a_condition_on_no_actor_or_a_misparsed_name_aims_nothing(between) -> None:  # type: ignore[no-untyped-def]
    # a name the parser made a clause ("Hans Van *den* Broek") is no condition
    text = ("The European Community may halt mediation efforts among Serbia's feuding republics if "
            "cooperation by all parties founders, Dutch Foreign Minister Hans Van den Broek said.")
    assert between(text, "European Community", "Serbia") == "165"


def test_a_headline_participle_without_a_comma_stays_passive(analyzer) -> None:  # type: ignore[no-untyped-def]
    from streams.nlp.stance.syntax import Syntax

    doc = analyzer.nlp("Hamas leader arrested in Gaza.")
    arrested = next(t for t in doc if t.lower_ == "arrested")
    assert (arrested.dep_, arrested.head.dep_) == ("acl", "ROOT")
    assert Syntax.is_passive(arrested)
