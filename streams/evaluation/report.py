"""``streams eval``: every accuracy number on ``../shared/eval`` in one table.

Entities and actors come from :mod:`streams.evaluation.entities`, stance
numbers from :mod:`streams.evaluation.stance` when it is importable.  With
``--speed`` the table also has the analysis time per article (sample
articles plus the gum_news texts); ``--baseline-ref REF`` times, in the same
run, the gazetteer and resolver of an older commit (read with ``git show``)
on a separate copy of the same spaCy model, for a before/after comparison.

``streams eval risk`` scores the alerts instead (:mod:`streams.evaluation.risk`).
Skips cleanly (prints ``absent``) when the shared directory is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared"
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"


# ---------------------------------------------------------------- collecting


def _stance_report(analyzer: Any, shared: Path, limit: int | None) -> dict[str, Any] | None:
    if importlib.util.find_spec("streams.evaluation.stance") is None:
        return None
    from streams.evaluation.probes import HALF_READ, SETS, evaluate_probes, load_probes
    from streams.evaluation.stance import evaluate_stance

    result: dict[str, Any] = evaluate_stance(analyzer, shared, limit)
    for name, path in SETS.items():  # ours: need no shared data, measured on every run
        probes = evaluate_probes(analyzer, load_probes(path)[:limit])
        probes.pop("misses")
        probes["half_read"] = name in HALF_READ  # only its dev half was read
        result[f"cameo_probes_{name}"] = probes
    return result


def _corpus(shared: Path) -> list[list[tuple[str, str]]]:
    """Articles as lists of (text, field): the samples, then each gum_news document."""
    articles: list[list[tuple[str, str]]] = []
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            a = json.loads(line)
            articles.append([(a.get("title") or "", "title"), (a.get("body") or "", "body")])
    gum = shared / "eval" / "gum_news"
    if gum.exists():
        from streams.evaluation.entities import load_gum

        articles += [[(doc.text, "body")] for doc in load_gum(gum)]
    return articles


def _time(analyse: Callable[[list[tuple[str, str]]], object], articles: list[list[tuple[str, str]]],
          repeats: int) -> float:
    """Median over ``repeats`` passes of the mean milliseconds per article."""
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        for article in articles:
            analyse(article)
        runs.append((time.perf_counter() - started) * 1000 / max(1, len(articles)))
    return round(statistics.median(runs), 2)


def speed(analyzer: Any, shared: Path, repeats: int = 3, baseline_ref: str | None = None) -> dict[str, Any]:
    """Analysis time per article, and optionally the same for an older resolver in the same run."""
    articles = _corpus(shared)
    when = datetime(2021, 10, 27, tzinfo=UTC)

    def current(article: list[tuple[str, str]]) -> object:
        return analyzer.analyze_many(article, published_at=when)

    current(articles[0])  # warm caches (actor table, matchers)
    out: dict[str, Any] = {"articles": len(articles), "repeats": repeats}
    if baseline_ref is None:
        out["ms_per_article"] = _time(current, articles, repeats)
        return out
    base = _baseline(baseline_ref)
    base(articles[0])
    # Interleave the passes so that machine noise hits both alike.
    before, after = [], []
    for _ in range(repeats):
        before.append(_time(base, articles, 1))
        after.append(_time(current, articles, 1))
    out["baseline_ref"] = baseline_ref
    out["baseline_ms_per_article"] = round(statistics.median(before), 2)
    out["ms_per_article"] = round(statistics.median(after), 2)
    out["slowdown"] = round(out["ms_per_article"] / out["baseline_ms_per_article"] - 1, 4)
    return out


def _git_show(ref: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:{path}"], check=True, text=True,
                          stdout=subprocess.PIPE).stdout


def _module(name: str, source: str, **preset: object) -> types.ModuleType:
    """A module from source text (registered, as dataclasses need)."""
    module = types.ModuleType(name)
    module.__dict__.update(preset)
    sys.modules[name] = module
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def _baseline(ref: str) -> Callable[[list[tuple[str, str]]], object]:
    """The analysis as it was at ``ref``: its country ruler before NER and its resolver."""
    import spacy

    from streams.nlp.analyzer import _split_abbreviation_hyphens
    from streams.nlp.model import UNUSED_COMPONENTS, installed_model
    from streams.nlp.stance import extract_stances

    gazetteer = _module("baseline_gazetteer", _git_show(ref, "streams/nlp/gazetteer.py"))
    source = _git_show(ref, "streams/nlp/resolve.py").replace("from streams.nlp import gazetteer\n", "")
    resolve = _module("baseline_resolve", source, gazetteer=gazetteer)
    nlp = spacy.load(installed_model(), exclude=list(UNUSED_COMPONENTS))
    _split_abbreviation_hyphens(nlp)
    ruler = nlp.add_pipe("entity_ruler", name="country_gazetteer", before="ner",
                         config={"phrase_matcher_attr": "ORTH", "validate": False})
    ruler.add_patterns([{"label": e.label, "pattern": e.surface, "id": e.code}  # type: ignore[attr-defined]
                        for e in gazetteer.entries()])
    when = datetime(2021, 10, 27, tzinfo=UTC)

    def analyse(article: list[tuple[str, str]]) -> object:
        out = []
        for doc, (_, name) in zip(nlp.pipe(t for t, _ in article), article, strict=True):
            entities = resolve.resolve_entities(doc, when, name)
            stances = extract_stances(doc, entities, name, when)  # type: ignore[arg-type]
            out.append((entities, stances, sum(1 for _ in doc.sents)))
        return out

    return analyse


# ---------------------------------------------------------------- printing


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(section, metric, value) for the table."""
    out: list[tuple[str, str, str]] = []
    ent = report.get("entities") or {}
    gum = ent.get("gum_news")
    if gum:
        for split in ("all", "dev", "heldout"):
            g = gum[split]
            out += [
                (f"gum_news {split}", "named mentions", str(g["named_mentions"])),
                (f"gum_news {split}", "named-mention F1 (typed P/O/P)", _pct(g["typed"]["f1"])),
                (f"gum_news {split}", "named-mention F1 (span only)", _pct(g["untyped"]["f1"])),
                (f"gum_news {split}", "F1 person / organization / place",
                 " / ".join(_pct(g["f1_by_type"][k]) for k in ("person", "organization", "place"))),
                (f"gum_news {split}", f"political-actor code accuracy (n={g['actor_mentions']})",
                 _pct(g["actor_code_accuracy"])),
                (f"gum_news {split}", "political-actor country accuracy", _pct(g["actor_country_accuracy"])),
                (f"gum_news {split}", f"  ... when our span matches (n={g.get('actor_spans_found', '-')})",
                 _pct(g.get("actor_code_accuracy_when_span_found"))),
            ]
    petr = ent.get("petrarch_actors")
    if petr:
        out += [("petrarch2", f"actor-code accuracy (n={petr['expected_codes']})",
                 _pct(petr["actor_code_accuracy"])),
                ("petrarch2", "actor country accuracy", _pct(petr["actor_country_accuracy"]))]
    pm = ent.get("plover_mentions")
    if pm:
        out += [("plover mentions", f"source country accuracy (n={pm['source_mentions']})",
                 _pct(pm["source_country_accuracy"])),
                ("plover mentions", f"target country accuracy (n={pm['target_mentions']})",
                 _pct(pm["target_country_accuracy"])),
                ("plover mentions", "source / target when resolved",
                 f"{_pct(pm['source_country_accuracy_when_resolved'])} / "
                 f"{_pct(pm['target_country_accuracy_when_resolved'])}")]
    stance = report.get("stance")
    if stance is None:
        out.append(("stance", "evaluate_stance", "absent"))
    elif stance.get("skipped"):
        out.append(("stance", "evaluate_stance", "skipped"))
    else:
        pl = (stance.get("plover") or {}).get("all")
        if pl:
            out += [("plover stance", "source country accuracy (end to end)",
                     _pct(pl.get("source_country_accuracy"))),
                    ("plover stance", "target country accuracy (end to end)",
                     _pct(pl.get("target_country_accuracy"))),
                    ("plover stance", "source / target country when a stance is found",
                     f"{_pct(pl.get('source_country_accuracy_when_coded'))} / "
                     f"{_pct(pl.get('target_country_accuracy_when_coded'))}"),
                    ("plover stance", "category accuracy", _pct(pl.get("category_accuracy"))),
                    ("plover stance", "category macro-F1", _pct(pl.get("category_macro_f1"))),
                    ("plover stance", "sign agreement", _pct(pl.get("sign_agreement")))]
        halves = stance.get("plover") or {}
        for half in ("heldout", "dev"):
            part = halves.get(half) or {}
            if "event_found" in part:
                n = part["country_pair_records"]
                out.append(("plover events", f"{half}: found / right pair / + category (n={n})",
                            f"{_pct(part['event_found'])} / {_pct(part['event_right_pair'])} / "
                            f"{_pct(part['event_right_pair_category'])}"))
        if "heldout" in halves and "dev" in halves:
            # the held-out half was never read while the lexicon was written: the fair figure
            out.append(("plover stance", "category accuracy held-out / dev half",
                        f"{_pct(halves['heldout'].get('category_accuracy'))} / "
                        f"{_pct(halves['dev'].get('category_accuracy'))}"))
        for key, cp in stance.items():  # the probe sets, in the order _stance_report ran them
            if key.startswith("cameo_probes_") and cp:
                name = key.removeprefix("cameo_probes_")
                out.append((f"cameo probes {name} (ours)", f"category / root accuracy (n={cp['probes']})",
                            f"{_pct(cp.get('category_accuracy'))} / {_pct(cp.get('root_accuracy'))}"))
                halves = cp.get("category_accuracy_by_half") or {}
                if cp.get("half_read") and {"dev", "heldout"} <= set(halves):
                    out.append((f"cameo probes {name} (ours)", "category accuracy held-out / dev half",
                                f"{_pct(halves['heldout'])} / {_pct(halves['dev'])}"))
        pe = stance.get("petrarch")
        if pe:
            out += [("petrarch2 stance", "event-root accuracy", _pct(pe.get("event_root_accuracy"))),
                    ("petrarch2 stance", "event recall (some stance when one is expected)",
                     _pct(pe.get("detection_rate"))),
                    ("petrarch2 stance", "false-positive rate", _pct(pe.get("false_positive_rate"))),
                    ("petrarch2 stance", "lexicon", str(pe.get("lexicon", "project")))]
        nm = stance.get("newsmtsc")
        if nm:
            out.append(("newsmtsc", "target sentiment macro-F1", _pct(nm.get("macro_f1"))))
    for name, q in (report.get("speakers") or {}).items():
        out += [(f"quotes {name}", f"spoken quotes with a speaker: sentence / document (n={q['spoken']})",
                 f"{q['frame_speaker']} / {q['document_speaker']}"),
                (f"quotes {name}", "... the speaker an actor: sentence / document",
                 f"{q['frame_actor']} / {q['document_actor']}")]
    sp = report.get("speed")
    if sp:
        out.append(("speed", f"ms per article (n={sp['articles']})", _pct(sp["ms_per_article"])))
        if "baseline_ms_per_article" in sp:
            out += [("speed", f"baseline ms per article ({sp['baseline_ref']})",
                     _pct(sp["baseline_ms_per_article"])),
                    ("speed", "slowdown", f"{sp['slowdown']:+.1%}")]
    return out


