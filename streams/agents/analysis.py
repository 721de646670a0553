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
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from streams.contracts import Article
from streams.nlp import Analyzer
from streams.nlp.model import load_pipeline
from streams.pipeline.enrich import EnrichResult, enrich

_analyzer: Analyzer | None = None


def _load(model: str) -> None:
    """Child initializer: the pipeline is loaded once per child."""
    global _analyzer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    _analyzer = Analyzer(load_pipeline(model or None))


def _ready() -> bool:
    return _analyzer is not None


def _run(article: Article, max_chars: int) -> EnrichResult:
    assert _analyzer is not None
    return enrich(article, _analyzer, max_chars)


class AnalysisProcess:
    """One analysis at a time, in one child process, each within ``timeout_s``.

    Calls are serialised so the budget measures an article's own analysis,
    never time spent queued behind another one.  Starting a child (loading
    the model) is not charged to any article.
    """

    def __init__(self, model: str, max_chars: int, timeout_s: float) -> None:
        self.model, self.max_chars, self.timeout_s = model, max_chars, timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()

    async def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_load, initargs=(self.model,))
            try:
                await asyncio.get_running_loop().run_in_executor(pool, _ready)
            except BaseException:
                self._kill(pool)
                raise
            self._pool = pool
        return self._pool

    async def enrich(self, article: Article) -> EnrichResult:
        """The article's analysis; ``TimeoutError`` (child killed) past the budget."""
        async with self._lock:
            pool = await self._started()
            future = asyncio.get_running_loop().run_in_executor(pool, _run, article, self.max_chars)
            try:
                return await asyncio.wait_for(future, self.timeout_s)
            except (TimeoutError, asyncio.CancelledError, BrokenProcessPool):
                # Timed out, cancelled (shutdown, rebalance) or the child died:
                # never leave a child running an abandoned analysis.
                self.close()
                raise

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            self._kill(pool)

    @staticmethod
    def _kill(pool: ProcessPoolExecutor) -> None:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
