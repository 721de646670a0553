"""The pair chart: bars per day, a marker per alert in the window, escaped text."""

from __future__ import annotations

from datetime import datetime

from streams.console.chart import pair_chart


def test_markers_bars_and_escaping() -> None:
    day = int(datetime(2022, 2, 20).timestamp() // 86400)
    alerts = [
        {"alert_id": "ab<1", "as_of": datetime(2022, 2, 20, 9), "score": 27.1, "level": "watch",
         "previous_level": "none", "transition": "raise"},
        {"alert_id": "cd2", "as_of": datetime(2021, 1, 1), "score": 50.0, "level": "warning",
         "previous_level": "watch", "transition": "escalate"},  # before the window: not drawn
    ]
    days = [{"day": day, "conflict": 8.2, "cooperation": 0.0, "events": 2},
            {"day": day + 1, "conflict": 1.0, "cooperation": 3.0, "events": 3}]
    svg = str(pair_chart(days, alerts, day - 10, day + 1, {"watch": 25.0, "warning": 35.0}))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="transition"') == 1
    assert 'href="/alerts/ab&lt;1"' in svg
    assert svg.count('class="bar"') == 3  # conflict twice, cooperation once
    assert svg.count('class="threshold"') == 2
