"""What the commands show on a terminal besides their output: progress bars, elapsed time
(on stderr, and only when it is a terminal), and plurals."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def _terminal(stream: IO[str] | None = None) -> bool:
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def progress(items: Iterable[T], *, desc: str, unit: str, total: float | None = None,
              size: Callable[[T], int] | None = None, force: bool = False) -> Iterator[T]:
    """``items``, with a progress bar on stderr when it is a terminal (or ``force``).

    ``size`` weighs each item (bytes of a line: ``unit="B"``, scaled); quiet when piped.
    """
    if not (force or _terminal()):
        yield from items
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, unit=unit, unit_scale=size is not None, file=sys.stderr,
              dynamic_ncols=True) as bar:
        for item in items:
            yield item
            bar.update(size(item) if size else 1)


@contextlib.contextmanager
def elapsed_ticker(what: str) -> Iterator[None]:
    """On a terminal, a line on stderr with the time spent so far (for long commands without
    progress of their own); nothing when stderr is piped."""
    if not _terminal():
        yield
        return
    import threading

    from tqdm import tqdm

    stop = threading.Event()
    bar = tqdm(desc=f"streams {what}", bar_format="{desc}: {elapsed} elapsed", file=sys.stderr, leave=False)

    def tick() -> None:
        while not stop.wait(1.0):
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.close()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
