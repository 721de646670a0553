"""``streams dlq``: list the dead letters, and replay their original records.

``streams dlq list`` counts the dead letters by reason, then shows one line each: where
it is on the dead-letter topic (``partition:offset``), its reason, detail and article id.
``streams dlq replay`` sends selected dead letters' *original* records (value, key and
headers, decoded from the letter's base64) back to the input topic they first arrived
on, once the cause is fixed.  A letter whose original was not kept whole (``truncated``,
or an ``unreadable_record`` the Kafka client could not read at all) is refused, never
replayed in part.

Selection (both commands): ``--reason``, ``--offsets P:FROM-TO`` (dead-letter topic
coordinates, as ``list`` shows them), ``--id`` (article id); kinds combine with AND,
repeated options of one kind with OR.  The pure part (parsing, selection, decoding,
planning) is separate from the Kafka I/O (:func:`cmd_list`, :func:`cmd_replay`).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import contextlib
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import ValidationError

from streams.contracts.deadletter import DeadLetter, DeadLetterReason
from streams.errors import BrokerUnavailable, UsageError
from streams.settings import Settings, Topics
from streams.tools import (
    UNREACHABLE_HINT,
    Headers,
    OutgoingRecord,
    StoredRecord,
    broker_settings,
    read_topic,
    send_records,
)

REASONS: tuple[str, ...] = get_args(DeadLetterReason)
#: Characters of ``detail`` shown per line by ``dlq list``.
DETAIL_CHARS = 160

# --- pure: reading, selecting, decoding --------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """One record of the dead-letter topic: the parsed letter, or why it is unreadable."""

    partition: int
    offset: int
    value: bytes | None
    letter: DeadLetter | None = None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.partition}:{self.offset}"

    @property
    def reason(self) -> str:
        return self.letter.reason if self.letter else "<unreadable>"


def parse_letter(partition: int, offset: int, value: bytes | None) -> Letter:
    """A dead-letter record, read leniently: a bad one is kept, with the error."""
    if value is None:
        return Letter(partition, offset, value, error="null value")
    try:
        return Letter(partition, offset, value, DeadLetter.model_validate_json(value))
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "<root>"
        return Letter(partition, offset, value, error=f"not a dead letter ({where}: {first['msg']})")


@dataclass(frozen=True)
class OffsetRange:
    """Offsets ``first`` to ``last`` (inclusive; ``None``: to the end) of one partition."""

    partition: int
    first: int
    last: int | None

    def __contains__(self, letter: object) -> bool:
        return (isinstance(letter, Letter) and letter.partition == self.partition
                and self.first <= letter.offset and (self.last is None or letter.offset <= self.last))


_RANGE = re.compile(r"(\d+):(\d+)(?:(-)(\d+)?)?")


def parse_offsets(text: str) -> OffsetRange:
    """``P:FROM-TO``, ``P:N`` (one offset) or ``P:FROM-`` (to the end)."""
    match = _RANGE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: expected PARTITION:FROM-TO, PARTITION:OFFSET "
                                         "or PARTITION:FROM-")
    partition, first = int(match[1]), int(match[2])
    last = None if match[3] and match[4] is None else int(match[4] or first)
    if last is not None and last < first:
        raise argparse.ArgumentTypeError(f"{text!r}: the range ends before it starts")
    return OffsetRange(partition, first, last)


@dataclass(frozen=True)
class Selection:
    """Which dead letters a command applies to: every given kind must match."""

    reasons: frozenset[str] = frozenset()
    ranges: tuple[OffsetRange, ...] = ()
    ids: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not (self.reasons or self.ranges or self.ids)

    def matches(self, letter: Letter) -> bool:
        if self.reasons and (letter.letter is None or letter.letter.reason not in self.reasons):
            return False
        if self.ranges and not any(letter in r for r in self.ranges):
            return False
        return not self.ids or (letter.letter is not None and letter.letter.article_id in self.ids)


class NotReplayable(ValueError):
    """Why a dead letter's original record cannot be sent again as it was."""


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NotReplayable(f"{what} is not valid base64 ({exc})") from None


def decode_original(letter: DeadLetter) -> tuple[bytes | None, bytes | None, Headers]:
    """The original record's value, key and headers, exactly as they arrived.

    Raises :class:`NotReplayable` when the letter does not hold the whole original, or
    when the record could not be sent as it was.
    """
    if letter.reason == "unreadable_record":
        raise NotReplayable("the Kafka client could not read the original: the letter holds no copy")
    if letter.truncated:
        raise NotReplayable(f"the original's {', '.join(letter.truncated)} was kept only in part")
    value = None if letter.original_b64 is None else _b64(letter.original_b64, "original_b64")
    if value is not None:
        if len(value) != letter.original_size:
            raise NotReplayable(f"original is {len(value)} bytes, original_size says "
                                f"{letter.original_size}")
        if letter.original_sha256 and hashlib.sha256(value).hexdigest() != letter.original_sha256:
            raise NotReplayable("original does not match original_sha256")
    key = None if letter.original_key_b64 is None else _b64(letter.original_key_b64,
                                                             "original_key_b64")
    if value is None and key is None:
        raise NotReplayable("a record with neither key nor value cannot be sent by this client")
    headers: list[tuple[str, bytes | None]] = []
    for header in letter.headers:
        name = _b64(header.key_b64, f"header {header.key!r} name")
        try:
            text = name.decode("utf-8")
        except UnicodeDecodeError:
            raise NotReplayable(f"header name {name!r} is not UTF-8: this client cannot "
                                "send it") from None
        raw = None if header.value_b64 is None else _b64(header.value_b64, f"header {text!r} value")
        headers.append((text, raw))
    return value, key, tuple(headers)


