"""Training the learned scorer (``drafter guidelines train``): logistic regression with an L2 penalty, fitted
with numpy on the labelled corpus, written as a model file (:mod:`drafter.rules.scored` reads it).

Only this module imports numpy; the check path (:mod:`drafter.scorer`) never does.

What a label means, per family (:data:`FAMILIES`):

- ``promotion``: a post is positive when a careful reviewer expects a ``disclosure`` error (promotion
  without disclosure). Posts that disclose (the rule's ``require`` finds a disclosure, or the post carries
  its profile's marker) are left out: they may well be promotion, and "no error" there says nothing about
  whether the words advertise. The scorer is never asked about such posts either.
- ``leak``: positive when a ``confidentiality`` error is expected; posts in which the contact-data rules
  (e-mail, phone, IBAN, labels, a home address) find an error are left out — their label is about a
  number, not about words that tell news early.

Deterministic: the same files give the same model file, byte for byte (sorted features, fixed start, a
fixed number of steps, no randomness, no dates).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from drafter import literals
from drafter.scorer import FEATURES_VERSION, ScoreModel, post_counts

if TYPE_CHECKING:
    from drafter.evaluation import LabelledPost
    from drafter.guidelines import GuidelineSet


@dataclass(frozen=True)
class Family:
    name: str
    #: the category whose error-level label is the positive class
    label: str
    #: the rule the scorer backs (its ``require`` leaves a post out for ``promotion``)
    rule: str
    #: rules whose error on a post leaves it out of training
    exclude_found_by: tuple[str, ...] = ()
    #: leave out posts the rule's ``require`` matches (or that carry their marker)
    exclude_disclosed: bool = False


FAMILIES = {
    "promotion": Family("promotion", "disclosure", "disclosure.employment", exclude_disclosed=True),
    "leak": Family(
        "leak",
        "confidentiality",
        "confidentiality.leak",
        exclude_found_by=("confidentiality.data", "confidentiality.address"),
    ),
}

#: L2 penalty, steps of accelerated gradient descent, minimum number of posts a feature occurs in, features kept.
#: L2 and KEEP from a leave-one-file-out study over the ten blind-written tuning files (guidelines/README.md,
#: "Ninth round"): 1e-5 and 20,000 reached 0.61 / 0.38 of the promotion / leak positives above the highest
#: negative, 1e-4 and 3,000 0.47 / 0.26; a stronger penalty (1e-3, 1e-2) was worse, 1e-6 or 1,600 steps alike.
L2 = 0.00001
STEPS = 800
MIN_POSTS = 2
KEEP = 20_000
FOLDS = 5


@dataclass
class TrainingSet:
    family: Family
    texts: list[str]
    labels: list[int]
    posts: list[LabelledPost]
    left_out: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)


def select(posts: Sequence[LabelledPost], gs: GuidelineSet, family: Family) -> TrainingSet:
    """The posts of ``posts`` the family trains on, with their labels (see the module docstring)."""
    from drafter.checker import Checker
    from drafter.findings import Severity
    from drafter.rules import ConditionalRule

    rule = gs.rule(family.rule)
    checker = Checker(gs, lang="en")
    chosen = TrainingSet(family, [], [], [])
    for post in posts:
        if family.exclude_disclosed:
            marker = post.marker.strip()
            disclosed = bool(marker) and marker.casefold() in post.text.casefold()
            if not disclosed and isinstance(rule, ConditionalRule) and rule._require is not None:
                disclosed = rule._require.search(post.text, literals.folded(post.text)) is not None
            if disclosed:
                chosen.left_out += 1
                continue
        if family.exclude_found_by:
            found = False
            for rid in family.exclude_found_by:
                if gs.rule(rid) is None:
                    continue
                result = checker.check(post.text, channel=post.channel, brief=post.brief, date=post.date, only=rid)
                if any(f.severity is Severity.ERROR for f in result.findings):
                    found = True
                    break
            if found:
                chosen.left_out += 1
                continue
        expected = post.expected["error"]
        chosen.labels.append(int(family.label in expected or family.rule in expected))
        chosen.texts.append(post.text)
        chosen.posts.append(post)
    return chosen


@dataclass
class Fitted:
    weights: dict[str, float]
    intercept: float


def fit(texts: Sequence[str], labels: Sequence[int], *, l2: float = L2, steps: int = STEPS) -> Fitted:
    """Logistic regression with an L2 penalty (not on the intercept), classes weighted to balance, fitted by
    Nesterov-accelerated gradient descent with a step of 1/L (L from a power iteration)."""
    docs = [post_counts(t) for t in texts]
    frequency: dict[str, int] = {}
    for counts, _ in docs:
        for f in counts:
            frequency[f] = frequency.get(f, 0) + 1
    vocabulary = sorted(f for f, n in frequency.items() if n >= MIN_POSTS)
    index = {f: i for i, f in enumerate(vocabulary)}
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for counts, total in docs:
        norm = 1.0 / math.sqrt(total) if total else 0.0
        for f in sorted(counts):
            i = index.get(f)
            if i is not None:
                indices.append(i)
                values.append(counts[f] * norm)
        indptr.append(len(indices))
    n, d = len(docs), len(vocabulary)
    ind = np.asarray(indices, dtype=np.int64)
    val = np.asarray(values, dtype=np.float64)
    rows = np.repeat(np.arange(n), np.diff(np.asarray(indptr)))
    y = np.asarray(labels, dtype=np.float64)
    positives = max(1.0, float(y.sum()))
    negatives = max(1.0, n - float(y.sum()))
    sample = np.where(y > 0, n / (2 * positives), n / (2 * negatives)) / n

    def forward(w: np.ndarray) -> np.ndarray:
        return np.bincount(rows, weights=val * w[ind], minlength=n)

    def backward(r: np.ndarray) -> np.ndarray:
        return np.bincount(ind, weights=val * r[rows], minlength=d)

    # the gradient's Lipschitz constant: 0.25 · σ_max(diag(√s) X̃)² + l2 (X̃ with a column of ones)
    v = np.ones(d + 1) / math.sqrt(d + 1)
    root = np.sqrt(sample)
    sigma = 1.0
    for _ in range(40):
        u = root * (forward(v[:d]) + v[d])
        w_next = np.concatenate([backward(root * u), [float((root * u).sum())]])
        sigma = float(np.linalg.norm(w_next))
        v = w_next / sigma if sigma else w_next
    step = 1.0 / (0.25 * sigma + l2)

    theta = np.zeros(d + 1)
    previous = theta.copy()
    for k in range(1, steps + 1):
        look = theta + (k - 1) / (k + 2) * (theta - previous)
        z = forward(look[:d]) + look[d]
        p = 1.0 / (1.0 + np.exp(-z))
        r = sample * (p - y)
        grad = np.concatenate([backward(r) + l2 * look[:d], [float(r.sum())]])
        previous = theta
        theta = look - step * grad
    weights = {f: float(theta[i]) for i, f in enumerate(vocabulary)}
    return Fitted(weights, float(theta[d]))


def prune(fitted: Fitted, keep: int = KEEP) -> Fitted:
    """The ``keep`` features of largest weight (ties by name), weights rounded to five decimals."""
    ranked = sorted(fitted.weights.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:keep]
    weights = {f: round(w, 5) for f, w in sorted(ranked) if round(w, 5) != 0.0}
    return Fitted(weights, round(fitted.intercept, 5))


def model_of(fitted: Fitted, error_at: float, warning_at: float) -> ScoreModel:
    return ScoreModel(dict(fitted.weights), fitted.intercept, error_at, warning_at)


def _auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return None
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def cross_validate(data: TrainingSet, error_at: float, warning_at: float, folds: int = FOLDS) -> dict[str, Any]:
    """The scorer alone, ``folds``-fold (post ``i`` in fold ``i % folds``): AUC, and at each threshold the
    positives it reaches and the negatives it flags."""
    scores = [0.0] * len(data.texts)
    for fold in range(folds):
        train = [i for i in range(len(data.texts)) if i % folds != fold]
        fitted = prune(fit([data.texts[i] for i in train], [data.labels[i] for i in train]))
        model = model_of(fitted, error_at, warning_at)
        for i in range(fold, len(data.texts), folds):
            scores[i] = model.probability(data.texts[i])
    auc = _auc(scores, data.labels)
    positives = sum(data.labels)
    figures: dict[str, Any] = {"folds": folds, "auc": None if auc is None else round(auc, 4)}
    for name, at in (("error_at", error_at), ("warning_at", warning_at)):
        hit = sum(1 for s, y in zip(scores, data.labels, strict=True) if y and s >= at)
        flagged = sum(1 for s, y in zip(scores, data.labels, strict=True) if not y and s >= at)
        figures[name] = {
            "recall": round(hit / positives, 4) if positives else None,
            "positives_reached": hit,
            "negatives_flagged": flagged,
        }
    return figures


def file_provenance(paths: Sequence[Path], posts: Sequence[LabelledPost]) -> list[dict[str, Any]]:
    from drafter.evaluation import corpus_files

    counts: dict[str, int] = {}
    for post in posts:
        name = post.source.rsplit(":", 1)[0]
        counts[name] = counts.get(name, 0) + 1
    return [
        {
            "file": path.as_posix(),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "posts": counts.get(str(path), 0),
        }
        for path in corpus_files(list(paths))
    ]


def model_document(
    data: TrainingSet, fitted: Fitted, error_at: float, warning_at: float, cv: dict[str, Any] | None
) -> dict[str, Any]:
    provenance: dict[str, Any] = {
        "trained_by": f"drafter guidelines train --family {data.family.name}",
        "method": f"logistic regression, L2 {L2}, {STEPS} steps of accelerated gradient descent, classes balanced",
        "features_in_posts": f">= {MIN_POSTS}",
        "kept": len(fitted.weights),
        "files": data.files,
        "posts": len(data.texts),
        "positives": sum(data.labels),
        "left_out": data.left_out,
        "label": f"{data.family.label} at error level",
    }
    if cv is not None:
        provenance["cross_validation"] = cv
    return {
        "format": 1,
        "features": FEATURES_VERSION,
        "family": data.family.name,
        "label": data.family.label,
        "intercept": fitted.intercept,
        "error_at": error_at,
        "warning_at": warning_at,
        "weights": fitted.weights,
        "provenance": provenance,
    }


HEADER = (
    '# A learned scorer (guidelines/README.md, "Learned scorer"), written by `drafter guidelines train`:\n'
    "# data, not to be edited by hand. Retrain instead.\n"
)


def dump(document: dict[str, Any]) -> str:
    import yaml

    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return HEADER + body


def train_file(
    paths: Sequence[Path],
    gs: GuidelineSet,
    family: Family,
    *,
    error_at: float,
    warning_at: float,
    cross_validation: bool = True,
) -> tuple[str, TrainingSet, dict[str, Any] | None]:
    """The model file's text for ``family`` trained on the corpus files ``paths``, the training set, and the
    cross-validation figures (None without)."""
    from drafter.evaluation import load_corpus

    posts = load_corpus(paths, gs)
    data = select(posts, gs, family)
    data.files = file_provenance(paths, posts)
    fitted = prune(fit(data.texts, data.labels))
    cv = cross_validate(data, error_at, warning_at) if cross_validation else None
    return dump(model_document(data, fitted, error_at, warning_at, cv)), data, cv
