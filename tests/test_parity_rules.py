"""The parity guideline folder (benchmarks/parity/) expresses textlint-parity's three prh rules as drafter
substitution rules; on the shared seeded corpus it must find exactly what textlint + prh find (713)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from drafter.checker import Checker
from drafter.guideline_examples import run_examples
from drafter.guidelines import load_guidelines

REPO = Path(__file__).resolve().parents[1]
PARITY = REPO / "benchmarks" / "parity"
SHARED = REPO.parent / "shared" / "bench" / "textlint-parity"
TEXTLINT_PROBLEMS = 713  # textlint + textlint-rule-prh on `make_corpus.py 102400` (shared README)
CORPUS_BYTES = 102_680  # the size the shared README gives for that corpus


@pytest.fixture(scope="module")
def corpus() -> str:
    script = SHARED / "make_corpus.py"
    if not script.is_file():
        pytest.skip(f"{SHARED} is missing: the shared textlint-parity bench builds the corpus")
    proc = subprocess.run([sys.executable, str(script), "102400"], capture_output=True, check=True, timeout=60)
    assert len(proc.stdout) == CORPUS_BYTES, "the shared corpus generator changed"
    return proc.stdout.decode("utf-8")


def test_parity_rules_find_the_same_number_of_problems_as_textlint(corpus: str) -> None:
    result = Checker(load_guidelines(PARITY)).check(corpus, "corpus")
    assert len(result.findings) == TEXTLINT_PROBLEMS
    by_rule = Counter(f.rule for f in result.findings)
    assert set(by_rule) == {"parity.acme-cloud", "parity.linkedin", "parity.gratis"}


def test_parity_findings_offer_the_expected_spelling(corpus: str) -> None:
    expected = {"parity.acme-cloud": "Acme Cloud", "parity.linkedin": "LinkedIn", "parity.gratis": "kostenlos"}
    for finding in Checker(load_guidelines(PARITY)).check(corpus, "corpus").findings:
        matched = corpus[finding.start : finding.end]
        assert finding.replacements == (expected[finding.rule],)
        assert matched != expected[finding.rule]  # the right spelling is never flagged
        if finding.rule == "parity.acme-cloud":
            assert matched.casefold().replace(" ", "") == "acmecloud"
        elif finding.rule == "parity.linkedin":
            assert matched in ("Linkedin", "linkedin")
        else:
            assert matched == "gratis"


def test_the_right_spelling_in_the_corpus_is_not_flagged(corpus: str) -> None:
    result = Checker(load_guidelines(PARITY)).check(corpus, "corpus")
    flagged = {f.start for f in result.findings}
    right = [i for i in range(len(corpus)) if corpus.startswith("Acme Cloud", i)]
    assert right  # the corpus has the right spelling too, so this half of the rule is exercised
    assert not flagged.intersection(right)


def test_parity_folder_passes_its_examples() -> None:
    reports = run_examples(load_guidelines(PARITY))
    assert [r.rule for r in reports] == ["parity.acme-cloud", "parity.linkedin", "parity.gratis"]
    assert all(r.passed > 0 for r in reports)
    failures = [(r.rule, f.kind, f.text, f.problem) for r in reports for f in r.failures]
    assert failures == []
