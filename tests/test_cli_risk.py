"""`streams replay` and `streams backfill` over coded archives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.cli import main

ROWS = "\n".join(
    f"Government (Russia)\tUse conventional military force\tGovernment (Ukraine)\t2014-03-{d:02d}"
    for d in range(1, 11)
) + "\nnobody\tgibberish relation\tnobody\t2014-03-11\n"


def test_replay_prints_alerts_and_reports_skipped_rows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "icews.tsv"
    path.write_text(ROWS, encoding="utf-8")
    assert main(["replay", "icews", str(path), "--json", "--min-outlets", "1"]) == 0
    out, err = capsys.readouterr()
    alerts = [json.loads(line) for line in out.splitlines()]
    assert alerts and all(a["dyad"] == "RUS|UKR" for a in alerts)
    assert alerts[0]["previous_level"] == "none" and alerts[0]["level"] != "none"
    assert "skipped 1 rows" in err and "10 events" in err


def test_backfill_needs_a_broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STREAMS_BROKER", raising=False)
    path = tmp_path / "icews.tsv"
    path.write_text(ROWS, encoding="utf-8")
    with pytest.raises(SystemExit, match="STREAMS_BROKER"):
        main(["backfill", "icews", str(path)])


def test_backfill_offline_is_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "icews.tsv"
    path.write_text(ROWS, encoding="utf-8")
    assert main(["backfill", "--format", "icews", str(path), "--offline"]) == 0
    out, err = capsys.readouterr()
    assert "ALERT RUS|UKR" in out and "10 events" in err


def test_process_prints_and_writes_the_alerts_its_input_raises(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The samples' outlets are fictional: vouch for them, as an operator would for their own.
    monkeypatch.setenv("STREAMS_RISK__OUTLET_REGISTRY", "builtin,samples")
    samples = Path(__file__).resolve().parents[1] / "streams" / "samples" / "articles.jsonl"
    alerts = tmp_path / "alerts.jsonl"
    assert main(["process", str(samples), "-o", str(tmp_path / "out.jsonl"),
                 "--alerts", str(alerts)]) == 0
    _, err = capsys.readouterr()
    written = [json.loads(line) for line in alerts.read_text().splitlines()]
    stats = json.loads(err.strip().splitlines()[-1])
    assert stats["alerts"] == len(written) > 0
    assert any(a["dyad"] == "RUS|UKR" and a["level"] == "warning" for a in written)
    assert err.count("ALERT ") == len(written)
