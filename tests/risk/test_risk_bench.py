"""The benchmark runs and reports what it measured (speed itself is not asserted here)."""

from __future__ import annotations

from streams.risk.bench import bench_offline, generate


def test_bench_reports_throughput() -> None:
    result = bench_offline(2_000)
    assert result["events"] == 2_000 and result["dyads"] == 50
    assert result["events_per_second"] > 0 and result["largest_state_bytes"] > 0


def test_generated_stream_is_deterministic() -> None:
    assert [e.event_id for e in generate(50)] == [e.event_id for e in generate(50)]
