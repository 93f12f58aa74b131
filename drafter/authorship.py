"""Who wrote what: a per-character authorship record of a draft, its shares and the policy gate.

Every character of a draft carries an :class:`Origin`. The record stores them as runs
(``[(origin, length), …]``) and always has exactly as many characters as the text it describes.

Edits arrive as code-point ranges, the way an editor's undoable edit sees them:

* ``removed = record.replace(start, end, inserted, origin)`` in the edit's ``do()``,
* ``record.restore(start, start + len(inserted), removed)`` in its ``undo()``,
* ``record.replace(…)`` again with the same arguments on redo.

Inserted characters take the edit's origin, so typing inside an AI or brief span makes the typed
characters ``typed`` while the rest of the span keeps its origin. When the caller passes the text
being replaced, characters that the replacement leaves unchanged at either end keep their origin.

Text editors address positions as ``(row, column)``; :func:`offset_of` and :func:`location_of` convert.
Take the inserted text from the document after the edit (the text between the edit's top location
and its resulting end location), not the string handed to the editor: an editor may rewrite line
breaks (``\r\n`` → one break), which changes the length. Compute ``start``/``end`` from the lines
*before* the edit, and the end of the inserted text from the lines *after* it.

Serialisation (:meth:`AuthorshipRecord.to_dict`) is a compact run list plus the text length and a
short text fingerprint. :meth:`AuthorshipRecord.from_json` never fails on a record that does not fit
its text: it repairs it conservatively (see there) and says so in ``record.repaired``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from drafter import text_input
from drafter.authorship_policy import AuthorshipPolicy as AuthorshipPolicy  # its home before; still importable here
from drafter.errors import CorpusUnavailable
from drafter.findings import Finding, Severity
from drafter.i18n import format_percent, t

FORMAT_VERSION = 1


class Origin(StrEnum):
    TYPED = "typed"
    PASTED = "pasted"
    AI = "ai"
    BRIEF = "brief"
    #: pasted text the author declared as written by them elsewhere (a note, a mail to themselves);
    #: only ``pasted`` characters that match neither the brief, an AI suggestion nor a corpus post
    ATTESTED = "attested"


ORIGINS: tuple[Origin, ...] = (Origin.TYPED, Origin.PASTED, Origin.AI, Origin.BRIEF, Origin.ATTESTED)

Run = tuple[Origin, int]


@dataclass(frozen=True, slots=True)
class RemovedSpan:
    """The origins of the characters an edit removed, kept so that undo can put them back."""

    runs: tuple[Run, ...] = ()

    def __len__(self) -> int:
        return sum(n for _, n in self.runs)

    def origins(self) -> list[Origin]:
        return [origin for origin, n in self.runs for _ in range(n)]


def _append(runs: list[list[Any]], origin: Origin, n: int) -> None:
    """Append ``n`` characters of ``origin``, merging with the last run when it has the same origin."""
    if n <= 0:
        return
    if runs and runs[-1][0] is origin:
        runs[-1][1] += n
    else:
        runs.append([origin, n])


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class AuthorshipRecord:
    """Per-character origins of one text, as runs. ``len(record)`` is the text's length in code points."""

    __slots__ = ("_length", "_runs", "repaired")

    def __init__(self, runs: Iterable[tuple[Origin | str, int]] = ()) -> None:
        self._runs: list[list[Any]] = []
        for origin, n in runs:
            if n < 0:
                raise ValueError(f"run length must not be negative, got {n}")
            _append(self._runs, Origin(origin), int(n))
        self._length = sum(n for _, n in self._runs)
        self.repaired = False
        """True when :meth:`from_json` had to repair a record that did not fit its text."""

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def uniform(cls, length: int, origin: Origin = Origin.TYPED) -> AuthorshipRecord:
        """A record of ``length`` characters, all of one origin (e.g. a draft opened from a file)."""
        return cls([(origin, length)])

    @classmethod
    def from_origins(cls, origins: Iterable[Origin]) -> AuthorshipRecord:
        record = cls()
        for origin in origins:
            _append(record._runs, origin, 1)
            record._length += 1
        return record

    def copy(self) -> AuthorshipRecord:
        return AuthorshipRecord(self.runs)

    # -- inspection -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._length

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AuthorshipRecord) and self.runs == other.runs

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        body = ", ".join(f"{o.value}×{n}" for o, n in self.runs)
        return f"AuthorshipRecord([{body}])"

    @property
    def runs(self) -> tuple[Run, ...]:
        return tuple((o, n) for o, n in self._runs)

    def origins(self) -> list[Origin]:
        """One origin per character (for tests and small texts; the runs are the real storage)."""
        return [o for o, n in self._runs for _ in range(n)]

    def origin_at(self, offset: int) -> Origin:
        if not 0 <= offset < self._length:
            raise IndexError(f"offset {offset} outside a record of {self._length} characters")
        pos = 0
        for origin, n in self._runs:
            pos += n
            if offset < pos:
                return origin
        raise AssertionError("unreachable")

    def spans(self) -> Iterator[tuple[int, int, Origin]]:
        """``(start, end, origin)`` for each run, for colouring the text by origin."""
        pos = 0
        for origin, n in self._runs:
            yield pos, pos + n, origin
            pos += n

    def slice(self, start: int, end: int) -> RemovedSpan:
        """The runs covering ``[start, end)``."""
        self._check_range(start, end)
        out: list[list[Any]] = []
        pos = 0
        for origin, n in self._runs:
            lo, hi = max(pos, start), min(pos + n, end)
            if lo < hi:
                _append(out, origin, hi - lo)
            pos += n
            if pos >= end:
                break
        return RemovedSpan(tuple((o, n) for o, n in out))

    # -- edits ----------------------------------------------------------------------------------
    def _check_range(self, start: int, end: int) -> None:
        if not 0 <= start <= end <= self._length:
            raise ValueError(f"range [{start}, {end}) outside a record of {self._length} characters")

    def _splice(self, start: int, end: int, middle: Sequence[tuple[Origin, int]]) -> RemovedSpan:
        """Replace the runs of ``[start, end)`` by ``middle``; return the removed runs."""
        self._check_range(start, end)
        removed = self.slice(start, end)
        new: list[list[Any]] = []
        pos = 0
        inserted = False
        for origin, n in self._runs:
            run_end = pos + n
            if run_end <= start:  # wholly before
                _append(new, origin, n)
            else:
                if pos < start:  # head of a run cut by start
                    _append(new, origin, start - pos)
                if not inserted:
                    for o, m in middle:
                        _append(new, o, m)
                    inserted = True
                if run_end > end:  # tail of a run cut by end
                    _append(new, origin, run_end - max(pos, end))
            pos = run_end
        if not inserted:  # start == length
            for o, m in middle:
                _append(new, o, m)
        self._runs = new
        self._length = self._length - (end - start) + sum(m for _, m in middle)
        return removed

    def replace(
        self,
        start: int,
        end: int,
        inserted: str,
        origin: Origin,
        *,
        replaced_text: str | None = None,
    ) -> RemovedSpan:
        """Replace ``[start, end)`` by ``inserted`` written by ``origin``; return what was removed.

        With ``replaced_text`` (the text currently in ``[start, end)``), characters that the
        replacement leaves unchanged at its start and end keep their origin: re-inserting the same
        words does not change who wrote them. Undo with :meth:`restore`.
        """
        origin = Origin(origin)
        keep_head = keep_tail = 0
        if replaced_text is not None and replaced_text and inserted:
            if len(replaced_text) != end - start:
                raise ValueError(
                    f"replaced_text has {len(replaced_text)} characters but the range [{start}, {end}) "
                    f"has {end - start}"
                )
            limit = min(len(replaced_text), len(inserted))
            while keep_head < limit and replaced_text[keep_head] == inserted[keep_head]:
                keep_head += 1
            while keep_tail < limit - keep_head and replaced_text[-1 - keep_tail] == inserted[-1 - keep_tail]:
                keep_tail += 1
        self._check_range(start, end)
        removed = self.slice(start, end)
        middle_len = len(inserted) - keep_head - keep_tail
        self._splice(start + keep_head, end - keep_tail, [(origin, middle_len)])
        return removed

    def replace_with(self, start: int, end: int, origins: RemovedSpan) -> RemovedSpan:
        """Replace ``[start, end)`` by text whose origins are already known (text moved within the app by
        cut or copy and paste keeps who wrote it); return what was removed. Undo with :meth:`restore`."""
        return self._splice(start, end, origins.runs)

    def insert(self, offset: int, inserted: str, origin: Origin) -> RemovedSpan:
        return self.replace(offset, offset, inserted, origin)

    def delete(self, start: int, end: int) -> RemovedSpan:
        return self.replace(start, end, "", Origin.TYPED)

    def restore(self, start: int, end_of_inserted: int, removed: RemovedSpan) -> RemovedSpan:
        """Undo a :meth:`replace`: put ``removed`` back in place of ``[start, end_of_inserted)``."""
        return self._splice(start, end_of_inserted, removed.runs)

    def attest(self, start: int, end: int) -> RemovedSpan:
        """Mark the ``pasted`` characters of ``[start, end)`` as ``attested`` (the author wrote them
        elsewhere); other origins stay as they are. Returns the runs replaced:
        ``record.replace_with(start, end, removed)`` undoes it. Decide first with
        :func:`paste_spans` which pastes may be attested."""
        removed = self.slice(start, end)
        self._splice(start, end, [(Origin.ATTESTED if o is Origin.PASTED else o, n) for o, n in removed.runs])
        return removed

    def fit(self, length: int, origin: Origin = Origin.PASTED) -> bool:
        """Force the record to ``length`` characters (trim the end, or pad with ``origin``).

        A last resort when an editor changed its text without reporting the edit. Returns whether
        anything changed.
        """
        if length == self._length:
            return False
        if length < self._length:
            self._splice(length, self._length, [])
        else:
            self._splice(self._length, self._length, [(origin, length - self._length)])
        return True

    # -- serialisation --------------------------------------------------------------------------
    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """``{"v": 1, "length": N, "runs": [["typed", 12], ["ai", 40]], "text_sha": …}``.

        ``text_sha`` (a fingerprint of the text, when given) lets :meth:`from_json` notice a record
        that belongs to another text of the same length.
        """
        out: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "length": self._length,
            "runs": [[o.value, n] for o, n in self._runs],
        }
        if text is not None:
            if len(text) != self._length:
                raise ValueError(f"record has {self._length} characters but the text has {len(text)}")
            out["text_sha"] = _fingerprint(text)
        return out

    def to_json(self, text: str | None = None) -> str:
        return json.dumps(self.to_dict(text), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(
        cls,
        data: str | Mapping[str, Any] | None,
        text: str,
        *,
        previous_text: str | None = None,
    ) -> AuthorshipRecord:
        """Load a record for ``text``; never raises, never touches the text.

        A record that is missing, unreadable, or does not fit ``text`` (other length, or another
        fingerprint) is repaired conservatively and flagged ``repaired``:

        * with ``previous_text`` (the text the record was saved with), characters the two texts
          share keep their origin and the rest become ``pasted``;
        * otherwise every character becomes ``pasted``.

        ``pasted`` means "came from outside this editor": the app cannot vouch for characters it
        did not see being written, so they never count as the ambassador's own (unless the policy
        says pasted text does) and never hide AI text behind ``typed``. A record that is simply
        absent (a draft created before records existed) is also all ``pasted``.
        """
        record: AuthorshipRecord | None = None
        sha: str | None = None
        try:
            payload: Any = json.loads(data) if isinstance(data, str) else data
            if isinstance(payload, Mapping):
                runs_raw = payload.get("runs")
                if isinstance(runs_raw, list):
                    runs = []
                    for item in runs_raw:
                        origin_raw, n = item
                        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                            raise ValueError("bad run length")
                        runs.append((Origin(origin_raw), n))
                    record = cls(runs)
                    sha_raw = payload.get("text_sha")
                    sha = sha_raw if isinstance(sha_raw, str) else None
        except (ValueError, TypeError):
            record = None
        if record is not None and len(record) == len(text) and (sha is None or sha == _fingerprint(text)):
            return record
        if record is not None and previous_text is not None and len(previous_text) == len(record):
            repaired = record.reconcile(previous_text, text)
        else:
            repaired = cls.uniform(len(text), Origin.PASTED)
        repaired.repaired = True
        return repaired

    def reconcile(self, old_text: str, new_text: str, origin: Origin = Origin.PASTED) -> AuthorshipRecord:
        """A record for ``new_text`` derived from this record of ``old_text`` by a character diff.

        Characters kept from ``old_text`` keep their origin; inserted or changed ones get ``origin``.
        Use when an editor replaced its whole text without reporting edits (e.g. loading a file).
        """
        from rapidfuzz.distance import Indel

        if len(old_text) != self._length:
            raise ValueError(f"record has {self._length} characters but old_text has {len(old_text)}")
        old = self.origins()
        out: list[list[Any]] = []
        for op in Indel.opcodes(old_text, new_text):
            if op.tag == "equal":
                for o in old[op.src_start : op.src_end]:
                    _append(out, o, 1)
            elif op.tag in ("insert", "replace"):
                _append(out, origin, op.dest_end - op.dest_start)
        return AuthorshipRecord((o, n) for o, n in out)


# -- (row, column) <-> offset ------------------------------------------------------------------------


def _lines(text_or_lines: str | Sequence[str]) -> Sequence[str]:
    if isinstance(text_or_lines, str):
        return text_or_lines.split("\n")
    return text_or_lines


def offset_of(text_or_lines: str | Sequence[str], location: tuple[int, int], *, newline: str = "\n") -> int:
    """The code-point offset of an editor ``(row, column)`` location.

    ``text_or_lines`` is the text (split on ``\\n``) or its lines without line endings; ``newline``
    is the separator the text joins its lines with (``"\\r\\n"`` for a CRLF document). Locations
    past the end of a line or of the text are clamped, as editors do.
    """
    lines = _lines(text_or_lines)
    row, col = location
    if row < 0 or col < 0:
        raise ValueError(f"location {location} is negative")
    if not lines:
        return 0
    if row >= len(lines):
        row, col = len(lines) - 1, len(lines[-1])
    step = len(newline)
    offset = sum(len(line) + step for line in lines[:row])
    return offset + min(col, len(lines[row]))


def location_of(text_or_lines: str | Sequence[str], offset: int, *, newline: str = "\n") -> tuple[int, int]:
    """The ``(row, column)`` of a code-point offset (the inverse of :func:`offset_of`)."""
    lines = _lines(text_or_lines)
    if offset < 0:
        raise ValueError(f"offset {offset} is negative")
    step = len(newline)
    pos = 0
    for row, line in enumerate(lines):
        if offset <= pos + len(line):
            return row, offset - pos
        pos += len(line) + step
    last = len(lines) - 1
    return (max(last, 0), len(lines[last]) if lines else 0)


# -- paste classification ---------------------------------------------------------------------------

PASTE_MATCH_THRESHOLD = 90.0
"""rapidfuzz score (0–100) from which a paste counts as a near-verbatim copy of a suggestion or brief.

``ratio`` is 100 × (1 − normalised Indel distance): 90 allows roughly one changed character in ten
(a fixed typo, a swapped word or two, other quotes), while two independent texts about the same
subject score far lower (typically 40–65; see tests/test_authorship.py).
"""
PASTE_MIN_PARTIAL_CHARS = 20
"""A paste shorter than this (normalised) counts only when it matches a whole suggestion/brief text:
short phrases ("das neue Netz") occur in many texts and prove nothing."""

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "«": '"', "»": '"'})


