"""The rules that code the events of one sentence, their registry and their order.

Coding a sentence is a pipeline, in the manner of spaCy's: a
:class:`~streams.nlp.stance.context.SentenceContext` is built once (the
parse helpers, quotes and speech frames of the sentence), then each rule
named in :data:`ORDER` takes the list of events so far and returns the list
after it.  The first rule finds the triggers; the last adds obligations
stated without an event word.

Families (one module each, one idea each):

==================  ==========================================================
``triggers``        ``lexicon_triggers``: tokens matching a lexicon row
``arguments``       ``verb_arguments``, ``noun_arguments``: who acts on whom
``emotion``         ``experiencer``: who feels anger disapproves of its cause
``speech``          ``speech_attribution``: reported and quoted acts, speakers
``modality``        ``modality`` (negation, hypotheticals, future, must/should),
                    ``intent`` (a stated future act is intent or a threat),
                    ``background`` (an act in a time adjunct sets the scene)
``refusal``         ``failed_cooperation``, ``refusal``, ``ruled_out``, ``defiance``:
                    cooperation refused or defied is a refusal (12x)
``composition``     ``subsume_objects``, ``composition``, ``termination``
``withdrawal``      ``withdrawal``: pulling out of talks ends them, not a war
``obligation``      ``obligation``, ``wish``, ``bare_obligation``: "X said Y must ...",
                    "X wants Y to ..."
``verbal``          ``protest``, ``accusation``, ``denial``, ``instruction``
``force``           ``labour_strike``, ``peacekeeping``, ``military_force``,
                    ``irregular_violence``, ``one_sided_violence``,
                    ``mass_expulsion``, ``joint_exercise``, ``truce_violation``
``crowds``          ``protest_demands``, ``crowd_action``: what crowds do is protest
``protest_means``   ``protest_means``: a protest staged to make someone act is aimed at them
``clause``          ``clause_source``: a protest noun's crowd is the subject of
                    the verb that holds it; ``clause_target``: a targetless
                    act aimed at the one other actor its clause names
``sports``          ``sports``: in a sentence about a game, only acts no game means
==================  ==========================================================

How to add a rule
-----------------

1. **Write it** in the module of its family (or a new module
   ``rules/<family>.py`` for a new idea; keep modules under ~300 lines).
   A rule is anything with a ``name`` and
   ``apply(ctx, events) -> events`` (the :class:`~.base.Rule` protocol).
   Usually a decorated function is enough::

       @event_rule("joint_exercise")
       def joint_exercise(ctx: SentenceContext, e: Event) -> Event:
           '''Exercises held together by forces of different states are joint (062).'''
           ...
           return e

   ``@event_rule`` sees one event at a time and returns it (changed in
   place) or a replacement; ``@sentence_rule`` sees and returns the whole
   list (to add, drop or merge events).  Read shared state from ``ctx``
   only (the sentence, mentions, lexicon, syntax helpers, speech frames,
   ``ctx.trigger_ids``); do not keep state between calls.
2. **Register it**: add it to the family's entry in :data:`FAMILIES`
   (a new family module gets a new entry).
3. **Order it**: put its name in :data:`ORDER`, where it belongs.  The order
   is explicit and only here; importing modules never changes it, and the
   registry refuses a rule that is registered but not ordered (or ordered
   but not registered).  Consecutive per-event rules run as one pass, event
   by event (each event goes through the whole run before the next one
   starts), which is how the coder has always applied them.
4. **Test it alone**: ``tests/nlp/stance/test_rules.py`` runs the pipeline
   up to the rule (:func:`run` with ``ORDER[:k]``), applies the rule on its
   own (:func:`rule`) and checks the difference.  Add at least one sentence
   where it fires and one where it must not; the test module fails while a
   registered rule has no test.
5. **Measure**: the phenomena and worked-example tests
   (``tests/nlp/stance``), then ``streams eval`` on the development sets
   and ``streams process`` on the samples, compared with their output
   before the change: a new rule should move only what it means to.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from types import ModuleType

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event
from streams.nlp.stance.rules import (
    arguments,
    clause,
    composition,
    crowds,
    emotion,
    force,
    modality,
    obligation,
    protest_means,
    refusal,
    speech,
    sports,
    triggers,
    verbal,
    withdrawal,
)
from streams.nlp.stance.rules.base import EventRule, Rule, SentenceRule, event_rule, sentence_rule

__all__ = ["FAMILIES", "ORDER", "REGISTRY", "EventRule", "Rule", "SentenceRule", "build_registry",
           "event_rule", "rule", "run", "sentence_rule"]

#: Every rule, by family module.
FAMILIES: dict[ModuleType, tuple[Rule, ...]] = {
    triggers: (triggers.lexicon_triggers,),
    arguments: (arguments.verb_arguments, arguments.noun_arguments),
    emotion: (emotion.experiencer,),
    speech: (speech.speech_attribution,),
    modality: (modality.modality, modality.conditional_threat, modality.intent,
               modality.background),
    refusal: (refusal.failed_cooperation, refusal.refusal, refusal.ruled_out, refusal.defiance),
    composition: (composition.subsume_objects, composition.composition,
                  composition.termination),
    withdrawal: (withdrawal.withdrawal,),
    obligation: (obligation.obligation, obligation.wish, obligation.bare_obligation),
    verbal: (verbal.protest, verbal.accusation, verbal.denial, verbal.instruction),
    force: (force.labour_strike, force.peacekeeping, force.military_force,
            force.irregular_violence, force.one_sided_violence, force.mass_expulsion,
            force.joint_exercise, force.truce_violation),
    crowds: (crowds.protest_demands, crowds.crowd_action),
    protest_means: (protest_means.protest_means,),
    clause: (clause.clause_source, clause.clause_target),
    sports: (sports.sports,),
}

#: The order the rules run in: the one place that says it.
ORDER: tuple[str, ...] = (
    # find the acts and their arguments
    "lexicon_triggers",
    "verb_arguments",
    "noun_arguments",
    "experiencer",
    "speech_attribution",
    "modality",
    "conditional_threat",
    "background",
    "instruction",
    # what a "strike" or a crowd's blockade is, before an act that ends it is composed
    # ("called off a strike", "farmers lifted their blockades")
    "labour_strike",
    "crowd_action",
    # one event per phrase, embedded acts folded into the acts that embed them
    "subsume_objects",
    "composition",
    "protest_demands",
    "protest_means",
    # recode each act by its context
    "peacekeeping",
    "termination",
    "withdrawal",
    "obligation",
    "wish",
    "intent",
    "failed_cooperation",
    "refusal",
    "ruled_out",
    "protest",
    "accusation",
    "denial",
    "military_force",
    "irregular_violence",
    "one_sided_violence",
    "mass_expulsion",
    "joint_exercise",
    "truce_violation",
    # force or protest carried on despite an appeal, once both have their final codes
    "defiance",
    # obligations stated without an event word
    "bare_obligation",
    # what the clause gives an act its own patterns missed: a protest's crowd, a counterpart
    "clause_source",
    "clause_target",
    # a game is not a war: last, once every act has its final code
    "sports",
)


def build_registry(families: dict[ModuleType, tuple[Rule, ...]],
                   order: Sequence[str]) -> dict[str, Rule]:
    """Rule name -> rule; refuses a name registered twice, or not ordered exactly once."""
    out: dict[str, Rule] = {}
    for family, rules in families.items():
        for r in rules:
            if r.name in out:
                raise ValueError(f"rule {r.name!r} registered twice ({family.__name__})")
            out[r.name] = r
    unordered = sorted(set(out) - set(order))
    unknown = sorted(set(order) - set(out))
    repeated = sorted({n for n in order if list(order).count(n) > 1})
    if unordered or unknown or repeated:
        raise ValueError(f"the order must name every registered rule once: not ordered {unordered}, "
                         f"not registered {unknown}, repeated {repeated}")
    return out


#: Rule name -> rule.
REGISTRY: dict[str, Rule] = build_registry(FAMILIES, ORDER)


def rule(name: str) -> Rule:
    """The registered rule called ``name``."""
    return REGISTRY[name]


def run(ctx: SentenceContext, names: Sequence[str] = ORDER,
        events: list[Event] | None = None) -> list[Event]:
    """The events after the rules ``names`` (default: all, in order) ran on ``ctx``.

    Consecutive per-event rules run as one pass, event by event, so an event
    that appears twice in the list (composition can fold two acts into one
    object) goes through the run twice in a row, as it always did.
    """
    out = [] if events is None else events
    for per_event, group in groupby((REGISTRY[n] for n in names),
                                    key=lambda r: isinstance(r, EventRule)):
        if per_event:
            batch = [r for r in group if isinstance(r, EventRule)]
            out = [_refine(batch, ctx, e) for e in out]
        else:
            for r in group:
                out = r.apply(ctx, out)
    return out


def _refine(batch: Sequence[EventRule], ctx: SentenceContext, e: Event) -> Event:
    for r in batch:
        e = r.refine(ctx, e)
    return e
