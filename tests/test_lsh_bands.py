"""Band keys: equal bands give equal keys, any differing value changes the key, bands never share keys."""

import numpy as np
import pytest

from drafter.lsh_bands import band_keys
from drafter.originality import LSH_PARAMS, NUM_PERM


def test_keys_agree_exactly_on_agreeing_bands() -> None:
    bands, rows = LSH_PARAMS
    rng = np.random.default_rng(7)
    a = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32)
    b = a.copy()
    b[rows * 3 + 1] ^= 1  # change one value in band 3
    ka, kb = band_keys(a, bands, rows), band_keys(b, bands, rows)
    assert ka.shape == (bands,) and ka.dtype == np.int64
    differing = np.flatnonzero(ka != kb).tolist()
    assert differing == [3]


def test_same_values_in_different_bands_give_different_keys() -> None:
    bands, rows = LSH_PARAMS
    sig = np.tile(np.arange(rows, dtype=np.uint32), bands)
    keys = band_keys(sig, bands, rows)
    assert len(set(keys.tolist())) == bands


def test_matrix_matches_rows_and_keys_spread() -> None:
    bands, rows = LSH_PARAMS
    rng = np.random.default_rng(11)
    sigs = rng.integers(0, 2**32, size=(2000, NUM_PERM), dtype=np.uint32)
    keys = band_keys(sigs, bands, rows)
    assert keys.shape == (2000, bands)
    assert (keys[17] == band_keys(sigs[17], bands, rows)).all()
    assert len(np.unique(keys)) == keys.size  # no collision among 64,000 random bands


def test_too_short_signature_is_refused() -> None:
    with pytest.raises(ValueError, match="no 32 bands"):
        band_keys(np.zeros(16, dtype=np.uint32), 32, 4)
