"""``streams bench``: its corpus, its generated events, its arithmetic and its report.

The figures themselves are measurements (``make bench``), not test assertions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from streams.bench import report
from streams.bench.corpus import corpus
from streams.bench.e2e import _percentiles, stance_events


def test_corpus_has_no_duplicate_shortcut() -> None:
    articles = corpus(60)
    assert len(articles) == 60
    assert len({a["id"] for a in articles}) == 60
    assert len({a["body"] for a in articles}) == 60  # text varies too, not just ids


def test_stance_events_are_deterministic_and_spread_over_dyads() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events = stance_events(40, dyads=8, start=start, seed="s")
    assert events == stance_events(40, dyads=8, start=start, seed="s")
    assert len({e.event_id for e in events}) == 40
    assert len({e.dyad for e in events}) == 8
    later = stance_events(10, dyads=2, start=start, seed="s", first_dyad=60)
    assert not {e.dyad for e in later} & {e.dyad for e in events}


def test_percentiles_pick_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    figures = _percentiles(values)
    assert (figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]) == (51.0, 96.0, 100.0)
    assert figures["samples"] == 100


def test_offline_run_prints_the_table_and_writes_json(tmp_path: Path, capsys: object) -> None:
    out = tmp_path / "bench.json"
    assert report.main(["--offline-only", "--articles", "6", "--risk-events", "400",
                        "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["core"]["articles"] == 6 and result["core"]["articles_per_s"] > 0
    assert result["naive"]["articles_per_s"] > 0
    assert result["core"]["actor_lookup_us"] > 0 and result["core"]["gazetteer_ms_per_doc"] > 0
    assert result["core_vs_naive"] == result["core"]["articles_per_s"] / result["naive"]["articles_per_s"]
    assert result["risk_offline"]["events_per_second"] > 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "core / naive" in printed and "≥ 1.3" in printed
    assert "through the broker" not in printed  # offline only


def test_table_shows_every_broker_figure_against_its_target() -> None:
    latency = {"p50_ms": 50.0, "p95_ms": 90.0, "p99_ms": 120.0, "samples": 30}
    result = {
        "core": {"articles_per_s": 24.0, "tokens_per_s": 12000.0, "median_ms": 37.0, "p99_ms": 140.0},
        "naive": {"articles_per_s": 14.0}, "core_vs_naive": 24 / 14,
        "risk_offline": {"events_per_second": 23000.0},
        "one_worker": {"articles_per_s": 22.0, "peak_rss_mib": 340.0, "workers": 1,
                       "cpu": {"analysis_ms": 43.7, "worker_main_ms": 4.3, "broker_ms": 8.7,
                               "bench_client_ms": 1.0, "idle_cores": 0.82}},
        "two_workers": {"articles_per_s": 34.0, "workers": 2,
                        "cpu": {"analysis_ms": 47.9, "worker_main_ms": 7.4, "broker_ms": 10.9,
                                "bench_client_ms": 1.1, "idle_cores": 0.05}},
        "framework_tax": 22 / 24, "two_vs_one_worker": 34 / 22,
        "latency_half_capacity": {"rate_per_s": 11.0, **latency},
        "risk_broker": {"events_per_s": 5400.0, "alert_latency": latency, "dyads": 200,
                        "rss_before_dyads_mib": 237.0, "rss_after_dyads_mib": 239.0},
    }
    table = report.table(result)
    for label, value in [("2 workers / 1 worker", "1.55"), ("framework tax", "0.92"),
                         ("risk engine events/s through the broker", "5400"),
                         ("alert latency p99 ms (30 alerts)", "120"),
                         ("peak RSS per worker MiB", "340"),
                         ("  CPU ms/article, 2 workers", "47.9 / 7.4 / 10.9 / 1.1"),
                         ("  CPU ms/article, 1 worker:", "idle cores 0.82")]:
        line = next(row for row in table.splitlines() if row.startswith(label))
        assert value in line, line
    assert "≥ 5,000" in table and "≤ 700" in table and "≤ 500" in table
