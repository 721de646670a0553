"""The worker's tables keep RocksDB's memory bounded (Faust's defaults grew a worker without end)."""

from __future__ import annotations

from pathlib import Path

from streams.agents.app import create_app
from streams.agents.tables import STORE_OPTIONS
from streams.harness import unique_settings


def test_every_table_uses_the_bounded_store_options(tmp_path: Path) -> None:
    settings = unique_settings("127.0.0.1:9", data_dir=str(tmp_path))
    assert settings.store.startswith("rocksdb")
    app = create_app(settings)
    names = set(app.tables)
    assert names == {"seen-articles", "dyad-state"}
    for name in names:
        options = app.tables[name].data.rocksdb_options  # type: ignore[attr-defined]
        assert options.write_buffer_size == STORE_OPTIONS["write_buffer_size"] == 4 * 1024 * 1024
        assert options.max_write_buffer_number == 2
        assert options.block_cache_size == STORE_OPTIONS["block_cache_size"]