def table(report: dict[str, Any]) -> str:
    lines = rows(report)
    width = [max((len(r[i]) for r in lines), default=0) for i in range(3)]
    head = ("set", "metric", "value")
    width = [max(w, len(h)) for w, h in zip(width, head, strict=True)]
    fmt = f"{{:<{width[0]}}}  {{:<{width[1]}}}  {{:>{width[2]}}}"
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in width)),
                      *(fmt.format(*r) for r in lines)])


#: ``streams eval <name> ...``: evaluations with option parsers of their own.
SUBCOMMANDS = {"risk": "streams.evaluation.risk"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[argv[0]])
        return int(module.main(argv[1:]))
    parser = argparse.ArgumentParser(prog="streams eval",
                                     epilog="subcommands: streams eval risk --help (alert calibration)",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data directory")
    parser.add_argument("--json", type=Path, help="also write every number as JSON here")
    parser.add_argument("--no-stance", action="store_true", help="skip the stance evaluation")
    parser.add_argument("--limit", type=int, help="records per stance set (quick runs)")
    parser.add_argument("--speed", action="store_true", help="time the analysis per article")
    parser.add_argument("--baseline-ref", help="with --speed: also time the resolver of this git commit")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.shared.exists():
        print(f"{args.shared}: absent")
        return 0
    from streams.evaluation.entities import evaluate_entities
    from streams.nlp import Analyzer

    analyzer = Analyzer()
    report: dict[str, Any] = {"entities": evaluate_entities(analyzer, args.shared)}
    report["stance"] = ({"skipped": True} if args.no_stance
                        else _stance_report(analyzer, args.shared, args.limit))
    if not args.no_stance:
        from streams.evaluation.speakers import evaluate_speakers

        report["speakers"] = evaluate_speakers(analyzer, args.shared)
    if args.speed or args.baseline_ref:
        report["speed"] = speed(analyzer, args.shared, args.repeats, args.baseline_ref)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
