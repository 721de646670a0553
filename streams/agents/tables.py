"""Table helpers: bounded RocksDB memory, and writes on behalf of a chosen event.

Faust's RocksDB defaults suit a dedicated stream processor: 64 MiB write
buffers, three of them, and a 2 GiB block cache, per table partition.  Our
tables are small (article ids; one compact state per dyad), yet the dyad
states are rewritten on every batch, so the write buffers alone grew a worker
by ~6 MiB a minute at 10 articles/s, toward hundreds of MiB.  Smaller buffers
flush sooner; reads are point lookups, mostly served by the agents' own caches.

Faust picks a table write's changelog partition and RocksDB column family
from the *current* event, which its stream sets for each event it yields.
An agent that handles a batch (``take_events``) or writes from a timer has
no meaningful current event, so each write names the event it belongs to
(``with as_current(event):``).  Faust has no public way to set its current event;
:func:`streams.agents.faust_compat.as_current` does it, fenced against the audited Faust.
"""

from __future__ import annotations

from streams.agents.faust_compat import as_current

__all__ = ["STORE_OPTIONS", "as_current"]

#: RocksDB options for every table (per partition): at most 2 × 4 MiB of write
#: buffers and an 8 MiB block cache.
STORE_OPTIONS: dict[str, int] = {
    "write_buffer_size": 4 * 1024 * 1024,
    "max_write_buffer_number": 2,
    "block_cache_size": 8 * 1024 * 1024,
    "block_cache_compressed_size": 8 * 1024 * 1024,
}
