"""The commands' input and output files: one-line errors for an unreadable input, and
outputs that replace an existing file only when the command succeeds."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from streams.errors import InputError, OutputError


def _input_problem(name: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"input file {name} not found", "check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"input {name} is a directory, not a file", "name a file")
    if isinstance(exc, PermissionError):
        return InputError(f"cannot read input file {name}: permission denied", "check its permissions")
    return InputError(f"cannot read input file {name}: {exc.strerror or exc}")


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as exc:
        raise _input_problem(name, exc) from exc


def _file_size(handle: IO[Any]) -> int | None:
    """Size of a regular file behind ``handle`` (None for a pipe, a terminal...)."""
    import stat

    try:
        info = os.fstat(handle.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


@contextlib.contextmanager
def _replace_on_success(path: str) -> Iterator[TextIO]:
    """A text file that becomes ``path`` only when the block succeeds.

    It is written next to ``path`` under a temporary name and renamed over it at the
    end, so a run that fails (missing input, crash, closed pipe...) leaves an existing
    ``path`` as it was.  Special files (``/dev/null``, a FIFO) are written directly.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"output {path} is a directory", "name a file")
    if target.exists() and not target.is_file():
        with open(target, "w", encoding="utf-8") as special:
            yield special
        return
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {path}: no directory {target.parent}",
                          "create it or choose another path")
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        handle = open(temp, "x", encoding="utf-8")  # noqa: SIM115 - closed below
    except PermissionError as exc:
        raise OutputError(f"cannot write {path}: permission denied in {target.parent}") from exc
    try:
        with handle:
            yield handle
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
