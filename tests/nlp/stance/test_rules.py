"""Each registered stance rule alone: where it fires, and where it must not.

Every test runs the pipeline up to the rule (``run(ctx, ORDER[:k])``), then
the rule on its own (``rule(name).apply``), and compares the events just
before and just after it.  ``test_every_registered_rule_is_tested`` fails
while a rule has no ``test_<name>_fires`` and ``test_<name>_does_not_fire``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from spacy.tokens import Doc

from streams.nlp.stance import rules
from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.mentions import Mention
from streams.nlp.stance.rules import (
    FAMILIES,
    ORDER,
    REGISTRY,
    EventRule,
    SentenceRule,
    build_registry,
    rule,
    run,
)
from streams.nlp.stance.rules.modality import BACKGROUND_FACTOR
from streams.nlp.stance.sentence import code_sentence, sentence_context

MentionsOf = Callable[[str, dict[str, str]], tuple[Doc, list[Mention]]]  # the conftest fixture

ACTORS = {
    "Russia": "RUS", "Russian": "RUS", "Ukraine": "UKR", "China": "CHN", "France": "FRA",
    "Iran": "IRN", "US": "USA", "American": "USA", "Israel": "ISR", "Syrian": "SYR",
    "Mali": "MLI", "UN": "IGO", "Belarus": "BLR", "Hungary": "HUN", "Denmark": "DNK", "Japan": "JPN",
}
FLAGS = ("passive", "negated", "hypothetical", "future", "composed", "consumed", "reported",
         "in_quote", "from_between")


@dataclass(frozen=True)
class Seen:
    """What a test looks at in an event (a snapshot: rules change events in place)."""

    lemma: str
    code: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    flags: frozenset[str]
    obligation: str | None
    span: tuple[int, int]

    @classmethod
    def of(cls, e: Event) -> Seen:
        return cls(e.lemma, e.code, tuple(a.mention.entity.text for a in e.sources),
                   tuple(a.mention.entity.text for a in e.targets),
                   frozenset(f for f in FLAGS if getattr(e, f)), e.obligation, e.span)


@dataclass(frozen=True)
class Step:
    """The events of a sentence just before one rule, and just after it ran alone."""

    ctx: SentenceContext
    before: list[Seen]
    after: list[Seen]

    @property
    def fired(self) -> bool:
        return self.before != self.after

    def one(self, lemma: str) -> tuple[Seen, Seen]:
        """The event of ``lemma`` before and after (there must be exactly one of each)."""
        (b,) = [s for s in self.before if s.lemma == lemma]
        (a,) = [s for s in self.after if s.lemma == lemma]
        return b, a


StepOf = Callable[[str, str], Step]


@pytest.fixture(scope="module")
def step(mentions_of: MentionsOf) -> StepOf:
    def run_one(name: str, text: str) -> Step:
        doc, mentions = mentions_of(text, ACTORS)
        (sent,) = doc.sents
        ctx = sentence_context(sent, mentions)
        events = run(ctx, ORDER[:ORDER.index(name)])
        before = [Seen.of(e) for e in events]
        after = [Seen.of(e) for e in rule(name).apply(ctx, events)]
        return Step(ctx, before, after)

    return run_one


# -- the registry -----------------------------------------------------------------------------


def test_order_is_an_explicit_tuple_naming_every_rule_once() -> None:
    assert isinstance(ORDER, tuple)
    assert len(set(ORDER)) == len(ORDER)
    assert set(ORDER) == set(REGISTRY)
    assert all(REGISTRY[name].name == name for name in ORDER)
    assert ORDER[0] == "lexicon_triggers"


def test_registry_refuses_unordered_unknown_and_twice_registered_rules() -> None:
    with pytest.raises(ValueError, match="not ordered"):
        build_registry(FAMILIES, ORDER[:-1])
    with pytest.raises(ValueError, match="not registered"):
        build_registry(FAMILIES, (*ORDER, "no_such_rule"))
    with pytest.raises(ValueError, match="repeated"):
        build_registry(FAMILIES, (*ORDER, ORDER[0]))
    twice = {**FAMILIES, rules.force: (*FAMILIES[rules.force], rules.verbal.protest)}
    with pytest.raises(ValueError, match="registered twice"):
        build_registry(twice, ORDER)


def test_every_rule_module_is_a_registered_family_and_every_rule_in_it_is_registered() -> None:
    names = {m.name for m in pkgutil.iter_modules(rules.__path__)} - {"base"}
    assert names == {m.__name__.rpartition(".")[2] for m in FAMILIES}
    for name in sorted(names):
        module = importlib.import_module(f"{rules.__name__}.{name}")
        defined = [v for v in vars(module).values() if isinstance(v, EventRule | SentenceRule)]
        assert defined, name
        assert all(REGISTRY.get(r.name) is r for r in defined), name


def test_every_registered_rule_is_tested() -> None:
    tests = {name for name, value in globals().items() if callable(value)}
    missing = [name for name in ORDER
               if f"test_{name}_fires" not in tests or f"test_{name}_does_not_fire" not in tests]
    assert not missing, f"rules without a positive and a negative test: {missing}"


def test_the_default_run_is_every_rule_in_order(mentions_of: MentionsOf) -> None:
    doc, mentions = mentions_of("Russia threatened to expel American diplomats.", ACTORS)
    (sent,) = doc.sents
    one_by_one: list[Event] = []
    ctx = sentence_context(sent, mentions)
    for name in ORDER:
        one_by_one = rule(name).apply(ctx, one_by_one)
    default = code_sentence(sent, mentions)
    assert [Seen.of(e) for e in default] == [Seen.of(e) for e in one_by_one]
    assert [e.code for e in default] == ["1313"]


# -- triggers ----------------------------------------------------------------------------------


def test_lexicon_triggers_fires(step: StepOf) -> None:
    s = step("lexicon_triggers", "Russia expelled American diplomats.")
    assert s.before == []
    assert [(e.lemma, e.code, e.sources, e.targets) for e in s.after] == [("expel", "161", (), ())]
    assert s.ctx.trigger_ids == {1}


def test_lexicon_triggers_does_not_fire(step: StepOf) -> None:
    assert not step("lexicon_triggers", "Russia and China are large countries.").after
    # the month is no protest march
    assert [e.lemma for e in step("lexicon_triggers", "Russia annexed Crimea in March 2014.").after] \
        == ["annex"]
    # "halt" is a trigger only with the objects its pattern names (aid, talks, trade ...)
    assert not step("lexicon_triggers", "Russia halted the train to Ukraine.").after


# -- arguments -----------------------------------------------------------------------------------


def test_verb_arguments_fires(step: StepOf) -> None:
    before, after = step("verb_arguments", "Russia expelled American diplomats.").one("expel")
    assert (before.sources, before.targets) == ((), ())
    assert (after.sources, after.targets) == (("Russia",), ("American",))


def test_verb_arguments_does_not_fire(step: StepOf) -> None:
    s = step("verb_arguments", "Russian strikes on Ukraine continued.")  # a noun trigger
    assert [e.lemma for e in s.before] == ["strike"]
    assert not s.fired


def test_noun_arguments_fires(step: StepOf) -> None:
    before, after = step("noun_arguments", "The US imposed sanctions on Iran.").one("sanction")
    assert (before.sources, before.targets) == ((), ())
    assert (after.sources, after.targets) == (("US",), ("Iran",))


def test_noun_arguments_does_not_fire(step: StepOf) -> None:
    s = step("noun_arguments", "Russia expelled American diplomats.")  # a verb trigger
    assert [e.lemma for e in s.before] == ["expel"]
    assert not s.fired


# -- emotion -------------------------------------------------------------------------------------


def test_experiencer_fires(step: StepOf) -> None:
    # the active verb: its object feels, its subject (here through the possessor) caused it
    before, after = step("experiencer", "Hungary's refusal angered Denmark.").one("anger")
    assert (before.sources, before.targets) == (("Hungary",), ("Denmark",))
    assert (after.sources, after.targets) == (("Denmark",), ("Hungary",))
    # the passive and the adjective: the subject feels, the "by" / "with" phrase caused it
    s = step("experiencer", "China was infuriated by Japan's decision to buy the islands.")
    assert (s.one("infuriate")[1].sources, s.one("infuriate")[1].targets) == (("China",), ("Japan",))
    s = step("experiencer", "Denmark was deeply disappointed with Hungary.")
    assert (s.one("disappoint")[1].sources, s.one("disappoint")[1].targets) == (("Denmark",), ("Hungary",))


def test_experiencer_does_not_fire(step: StepOf) -> None:
    # no verb of feeling: the subject acts on the object
    s = step("experiencer", "Denmark criticised Hungary.")
    assert not s.fired


# -- speech ------------------------------------------------------------------------------------


def test_speech_attribution_fires(step: StepOf) -> None:
    s = step("speech_attribution", '"Sanctions against Ukraine will continue," Russia said.')
    before, after = s.one("sanction")
    assert before.sources == ()
    assert after.sources == ("Russia",)  # a quoted act with no source of its own
    assert {"reported", "in_quote"} <= after.flags


def test_speech_attribution_does_not_fire(step: StepOf) -> None:
    s = step("speech_attribution", "Russia attacked Ukraine.")
    assert [e.lemma for e in s.before] == ["attack"]
    assert not s.fired


# -- modality ------------------------------------------------------------------------------------


def test_modality_is_shared_by_a_bare_conjunct(step: StepOf) -> None:
    _, mediate = step("modality", "Russia said it would host and mediate talks with Ukraine.").one("mediate")
    assert "future" in mediate.flags  # "would" governs both
    s = step("modality", "Russia attacked Ukraine and will expel American diplomats.")
    assert "future" not in s.one("attack")[1].flags and "future" in s.one("expel")[1].flags


def test_modality_fires(step: StepOf) -> None:
    _, may = step("modality", "Russia may attack Ukraine.").one("attack")
    assert may.flags == {"hypothetical"}
    _, did_not = step("modality", "Russia did not attack Ukraine.").one("attack")
    assert did_not.flags == {"negated"}


def test_modality_does_not_fire(step: StepOf) -> None:
    s = step("modality", "Russia attacked Ukraine.")
    assert [e.lemma for e in s.before] == ["attack"]
    assert not s.fired


def test_intent_fires(step: StepOf) -> None:
    before, after = step("intent", "Russia will attack Ukraine.").one("attack")
    assert (before.code, after.code) == ("18", "1383")  # threaten military force
    assert "composed" in after.flags


def test_intent_reads_a_future_act_of_ending(step: StepOf) -> None:
    # "halt the offensive" is composed (087) by termination, and still stated as future
    text = "Russia said it would halt the offensive against Ukraine."
    before, after = step("intent", text).one("offensive")
    assert (before.code, after.code) == ("087", "0356")


def test_intent_does_not_fire(step: StepOf) -> None:
    s = step("intent", "Russia attacked Ukraine.")
    assert [e.code for e in s.before] == ["18"]
    assert not s.fired


def test_failed_cooperation_fires(step: StepOf) -> None:
    before, after = step("failed_cooperation", "Serbia failed to reach agreement with Kosovo.").one(
        "agreement")
    assert (before.code, after.code) == ("057", "127")
    assert "negated" in before.flags and "negated" not in after.flags


def test_failed_cooperation_does_not_fire(step: StepOf) -> None:
    # a negator, not a failure: the agreement stays negated, not rejected
    s = step("failed_cooperation", "Serbia did not sign the agreement with Kosovo.")
    assert not s.fired
    # a hostile act that fails is no rejection either
    assert not step("failed_cooperation", "Serbia failed to attack Kosovo.").fired


def test_ruled_out_fires(step: StepOf) -> None:
    before, after = step("ruled_out", "Moscow said talks with Kyiv were off the table.").one("talk")
    assert (before.code, after.code) == ("040", "125")
    s = step("ruled_out", "Washington said lifting the sanctions on Cuba was out of the question.")
    assert s.one("lift")[1].code == "1244"
    # a hostile act ruled out did not happen
    text = "Washington said a strike on Iran was not an option."
    strike_before, strike_after = step("ruled_out", text).one("strike")
    assert "negated" not in strike_before.flags and "negated" in strike_after.flags


def test_ruled_out_does_not_fire(step: StepOf) -> None:
    assert not step("ruled_out", "Moscow said talks with Kyiv were on the table.").fired
    assert not step("ruled_out", "Washington said a strike on Iran was an option.").fired


def test_refusal_fires(step: StepOf) -> None:
    # cooperation its actor says it will not give is refused: a blockade not lifted (1246)
    before, after = step("refusal", "Israel would not lift the blockade of Gaza.").one("lift")
    assert (before.code, after.code) == ("0872", "1246")
    assert "negated" in before.flags and "negated" not in after.flags
    before, after = step("refusal", "Russia said it will never give in to Ukraine.").one("give")
    assert (before.code, after.code) == ("080", "124")


def test_refusal_does_not_fire(step: StepOf) -> None:
    # a report of what did not happen is no stated refusal
    assert not step("refusal", "Israel did not lift the blockade of Gaza.").fired
    # nor is a hostile act its actor will not commit
    assert not step("refusal", "Russia will not attack Ukraine.").fired
    assert not step("refusal", "Israel will lift the blockade of Gaza.").fired


def test_defiance_fires(step: StepOf) -> None:
    # force carried on despite an appeal to stop refuses to yield to it
    text = "Russian troops vowed to press on with their offensive against Ukraine despite UN appeals."
    s = step("defiance", text)
    assert s.fired and [e.code for e in s.after if e.lemma == "vow"] == ["124"]
    text = "Students vowed to continue their sit-in in defiance of an Iran order to disperse."
    assert "1242" in [e.code for e in step("defiance", text).after]


def test_defiance_does_not_fire(step: StepOf) -> None:
    # an attack made despite appeals is still the attack, not a refusal
    assert not step("defiance", "Russian troops shelled Kharkiv despite UN appeals for restraint.").fired
    # carrying on despite something that asks nothing ("despite the rain") defies nobody
    text = "Russian troops vowed to press on with their offensive against Ukraine despite the rain."
    assert not step("defiance", text).fired


# -- composition ---------------------------------------------------------------------------------


def test_subsume_objects_fires(step: StepOf) -> None:
    s = step("subsume_objects", "Russia sent aid to Ukraine.")
    send_before, send_after = s.one("send")
    _, aid_after = s.one("aid")
    assert "consumed" in aid_after.flags  # one event per phrase: the verb's
    assert (send_before.span, send_after.span) == ((1, 2), (1, 3))
    # the act named in the object's "of" phrase is the verb's own when of its kind
    s = step("subsume_objects", "Russia provided 70 million dollars of aid to Ukraine.")
    assert "consumed" in s.one("aid")[1].flags


def test_subsume_objects_does_not_fire(step: StepOf) -> None:
    s = step("subsume_objects", "Russia attacked Ukraine.")
    assert [e.lemma for e in s.before] == ["attack"]
    assert not s.fired


def test_composition_fires(step: StepOf) -> None:
    s = step("composition", "Russia threatened to expel American diplomats.")
    assert [e.code for e in s.before] == ["130", "161"]
    assert [(e.code, e.sources, e.targets) for e in s.after] == [("1313", ("Russia",), ("American",))]


def test_composition_grants_a_demand_as_a_concession(step: StepOf) -> None:
    for text in ("Mali agreed to the demands of France.",
                 "Mali agreed to a French demand to expel the UN."):
        s = step("composition", text)
        assert [e.code for e in s.after] == ["080"], text  # yielding, not an intent to demand
    (negated,) = step("composition", "Mali did not agree to the demands of France.").after
    assert (negated.code, "negated" in negated.flags) == ("080", True)
    # a promise of no cooperation is a refusal
    (refusal,) = step("composition", "Russia told Ukraine it would hold no talks with Belarus.").after
    assert refusal.code == "125"
    # refusing a demand rejects what was asked; it does not negate the demand
    (refused,) = step("composition", "Ukraine rejected Russian demands for the release of prisoners.").after
    assert (refused.code, "negated" in refused.flags) == ("1243", False)


def test_composition_does_not_fire(step: StepOf) -> None:
    s = step("composition", "Russia attacked Ukraine.")
    assert [e.lemma for e in s.before] == ["attack"]
    assert not s.fired


def test_termination_fires(step: StepOf) -> None:
    before, after = step("termination", "Russia halted the offensive against Ukraine.").one("offensive")
    assert (before.code, after.code) == ("190", "087")


def test_termination_reads_a_pause_as_an_end(step: StepOf) -> None:
    (e,) = step("termination", "Russia paused military aid to Belarus.").after
    assert e.code == "1622"  # a verb of ending on aid: reduce military aid


def test_termination_does_not_fire(step: StepOf) -> None:
    s = step("termination", "Russia launched an offensive against Ukraine.")
    assert [e.code for e in s.before] == ["190"]
    assert not s.fired


# -- obligation ----------------------------------------------------------------------------------


def test_obligation_fires(step: StepOf) -> None:
    s = step("obligation", "Russia said Ukraine must withdraw its troops.")
    before, after = s.one("withdraw")
    assert (before.code, before.obligation, before.sources) == ("087", "must", ("Ukraine",))
    assert (after.code, after.sources, after.targets) == ("106", ("Russia",), ("Ukraine",))


def test_obligation_does_not_fire(step: StepOf) -> None:
    s = step("obligation", "Ukraine must withdraw its troops.")  # nobody demands it
    assert [e.obligation for e in s.before] == ["must"]
    assert not s.fired


def test_wish_fires(step: StepOf) -> None:
    # wanting another to act asks it to: Iran appeals to the US to ease its sanctions
    s = step("wish", "Iran wants the US to lift its sanctions.")
    before, after = s.one("lift")
    assert (before.code, after.code) == ("085", "0254")
    assert (after.sources, after.targets) == (("Iran",), ("US",))


def test_wish_does_not_fire(step: StepOf) -> None:
    assert not step("wish", "Iran wants to lift its sanctions on the US.").fired  # its own act
    assert not step("wish", "Iran does not want the US to lift its sanctions.").fired  # negated


def test_bare_obligation_fires(step: StepOf) -> None:
    s = step("bare_obligation", "Russia declared that Ukraine must drop its barriers.")
    assert [e.code for e in s.before] == ["010"]
    added = s.after[len(s.before):]
    assert [(e.code, e.sources, e.targets) for e in added] == [("100", ("Russia",), ("Ukraine",))]


def test_bare_obligation_does_not_fire(step: StepOf) -> None:
    s = step("bare_obligation", "Russia declared that Ukraine drops its barriers.")
    assert [e.code for e in s.before] == ["010"]
    assert not s.fired


# -- verbal conflict -----------------------------------------------------------------------------


def test_protest_fires(step: StepOf) -> None:
    before, after = step("protest", "Russia protested against the US sanctions.").one("protest")
    assert (before.code, after.code) == ("141", "114")  # a government complains


def test_protest_does_not_fire(step: StepOf) -> None:
    s = step("protest", "Protesters protested against Russia.")  # crowds demonstrate
    assert [e.code for e in s.before] == ["141"]
    assert not s.fired


def test_accusation_fires(step: StepOf) -> None:
    before, after = step("accusation", "Russia accused Ukraine of espionage.").one("accuse")
    assert (before.code, after.code) == ("112", "1125")


def test_accusation_does_not_fire(step: StepOf) -> None:
    s = step("accusation", "Russia accused Ukraine.")  # no charge named
    assert [e.code for e in s.before] == ["112"]
    assert not s.fired


def test_denial_fires(step: StepOf) -> None:
    before, after = step("denial", "Russia denied that its army crossed into Ukraine.").one("deny")
    assert (before.code, after.code) == ("120", "016")


def test_denial_does_not_fire(step: StepOf) -> None:
    s = step("denial", "Russia denied Ukraine access to the port.")  # a refusal, no claim
    assert [e.code for e in s.before] == ["120"]
    assert not s.fired


# -- force ---------------------------------------------------------------------------------------


def test_labour_strike_fires(step: StepOf) -> None:
    for text in ("Workers in France staged a nationwide strike.",
                 # a crowd's strike is labour even when aimed at a government
                 "Russian doctors staged a strike against the Belarus government."):
        before, after = step("labour_strike", text).one("strike")
        assert (before.code, after.code) == ("190", "143"), text


def test_labour_strike_does_not_fire(step: StepOf) -> None:
    s = step("labour_strike", "Russia launched a strike on Ukraine.")  # aimed at someone
    assert [e.code for e in s.before] == ["190"]
    assert not s.fired
    assert not step("labour_strike", "Russian jets carried out a strike against Belarus.").fired


def test_peacekeeping_fires(step: StepOf) -> None:
    before, after = step("peacekeeping", "UN peacekeepers arrived in Mali.").one("arrive")
    assert (before.code, after.code) == ("042", "074")
    for text in ("Russia sent troops to protect Belarus.",  # the target is who is protected
                 "Russia sent troops to Belarus to protect gas pipelines."):  # nobody else is
        before, after = step("peacekeeping", text).one("send")
        assert (before.code, after.code) == ("154", "074"), text


def test_withdrawal_fires(step: StepOf) -> None:
    for text, code in (("Russia pulled out of talks with Ukraine.", "164"),
                       ("Russia withdrew as mediator of the talks between Ukraine and Belarus.", "164"),
                       ("Russia pulled its peacekeepers out of Mali.", "1661")):
        s = step("withdrawal", text)
        assert s.before[0].code == "087" and [e.code for e in s.after] == [code], text


def test_withdrawal_does_not_fire(step: StepOf) -> None:
    assert not step("withdrawal", "Russia pulled its troops out of Ukraine.").fired  # troops: 087


def test_peacekeeping_does_not_fire(step: StepOf) -> None:
    s = step("peacekeeping", "Russian troops deployed in Belarus.")
    assert [e.code for e in s.before] == ["154"]
    assert not s.fired
    # who is protected is not the country the troops go to, or may be the sender's own
    assert not step("peacekeeping", "Russia sent troops to Ukraine to protect Russian speakers.").fired
    assert not step("peacekeeping", "Russia sent troops to Ukraine to protect its interests.").fired


def test_military_force_fires(step: StepOf) -> None:
    before, after = step("military_force", "Russian troops attacked Ukraine.").one("attack")
    assert (before.code, after.code) == ("18", "190")


def test_military_force_does_not_fire(step: StepOf) -> None:
    s = step("military_force", "Syrian militants attacked Israel.")  # unconventional violence
    assert [e.code for e in s.before] == ["18"]
    assert not s.fired


def test_joint_exercise_fires(step: StepOf) -> None:
    before, after = step("joint_exercise", "Russia and China held military exercises.").one("exercise")
    assert (before.code, after.code) == ("150", "062")
    # fighting alongside another's forces: the partner, not the target
    before, after = step("joint_exercise", "Russian troops fought alongside Syrian forces.").one("fight")
    assert (before.code, before.targets, after.code, after.targets) == ("190", (), "062", ("Syrian",))


def test_joint_exercise_does_not_fire(step: StepOf) -> None:
    s = step("joint_exercise", "Russia held military exercises.")
    assert [e.code for e in s.before] == ["150"]
    assert not s.fired
    assert not step("joint_exercise", "Russian troops fought Syrian forces.").fired


def test_sports_fires(step: StepOf) -> None:
    s = step("sports", "Russia beat Ukraine in the hockey semifinal.")  # the game, not an assault
    assert [e.lemma for e in s.before] == ["beat"]
    assert s.after == []


def test_sports_does_not_fire(step: StepOf) -> None:
    # a sports word in the sentence does not make restoring ties a game
    s = step("sports", "The Russian hockey federation restored ties with Ukraine.")
    assert [e.code[:2] for e in s.before] == ["05"]
    assert not s.fired
    plain = step("sports", "Russia beat Ukraine in the final round of talks.")
    assert not plain.fired
    # courts and police act on players as on anyone
    court = step("sports", "A Russian court convicted an American basketball player of drug smuggling.")
    assert [e.code for e in court.before] == ["116"]
    assert not court.fired


# -- what an actor is told, what crowds and irregulars do ------------------------------------------


def test_instruction_fires(step: StepOf) -> None:
    before, after = step("instruction", "Russia told Ukraine to withdraw its troops.").one("tell")
    assert (before.code, after.code) == ("010", "100")  # telling an actor to act demands
    before, after = step("instruction", "Russia told Ukraine it would reopen the border.").one("tell")
    assert (before.code, after.code) == ("010", "030")  # telling it what one will do commits
    before, after = step("instruction", "Russia told Ukraine it was ready to send aid.").one("tell")
    assert (before.code, after.code) == ("010", "030")  # ... or is ready to do
    before, after = step("instruction", "Russia told Ukraine it would halt gas deliveries unless "
                                        "Ukraine paid its debts.").one("tell")
    assert (before.code, after.code) == ("010", "130")  # an ultimatum
    before, after = step("instruction", '"Leave our territory now," Ukraine told Russia.').one("tell")
    assert (before.code, after.code) == ("010", "100")  # a quoted imperative is an order


def test_instruction_does_not_fire(step: StepOf) -> None:
    for text in ("Russia told Ukraine that the talks had failed.",  # news, not an instruction
                 "Russia told reporters it would reopen the border.",  # nobody to commit to
                 '"The talks failed," Russia told Ukraine.'):  # a quoted statement is no order
        s = step("instruction", text)
        assert not s.fired, text


def test_protest_demands_reads_a_protest_aimed_at_pressing(step: StepOf) -> None:
    text = "The march by Russian students was aimed at pressing Belarus to free prisoners."
    s = step("protest_demands", text)
    assert [e.code for e in s.after if e.lemma == "press"] == ["141"]
    assert "march" not in {e.lemma for e in s.after}  # one event: the march, with its aim


def test_protest_demands_reads_a_rally_whoever_stages_it(step: StepOf) -> None:
    s = step("protest_demands", "Syrian militants staged a rally demanding that Israel free prisoners.")
    assert s.one("demand")[1].code == "141"  # a rally is a protest, even an armed group's
    s = step("protest_demands", "Syrian militants stormed a village demanding that Israel free prisoners.")
    assert not s.fired  # their violence is not


def test_protest_demands_fires(step: StepOf) -> None:
    s = step("protest_demands", "Russian protesters marched in Moscow demanding that the US lift sanctions.")
    before, after = s.one("demand")
    assert before.code[:2] == "10" and after.code[:3] == "141"  # a demonstration, not a bare demand
    s = step("protest_demands", "Russian workers went on strike demanding the removal of the US envoy.")
    assert s.one("demand")[1].code[:3] == "143"


def test_protest_demands_does_not_fire(step: StepOf) -> None:
    for text in ("Russia demanded that Ukraine withdraw its troops.",  # no protest states it
                 "Russian troops marched into Ukraine demanding its surrender."):  # the state marches
        s = step("protest_demands", text)
        assert not s.fired, text


def test_protest_means_fires(step: StepOf) -> None:
    # a fast staged to make the government act is a hunger strike aimed at it
    s = step("protest_means", "Russian activists fasted for a week to make Ukraine free the sailors.")
    assert [(e.code, e.sources, e.targets) for e in s.after if e.code[:2] == "14"] == [
        ("142", ("Russian",), ("Ukraine",))]
    # a blockade "in a push to" make someone act is an obstruction aimed at them
    text = "Russian students blocked the road to the airport in a push to make Ukraine reopen it."
    assert "144" in [e.code for e in step("protest_means", text).after]


def test_protest_means_does_not_fire(step: StepOf) -> None:
    # an army's blockade to force surrender is no protest
    assert not step("protest_means", "Russian troops blockaded Kyiv to force Ukraine to surrender.").fired
    # a fast with no one made to act is left to the other rules
    assert not step("protest_means", "Russian activists fasted for a week to mark the anniversary.").fired


def test_crowd_action_fires(step: StepOf) -> None:
    before, after = step("crowd_action", "Russian protesters boycotted American goods.").one("boycott")
    assert (before.code, after.code) == ("163", "143")  # a boycott by a crowd, not an embargo
    before, after = step("crowd_action", "Russian protesters torched the American embassy.").one("torch")
    assert (before.code, after.code) == ("1712", "145")  # violent protest


def test_crowd_action_reads_the_by_phrase_of_a_passive(step: StepOf) -> None:
    stormed = "The American embassy was stormed by Russian protesters."
    before, after = step("crowd_action", stormed).one("storm")
    assert (before.code, after.code) == ("190", "145")
    assert not step("crowd_action", "The American embassy was stormed by Russian troops.").fired


def test_crowd_action_does_not_fire(step: StepOf) -> None:
    for text in ("Russia boycotted American goods.", "Syrian militants torched a school in Israel."):
        assert not step("crowd_action", text).fired, text


def test_irregular_violence_fires(step: StepOf) -> None:
    before, after = step("irregular_violence", "Syrian militants stormed a village in Israel.").one("storm")
    assert (before.code, after.code) == ("190", "180")  # unconventional violence
    before, after = step("irregular_violence", "Syrian militants bombed a bus in Israel.").one("bomb")
    assert (before.code, after.code) == ("195", "183")  # a bombing, not an air raid


def test_irregular_violence_does_not_fire(step: StepOf) -> None:
    for text in ("Syrian militants stormed an Israeli army base.",  # an act of war
                 "Russian troops stormed a village in Ukraine.",  # a state's forces
                 "Syrian militants shelled Israel."):  # artillery is conventional force
        assert not step("irregular_violence", text).fired, text


def test_one_sided_violence_fires(step: StepOf) -> None:
    for text, code in (("Russian troops fired at protesters in Belarus.", "175"),  # repression
                       ("Russian troops killed civilians in Ukraine.", "180"),
                       ("Syrian troops attacked Israel with sarin.", "2041")):  # poison gas
        s = step("one_sided_violence", text)
        (before,), (after,) = s.before, s.after
        assert before.code.startswith("19") and after.code == code, text


def test_one_sided_violence_does_not_fire(step: StepOf) -> None:
    for text in ("Russian troops attacked Ukrainian positions.",  # armed on armed: war
                 "Russian troops shelled Ukraine.",
                 "Syrian militants bombed a bus in Israel."):  # already a bombing (183)
        assert not step("one_sided_violence", text).fired, text


def test_mass_expulsion_fires(step: StepOf) -> None:
    for text in ("Russia expelled thousands of Ukrainians.", "Russia deported ethnic Ukrainians from Crimea.",
                 "Russia deported 12,000 Ukrainians."):
        s = step("mass_expulsion", text)
        (before,), (after,) = s.before, s.after
        assert before.code in ("166", "174") and after.code == "201", text


def test_mass_expulsion_does_not_fire(step: StepOf) -> None:
    for text in ("Russia deported 168 Ukrainians.",  # a few people: a legal matter (174)
                 "Russia deported 2,000 Ukrainian migrants.",  # migrants, however many
                 "Russia expelled 23 American diplomats."):
        assert not step("mass_expulsion", text).fired, text


def test_instruction_ordering_out_expels(step: StepOf) -> None:
    text = "Russia ordered an American diplomat out of the country."
    before, after = step("instruction", text).one("order")
    assert (before.code, after.code) == ("100", "166")


def test_instruction_to_leave_expels(step: StepOf) -> None:
    before, after = step("instruction", "Mali ordered the UN to leave the country.").one("order")
    assert after.code == "166" and before.code != "166"  # ordered out: an expulsion


def _background_factors(mentions_of: MentionsOf, text: str) -> dict[str, float | None]:
    """The background factor of each event after the rule ran (it changes no code or flag)."""
    doc, mentions = mentions_of(text, ACTORS)
    (sent,) = doc.sents
    ctx = sentence_context(sent, mentions)
    events = rule("background").apply(ctx, run(ctx, ORDER[:ORDER.index("background")]))
    return {e.lemma: e.factors.get("background") for e in events}


def test_background_fires(mentions_of: MentionsOf) -> None:
    factors = _background_factors(mentions_of, "After talks with Russia, China pledged to support Iran.")
    assert factors["talk"] == BACKGROUND_FACTOR  # the talks set the scene
    assert factors["pledge"] is None  # the pledge is the news
    factors = _background_factors(mentions_of, "Despite appeals from Ukraine, Russia rejected the talks.")
    assert factors["appeal"] == BACKGROUND_FACTOR and factors["reject"] is None
    # a participle naming what the act is done to: "lifted the curfew imposed on X"
    factors = _background_factors(mentions_of, "Russia eased the curfew imposed on Ukraine.")
    assert factors["impose"] == BACKGROUND_FACTOR and factors["ease"] is None


def test_background_does_not_fire(mentions_of: MentionsOf) -> None:
    for text in ("China held talks with Russia after the summit.",  # the talks are the news
                 "Russia attacked Ukraine after midnight."):
        assert set(_background_factors(mentions_of, text).values()) == {None}, text


def test_termination_fires_on_a_noun_of_ending(step: StepOf) -> None:
    before, after = step("termination", "Russia announced the cessation of aid to Ukraine.").one("aid")
    assert (before.code[:2], after.code[:3]) == ("07", "162")  # ending aid cuts it


def test_background_reads_a_relative_clause_on_the_subject(mentions_of: MentionsOf) -> None:
    text = "Russia, which attacked Ukraine last year, pledged to support China."
    factors = _background_factors(mentions_of, text)
    assert factors["attack"] == BACKGROUND_FACTOR and factors["pledge"] is None


def test_composition_ends_the_act_a_verb_of_ending_governs(step: StepOf) -> None:
    s = step("composition", "Russia urged Ukraine to stop the shelling of Mali.")
    (appeal,) = [e for e in s.after if e.lemma == "urge"]
    assert appeal.code == "0256"  # an appeal to de-escalate, not to shell


def test_clause_source_fires(step: StepOf) -> None:
    text = "American students threw stones during demonstrations against the Russian government."
    before, after = step("clause_source", text).one("demonstration")
    assert (before.sources, before.targets) == ((), ("Russian",))
    assert after.sources == ("American",)


def test_clause_source_does_not_fire(step: StepOf) -> None:
    # a verb that is an act of its own keeps its subject: China arrested, it did not protest
    assert not step("clause_source",
                    "China arrested students at demonstrations against the Russian government.").fired
    # only protests: an attack named in an adjunct is not the subject's
    assert not step("clause_source", "France sent doctors after the attack on Mali.").fired


def test_clause_target_fires(step: StepOf) -> None:
    # the counterpart in a dative of a light verb, the embedded act's own partner left to it
    s = step("clause_target", "France issued a stern reminder to Iran that it must cooperate with the UN.")
    (before,) = [e for e in s.before if e.code.startswith("10")]
    (after,) = [e for e in s.after if e.code.startswith("10")]
    assert (before.sources, before.targets) == (("France",), ())
    assert after.targets == ("Iran",)
    # the counterpart inside the object's own phrase
    text = "China accepted a formula for ending its quarrel with its US partners."
    before, after = step("clause_target", text).one("accept")
    assert (before.targets, after.targets) == ((), ("US",))


def test_clause_target_does_not_fire(step: StepOf) -> None:
    for text in (
        "China accepted the formula, Iran said.",  # a speaker reports, it is not acted on
        "China accepted the formula, according to Iran.",  # nor is an attribution
        "China accepted a formula for its quarrels with Iran and Israel.",  # two candidates
        "Russia held war games near Ukraine.",  # mobilisation names no target beside it
        # a name that takes part in another act is that act's
        "China accepted the formula years after Iranian crowds burned its embassy.",
        # a name given as an example is not aimed at
        "China accepted a formula for safe countries like Iran.",
        # nor is a name in a relative clause inside the act's clause
        "China accepted a formula, which Iran rejects, on Monday.",
    ):
        assert not step("clause_target", text).fired, text


def test_conditional_threat_fires(step: StepOf) -> None:
    text = "France will cut aid to Ukraine unless Mali holds elections."
    before, after = step("conditional_threat", text).one("cut")
    assert "hypothetical" in before.flags and "hypothetical" not in after.flags
    assert "future" in after.flags and after.targets[0] == "Mali"  # aimed at whom the condition asks to act
    text = "France may cut aid to Ukraine if Mali does not hold elections."
    before, after = step("conditional_threat", text).one("cut")
    assert "hypothetical" in before.flags and {"future"} <= after.flags and "hypothetical" not in after.flags


def test_conditional_threat_does_not_fire(step: StepOf) -> None:
    for text in ("France cut aid to Ukraine unless Mali held elections.",  # no modal: a report, not a threat
                 "France will cut aid to Ukraine if the talks fail.",  # a condition on no actor
                 "France will not cut aid to Ukraine unless Mali holds elections."):  # negated
        assert not step("conditional_threat", text).fired, text


def test_truce_violation_fires(step: StepOf) -> None:
    text = "Russia attacked Ukraine in violation of the ceasefire."
    before, after = step("truce_violation", text).one("attack")
    assert before.code != "196" and after.code == "196"


def test_truce_violation_does_not_fire(step: StepOf) -> None:
    for text in ("Russia attacked Ukraine in violation of international law.",  # no truce broken
                 "Russia accused Ukraine of acting in violation of the ceasefire."):  # words, not force
        assert not step("truce_violation", text).fired, text


def test_crowd_action_fires_on_a_crowd_lifting_its_own_blockade(step: StepOf) -> None:
    before, after = step("crowd_action", "Angry farmers lifted their blockades of motorways.").one("lift")
    assert (before.code, after.code) == ("0872", "082")
    assert not step("crowd_action", "Israel lifted its blockade of Gaza.").fired  # a state's blockade
