"""``streams alerts``: the alert topic, readable, filtered by dyad, event time and level.

The alerts already on the topic are printed first, in event-time order; then, when
following (the default on a terminal), new ones as they arrive.  Each alert is one
``ALERT`` line (event time, dyad, level change, score, events and outlets) followed by its
strongest evidence from ``top_events``: the sentence, the outlet and the article's URL.
``--raw`` prints the alerts' JSON values as they are instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from streams.contracts.common import dyad_key
from streams.contracts.geo import AlertLevel
from streams.tools import StoredRecord, broker_settings, read_topic

LEVELS: tuple[str, ...] = get_args(AlertLevel)
#: Top events shown under each alert by default (``--evidence``).
EVIDENCE = 3
SENTENCE_CHARS = 200

# --- pure: options, filtering, formatting ---------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``2h``, ``3d``, ``90m``, ``1w`` (before ``now``) or an ISO 8601 time (UTC if no offset)."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.fullmatch(text.strip().lower())
    if match:
        return now - timedelta(seconds=float(match[1]) * _UNITS[match[2]])
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a duration (30m, 2h, 3d, 1w) or an ISO time "
            "(2024-04-14, 2024-04-14T03:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_dyad(text: str) -> str:
    """``RUS|UKR``, ``rus-ukr``, ``UKR/RUS``...: the dyad key (codes sorted, ``|``)."""
    parts = [p for p in re.split(r"[|\-/,:\s]+", text.strip().upper()) if p]
    if len(parts) != 2 or not all(re.fullmatch(r"[A-Z]{3}", p) for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r}: expected two country codes, e.g. RUS|UKR or RUS-UKR")
    return dyad_key(parts[0], parts[1])


@dataclass(frozen=True)
class AlertView:
    """What the tool shows of an alert, read leniently from its JSON value."""

    dyad: str
    level: str
    previous_level: str
    transition: str
    score: float
    as_of: datetime
    event_count: int | None
    distinct_outlets: int | None
    top_events: tuple[dict[str, Any], ...]

    @property
    def rank(self) -> int:
        """The higher of the two levels: a change "reaches or leaves" it."""
        return max(LEVELS.index(self.level), LEVELS.index(self.previous_level))


def read_alert(value: bytes | None) -> AlertView:
    """An alert value; :class:`ValueError` (with the reason) when it is not one."""
    if value is None:
        raise ValueError("null value")
    try:
        obj = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    try:
        level, previous = str(obj["level"]), str(obj["previous_level"])
        if level not in LEVELS or previous not in LEVELS:
            raise ValueError(f"unknown level {level!r} or {previous!r}")
        as_of = datetime.fromisoformat(str(obj["as_of"]))
        events = obj.get("top_events") or []
        return AlertView(
            dyad=str(obj["dyad"]), level=level, previous_level=previous,
            transition=str(obj.get("transition", "")), score=float(obj["score"]),
            as_of=as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC),
            event_count=obj.get("event_count"), distinct_outlets=obj.get("distinct_outlets"),
            top_events=tuple(e for e in events if isinstance(e, dict)) if isinstance(events, list) else (),
        )
    except KeyError as exc:
        raise ValueError(f"no {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class AlertFilter:
    """Dyads (any of them; none: all), event time at or after ``since``, and a level floor."""

    dyads: frozenset[str] = frozenset()
    since: datetime | None = None
    min_level: str = "watch"

    def matches(self, alert: AlertView) -> bool:
        return ((not self.dyads or alert.dyad in self.dyads)
                and (self.since is None or alert.as_of >= self.since)
                and alert.rank >= LEVELS.index(self.min_level))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(alert: AlertView, evidence: int = EVIDENCE) -> list[str]:
    """The ``ALERT`` line, then one line per top event (at most ``evidence``)."""
    when = alert.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    line = (f"ALERT {when}  {alert.dyad}  {alert.previous_level} → {alert.level.upper()} "
            f"({alert.transition})  score {alert.score:.1f}")
    counts = [_plural(n, word) for n, word in ((alert.event_count, "event"),
                                               (alert.distinct_outlets, "outlet"))
              if isinstance(n, int)]
    if counts:
        line += f"  [{', '.join(counts)}]"
    lines = [line]
    for event in alert.top_events[:max(evidence, 0)]:
        sentence = " ".join(str(event.get("sentence") or "").split())
        if len(sentence) > SENTENCE_CHARS:
            sentence = sentence[:SENTENCE_CHARS - 1] + "…"
        outlets = event.get("outlets") or []
        source = str(event.get("outlet") or "?")
        if isinstance(outlets, list) and len(outlets) > 1:
            source += f" +{len(outlets) - 1} more"
        text = f'    - "{sentence}" ({source}' if sentence else f"    - ({source}"
        if event.get("cameo_code"):
            text += f", CAMEO {event['cameo_code']}"
        text += ")"
        if event.get("url"):
            text += f" {event['url']}"
        lines.append(text)
    return lines


# --- Kafka I/O ------------------------------------------------------------------------------


def _printer(args: argparse.Namespace) -> Callable[[StoredRecord, AlertView], None]:
    def show(record: StoredRecord, alert: AlertView) -> None:
        if args.raw:
            sys.stdout.write((record.value or b"").decode("utf-8", "replace") + "\n")
        else:
            sys.stdout.write("\n".join(describe(alert, args.evidence)) + "\n")
        sys.stdout.flush()

    return show


def cmd_alerts(args: argparse.Namespace) -> int:
    """Print the alerts on the topic that pass the filter, then (following) new ones."""
    settings = broker_settings()
    follow = sys.stdout.isatty() if args.follow is None else args.follow
    wanted = AlertFilter(frozenset(args.dyad or ()), args.since, args.min_level)
    show = _printer(args)
    topic = settings.topics.alerts

    async def run() -> None:
        shown = 0
        backlog: list[tuple[StoredRecord, AlertView]] = []
        caught_up = False
        records = read_topic(settings, topic, follow=follow, idle_timeout=args.idle_timeout)
        async with contextlib.aclosing(records):
            async for record in records:
                if record is None:  # the existing alerts are read: print them in event time
                    caught_up = True
                    backlog.sort(key=lambda item: (item[1].as_of, item[0].partition, item[0].offset))
                    for item in backlog[:args.max]:
                        show(*item)
                    shown = len(backlog[:args.max])
                    backlog.clear()
                    if args.max is not None and shown >= args.max:
                        return
                    continue
                try:
                    alert = read_alert(record.value)
                except ValueError as exc:
                    print(f"skipped {topic} {record.partition}:{record.offset}, not an alert: {exc}",
                          file=sys.stderr)
                    continue
                if not wanted.matches(alert):
                    continue
                if not caught_up:
                    backlog.append((record, alert))
                    continue
                show(record, alert)
                shown += 1
                if args.max is not None and shown >= args.max:
                    return

    asyncio.run(run())
    return 0


def add_parser(subparsers: Any) -> None:
    """Register ``streams alerts``."""
    p = subparsers.add_parser("alerts", help="the alert topic, readable and filtered",
                              description="The alerts on the alert topic, in event-time order, "
                              "each with its strongest evidence; then, following, new ones.")
    p.add_argument("--dyad", action="append", type=parse_dyad, metavar="AAA|BBB",
                   help="only this dyad, e.g. RUS|UKR or RUS-UKR (repeatable)")
    p.add_argument("--since", type=parse_since, metavar="TIME",
                   help="only alerts whose event time is at or after TIME: a duration before "
                   "now (30m, 2h, 3d, 1w) or an ISO time (UTC when it names no offset)")
    p.add_argument("--min-level", choices=LEVELS, default="watch",
                   help="only changes that reach or leave at least this level (default: watch)")
    p.add_argument("--raw", action="store_true", help="print the alerts as JSON lines")
    p.add_argument("--evidence", type=int, default=EVIDENCE, metavar="N",
                   help=f"top events shown under each alert (default: {EVIDENCE})")
    p.add_argument("--follow", action=argparse.BooleanOptionalAction, default=None,
                   help="after the existing alerts, wait for new ones (default: on a terminal "
                   "only; --no-follow stops once the existing ones are printed)")
    p.add_argument("--idle-timeout", type=float, metavar="SECONDS",
                   help="when following, stop after this many seconds without a new record")
    p.add_argument("--max", type=int, metavar="N", help="stop after N alerts")
    p.add_argument("--from-beginning", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_alerts)
