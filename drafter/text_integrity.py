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

import regex

from drafter.findings import Finding, Severity
from drafter.i18n import t
from drafter.safe_text import HIDDEN

HIDDEN_RULE = "text.hidden-character"
MIXED_SCRIPT_RULE = "text.mixed-script"
CATEGORY = "integrity"
#: findings of each kind at most (a paste of thousands of hidden characters gives one list, not thousands)
MAX_FINDINGS = 20

# C0 controls except TAB, LF and CR (a CRLF file is fine), DEL, C1, and every hidden character
_HIDDEN = regex.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{HIDDEN}]+")
#: letters of scripts whose look-alikes of Latin letters are used for spoofing
_LOOKALIKE_SCRIPT = regex.compile(r"[\p{Cyrillic}\p{Greek}\p{Armenian}\p{Cherokee}]")
_LATIN = regex.compile(r"\p{Latin}")
_WORD = regex.compile(r"[\w\p{M}]+")


def integrity_findings(text: str, lang: str) -> list[Finding]:
    """Error findings for hidden characters and for words that mix Latin with look-alike scripts."""
    findings: list[Finding] = []
    hidden = _HIDDEN.search(text)
    while hidden is not None and len(findings) < MAX_FINDINGS:
        codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(hidden.group()))
        findings.append(
            Finding(
                HIDDEN_RULE,
                CATEGORY,
                Severity.ERROR,
                t("core.integrity.hidden", lang, codes=codes),
                hidden.start(),
                hidden.end(),
                ("",),
                why=t("core.integrity.why", lang),
            )
        )
        hidden = _HIDDEN.search(text, hidden.end())
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
