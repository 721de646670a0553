"""The analysis child process: outcomes in order, budgets per article, a runaway replaced."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from contextlib import aclosing
from pathlib import Path

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
                children = multiprocessing.active_children()  # the child, busy with the runaway
                assert children
            # The runaway was queued in the child: closing must not leave it running.
            deadline = time.monotonic() + 10
            while any(child.is_alive() for child in children) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert not any(child.is_alive() for child in children)
            return await process.enrich(_article("b", SHORT[1]))
        finally:
            process.close()

    assert asyncio.run(run()).enriched.id == "b"


PARENT = """
import asyncio, sys
from streams.agents.analysis import AnalysisProcess

async def main():
    process = AnalysisProcess("", 100_000, timeout_s=30.0)
    await process.start()
    print(process.child_pid, flush=True)
    await asyncio.sleep(600)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_the_child_dies_with_a_worker_killed_by_sigkill(tmp_path: Path) -> None:
    """A worker killed with SIGKILL must not leave its analysis child (and model) behind."""
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert Path(f"/proc/{child}").exists()
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.1)
        assert not _alive(child), "the analysis child outlived its worker"
    finally:
        parent.kill()
        if child and _alive(child):  # only when the test fails: don't leave it behind
            os.kill(child, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running and not a zombie (an orphan's zombie is reaped by init soon)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
