"""MinHash signatures and LSH band keys, computed exactly as the local originality index does.

The signature is :func:`drafter.originality.signature` over the post's shingles
(:func:`drafter.originality.shingles`; equal to datasketch's ``affine32`` MinHash); the band keys are
:func:`drafter.lsh_bands.band_keys` with :data:`~drafter.originality.LSH_PARAMS`. So a post published
to the team and the same post in a local store index alike. A post's paragraphs
(:func:`drafter.originality.indexed_passages`) have band keys of their own, numbered from
:data:`~drafter.originality.PASSAGE_FIRST_BAND` as in the local store (:func:`passage_entries`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.lsh_bands import band_keys
from drafter.originality import LSH_PARAMS, NUM_PERM, PASSAGE_FIRST_BAND, indexed_passages, shingles

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

SIGNATURE_BYTES = 4 * NUM_PERM
BANDS = LSH_PARAMS[0]
"""Band keys per entry (a whole post, or one of its paragraphs)."""


def signature(text: str) -> np.ndarray:
    """The post's MinHash signature (``NUM_PERM`` uint32 values)."""
    from drafter.originality import signature as minhash

    return minhash(shingles(text))


def keys(sig: np.ndarray) -> list[int]:
    """The post's LSH band keys (one signed 64-bit key per band)."""
    bands, rows = LSH_PARAMS
    return [int(k) for k in band_keys(sig, bands, rows)]


def passage_entries(texts: list[str]) -> tuple[list[int], list[int]]:
    """The paragraph entries of posts: how many each post has (:func:`~drafter.originality.indexed_passages`),
    and their band keys one entry after the other (:data:`BANDS` per entry, paragraph keys), computed for
    all posts in one step."""
    from drafter.originality import signatures

    groups = [indexed_passages(text) for text in texts]
    flat = [group for post in groups for group in post]
    if not flat:
        return [0] * len(texts), []
    bands, rows = LSH_PARAMS
    keys = band_keys(signatures(flat), bands, rows, first_band=PASSAGE_FIRST_BAND)
    return [len(post) for post in groups], keys.ravel().tolist()


def from_bytes(blob: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(sig, dtype="<u4").tobytes()