def destinations(topics: Topics) -> dict[str | None, str]:
    """Where each original topic's records go back to (``None``: a letter naming none)."""
    return {topics.articles: topics.articles, topics.rekeyed: topics.articles,
            topics.stance_events: topics.stance_events, None: topics.articles}


@dataclass
class ReplayPlan:
    """What a replay sends, refuses and skips, in sending order."""

    send: list[tuple[Letter, OutgoingRecord]] = field(default_factory=list)
    refused: list[tuple[Letter, str]] = field(default_factory=list)
    #: Letters of an original already planned (the worker may dead-letter a record twice
    #: when it restarts before committing): sent once.
    duplicates: list[Letter] = field(default_factory=list)

    @property
    def selected(self) -> int:
        return len(self.send) + len(self.refused) + len(self.duplicates)


def _origin(letter: Letter) -> tuple[str, int, int, int, int]:
    dl = letter.letter
    assert dl is not None
    return (dl.topic or "", -1 if dl.partition is None else dl.partition,
            -1 if dl.offset is None else dl.offset, letter.partition, letter.offset)


def plan_replay(letters: Iterable[Letter], selection: Selection,
                routes: dict[str | None, str], topic: str | None = None) -> ReplayPlan:
    """The selected letters' originals, ordered as they first arrived, to send to their input topic.

    ``routes`` maps an original topic to its destination (:func:`destinations`); ``topic``,
    when given, is the destination of every letter instead.
    """
    plan = ReplayPlan()
    chosen = [letter for letter in letters if selection.matches(letter)]
    seen: set[tuple[str, int, int]] = set()
    for letter in sorted((c for c in chosen if c.letter is not None), key=_origin):
        dl = letter.letter
        assert dl is not None
        if dl.topic is not None and dl.partition is not None and dl.offset is not None:
            if (dl.topic, dl.partition, dl.offset) in seen:
                plan.duplicates.append(letter)
                continue
            seen.add((dl.topic, dl.partition, dl.offset))
        destination = topic or routes.get(dl.topic)
        if destination is None:
            plan.refused.append((letter, f"it first arrived on {dl.topic}, not an input topic "
                                         "of these settings (name one with --topic)"))
            continue
        try:
            value, key, headers = decode_original(dl)
        except NotReplayable as exc:
            plan.refused.append((letter, str(exc)))
            continue
        plan.send.append((letter, OutgoingRecord(destination, key, value, headers)))
    plan.refused.extend((c, c.error or "unreadable") for c in chosen if c.letter is None)
    return plan


def describe(letter: Letter, detail_chars: int = DETAIL_CHARS) -> str:
    """One line: ``partition:offset  reason  detail  id=...``."""
    dl = letter.letter
    if dl is None:
        return f"{letter.where}  {letter.reason}  {letter.error}"
    detail = " ".join(dl.detail.split())
    if len(detail) > detail_chars:
        detail = detail[:detail_chars - 1] + "…"
    line = f"{letter.where}  {dl.reason}  {detail}"
    if dl.article_id is not None:
        line += f"  id={dl.article_id}"
    if dl.truncated:
        line += f"  [truncated: {','.join(dl.truncated)}]"
    return line


