"""``drafter team report``: per brief, how many posts and authors, and how alike the network's posts are.

The near-copy share of a brief is the share of its posts that have a near-copy by *another* author
among the brief's posts (exact similarity at least ``threshold``, by default the guidelines'
``warning_at``): the number that shows a campaign sliding into copy-paste.

The database does the counting: posts and authors per brief are one ``GROUP BY``, and the candidate
pairs (posts about the same brief, by different authors, sharing a band key) one self-join of the
band table; only the texts of posts in a candidate pair come to the client, which confirms each pair
with the exact measure (the one the originality check uses, so both agree). Only whole posts' bands
(0–31) are joined: posts' paragraph entries (bands from 32 on, schema version 4) take no part, so the
figures stay those of whole posts, and a paragraph pasted into many posts adds no pairs to confirm.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from drafter.originality import jaccard, shingles


@dataclass(frozen=True)
class BriefReport:
    brief_id: str | None
    posts: int
    authors: int
    near_copies: int

    @property
    def near_copy_share(self) -> float:
        return self.near_copies / self.posts if self.posts else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "brief_id": self.brief_id,
            "posts": self.posts,
            "authors": self.authors,
            "posts_with_near_copy": self.near_copies,
            "near_copy_share": round(self.near_copy_share, 4),
        }


COUNTS_SQL = """
SELECT brief_id, count(*), count(DISTINCT author) FROM drafter.posts
WHERE %(brief)s::text IS NULL OR brief_id = %(brief)s GROUP BY brief_id
"""

PAIRS_SQL = """
SELECT DISTINCT pa.brief_id, pa.id, pb.id
FROM drafter.post_bands a
JOIN drafter.post_bands b ON b.key = a.key AND b.post_id > a.post_id
JOIN drafter.posts pa ON pa.id = a.post_id
JOIN drafter.posts pb ON pb.id = b.post_id
WHERE pa.brief_id IS NOT DISTINCT FROM pb.brief_id AND pa.author <> pb.author
  AND a.band < 32 AND b.band < 32  -- whole posts only: paragraph entries (bands 32 on) take no part
  AND (%(brief)s::text IS NULL OR pa.brief_id = %(brief)s)
"""


def report(conn: Any, threshold: float, brief_id: str | None = None) -> list[BriefReport]:
    """One :class:`BriefReport` per brief (posts without a brief under ``None``), most posts first."""
    params = {"brief": brief_id}
    counts = conn.execute(COUNTS_SQL, params).fetchall()
    pairs = conn.execute(PAIRS_SQL, params).fetchall()
    ids = sorted({post_id for _, a, b in pairs for post_id in (a, b)})
    texts: dict[Any, frozenset[str]] = {}
    if ids:
        for post_id, text in conn.execute("SELECT id, text FROM drafter.posts WHERE id = ANY(%s)", (ids,)):
            texts[post_id] = shingles(text)
    copied: dict[str | None, set[Any]] = defaultdict(set)
    for brief, a, b in pairs:
        if jaccard(texts[a], texts[b]) >= threshold:
            copied[brief].update((a, b))
    out = [BriefReport(brief, int(posts), int(authors), len(copied[brief])) for brief, posts, authors in counts]
    out.sort(key=lambda r: (-r.posts, r.brief_id or ""))
    return out
