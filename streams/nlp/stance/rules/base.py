"""The rule protocol, and the two shapes a rule comes in.

A rule is anything with a ``name`` and an ``apply(ctx, events) -> events``
method (:class:`Rule`).  Two small wrappers make one out of a function:

* :func:`event_rule` -- the function sees one event at a time and returns it
  (changed in place) or a replacement: most rules ("a strike nobody aims at
  anyone is a labour strike");
* :func:`sentence_rule` -- the function sees the whole list and returns the
  new list: rules that add, drop or merge events (triggers, composition).

Both read the sentence's shared state from the
:class:`~streams.nlp.stance.context.SentenceContext`, never from globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from streams.nlp.stance.context import SentenceContext
from streams.nlp.stance.events import Event

EventFn = Callable[[SentenceContext, Event], Event]
SentenceFn = Callable[[SentenceContext, list[Event]], list[Event]]


class Rule(Protocol):
    """One step of coding a sentence: the events so far in, the events after it out."""

    @property
    def name(self) -> str: ...

    def apply(self, ctx: SentenceContext, events: list[Event]) -> list[Event]: ...


@dataclass(frozen=True, slots=True)
class EventRule:
    """A rule applied to each event on its own."""

    name: str
    refine: EventFn

    def apply(self, ctx: SentenceContext, events: list[Event]) -> list[Event]:
        return [self.refine(ctx, e) for e in events]


@dataclass(frozen=True, slots=True)
class SentenceRule:
    """A rule over the whole list of events of the sentence."""

    name: str
    transform: SentenceFn

    def apply(self, ctx: SentenceContext, events: list[Event]) -> list[Event]:
        return self.transform(ctx, events)


def event_rule(name: str) -> Callable[[EventFn], EventRule]:
    """Decorator: the function ``(ctx, event) -> event`` as the rule ``name``."""

    def wrap(fn: EventFn) -> EventRule:
        return EventRule(name, fn)

    return wrap


def sentence_rule(name: str) -> Callable[[SentenceFn], SentenceRule]:
    """Decorator: the function ``(ctx, events) -> events`` as the rule ``name``."""

    def wrap(fn: SentenceFn) -> SentenceRule:
        return SentenceRule(name, fn)

    return wrap
