"""The analysis core offline against a naive full spaCy pass, in one run."""

from __future__ import annotations

import statistics
import time
from typing import Any

from streams.contracts import Article


def percentile(values: list[float], q: float) -> float:
    """The value at rank ``q`` (nearest rank, no interpolation); NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_core(articles: list[dict[str, Any]]) -> dict[str, float]:
    """Articles/s, tokens/s, median and p99 ms per article of ``enrich``."""
    from streams.nlp import Analyzer
    from streams.pipeline.enrich import enrich

    analyzer = Analyzer()
    parsed = [Article.model_validate(a) for a in articles]
    enrich(parsed[0], analyzer)  # warm-up: lazy tables, caches
    per_article: list[float] = []
    tokens = 0
    started = time.perf_counter()
    for article in parsed:
        t0 = time.perf_counter()
        enrich(article, analyzer)
        per_article.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    tokens = sum(len(analyzer.nlp.tokenizer(a.title + " " + a.body)) for a in parsed)
    return {
        "articles": len(parsed),
        "articles_per_s": len(parsed) / elapsed,
        "tokens_per_s": tokens / elapsed,
        "median_ms": statistics.median(per_article),
        "p99_ms": percentile(per_article, 0.99),
        **bench_parts(analyzer),
    }


#: Surfaces of every kind the actor table resolves: country, metonym, person, title + name,
#: ministry, nothing, organisation, capital.
LOOKUPS = ("Russia", "the Kremlin", "Vladimir Putin", "State Department spokesman Ned Price",
           "the Russian Defence Ministry", "an unknown phrase here", "NATO", "Moscow")


def bench_parts(analyzer: Any, rounds: int = 500) -> dict[str, float]:
    """Two hot parts on their own: one actor-table lookup (µs) and the gazetteer per doc (ms).

    Both run for every mention of every article, so a slip in either shows here first.
    """
    from datetime import date

    from streams.nlp.actors import ActorTable

    table, on = ActorTable.load(), date(2021, 10, 27)
    started = time.perf_counter()
    for _ in range(rounds):
        for surface in LOOKUPS:
            table.lookup(surface, on)
    lookup_us = (time.perf_counter() - started) * 1e6 / (rounds * len(LOOKUPS))
    pipe = analyzer.nlp.get_pipe("actor_gazetteer")
    with analyzer.nlp.select_pipes(enable=["tok2vec", "tagger", "ner"]):
        doc = analyzer.nlp("Russia warned the United States, Interfax reported. " * 40)
    started = time.perf_counter()
    for _ in range(20):
        pipe(doc)
    return {"actor_lookup_us": lookup_us, "gazetteer_ms_per_doc": (time.perf_counter() - started) * 50}


def bench_naive(articles: list[dict[str, Any]]) -> dict[str, float]:
    """What a user would write: the full ``en_core_web_sm`` pipeline per text."""
    import spacy

    from streams.nlp.model import installed_model

    nlp = spacy.load(installed_model())
    nlp(articles[0]["body"])
    started = time.perf_counter()
    for article in articles:
        nlp(article["title"])
        nlp(article["body"])
    elapsed = time.perf_counter() - started
    return {"articles": len(articles), "articles_per_s": len(articles) / elapsed,
            "components": len(nlp.pipe_names)}
