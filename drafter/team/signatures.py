"""MinHash signatures and LSH band keys, computed exactly as the local originality index does.

The signature is :func:`drafter.originality.signature` over the post's shingles
(:func:`drafter.originality.shingles`; equal to datasketch's ``affine32`` MinHash); the band keys are
:func:`drafter.lsh_bands.band_keys` with :data:`~drafter.originality.LSH_PARAMS`. So a post published
to the team and the same post in a local store index alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.lsh_bands import band_keys
from drafter.originality import LSH_PARAMS, NUM_PERM, shingles

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

SIGNATURE_BYTES = 4 * NUM_PERM


def signature(text: str) -> np.ndarray:
    """The post's MinHash signature (``NUM_PERM`` uint32 values)."""
    from drafter.originality import signature as minhash

    return minhash(shingles(text))


def keys(sig: np.ndarray) -> list[int]:
    """The post's LSH band keys (one signed 64-bit key per band)."""
    bands, rows = LSH_PARAMS
    return [int(k) for k in band_keys(sig, bands, rows)]


def from_bytes(blob: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(sig, dtype="<u4").tobytes()