def summary(letters: Sequence[Letter], total: int, topic: str) -> list[str]:
    """The count by reason, most frequent first."""
    head = f"{len(letters)} dead letters on {topic}"
    if len(letters) != total:
        head += f" selected, of {total}"
    counts = Counter(letter.reason for letter in letters)
    return [head] + [f"{count:>8}  {reason}" for reason, count in
                     sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


# --- Kafka I/O ------------------------------------------------------------------------------


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(frozenset(args.reason or ()), tuple(args.offsets or ()), frozenset(args.id or ()))


async def _letters(settings: Settings, topic: str) -> tuple[list[Letter], int]:
    """Every letter of the dead-letter topic (values of unselected ones are not kept)."""
    out: list[Letter] = []
    total = 0
    records = read_topic(settings, topic)
    async with contextlib.aclosing(records):
        async for rec in records:
            if isinstance(rec, StoredRecord):
                total += 1
                out.append(parse_letter(rec.partition, rec.offset, rec.value))
    return out, total


def cmd_list(args: argparse.Namespace) -> int:
    settings = broker_settings()
    letters, total = asyncio.run(_letters(settings, settings.topics.dead_letters))
    selection = _selection(args)
    chosen = [letter for letter in letters if selection.matches(letter)]
    shown = chosen[:args.max] if args.max is not None else chosen
    if args.raw:
        for line in summary(chosen, total, settings.topics.dead_letters):
            print(line, file=sys.stderr)
        for letter in shown:
            sys.stdout.write((letter.value or b"").decode("utf-8", "replace") + "\n")
        return 0
    print("\n".join(summary(chosen, total, settings.topics.dead_letters)))
    if shown:
        print()
    for letter in shown:
        print(describe(letter))
    if len(shown) < len(chosen):
        print(f"... and {len(chosen) - len(shown)} more")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from streams.kafka_io import ProducerUnavailable

    selection = _selection(args)
    if selection.everything and not args.all:
        raise UsageError("streams dlq replay: choose what to replay",
                         "select with --reason, --offsets or --id, or replay everything with --all")
    settings = broker_settings()
    letters, _ = asyncio.run(_letters(settings, settings.topics.dead_letters))
    plan = plan_replay(letters, selection, destinations(settings.topics), args.topic)
    for letter, why in plan.refused:
        print(f"not replayed {letter.where} ({letter.reason}): {why}", file=sys.stderr)
    if plan.duplicates:
        print(f"{len(plan.duplicates)} letters repeat an original already selected: sent once",
              file=sys.stderr)
    if args.dry_run:
        for letter, record in plan.send:
            size = "null" if record.value is None else f"{len(record.value)} bytes"
            print(f"would replay {letter.where} ({letter.reason}) to {record.topic}: {size}, "
                  f"{len(record.headers)} headers" + (f", id={letter.letter.article_id}"
                                                      if letter.letter and letter.letter.article_id
                                                      else ""))
        print(f"would replay {len(plan.send)} of {plan.selected} selected dead letters"
              + (f"; {len(plan.refused)} refused" if plan.refused else ""))
        return 1 if plan.refused else 0
    try:
        outcomes = asyncio.run(send_records(settings, [record for _, record in plan.send],
                                            delivery_timeout=args.delivery_timeout))
    except ProducerUnavailable as exc:
        raise BrokerUnavailable(f"{exc}; nothing replayed", UNREACHABLE_HINT) from exc
    failed = 0
    for (letter, record), error in zip(plan.send, outcomes, strict=True):
        if error is not None:
            failed += 1
            print(f"not delivered {letter.where} to {record.topic}: {type(error).__name__} "
                  f"{error}".rstrip(), file=sys.stderr)
    topics = sorted({record.topic for _, record in plan.send})
    line = f"replayed {len(plan.send) - failed} of {plan.selected} selected dead letters"
    if topics:
        line += f" to {', '.join(topics)}"
    problems = [f"{n} {what}" for n, what in ((len(plan.refused), "refused"),
                                              (failed, "not delivered")) if n]
    print(line + (f" ({', '.join(problems)})" if problems else ""))
    return 1 if failed or plan.refused else 0


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _selection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reason", action="append", choices=REASONS, metavar="REASON",
                   help=f"only this reason (repeatable): {', '.join(REASONS)}")
    p.add_argument("--offsets", action="append", type=parse_offsets, metavar="P:FROM-TO",
                   help="only these dead-letter topic offsets (as `dlq list` shows them; "
                   "also P:N and P:FROM-; repeatable)")
    p.add_argument("--id", action="append", metavar="ARTICLE_ID",
                   help="only dead letters of this article id (repeatable)")


def add_parser(subparsers: Any) -> None:
    """Register ``streams dlq list|replay``."""
    dlq = subparsers.add_parser("dlq", help="list dead letters; replay their original records",
                                description="List the dead letters; send their original records "
                                "back to the input topic once the cause is fixed.")
    actions = dlq.add_subparsers(dest="dlq_command", required=True)

    p = actions.add_parser("list", help="count dead letters by reason, then one line each")
    _selection_options(p)
    p.add_argument("--raw", action="store_true",
                   help="print the dead letters as they are (JSON lines); counts go to stderr")
    p.add_argument("--max", type=int, metavar="N", help="show at most N lines")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("replay", help="send selected dead letters' original records back "
                           "to their input topic")
    _selection_options(p)
    p.add_argument("--all", action="store_true", help="every dead letter (no selection)")
    p.add_argument("--topic", help="send them here instead of the topic each first arrived on")
    p.add_argument("--dry-run", action="store_true", help="show what would be sent; send nothing")
    p.add_argument("--delivery-timeout", type=_positive_seconds, metavar="SECONDS",
                   help="give up on a Kafka that cannot be reached this long (default: 30)")
    p.set_defaults(func=cmd_replay)