def normalize_for_match(text: str) -> str:
    """NFKC, case-folded, typographic quotes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _WS.sub(" ", text).strip()


def paste_match_score(pasted: str, source: str) -> float:
    """How near-verbatim ``pasted`` is to ``source`` or to a passage of it (0–100)."""
    from rapidfuzz import fuzz

    p, s = normalize_for_match(pasted), normalize_for_match(source)
    if not p or not s:
        return 0.0
    score = fuzz.ratio(p, s)
    if len(p) >= PASTE_MIN_PARTIAL_CHARS and len(p) <= len(s):
        score = max(score, fuzz.partial_ratio(p, s))
    return float(score)


def classify_paste(pasted: str, *, suggestions: Iterable[str], brief_texts: Iterable[str]) -> Origin:
    """``ai`` or ``brief`` when the paste near-verbatim copies a suggestion or the brief, else ``pasted``.

    A paste counts as a copy when its normalised text scores at least :data:`PASTE_MATCH_THRESHOLD`
    against the whole source, or — when it has at least :data:`PASTE_MIN_PARTIAL_CHARS` characters —
    against the best-matching passage of a longer source. The better-matching kind wins; a tie goes
    to ``ai``.
    """
    best: tuple[float, Origin] = (0.0, Origin.PASTED)
    for origin, sources in ((Origin.AI, suggestions), (Origin.BRIEF, brief_texts)):
        for source in sources:
            score = paste_match_score(pasted, source)
            if score >= PASTE_MATCH_THRESHOLD and score > best[0]:
                best = (score, origin)
    return best[1]


# -- attesting pastes ------------------------------------------------------------------------------
#: why a paste may not be attested: it copies the brief, a shown AI suggestion, or a post of the corpus
AttestRefusal = Literal["brief", "ai", "corpus", "unchecked"]


#: a paste whose word 5-grams come from the brief at this share or more is brief text, not own words
ATTEST_MAX_BRIEF_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class PasteSpan:
    """A run of ``pasted`` characters; ``refusal`` says why it may not be attested (None: it may)."""

    start: int
    end: int
    refusal: AttestRefusal | None = None


def paste_spans(
    text: str,
    record: AuthorshipRecord,
    *,
    brief_texts: Iterable[str] = (),
    suggestions: Iterable[str] = (),
    corpus: Any = None,
    corpus_threshold: float = 0.6,
) -> list[PasteSpan]:
    """Every ``pasted`` run of ``text`` (blank ones left out), with the reason it may not be attested:
    a near-verbatim copy of the brief or of an AI suggestion (:func:`classify_paste`), or a text that
    resembles a post of ``corpus`` (a :class:`~drafter.originality.PostIndex`), or one of its paragraphs,
    at ``corpus_threshold`` or more. Only pastes of unknown origin may become ``attested``."""
    if len(text) != len(record):
        raise ValueError(f"record has {len(record)} characters but the text has {len(text)}")
    briefs, shown = list(brief_texts), list(suggestions)
    out: list[PasteSpan] = []
    for start, end, origin in record.spans():
        chunk = text[start:end]
        if origin is not Origin.PASTED or not chunk.strip():
            continue
        refusal: AttestRefusal | None = None
        kind = classify_paste(chunk, suggestions=shown, brief_texts=briefs)
        if kind is Origin.BRIEF or (briefs and brief_ngram_share(chunk, briefs) >= ATTEST_MAX_BRIEF_SHARE):
            refusal = "brief"  # also several key messages stitched together, each verbatim
        elif kind is Origin.AI:
            refusal = "ai"
        elif corpus is not None:
            try:
                if _resembles_corpus(chunk, corpus, corpus_threshold):
                    refusal = "corpus"
            except CorpusUnavailable:  # a damaged store: whether it copies a post cannot be told
                refusal = "unchecked"
        out.append(PasteSpan(start, end, refusal))
    return _judged_together(text, out, corpus, corpus_threshold)


def _judged_together(text: str, spans: list[PasteSpan], corpus: Any, threshold: float) -> list[PasteSpan]:
    """The pastes not refused on their own, judged together too: a colleague's post pasted a paragraph at a
    time, each too short to be compared on its own, was attested whole (hostile probe). When what they say
    together resembles a post of someone else, none of them may be attested."""
    open_spans = [s for s in spans if s.refusal is None]
    if corpus is None or len(open_spans) < 2:
        return spans
    joined = "\n\n".join(text[s.start : s.end].strip() for s in open_spans)
    try:
        if not _resembles_corpus(joined, corpus, threshold):
            return spans
        refusal: AttestRefusal = "corpus"
    except CorpusUnavailable:
        refusal = "unchecked"
    return [replace(s, refusal=refusal) if s.refusal is None else s for s in spans]


def _resembles_corpus(chunk: str, corpus: Any, threshold: float) -> bool:
    """Whether a paste resembles a corpus post as a whole, or in one of its paragraphs (a colleague's
    paragraph pasted alone resembles the colleague's whole post too little). The author's own exports do
    not count: their words are the author's, as the near-copy check treats them (a new-user probe pasted a
    paragraph of her own export, was told to mark it as hers with Ctrl+O, and Ctrl+O refused it as a
    corpus post); a whole exported post pasted again is still an error of that check (a repost)."""
    from drafter.originality import is_own_source, query_passages, query_past_own

    hits = [hit for hit in query_past_own(corpus, chunk, 1, threshold) if not is_own_source(hit.source)]
    if hits and hits[0].similarity >= threshold:
        return True
    return any(
        m.post.similarity >= threshold and not is_own_source(m.post.source) for m in query_passages(corpus, chunk)
    )


# -- shares and policy -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuthorshipSummary:
    """Non-space characters per origin."""

    counts: Mapping[Origin, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, origin: Origin) -> int:
        return self.counts.get(origin, 0)

    def share(self, origin: Origin) -> float:
        total = self.total
        return self.count(origin) / total if total else 0.0

    @property
    def shares(self) -> dict[Origin, float]:
        return {o: self.share(o) for o in ORIGINS}

    def own_count(self, policy: AuthorshipPolicy | None = None) -> int:
        """Typed characters, attested ones (unless the policy says otherwise) and pasted ones (only where
        the policy counts pastes as own)."""
        own = self.count(Origin.TYPED)
        if policy is None or policy.attested_counts_as_own:
            own += self.count(Origin.ATTESTED)
        if policy is not None and policy.paste_counts_as_own:
            own += self.count(Origin.PASTED)
        return own

    def own_share(self, policy: AuthorshipPolicy | None = None) -> float:
        total = self.total
        return self.own_count(policy) / total if total else 0.0

    def to_dict(self, policy: AuthorshipPolicy | None = None) -> dict[str, Any]:
        """For exports: counts and shares per origin, the own share and the policy applied."""
        out: dict[str, Any] = {
            "counted": "non-space characters",
            "total": self.total,
            "counts": {o.value: self.count(o) for o in ORIGINS},
            "shares": {o.value: round(self.share(o), 4) for o in ORIGINS},
            # pasted text the author declared their own, listed apart (it is not typed in this app)
            "attested": {"count": self.count(Origin.ATTESTED), "share": round(self.share(Origin.ATTESTED), 4)},
        }
        if policy is not None:
            out["own_share"] = round(self.own_share(policy), 4)
            out["policy"] = policy.model_dump()
            out["meets_policy"] = not evaluate(self, policy)
        return out

    def one_line(self, lang: str = "de") -> str:
        """``Urheberschaft: 82 % selbst, 10 % eingefügt, 8 % KI, 0 % Briefing`` (labels from the
        catalogue, the same words and the same rounding down as the workspace's authorship panel: the export
        said 20 % where the panel had said 19 %, a new-user probe)."""
        shown = [o for o in ORIGINS if o is not Origin.ATTESTED or self.count(o)]  # attested only when used
        parts = [f"{_floor_pct(self.share(o), lang)} {t(f'authorship.{o.value}', _lang(lang))}" for o in shown]
        return f"{t('authorship.title', _lang(lang))}: " + ", ".join(parts)


def _lang(lang: str) -> str:
    return "de" if lang == "de" else "en"


def _pct(value: float, lang: str) -> str:
    return format_percent(value, _lang(lang))


def _floor_pct(share: float, lang: str) -> str:
    """``share`` as a percentage rounded down to a whole percent (69.6 % is not yet 70 %)."""
    return _pct(math.floor(share * 100 + 1e-9) / 100, lang)


def shares(text: str, record: AuthorshipRecord) -> AuthorshipSummary:
    """Count the non-space characters of ``text`` per origin."""
    if len(text) != len(record):
        raise ValueError(f"record has {len(record)} characters but the text has {len(text)}")
    counts: Counter[Origin] = Counter()
    for start, end, origin in record.spans():
        chunk = text[start:end]
        counts[origin] += len(chunk) - sum(1 for ch in chunk if ch.isspace())
    return AuthorshipSummary({o: counts.get(o, 0) for o in ORIGINS})


def evaluate(
    summary: AuthorshipSummary,
    policy: AuthorshipPolicy,
    lang: str = "de",
    record: AuthorshipRecord | None = None,
) -> list[Finding]:
    """Error findings (category ``authorship``) for each policy limit the draft violates.

    A finding says which kind of text is short of the policy and what the author can do (rephrase
    text from the brief, attest their own pastes, cut AI text). With ``record`` it sits on the first
    span concerned, so "next finding" jumps there; without, at offset 0 with an empty range. An empty
    draft violates nothing.
    """
    if summary.total == 0:
        return []
    key = _lang(lang)
    findings: list[Finding] = []
    own = summary.own_share(policy)
    ai = summary.share(Origin.AI)
    if own < policy.min_own_share:
        hints = []
        concerned: list[Origin] = []
        # the shares rounded down, as the side panel shows them (it said "eingefügt 60 %" beside "61 % sind
        # eingefügt": a new-user probe)
        if summary.count(Origin.PASTED) and not policy.paste_counts_as_own:
            hints.append(t("core.authorship.hint_pasted", key, pasted=_floor_pct(summary.share(Origin.PASTED), key)))
            concerned.append(Origin.PASTED)
        if summary.count(Origin.BRIEF):
            hints.append(t("core.authorship.hint_brief", key, brief=_floor_pct(summary.share(Origin.BRIEF), key)))
            concerned.append(Origin.BRIEF)
        if summary.count(Origin.AI):
            hints.append(t("core.authorship.hint_ai", key, ai=_floor_pct(ai, key)))
            concerned.append(Origin.AI)
        if summary.count(Origin.ATTESTED) and not policy.attested_counts_as_own:
            concerned.append(Origin.ATTESTED)
        # rounded down (and the AI share below up): "Nur 70 %; verlangt sind mindestens 70 %" read as a
        # contradiction for 69.6 % (new-user probe)
        message = t("core.authorship.min_own", key, own=_floor_pct(own, key), limit=_pct(policy.min_own_share, key))
        # the hints say what to rewrite; without one, the general advice (both said it twice: a new-user probe)
        advice = hints or [t("core.authorship.min_own_advice", key)]
        findings.append(_policy_finding("min_own_share", " ".join([message, *advice]), key, record, concerned))
    if ai > policy.max_ai_share:
        shown = math.ceil(ai * 100 - 1e-9) / 100
        message = t("core.authorship.max_ai", key, ai=_pct(shown, key), limit=_pct(policy.max_ai_share, key))
        findings.append(_policy_finding("max_ai_share", message, key, record, [Origin.AI]))
    return findings


def _policy_finding(
    rule: str, message: str, lang: str, record: AuthorshipRecord | None, concerned: Sequence[Origin]
) -> Finding:
    start = end = 0
    if record is not None and concerned:
        first = next(((s, e) for s, e, o in record.spans() if o in concerned), None)
        if first is not None:
            start, end = first
    return Finding(
        rule=f"authorship.{rule}",
        category="authorship",
        severity=Severity.ERROR,
        message=message,
        start=start,
        end=end,
        why=t("core.authorship.why", lang),
    )


# -- overlap with the brief ------------------------------------------------------------------------

words = text_input.words  # one word splitting for authorship and originality


def brief_ngram_share(text: str, brief_texts: Iterable[str], n: int = 5) -> float:
    """The share of the draft's word ``n``-grams that also occur in the brief (0.0–1.0).

    Case and punctuation are ignored. Every n-gram position of the draft counts once; a draft with
    fewer than ``n`` words has no n-grams and a share of 0.0.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    draft = words(text)
    if len(draft) < n:
        return 0.0
    brief_grams: set[tuple[str, ...]] = set()
    for brief in brief_texts:
        w = words(brief)
        brief_grams.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    grams = [tuple(draft[i : i + n]) for i in range(len(draft) - n + 1)]
    return sum(1 for g in grams if g in brief_grams) / len(grams)
