"""LSH band keys of MinHash signatures: the one index layout shared by the local and the team store.

A signature of :data:`~drafter.originality.NUM_PERM` values is cut into ``bands`` bands of ``rows``
values (``LSH_PARAMS``). Two posts become candidates when any band agrees, so a band is stored as a
single signed 64-bit key — a row ``(post, band, key)`` in an indexed table — and the candidate search
is one indexed lookup per band, in SQLite as in PostgreSQL, with no in-memory table to rebuild.

The key mixes the band number and its values with 64-bit multiply–xorshift steps (vectorised with
numpy). Two different bands collide with probability about 2⁻⁶⁴ per pair, far below the MinHash
noise; a collision only adds a candidate that the exact confirmation then drops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

BAND_SCHEME = "mix64/v1"
"""Names the key function; stored band keys of another scheme are recomputed."""

_MUL = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB


def band_keys(signatures: np.ndarray, bands: int, rows: int, first_band: int = 0) -> np.ndarray:
    """Band keys of signatures: ``(n, bands * rows or more)`` uint32 → ``(n, bands)`` int64.

    A single signature (1-D) gives a 1-D array of ``bands`` keys. ``first_band``: the number of the first
    band, mixed into the keys so that another kind of entry (a post's paragraphs, numbered from ``bands``
    on, see :data:`drafter.originality.PASSAGE_FIRST_BAND`) never shares a key with a whole post's bands.
    """
    import numpy as np

    sigs = np.asarray(signatures, dtype=np.uint32)
    single = sigs.ndim == 1
    if single:
        sigs = sigs[None, :]
    if sigs.shape[1] < bands * rows:
        raise ValueError(f"a signature of {sigs.shape[1]} values has no {bands} bands of {rows} rows")
    values = sigs[:, : bands * rows].reshape(len(sigs), bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        numbers = np.arange(first_band + 1, first_band + bands + 1, dtype=np.uint64)
        h = (numbers * np.uint64(_MUL))[None, :].repeat(len(sigs), axis=0)
        for r in range(rows):
            h = (h ^ values[:, :, r]) * np.uint64(_MUL)
            h ^= h >> np.uint64(29)
        h ^= h >> np.uint64(30)
        h *= np.uint64(_MIX1)
        h ^= h >> np.uint64(27)
        h *= np.uint64(_MIX2)
        h ^= h >> np.uint64(31)
    keys = h.view(np.int64)
    return keys[0] if single else keys
