"""The analysis child process: outcomes in order, budgets per article, a runaway replaced."""

from __future__ import annotations

import asyncio
import json
from contextlib import aclosing

from streams.agents.analysis import AnalysisProcess
from streams.contracts import Article
from streams.pipeline.enrich import EnrichResult, enrich


def _article(ident: str, body: str) -> Article:
    return Article.model_validate_json(json.dumps({
        "id": ident, "url": f"https://news.example/{ident}", "body": body,
        "published_at": "2024-03-01T12:00:00Z", "source": {"name": "News", "domain": "news.example"},
    }))


SHORT = ("Russia condemned Ukraine on Monday.", "China praised India after the summit.",
         "France and Germany signed a trade agreement in Paris.")
#: About ten seconds of analysis here: ten times the budget below.
RUNAWAY = "Russia " * 14_000


def test_outcomes_come_in_order_and_a_runaway_costs_only_itself(analyzer: object) -> None:
    articles = [_article("a", SHORT[0]), _article("runaway", RUNAWAY),
                _article("b", SHORT[1]), _article("c", SHORT[2])]
    process = AnalysisProcess("", 100_000, timeout_s=1.0)

    async def run() -> list[object]:
        try:
            async with aclosing(process.enrich_in_order(articles)) as outcomes:
                return [outcome async for outcome in outcomes]
        finally:
            process.close()

    outcomes = asyncio.run(run())
    assert [type(o) for o in outcomes] == [EnrichResult, TimeoutError, EnrichResult, EnrichResult]
    for article, outcome in zip(articles, outcomes, strict=True):
        if isinstance(outcome, EnrichResult):  # the child computes what the offline core does
            assert outcome == enrich(article, analyzer, 100_000)  # type: ignore[arg-type]


def test_closing_early_kills_queued_work_and_the_next_call_gets_a_fresh_child() -> None:
    process = AnalysisProcess("", 100_000, timeout_s=30.0)

    async def run() -> EnrichResult:
        try:
            async with aclosing(process.enrich_in_order(
                    [_article("a", SHORT[0]), _article("runaway", RUNAWAY)])) as outcomes:
                first = await anext(outcomes)
                assert isinstance(first, EnrichResult)
            # The runaway was queued in the child: closing must not leave it running.
            assert process._pool is None
            return await process.enrich(_article("b", SHORT[1]))
        finally:
            process.close()

    assert asyncio.run(run()).enriched.id == "b"
