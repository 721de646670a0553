"""`streams alerts` follows the alert topic of a real broker, filtered by level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.cli import main
from tests.support import create_topics, produce, unique_settings

pytestmark = pytest.mark.integration


def test_alerts_command_filters_by_level(kafka: str, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = unique_settings(kafka, partitions=1)
    create_topics(settings)
    samples = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"
    alerts_file = tmp_path / "alerts.jsonl"
    monkeypatch.setenv("STREAMS_RISK__OUTLET_REGISTRY", "builtin,samples")  # fictional outlets
    assert main(["process", str(samples), "-o", str(tmp_path / "out.jsonl"),
                 "--alerts", str(alerts_file)]) == 0
    alerts = alerts_file.read_bytes().splitlines()
    produce(settings, alerts, topic=settings.topics.alerts)
    capsys.readouterr()
    monkeypatch.setenv("STREAMS_BROKER", settings.bootstrap_servers)
    monkeypatch.setenv("STREAMS_TOPIC_ALERTS", settings.topics.alerts)
    assert main(["alerts", "--from-beginning", "--min-level", "warning",
                 "--idle-timeout", "5"]) == 0
    shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ALERT")]
    expected = [a for a in map(json.loads, alerts)
                if "warning" in (a["level"], a["previous_level"])
                or "critical" in (a["level"], a["previous_level"])]
    assert expected and len(shown) == len(expected)
    assert all("RUS|UKR" in line or "IRN|ISR" in line for line in shown)
