"""Text that hides itself from the checks: invisible characters and words spelt with look-alike letters.

A zero-width space inside ``Voda\\u200bfone``, a soft hyphen inside an e-mail address or an IBAN, or a
Cyrillic ``о`` inside ``#LoveMagenta`` look right on screen but slip past every pattern, the brief-copy
check and the near-duplicate check. Rather than guess what such a text "means", the checker reports
them itself, always, as error-level findings (category ``integrity``), whatever the guideline files say:
such a post cannot be exported until they are gone. A hidden character is offered for removal with
F4; a mixed-script word has to be retyped. (The editor already drops hidden characters on every insert;
this catches files given to ``drafter lint``/``export`` and drafts stored before that.)

These are not brand rules — they protect the rules — so they live in code, with their messages in the
catalogues.
"""

from __future__ import annotations

import re

from drafter.findings import Finding, Severity
from drafter.i18n import t
from drafter.pattern_cache import compile_cached
from drafter.safe_text import HIDDEN

HIDDEN_RULE = "text.hidden-character"
MIXED_SCRIPT_RULE = "text.mixed-script"
CATEGORY = "integrity"
#: findings of each kind at most (a paste of thousands of hidden characters gives one list, not thousands)
MAX_FINDINGS = 20

# C0 controls except TAB, LF and CR (a CRLF file is fine), DEL, C1, and every hidden character. Plain
# ``re`` with explicit ranges: it runs on every keystroke, and is about ten times faster here than ``regex``
# with Unicode properties (25 µs instead of 390 µs on a 3,000-character post). Their large ranges take
# Python's compiler ~2 ms in all at every start: they come compiled from the pattern cache.
_HIDDEN_CLASS = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{HIDDEN}]"
_HIDDEN = compile_cached(_HIDDEN_CLASS)
_HIDDEN_RUN = compile_cached(_HIDDEN_CLASS + "+")
#: letters of scripts whose look-alikes of Latin letters are used for spoofing: Greek, Cyrillic, Armenian,
#: Cherokee (their blocks)
_LOOKALIKE_SCRIPT = compile_cached(
    "[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
    "\u0531-\u058f\ufb13-\ufb17\u13a0-\u13ff\uab70-\uabbf]"
)
#: either kind: most posts hold neither, and one scan tells (each kind's own scan costs as much)
_EITHER = compile_cached(_HIDDEN_CLASS[:-1] + _LOOKALIKE_SCRIPT.pattern[1:])
_LATIN = compile_cached("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff]")
_WORD = re.compile(r"[^\W_]+")
#: a zero-width joiner or variation selector between two letters or digits: fine in emoji sequences, but in
#: a word ("Magen\u200dta") it hides the word from the patterns and the near-copy check alike
_JOINERS = "\u200d\ufe0e\ufe0f"
_JOINER_IN_WORD = re.compile(rf"(?<=[^\W_])[{_JOINERS}]+(?=[^\W_])")


def integrity_findings(text: str, lang: str) -> list[Finding]:
    """Error findings for hidden characters and for words that mix Latin with look-alike scripts."""
    findings: list[Finding] = []
    if any(j in text for j in _JOINERS):  # rare: three substring searches tell
        for joined in _JOINER_IN_WORD.finditer(text):
            if len(findings) >= MAX_FINDINGS:
                break
            findings.append(_hidden_finding(joined.group(), joined.start(), joined.end(), lang))
    if _EITHER.search(text) is None:
        return findings
    first = _HIDDEN.search(text)
    hidden = None if first is None else _HIDDEN_RUN.match(text, first.start())
    while hidden is not None and len(findings) < MAX_FINDINGS:
        findings.append(_hidden_finding(hidden.group(), hidden.start(), hidden.end(), lang))
        more = _HIDDEN.search(text, hidden.end())
        hidden = None if more is None else _HIDDEN_RUN.match(text, more.start())
    if _LOOKALIKE_SCRIPT.search(text) is None:  # the common case: nothing to look at word by word
        return findings
    mixed = 0
    for word in _WORD.finditer(text):
        if mixed >= MAX_FINDINGS:
            break
        w = word.group()
        if _LATIN.search(w) and _LOOKALIKE_SCRIPT.search(w):
            mixed += 1
            findings.append(
                Finding(
                    MIXED_SCRIPT_RULE,
                    CATEGORY,
                    Severity.ERROR,
                    t("core.integrity.mixed_script", lang, word=w),
                    word.start(),
                    word.end(),
                    why=t("core.integrity.why", lang),
                )
            )
    return findings


def _hidden_finding(chars: str, start: int, end: int, lang: str) -> Finding:
    codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))
    return Finding(
        HIDDEN_RULE,
        CATEGORY,
        Severity.ERROR,
        t("core.integrity.hidden", lang, codes=codes),
        start,
        end,
        ("",),
        why=t("core.integrity.why", lang),
    )
