"""`streams alerts` (streams/tools/alerts.py): options, filter and lines, then on a real broker."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import threading
import time
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from streams.contracts.geo import Alert, Contribution, ScoreComponents
from streams.errors import BrokerError, ConfigError
from streams.harness import settings_env, unique_settings
from streams.kafka_io import ensure_topics
from streams.settings import Settings
from streams.tools import OutgoingRecord, StoredRecord, TopicMissing, send_records
from streams.tools import alerts as tool
from streams.tools.alerts import AlertFilter, describe, parse_dyad, parse_since, read_alert

NOW = datetime(2024, 4, 14, 12, 0, tzinfo=UTC)


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def alert(dyad: str = "RUS|UKR", level: str = "warning", previous: str = "watch",
          transition: str = "escalate", score: float = 52.03,
          as_of: datetime = NOW, events: int = 2) -> bytes:
    """A valid alert value (the published model), with ``events`` top events."""
    top = [Contribution(
        event_id=_hex(f"{dyad}{as_of}{i}"), article_id=f"art-{i}",
        url=f"https://news.example.org/{i}", outlet=f"outlet{i}.example", cameo_code="190",
        sentence=f"Sentence number {i} about   the attack.", goldstein=-10.0, event_time=as_of,
        weight=3.0 - i, outlets=[f"outlet{i}.example", "other.example"] if i == 0 else [])
        for i in range(events)]
    return Alert(
        alert_id=_hex(f"{dyad}{level}{as_of}"), dyad=dyad, level=level,  # type: ignore[arg-type]
        previous_level=previous, transition=transition, score=score,  # type: ignore[arg-type]
        components=ScoreComponents(surge=0.7, level=0.5, severity=0.9, corroboration=0.25),
        as_of=as_of, triggering_event_id=_hex("trigger"), short_conflict=14.3, long_conflict=20.0,
        baseline=0.6, short_cooperation=0.6, event_count=3, distinct_outlets=2,
        material_conflict_share=0.96, top_events=top, explanation="escalated",
    ).model_dump_json().encode()


# --- pure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2h", NOW - timedelta(hours=2)), ("3d", NOW - timedelta(days=3)),
    ("90m", NOW - timedelta(minutes=90)), ("1w", NOW - timedelta(weeks=1)),
    ("1.5h", NOW - timedelta(minutes=90)), (" 45S ", NOW - timedelta(seconds=45)),
    ("2024-04-01T03:00:00Z", datetime(2024, 4, 1, 3, tzinfo=UTC)),
    ("2024-04-01T05:00+02:00", datetime(2024, 4, 1, 3, tzinfo=UTC)),
    ("2024-04-01", datetime(2024, 4, 1, tzinfo=UTC)),  # no offset: UTC
])
def test_since_is_relative_or_iso(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2x", "-2h", "2024-13-01"])
def test_since_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_since(text, NOW)


@pytest.mark.parametrize("text", ["RUS|UKR", "UKR|RUS", "rus-ukr", "UKR/RUS", "ukr rus", "RUS,UKR"])
def test_dyad_spellings(text: str) -> None:
    assert parse_dyad(text) == "RUS|UKR"


@pytest.mark.parametrize("text", ["RUS", "RUS|UKR|USA", "RU-UKR", "RUSS-UKR", "R1S|UKR", ""])
def test_dyad_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_dyad(text)


def test_read_alert_reads_the_published_model() -> None:
    view = read_alert(alert(events=3))
    assert (view.dyad, view.level, view.previous_level, view.transition) == (
        "RUS|UKR", "warning", "watch", "escalate")
    assert view.score == 52.03 and view.as_of == NOW and len(view.top_events) == 3
    assert view.rank == 2


@pytest.mark.parametrize(("value", "why"), [
    (None, "null"), (b"\xff", "not JSON"), (b"[1]", "object"), (b"{}", "no "),
    (json.dumps({**json.loads(alert()), "level": "extreme"}).encode(), "unknown level"),
    (json.dumps({**json.loads(alert()), "as_of": "soon"}).encode(), "soon"),
])
def test_read_alert_says_why_a_value_is_not_an_alert(value: bytes | None, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        read_alert(value)


def test_filter_by_dyad_time_and_level() -> None:
    escalation = read_alert(alert())  # watch -> warning
    resolution = read_alert(alert(level="none", previous="warning", transition="resolve"))
    raised = read_alert(alert(dyad="IRN|ISR", level="watch", previous="none", transition="raise",
                              as_of=NOW - timedelta(days=2)))
    assert all(AlertFilter().matches(a) for a in (escalation, resolution, raised))
    # A change that reaches or leaves the floor counts: leaving WARNING is news at warning.
    floor = AlertFilter(min_level="warning")
    assert floor.matches(escalation) and floor.matches(resolution) and not floor.matches(raised)
    assert not AlertFilter(min_level="critical").matches(escalation)
    only = AlertFilter(dyads=frozenset({"IRN|ISR"}))
    assert only.matches(raised) and not only.matches(escalation)
    recent = AlertFilter(since=NOW - timedelta(days=1))
    assert recent.matches(escalation) and not recent.matches(raised)
    assert AlertFilter(since=NOW).matches(escalation)  # at or after


def test_lines_show_time_dyad_change_score_and_evidence() -> None:
    head, *evidence = describe(read_alert(alert(events=4)), evidence=3)
    assert head.startswith("ALERT 2024-04-14 12:00 UTC  RUS|UKR  watch → WARNING (escalate)")
    assert "score 52.0" in head and "[3 events, 2 outlets]" in head
    assert len(evidence) == 3
    assert evidence[0] == ('    - "Sentence number 0 about the attack." (outlet0.example +1 more, '
                           'CAMEO 190) https://news.example.org/0')
    assert describe(read_alert(alert()), evidence=0) == [head]


def test_long_sentences_are_shortened_and_times_shown_in_utc() -> None:
    value = json.loads(alert(as_of=datetime(2024, 4, 14, 14, 0, tzinfo=UTC)))
    value["as_of"] = "2024-04-14T16:00:00+02:00"
    value["top_events"][0]["sentence"] = "word " * 100
    value["top_events"][0]["url"] = None
    head, first, _ = describe(read_alert(json.dumps(value).encode()))
    assert "2024-04-14 14:00 UTC" in head
    assert first.endswith('…" (outlet0.example +1 more, CAMEO 190)') and len(first) < 260


# --- the command, with the Kafka read replaced ---------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="streams")
    tool.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def _fake_topic(monkeypatch: pytest.MonkeyPatch, existing: list[bytes], new: list[bytes]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def read_topic(settings: Settings, topic: str, *, follow: bool = False,
                         idle_timeout: float | None = None) -> AsyncGenerator[StoredRecord | None, None]:
        seen.update(topic=topic, follow=follow, idle_timeout=idle_timeout)
        for offset, value in enumerate(existing):
            yield StoredRecord(topic, offset % 2, offset, None, value)
        yield None
        if follow:
            for offset, value in enumerate(new, len(existing)):
                yield StoredRecord(topic, 0, offset, None, value)

    monkeypatch.setattr(tool, "read_topic", read_topic)
    monkeypatch.setenv("STREAMS_BROKER", "127.0.0.1:1")
    return seen


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(["alerts", *argv])
    code: int = args.func(args)
    return code


def test_existing_alerts_in_event_time_then_new_ones(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    late, early = alert(as_of=NOW), alert(dyad="IRN|ISR", as_of=NOW - timedelta(hours=5))
    seen = _fake_topic(monkeypatch, [late, b"garbage", early], [alert(dyad="CHN|TWN")])
    assert _run(["--no-follow", "--evidence", "0"]) == 0
    captured = capsys.readouterr()
    assert [line.split("  ")[1] for line in captured.out.splitlines()] == ["IRN|ISR", "RUS|UKR"]
    assert "not an alert" in captured.err and seen["follow"] is False

    assert _run(["--follow", "--idle-timeout", "5", "--evidence", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[1] for line in out] == ["IRN|ISR", "RUS|UKR", "CHN|TWN"]
    assert seen["follow"] is True and seen["idle_timeout"] == 5.0


def test_follows_only_on_a_terminal_by_default(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    seen = _fake_topic(monkeypatch, [], [])
    for tty in (False, True):
        monkeypatch.setattr("sys.stdout.isatty", lambda tty=tty: tty)
        assert _run([]) == 0
        assert seen["follow"] is tty


def test_filters_raw_output_and_max(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    values = [alert(as_of=NOW - timedelta(days=5)), alert(as_of=NOW - timedelta(hours=1)),
              alert(dyad="IRN|ISR"), alert(level="watch", previous="none", transition="raise")]
    _fake_topic(monkeypatch, values, [])
    assert _run(["--no-follow", "--dyad", "ukr-rus", "--min-level", "warning", "--raw",
                 "--since", "2024-04-12T00:00:00Z"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [values[1].decode()]
    assert _run(["--no-follow", "--max", "2", "--raw"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_a_missing_topic_is_a_broker_error(monkeypatch: pytest.MonkeyPatch) -> None:
    async def read_topic(*args: Any, **kwargs: Any) -> AsyncGenerator[StoredRecord | None, None]:
        raise TopicMissing("topic geo.alerts.v1 does not exist")
        yield None  # pragma: no cover - makes this an async generator

    monkeypatch.setattr(tool, "read_topic", read_topic)
    monkeypatch.setenv("STREAMS_BROKER", "127.0.0.1:1")
    with pytest.raises(BrokerError, match="does not exist"):
        _run(["--no-follow"])


def test_no_broker_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAMS_BROKER", "")
    with pytest.raises(ConfigError, match="STREAMS_BROKER"):
        _run(["--no-follow"])


# --- on a real broker -------------------------------------------------------------------------


@pytest.mark.integration
def test_alerts_on_a_real_broker(kafka: str, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    settings = unique_settings(kafka, partitions=2)
    asyncio.run(ensure_topics(settings))
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    topic = settings.topics.alerts
    values = [alert(as_of=NOW - timedelta(days=3)), alert(dyad="IRN|ISR", as_of=NOW),
              alert(level="critical", previous="warning", as_of=NOW - timedelta(hours=1)),
              alert(level="watch", previous="none", transition="raise", as_of=NOW - timedelta(days=4))]
    keys = [json.loads(v)["dyad"].encode() for v in values]
    assert asyncio.run(send_records(settings, [OutgoingRecord(topic, k, v)
                                               for k, v in zip(keys, values, strict=True)])) == [None] * 4

    assert _run(["--no-follow", "--dyad", "RUS-UKR", "--min-level", "warning"]) == 0
    heads = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ALERT")]
    assert len(heads) == 2 and all("RUS|UKR" in h for h in heads)
    assert "watch → WARNING" in heads[0] and "warning → CRITICAL" in heads[1]  # event-time order

    # Following: the four there, then one produced while it waits.
    later = alert(dyad="CHN|TWN", as_of=NOW + timedelta(hours=1))
    producer = threading.Thread(target=lambda: (time.sleep(3), asyncio.run(send_records(
        settings, [OutgoingRecord(topic, b"CHN|TWN", later)]))))
    producer.start()
    started = time.monotonic()
    try:
        assert _run(["--follow", "--raw", "--max", "5", "--idle-timeout", "60"]) == 0
    finally:
        producer.join()
    assert time.monotonic() - started < 60
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == later.decode() and sorted(out[:4]) == sorted(v.decode() for v in values)
