"""The errors a user can do something about: one small hierarchy the CLI catches.

Every :class:`StreamsError` carries a one-line ``message`` naming the problem and an
optional one-line ``hint`` naming the fix; ``streams`` prints them as one line::

    streams: error: <message>; <hint>

and exits with :attr:`StreamsError.exit_status` (2 for usage and configuration errors,
1 for failures at run time).  ``--debug`` (or ``STREAMS_DEBUG=1``) adds the traceback.

This module imports nothing from ``streams``, so any module (core or shell) may raise
these without an import cycle.  A module's own exception joins the hierarchy by
subclassing one of them (a ``ValueError`` subclass may keep ``ValueError`` as a second
base, so existing ``except ValueError`` clauses still catch it).
"""

from __future__ import annotations


class StreamsError(Exception):
    """Base: a problem the user can fix, reported as one line (no traceback)."""

    #: Process exit status when the CLI stops on this error.
    exit_status = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(StreamsError):
    """The command line itself is wrong (a missing or conflicting argument)."""

    exit_status = 2


class ConfigError(UsageError):
    """A setting is missing or invalid (``STREAMS_*`` variables, ``.env``)."""


class InputError(StreamsError):
    """An input the command was given cannot be read (missing, unreadable, wrong format)."""


class OutputError(StreamsError):
    """An output the command was given cannot be written."""


class DataError(StreamsError):
    """Data the product ships or loads (dictionaries, models, coded archives) is invalid."""


class BrokerError(StreamsError):
    """Kafka refused or failed a request."""


class BrokerUnavailable(BrokerError):
    """Kafka cannot be reached (not running, wrong address, network, TLS/SASL)."""


class PortInUse(StreamsError):
    """A port this process must listen on is taken by another process."""


class WorkerFailed(StreamsError):
    """A worker process stopped or never became ready."""


def one_line(error: StreamsError) -> str:
    """``message; hint`` on one line, whatever newlines the parts hold."""
    text = " ".join(error.message.split("\n", 1)[0].split())
    if "\n" in error.message.strip():
        text += " (more with --debug)"
    if error.hint:
        text += "; " + " ".join(error.hint.split())
    return text
