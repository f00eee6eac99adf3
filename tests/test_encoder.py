"""The sentence encoder's cache of its piece table: kept, reused, and never a reason to fail."""

from __future__ import annotations

import numpy as np

from simulator.recogniser.encoder import load_encoder


def test_the_first_load_keeps_the_table_and_the_next_maps_it_from_disk(tmp_path):
    first = load_encoder(cache=tmp_path)
    kept = list(tmp_path.glob("encoder-table-*.npy"))
    assert len(kept) == 1 and not list(tmp_path.glob("*.tmp"))
    again = load_encoder(cache=tmp_path)
    assert isinstance(again.table, np.memmap) and np.array_equal(again.table[::9973], first.table[::9973])


def test_a_damaged_cached_table_is_rebuilt(tmp_path):
    good = load_encoder(cache=tmp_path)
    kept = next(tmp_path.glob("encoder-table-*.npy"))
    kept.write_bytes(b"\x93NUMPY garbage")
    again = load_encoder(cache=tmp_path)
    assert np.array_equal(again.table[::9973], good.table[::9973])
    assert isinstance(load_encoder(cache=tmp_path).table, np.memmap)  # and kept again


def test_a_cache_that_cannot_be_written_only_costs_the_time(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    encoder = load_encoder(cache=blocked)
    assert encoder.table.shape[1] == 512 and encoder.ids("您好")[0] != encoder.ids("您好")[-1]
