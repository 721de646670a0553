"""Article analysis in a child process that can be killed when it overruns.

Why not a thread: spaCy's tokenizer holds the GIL for its whole call and is
quadratic in a run of punctuation or symbols without whitespace ("!!!!…",
emoji), so a 100k-character body takes tens of minutes.  A thread cannot be
stopped, and while it holds the GIL the worker's event loop is frozen:
``asyncio.wait_for`` never fires, heartbeats stop, ``/metrics`` and SIGTERM
go unanswered.  A child process has its own GIL and can be killed; the next
article gets a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import AsyncGenerator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import aclosing, suppress

from streams.agents.metrics import STAGE_SECONDS
from streams.contracts import Article
from streams.nlp import Analyzer
from streams.nlp.model import load_pipeline
from streams.pipeline.enrich import EnrichResult, enrich

_analyzer: Analyzer | None = None
#: Articles in the child at once: the one it works on and the next.
PIPELINE_DEPTH = 2


#: ``prctl`` option: a signal the kernel sends us when our parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Never outlive the worker, even one killed with SIGKILL.

    An orphaned child would hold its ~200 MiB model forever.  On Linux the
    kernel delivers SIGKILL when the parent dies; elsewhere this is a no-op.
    """
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _load(model: str, parent: int) -> None:
    """Child initializer: the pipeline is loaded once per child."""
    global _analyzer
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    _analyzer = Analyzer(load_pipeline(model or None))


def _ready() -> int:
    """The child's pid, once its model is loaded (the pool does not say it publicly)."""
    assert _analyzer is not None
    return os.getpid()


def _run(article: Article, max_chars: int) -> EnrichResult:
    assert _analyzer is not None
    return enrich(article, _analyzer, max_chars)


#: Outcome of one article: its analysis, or why there is none.
Outcome = EnrichResult | Exception


class AnalysisProcess:
    """Analyses in one child process, each article within ``timeout_s``.

    The budget measures an article's own analysis, never time spent queued
    behind another one: its clock starts when the child finished the article
    before it.  Starting a child (loading the model) is not charged to any
    article.
    """

    def __init__(self, model: str, max_chars: int, timeout_s: float) -> None:
        self.model, self.max_chars, self.timeout_s = model, max_chars, timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._child: int | None = None
        self._lock = asyncio.Lock()

    async def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_load, initargs=(self.model, os.getpid()))
            try:
                child = await asyncio.get_running_loop().run_in_executor(pool, _ready)
            except BaseException:
                self._kill(pool, None)
                raise
            self._pool, self._child = pool, child
        return self._pool

    async def start(self) -> None:
        """Start the child now (loading the model) rather than on the first article."""
        async with self._lock:
            await self._started()

    async def enrich(self, article: Article) -> EnrichResult:
        """One article's analysis; ``TimeoutError`` (child killed) past the budget."""
        async with aclosing(self.enrich_in_order([article])) as outcomes:
            async for outcome in outcomes:
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome
        raise AssertionError("unreachable: one article gives one outcome")

    async def enrich_in_order(self, articles: Sequence[Article]) -> AsyncGenerator[Outcome, None]:
        """Each article's outcome, in order, with the next one already queued in the child.

        Keeping one article queued hides the round trip to the child (~3 ms of
        every ~45) and lets the caller publish an outcome while the child
        works on the next.  An article past its budget yields ``TimeoutError``
        and costs a fresh child; the ones behind it are resubmitted to it.
        Iterate under ``contextlib.aclosing``: the generator holds the child
        until it is closed.
        """
        async with self._lock:
            loop = asyncio.get_running_loop()
            queued: deque[asyncio.Future[EnrichResult]] = deque()
            try:
                pool = await self._started()
                started = loop.time()  # when the child began the article at the head
                for index in range(len(articles)):
                    while len(queued) < min(PIPELINE_DEPTH, len(articles) - index):
                        article = articles[index + len(queued)]
                        queued.append(loop.run_in_executor(pool, _run, article, self.max_chars))
                    outcome: Outcome
                    try:
                        outcome = await asyncio.wait_for(
                            asyncio.shield(queued[0]), started + self.timeout_s - loop.time())
                        queued.popleft()
                        STAGE_SECONDS.labels("analyse").observe(loop.time() - started)
                    except (TimeoutError, BrokenProcessPool) as exc:
                        # Past the budget, or the child died: never leave a
                        # child running an abandoned analysis.
                        self.close()
                        queued.clear()
                        outcome = exc if isinstance(exc, TimeoutError) else RuntimeError(
                            "the analysis process died")
                        pool = await self._started()  # a new child's start is not charged
                    except Exception as exc:  # raised by the analysis itself
                        queued.popleft()
                        outcome = exc
                    started = loop.time()
                    yield outcome
            finally:
                if queued:  # cancelled (shutdown, rebalance) with work in the child
                    self.close()

    @property
    def child_pid(self) -> int | None:
        """The analysis child's process id while one runs."""
        return self._child

    def close(self) -> None:
        pool, self._pool = self._pool, None
        child, self._child = self._child, None
        if pool is not None:
            self._kill(pool, child)

    @staticmethod
    def _kill(pool: ProcessPoolExecutor, child: int | None) -> None:
        """Kill the child at once (a runaway analysis never returns), then drop the pool."""
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        pool.shutdown(wait=False, cancel_futures=True)
