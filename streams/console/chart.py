"""A pair's chart as server-side SVG: no JavaScript, nothing fetched, works offline.

Two panels on one time axis (event days):

* **risk score** (0-100) at each alert: the worker publishes the score when the level
  changes, so the points are the alerts themselves, each a link to its page, joined by a
  dotted line; the level thresholds are dashed lines;
* **daily intensity**: the day's conflict (up, red) and cooperation (down, green), each the
  sum of ``|Goldstein| x confidence x actor weights`` of its events, as the risk engine
  weighs them (undecayed).

Alert transitions are vertical lines through both panels.  Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 960, 380
LEFT, RIGHT = 60, 56
SCORE_TOP, SCORE_BOTTOM = 24, 164
INTENSITY_TOP, INTENSITY_BOTTOM = 204, 344
LEVEL_COLOURS = {"none": "#6b7280", "watch": "#ca8a04", "warning": "#ea580c", "critical": "#b91c1c"}
CONFLICT, COOPERATION = "#dc2626", "#16a34a"


def _day_label(day: float) -> str:
    return datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def pair_chart(days: Sequence[dict[str, Any]], alerts: Sequence[dict[str, Any]], start_day: int,
               end_day: int, thresholds: dict[str, float], alert_href: str = "/alerts/") -> Markup:
    """The SVG of a pair's window ``[start_day, end_day]`` (days since the epoch).

    ``days``: ``day``, ``conflict``, ``cooperation``, ``events``; ``alerts``: ``alert_id``,
    ``as_of`` (naive UTC), ``score``, ``level``, ``previous_level``, ``transition``.
    """
    span = max(end_day - start_day + 1, 1)
    plot = WIDTH - LEFT - RIGHT

    def x(day: float) -> float:
        return LEFT + (day - start_day) / span * plot

    def score_y(score: float) -> float:
        return SCORE_BOTTOM - max(0.0, min(score, 100.0)) / 100 * (SCORE_BOTTOM - SCORE_TOP)

    mid = (INTENSITY_TOP + INTENSITY_BOTTOM) / 2
    peak = max([1e-9] + [float(d[k] or 0) for d in days for k in ("conflict", "cooperation")])
    half = (INTENSITY_BOTTOM - INTENSITY_TOP) / 2

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="chart-title">',
        '<title id="chart-title">Risk score at each alert, and daily conflict and cooperation intensity, '
        f'{_day_label(start_day)} to {_day_label(end_day)}</title>',
        f'<text x="{LEFT}" y="14" class="panel">risk score at alerts (0-100)</text>',
        f'<text x="{LEFT}" y="{INTENSITY_TOP - 8}" class="panel">daily intensity: '
        f'<tspan fill="{CONFLICT}">conflict ▲</tspan> <tspan fill="{COOPERATION}">cooperation ▼</tspan> '
        f'(peak {_fmt(peak if peak > 1e-9 else 0.0)})</text>',
        f'<rect x="{LEFT}" y="{SCORE_TOP}" width="{plot}" height="{SCORE_BOTTOM - SCORE_TOP}" '
        'class="frame"/>',
        f'<rect x="{LEFT}" y="{INTENSITY_TOP}" width="{plot}" height="{INTENSITY_BOTTOM - INTENSITY_TOP}" '
        'class="frame"/>',
        f'<line x1="{LEFT}" y1="{_fmt(mid)}" x2="{LEFT + plot}" y2="{_fmt(mid)}" class="axis"/>',
    ]
    for score in (0, 50, 100):
        parts.append(f'<text x="{LEFT - 6}" y="{_fmt(score_y(score) + 4)}" class="tick" '
                     f'text-anchor="end">{score}</text>')
    for level in ("watch", "warning", "critical"):
        if level in thresholds:
            y = _fmt(score_y(thresholds[level]))
            parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot}" y2="{y}" '
                         f'stroke="{LEVEL_COLOURS[level]}" class="threshold"/>')
            parts.append(f'<text x="{LEFT + plot + 4}" y="{_fmt(float(y) + 4)}" class="tick" '
                         f'fill="{LEVEL_COLOURS[level]}">{level}</text>')
    ticks = min(span, 6)
    for i in range(ticks + 1):
        day = start_day + round(i * (span - 1) / max(ticks, 1))
        parts.append(f'<text x="{_fmt(x(day + 0.5))}" y="{INTENSITY_BOTTOM + 18}" class="tick" '
                     f'text-anchor="middle">{_day_label(day)}</text>')

    bar = max(plot / span * 0.8, 1.0)
    for d in days:
        left = _fmt(x(d["day"] + 0.5) - bar / 2)
        label = escape(f'{_day_label(d["day"])}: {d["events"]} events, '
                       f'conflict {float(d["conflict"] or 0):.2f}, '
                       f'cooperation {float(d["cooperation"] or 0):.2f}')
        up = float(d["conflict"] or 0) / peak * half
        down = float(d["cooperation"] or 0) / peak * half
        if up > 0:
            parts.append(f'<rect x="{left}" y="{_fmt(mid - up)}" width="{_fmt(bar)}" height="{_fmt(up)}" '
                         f'fill="{CONFLICT}" class="bar"><title>{label}</title></rect>')
        if down > 0:
            parts.append(f'<rect x="{left}" y="{_fmt(mid)}" width="{_fmt(bar)}" height="{_fmt(down)}" '
                         f'fill="{COOPERATION}" class="bar"><title>{label}</title></rect>')

    shown = sorted((a for a in alerts if _in(a["as_of"], start_day, end_day)), key=lambda a: a["as_of"])
    points = [(x(_day_of(a["as_of"])), score_y(float(a["score"]))) for a in shown]
    if len(points) > 1:
        parts.append('<polyline class="score" fill="none" points="'
                     + " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points) + '"/>')
    for a, (px, py) in zip(shown, points, strict=True):
        colour = LEVEL_COLOURS.get(str(a["level"]), "#6b7280")
        right = px > LEFT + plot * 0.85  # label on the left, clear of the threshold names
        anchor = ' text-anchor="end"' if right else ""
        label = escape(f'{a["as_of"]:%Y-%m-%d %H:%M} UTC: {a["transition"]} {a["previous_level"]} → '
                       f'{a["level"]}, score {float(a["score"]):.1f}')
        parts.append(
            f'<a href="{escape(alert_href + str(a["alert_id"]))}" class="transition">'
            f'<line x1="{_fmt(px)}" y1="{SCORE_TOP}" x2="{_fmt(px)}" y2="{INTENSITY_BOTTOM}" '
            f'stroke="{colour}" class="marker"/>'
            f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="6" fill="{colour}"><title>{label}</title></circle>'
            f'<text x="{_fmt(px - 8 if right else px + 8)}" y="{_fmt(max(py - 8, SCORE_TOP + 10))}" '
            f'class="tick" fill="{colour}"{anchor}>'
            f'{escape(str(a["level"]))}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _day_of(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp() / 86400


def _in(moment: datetime, start_day: int, end_day: int) -> bool:
    return start_day <= _day_of(moment) < end_day + 1
