"""``streams eval risk``: are the alerts right?  Replay a coded feed, score per dyad-month.

The way of scoring is fixed (``../shared/eval/INDEX.md``, "Ways to score") so that
versions compare: replay the coded events in time order through the pure engine,
then say that a dyad-month is *alerted at a level* when the pair stands at that
level or above at any moment of the month (a level holds from an alert until the
next alert of the pair), and compare with a table of dated interstate crises
(COW MID 5.01 by default, ICB with ``--truth icb``):

* precision, recall and F1 at watch+, warning+ and critical;
* the number of dyads ever at warning+ (and how many of them are crisis dyads);
* the alert volume: raises (transitions up to a level) per month;
* named cases (RUS-UKR 2014-03, CHN-VNM 2014-05): caught or not;
* a curve over the main thresholds (each point is a full replay).

The replay treats the archive as one source the operator vouches for (it names
no outlets): the registry gets the feed's outlet name, and one source suffices
for a warning, as ``streams replay --min-outlets 1`` did before.  Skips cleanly
(prints ``absent``) when the data are missing.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.contracts.geo import Alert, StanceEvent
from streams.risk import RiskConfig, event_order, replay
from streams.risk.archive import vouch_for_archive
from streams.risk.levels import RANK

_RANK: dict[str, int] = {str(level): rank for level, rank in RANK.items()}

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared"
CRISES = Path("eval") / "crises"
DEFAULT_EVENTS = CRISES / "icews14_events.tsv"
TRUTHS = {
    "mid": CRISES / "mid_2014_dyad_months.tsv",
    "mid-span": CRISES / "mid_2014_dyad_months_dispute_span.tsv",
    "icb": CRISES / "icb_2014_dyad_months.tsv",
}
#: Cases an analyst would check first: the Crimea crisis and the oil-rig standoff.
DEFAULT_CASES = ("RUS|UKR@2014-03", "CHN|VNM@2014-05")
SCORED_LEVELS = ("watch", "warning", "critical")
#: The default curve: the warning threshold, with everything else at its default.
DEFAULT_CURVE = "warning_enter=20,25,30,35,40,45,50,60"

Cell = tuple[str, str]  # (dyad, "YYYY-MM")


# ---------------------------------------------------------------- inputs


def read_truth(path: Path) -> set[Cell]:
    """Dyad-months of a ground-truth table (``iso3_a  iso3_b  month ...``, header row)."""
    cells: set[Cell] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            a, b = sorted((row["iso3_a"].strip(), row["iso3_b"].strip()))
            cells.add((f"{a}|{b}", row["month"].strip()))
    return cells


def load_events(path: Path, fmt: str = "icews") -> tuple[list[StanceEvent], dict[str, int]]:
    """Stance events of a coded file in replay order, and the skipped rows by reason."""
    from streams.risk.loaders import LoadError, load_gdelt, load_icews

    loader = load_gdelt if fmt == "gdelt" else load_icews
    with path.open(encoding="utf-8", errors="replace") as handle:
        items = list(loader(handle))
    skipped = Counter(i.reason for i in items if isinstance(i, LoadError))
    events = sorted((i for i in items if isinstance(i, StanceEvent)), key=event_order)
    return events, {str(reason): n for reason, n in skipped.items()}


def archive_config(base: RiskConfig, events: Sequence[StanceEvent]) -> RiskConfig:
    """``base``, with the archive vouched for as one source that suffices for any level.

    An archive that names no outlets cannot show corroboration; the operator who
    loads it vouches for it, as ``streams replay --min-outlets 1`` does.
    """
    return vouch_for_archive(base, events)


# ---------------------------------------------------------------- scoring


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months_between(start: datetime, end: datetime) -> list[str]:
    """Months touched by ``[start, end)`` (the month of ``start`` always)."""
    months = [_month(start)]
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        first = datetime(year, month, 1, tzinfo=UTC)
        if first >= end:
            return months
        months.append(_month(first))


def alerted_cells(alerts: Iterable[Alert], end: datetime) -> dict[str, set[Cell]]:
    """Level → dyad-months where the pair stood at that level or above at some moment.

    A level holds from its alert until the next alert of the pair (or ``end``).
    """
    by_dyad: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_dyad[alert.dyad].append(alert)
    cells: dict[str, set[Cell]] = {level: set() for level in SCORED_LEVELS}
    for dyad, chain in by_dyad.items():
        chain.sort(key=lambda a: a.as_of)
        for i, alert in enumerate(chain):
            if alert.level == "none":
                continue
            until = chain[i + 1].as_of if i + 1 < len(chain) else end
            months = _months_between(alert.as_of, max(until, alert.as_of))
            for level in SCORED_LEVELS:
                if _RANK[alert.level] >= _RANK[level]:
                    cells[level].update((dyad, m) for m in months)
    return cells


@dataclass(frozen=True)
class Score:
    alerted: int
    hits: int
    truth: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, alerted: set[Cell], truth: set[Cell]) -> Score:
        hits = len(alerted & truth)
        p = hits / len(alerted) if alerted else 0.0
        r = hits / len(truth) if truth else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return cls(len(alerted), hits, len(truth), round(p, 4), round(r, 4), round(f1, 4))


def raises_per_month(alerts: Iterable[Alert]) -> dict[str, dict[str, int]]:
    """Month → level → transitions up to that level (raise or escalate)."""
    volume: dict[str, Counter[str]] = defaultdict(Counter)
    for alert in alerts:
        if alert.transition in ("raise", "escalate"):
            volume[_month(alert.as_of)][alert.level] += 1
    return {m: {level: volume[m][level] for level in SCORED_LEVELS} for m in sorted(volume)}


def evaluate(events: Sequence[StanceEvent], truth: set[Cell], config: RiskConfig,
             cases: Sequence[str] = DEFAULT_CASES) -> dict[str, Any]:
    """Every figure of one replay of ``events`` under ``config``."""
    months = {_month(e.event_time) for e in events}
    end = max(e.event_time for e in events) if events else datetime(1970, 1, 1, tzinfo=UTC)
    year_end = datetime(end.year + 1, 1, 1, tzinfo=UTC) if end.month == 12 else end
    _, alerts = replay(events, config, until=year_end)
    truth = {c for c in truth if c[1] in months}
    cells = alerted_cells(alerts, year_end)
    cells = {level: {c for c in cs if c[1] in months} for level, cs in cells.items()}
    truth_dyads = {d for d, _ in truth}
    warned = {d for d, _ in cells["warning"]}
    found: dict[str, dict[str, str | None]] = {}
    for case in cases:
        dyad, _, month = case.partition("@")
        found[case] = {level: level if (dyad, month) in cells[level] else None for level in SCORED_LEVELS}
    volume = raises_per_month(alerts)
    n_months = max(1, len(months))
    days = max(1.0, (end - min(e.event_time for e in events)).total_seconds() / 86400 + 1) if events else 1.0
    return {
        "events": len(events),
        #: The feed's density, for ``feed_events_per_day`` when replaying another feed.
        "events_per_day": round(len(events) / days, 1),
        "dyads": len({e.dyad for e in events}),
        "months": len(months),
        "truth_cells": len(truth),
        "truth_dyads": len(truth_dyads),
        "scores": {level: vars(Score.of(cells[level], truth)) for level in SCORED_LEVELS},
        "dyads_at_warning": len(warned),
        "crisis_dyads_at_warning": len(warned & truth_dyads),
        "dyads_at_watch": len({d for d, _ in cells["watch"]}),
        "cases": {case: any(found[case].values()) and found[case]["warning"] is not None
                  for case in cases},
        "case_levels": {case: max((lvl for lvl in found[case].values() if lvl), key=_RANK.__getitem__,
                                  default="none") for case in cases},
        "alerts": len(alerts),
        "raises_per_month": volume,
        "mean_raises_per_month": {
            level: round(sum(v[level] for v in volume.values()) / n_months, 2) for level in SCORED_LEVELS
        },
        "warned_dyads": sorted(warned),
    }


def parse_overrides(items: Sequence[str]) -> dict[str, Any]:
    """``name=value`` settings (JSON values where they parse, else text)."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set {item!r}: expected NAME=VALUE")
        try:
            out[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[name.strip()] = value
    return out


_THRESHOLDS = (
    "watch_enter", "watch_exit", "warning_enter", "warning_exit", "critical_enter", "critical_exit",
)


def curve(events: Sequence[StanceEvent], truth: set[Cell], config: RiskConfig,
          spec: str) -> list[dict[str, Any]]:
    """Warning+ figures as one setting moves (``name=v1,v2,...``): one replay per value.

    ``warning_enter`` moves every level threshold by the same factor (their
    ratios and so the hysteresis keep their shape); any other setting moves alone.
    """
    name, _, values = spec.partition("=")
    points = []
    for raw in values.split(","):
        value = json.loads(raw)
        update: dict[str, Any] = {name: value}
        if name == "warning_enter":
            factor = value / config.warning_enter
            update = {t: min(100.0, getattr(config, t) * factor) for t in _THRESHOLDS}
        result = evaluate(events, truth, config.model_copy(update=update), ())
        points.append({name: value, **result["scores"]["warning"],
                       "dyads_at_warning": result["dyads_at_warning"],
                       "warning_raises_per_month": result["mean_raises_per_month"]["warning"],
                       "watch_f1": result["scores"]["watch"]["f1"],
                       "critical_f1": result["scores"]["critical"]["f1"]})
    return points


# ---------------------------------------------------------------- printing


def table(report: dict[str, Any]) -> str:
    lines = [f"events {report['events']} ({report['events_per_day']}/day) over {report['dyads']} dyads "
             f"and {report['months']} months; "
             f"truth: {report['truth_cells']} dyad-months of {report['truth_dyads']} dyads",
             "", f"{'level':<10} {'alerted':>8} {'hits':>6} {'precision':>10} {'recall':>8} {'F1':>6}"]
    for level in SCORED_LEVELS:
        s = report["scores"][level]
        lines.append(f"{level + '+' if level != 'critical' else level:<10} {s['alerted']:>8} {s['hits']:>6} "
                     f"{s['precision']:>10.3f} {s['recall']:>8.3f} {s['f1']:>6.3f}")
    lines += ["", f"dyads ever at warning+: {report['dyads_at_warning']} "
                  f"({report['crisis_dyads_at_warning']} crisis dyads); "
                  f"at watch+: {report['dyads_at_watch']}",
              "cases: " + ", ".join(f"{case} {report['case_levels'][case]}" for case in report["cases"]),
              "raises per month (mean): " + ", ".join(
                  f"{level} {report['mean_raises_per_month'][level]}" for level in SCORED_LEVELS),
              "raises per month (watch/warning/critical): " + "  ".join(
                  f"{m[5:]}:{v['watch']}/{v['warning']}/{v['critical']}"
                  for m, v in report["raises_per_month"].items())]
    if report.get("curve"):
        name = next(iter(report["curve"][0]))
        lines += ["", f"curve at warning+ over {name}:",
                  f"{name:>16} {'alerted':>8} {'P':>6} {'R':>6} {'F1':>6} {'dyads':>6} {'raises/mo':>10}"]
        for p in report["curve"]:
            lines.append(f"{p[name]!s:>16} {p['alerted']:>8} {p['precision']:>6.3f} {p['recall']:>6.3f} "
                         f"{p['f1']:>6.3f} {p['dyads_at_warning']:>6} {p['warning_raises_per_month']:>10}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="streams eval risk", description=__doc__.splitlines()[0]
                                     if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data directory")
    parser.add_argument("--events", type=Path, help=f"coded file (default: SHARED/{DEFAULT_EVENTS})")
    parser.add_argument("--format", choices=["icews", "gdelt"], default="icews")
    parser.add_argument("--truth", default="mid",
                        help=f"{', '.join(TRUTHS)} (under SHARED/{CRISES}) or a TSV path (default: mid)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a risk setting for this run (repeatable)")
    parser.add_argument("--curve", default=DEFAULT_CURVE, metavar="NAME=V1,V2,...",
                        help=f"setting to sweep at warning+ (default: {DEFAULT_CURVE}); 'none' for no curve")
    parser.add_argument("--case", action="append", metavar="DYAD@YYYY-MM",
                        help="dyad-month that should be caught at warning+ "
                        f"(default: {' '.join(DEFAULT_CASES)})")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="print the figures as JSON (or write them to PATH)")
    args = parser.parse_args(argv)

    events_path = args.events or args.shared / DEFAULT_EVENTS
    truth_path = args.shared / TRUTHS[args.truth] if args.truth in TRUTHS else Path(args.truth)
    for path in (events_path, truth_path):
        if not path.exists():
            print(f"{path}: absent")
            return 0
    events, skipped = load_events(events_path, args.format)
    truth = read_truth(truth_path)
    from streams.settings import Settings

    base = RiskConfig.model_validate(Settings().risk.model_dump() | parse_overrides(args.set))
    config = archive_config(base, events)
    report = evaluate(events, truth, config, tuple(args.case or DEFAULT_CASES))
    report["skipped_rows"] = dict(skipped)
    report["events_file"], report["truth_file"] = str(events_path), str(truth_path)
    if args.curve and args.curve != "none":
        report["curve"] = curve(events, truth, config, args.curve)
    if args.json == "-":
        print(json.dumps(report, indent=2))
    else:
        print(table(report))
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
