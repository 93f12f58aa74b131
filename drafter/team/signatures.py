"""MinHash signatures and LSH band keys, computed exactly as the local originality index does.

The signature is datasketch's ``MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")`` over the
post's shingles (:func:`drafter.originality.shingles`); the band keys are
:func:`drafter.lsh_bands.band_keys` with :data:`~drafter.originality.LSH_PARAMS`. So a post published
to the team and the same post in a local store index alike.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from drafter.lsh_bands import band_keys
from drafter.originality import LSH_PARAMS, NUM_PERM, SEED, shingles

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

SIGNATURE_BYTES = 4 * NUM_PERM


@lru_cache(maxsize=1)
def _template() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")


def signature(text: str) -> np.ndarray:
    """The post's MinHash signature (``NUM_PERM`` uint32 values)."""
    import numpy as np
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, permutations=_template().permutations, scheme="affine32")
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return np.asarray(m.hashvalues, dtype=np.uint32)


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
