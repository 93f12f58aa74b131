"""``drafter team report``: per brief, how many posts and authors, and how alike the network's posts are.

The near-copy share of a brief is the share of its posts that have a near-copy by *another* author
among the brief's posts (exact similarity at least ``threshold``, by default the guidelines'
``warning_at``): the number that shows a campaign sliding into copy-paste. Candidate pairs come from
the stored band keys (posts sharing a band), confirmed with the exact measure.
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


def report(conn: Any, threshold: float, brief_id: str | None = None) -> list[BriefReport]:
    """One :class:`BriefReport` per brief (posts without a brief under ``None``), most posts first."""
    where, params = ("WHERE p.brief_id = %s", (brief_id,)) if brief_id else ("", ())
    rows = conn.execute(
        f"SELECT p.id, p.brief_id, p.author, p.text, array_agg(b.key) FROM drafter.posts p"
        f" LEFT JOIN drafter.post_bands b ON b.post_id = p.id {where} GROUP BY p.id",
        params,
    ).fetchall()
    by_brief: dict[str | None, list[tuple[Any, str, str, list[int]]]] = defaultdict(list)
    for post_id, brief, author, text, band_keys in rows:
        by_brief[brief].append((post_id, author, text, [k for k in band_keys if k is not None]))
    out = [_one(brief, posts, threshold) for brief, posts in by_brief.items()]
    out.sort(key=lambda r: (-r.posts, r.brief_id or ""))
    return out


def _one(brief: str | None, posts: list[tuple[Any, str, str, list[int]]], threshold: float) -> BriefReport:
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, (_, _, _, band_keys) in enumerate(posts):
        for key in band_keys:
            buckets[key].append(i)
    copied: set[int] = set()
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in checked or posts[a][1] == posts[b][1]:
                    continue
                checked.add(pair)
                if jaccard(shingles(posts[a][2]), shingles(posts[b][2])) >= threshold:
                    copied.update(pair)
    return BriefReport(brief, len(posts), len({p[1] for p in posts}), len(copied))
