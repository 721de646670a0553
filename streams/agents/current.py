"""Table writes on behalf of a chosen event.

Faust picks a table write's changelog partition and RocksDB column family
from the *current* event, which its stream sets for each event it yields.
An agent that handles a batch (``take_events``) or writes from a timer has
no meaningful current event, so each write names the event it belongs to.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faust.streams import _current_event


@contextmanager
def as_current(event: Any) -> Iterator[None]:
    """Make ``event`` Faust's current event for the duration of a table write.

    Faust offers no public way to do this; its stream sets this same
    context variable for each event it yields.
    """
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)
