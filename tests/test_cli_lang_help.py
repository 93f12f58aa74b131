"""`--lang` of lint and export: what it chooses, said in their help."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from drafter.cli import app


@pytest.mark.parametrize("command", ["lint", "export"])
def test_help_says_lang_chooses_only_the_guideline_messages(command: str) -> None:
    """New-user probe: `lint --lang de` prints half English ("error disclosure …", "length 76/3000"),
    which is by design: the help must say so."""
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("│", " ").split())
    assert "The CLI speaks English; --lang chooses the language of the guideline messages only." in text, text
    assert "Language of the guideline messages only" in text and "is English by design" in text, text
