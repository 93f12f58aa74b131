"""One thing said once: a finding inside a more severe (or as severe and longer) finding of the same category is
left out (a new-user probe counted "mehr darf ich noch nicht verraten" as a leak error and, inside it, an
insider hint warning)."""

from __future__ import annotations

import itertools
import random

from drafter.findings import Finding, Severity, drop_shadowed

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def f(rule: str, severity: Severity, start: int, end: int, category: str = "confidentiality") -> Finding:
    return Finding(rule, category, severity, rule, start, end)


def shadowed_by_brute_force(findings: list[Finding]) -> list[Finding]:
    rank = {E: 0, W: 1, INFO: 2}

    def shadows(g: Finding, h: Finding) -> bool:
        if g is h or g.category != h.category or g.end <= g.start or h.end <= h.start:
            return False
        if not (g.start <= h.start and h.end <= g.end):
            return False
        return rank[g.severity] < rank[h.severity] or (
            rank[g.severity] == rank[h.severity] and (g.end - g.start) > (h.end - h.start)
        )

    return [h for h in findings if not any(shadows(g, h) for g in findings)]


def test_a_hint_inside_a_leak_is_left_out_and_other_findings_stay() -> None:
    leak = f("leak", E, 10, 40)
    hint = f("hint", W, 15, 40)
    other_category = f("disclosure", W, 15, 40, category="disclosure")
    overlapping = f("internal", E, 35, 60)  # overlaps, not inside: its own thing
    whole_post = f("voice", INFO, 0, 0)
    kept = drop_shadowed([whole_post, leak, hint, other_category, overlapping])
    assert kept == [whole_post, leak, other_category, overlapping]


def test_the_same_span_at_the_same_level_by_two_rules_stays_twice() -> None:
    a, b = f("a", E, 5, 9), f("b", E, 5, 9)
    assert drop_shadowed([a, b]) == [a, b]
    longer = f("c", E, 5, 12)
    assert drop_shadowed([a, longer, b]) == [longer]
    warning_same_span = f("d", W, 5, 9)
    assert drop_shadowed([warning_same_span, a]) == [a]


def test_it_keeps_exactly_what_the_definition_keeps_on_random_findings() -> None:
    rng = random.Random(7)
    for _ in range(400):
        findings = []
        for i in range(rng.randint(0, 9)):
            start = rng.randint(0, 12)
            end = start + rng.randint(0, 6)
            findings.append(f(f"r{i}", rng.choice((E, W, INFO)), start, end, rng.choice(("a", "b"))))
        assert drop_shadowed(findings) == shadowed_by_brute_force(findings), findings


def test_a_draft_check_says_a_leak_once() -> None:
    """The draft's check (what the editor, export, lint and the evaluation show) says it once; the checker itself
    still gives each rule's own findings (the rule tests and ``guidelines test`` look at those)."""
    from drafter.checker import Checker
    from drafter.drafting import check_draft
    from drafter.guidelines import load_guidelines

    checker = Checker(load_guidelines())
    text = "Mehr darf ich noch nicht verraten, aber es wird groß. #Werkstolz"
    raw = [(x.start, x.end, x.severity) for x in checker.check(text).findings if x.category == "confidentiality"]
    assert len(raw) == 2  # the leak and, inside it, the insider hint
    check = check_draft(checker, text, channels=["linkedin"])
    spans = [(x.start, x.end, x.severity) for x in check.findings if x.category == "confidentiality"]
    assert len(spans) == 1 and spans[0] in raw
    assert not any(a != b and a[0] <= b[0] and b[1] <= a[1] for a, b in itertools.permutations(spans, 2))
