"""Issue 9 item 3: the CLI never writes escape sequences, and its JSON is valid and round-trips.

Hostile strings (ESC, BEL, C1 CSI U+009B, bidi overrides and isolates, OSC 52 clipboard writes, OSC 8
hyperlinks) go into every field of a brief, a corpus post, a guideline message and a file name; every
command that shows them must print them as visible escapes (text) or ``\\uXXXX`` (JSON).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from drafter.cli import app
from drafter.cli.output import json_text
from drafter.safe_text import is_safe
from drafter.text_input import first_control

runner = CliRunner()

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
OSC8 = "\x1b]8;;http://evil\x1b\\"
PIECES = ["\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2069", "\x7f", "\x85", OSC52, OSC8, "[31m", "ä", "ß", "x"]
# BMP only and no braces (guideline messages are format strings; YAML escapes cannot pair surrogates)
PLAIN = st.text(
    alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",), exclude_characters="{}\n\r"),
    max_size=4,
)
HOSTILE = st.lists(st.one_of(st.sampled_from(PIECES), PLAIN), min_size=1, max_size=8).map("".join)
FILE_SAFE = HOSTILE.map(lambda s: s.replace("/", "_").replace("\x00", "_")[:40])

EVIL = f"Invoice \u202efdp.exe {OSC52}{OSC8}\x9b31m\x07"
POST_WORDS = "Ein Beitrag über den Netzausbau in unserer Stadt mit genug Wörtern für den Vergleich"
CLEAN = "Seit drei Jahren arbeite ich im Netzausbau in Köln und bin jeden Tag stolz auf unser Team. #Werkstolz"
OTHER = "Heute war ich beim Glasfaserausbau in Bonn dabei und habe viel über den Tiefbau gelernt. #Werkstolz"


def assert_safe(result: Result, code: int | tuple[int, ...]) -> None:
    codes = code if isinstance(code, tuple) else (code,)
    assert result.exit_code in codes, (result.exit_code, result.stdout, result.stderr)
    for stream in (result.stdout, result.stderr):
        assert is_safe(stream), repr(stream)
        assert not any(c in stream for c in "\x1b\x07\x9b\u202e\u2066"), repr(stream)


def run(home: Path, *args: str, code: int | tuple[int, ...] = 0, stdin: str | None = None) -> Result:
    result = runner.invoke(app, list(args), input=stdin, env={"DRAFTER_HOME": str(home)})
    assert_safe(result, code)
    return result


def run_json(home: Path, *args: str, code: int | tuple[int, ...] = 0) -> Any:
    return json.loads(run(home, *args, "--format", "json", code=code).stdout)


def guideline_folder(root: Path, message: str) -> Path:
    """The bundled set plus one warning rule whose message is ``message``."""
    folder = root / "guidelines"
    (folder / "rules").mkdir(parents=True)
    (folder / "guidelines.yaml").write_text('name: evil\nversion: "1"\nextends: default\n', encoding="utf-8")
    rule = {
        "id": "evil.message",
        "type": "existence",
        "level": "warning",
        "category": "term",
        "tokens": ["Beitrag"],
        "message": message,
    }
    # JSON is YAML: every control character is written as a \\u escape, so the file itself is plain text
    (folder / "rules" / "evil.yaml").write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    return folder


def exercise(root: Path, s: str, name: str) -> None:
    home = root / "home"
    guidelines = guideline_folder(root, s)
    files = root / f"f{name}"
    files.mkdir()

    # -- a brief with the string in every field, in a file whose name carries it too --------------------
    brief = {
        "id": "evil-brief",
        "title": f"T{s}",
        "business_unit": f"B{s}",
        "goal": "Werkstolz",
        "key_messages": [f"K{s}"],
        "text": f"Body{s}\n{s}",
        "contact": f"C{s}",
        "links": [f"https://example.com/{s}"],
        "hashtags": [f"#H{s}"],
        f"k{s}k": f"v{s}v",  # inside, so that no stripping of the ends (U+0085 is white space) blurs it
    }
    brief_file = files / f"b{name}.json"
    brief_file.write_text(json.dumps(brief), encoding="utf-8")
    run(home, "briefs", "check", str(brief_file))
    run(home, "briefs", "import", str(brief_file))
    run(home, "briefs", "list")
    assert "evil-brief" in {b["id"] for b in run_json(home, "briefs", "list")}
    run(home, "briefs", "show", "evil-brief")
    shown = run_json(home, "briefs", "show", "evil-brief")
    assert shown["metadata"] == {f"k{s}k": f"v{s}v"}  # unknown fields are kept as they are: round trip
    inbox = root / f"i{name}"
    inbox.mkdir()
    (inbox / brief_file.name).write_bytes(brief_file.read_bytes())
    run(home, "briefs", "inbox", "--folder", str(inbox))
    broken = files / f"x{name}.yaml"
    broken.write_text(json.dumps({"title": f"T{s}", "business_unit": "B", "goal": f"nix{s}"}), encoding="utf-8")
    run(home, "briefs", "check", str(broken), code=2)

    # -- a corpus post -----------------------------------------------------------------------------------
    post = f"{POST_WORDS} {s} Ende"
    post_file = files / f"p{name}.json"
    if first_control(post) is not None:  # refused, as a text file holding one is: said safely
        post_file.write_text(json.dumps({"text": post}), encoding="utf-8")
        run(home, "corpus", "import", str(post_file), code=2)
        post = "".join(ch for ch in post if first_control(ch) is None)
    post_file.write_text(json.dumps({"text": post}), encoding="utf-8")
    run(home, "corpus", "import", str(post_file))
    run(home, "corpus", "list")
    assert post in [p["text"] for p in run_json(home, "corpus", "list")]
    run(home, "originality", "check", str(post_file))
    similar = run_json(home, "originality", "check", str(post_file))["similar"]
    assert similar and similar[0]["source"] == str(post_file)

    # -- lint: the post (an originality error quoting it) with the guideline message, named by s --------
    draft = files / f"d{name}.txt"
    draft.write_text(post, encoding="utf-8")
    lint = ["lint", str(draft), "-c", "linkedin", "--guidelines", str(guidelines)]
    if "\x00" in post:  # a NUL byte makes it a binary file, not a post: refused (exit 2), still shown safely
        run(home, *lint, code=2)
        return
    run(home, *lint, code=1)
    (checked,) = run_json(home, *lint, code=1)
    assert checked["input"] == str(draft)
    assert s in [f["message"] for f in checked["findings"] if f["rule"] == "evil.message"]
    assert any(f["rule"] == "originality.corpus" for f in checked["findings"])

    # -- export: a clean draft, the warning's message and the folder named by s ---------------------------
    out = root / f"o{name}"
    export = ["export", "-", "-c", "linkedin", "--guidelines", str(guidelines), "--out", str(out)]
    refused = run(home, *export, code=1, stdin=f"{CLEAN} Beitrag")  # warnings need --accept-warnings
    assert "evil.message" in refused.stdout
    run(home, *export, "--accept-warnings", stdin=f"{CLEAN} Beitrag.")
    done = json.loads(run(home, *export, "--accept-warnings", "--format", "json", stdin=f"{OTHER} Ein Beitrag").stdout)
    assert done["exported"] is True and Path(done["files"]["json"]).parent == out
    assert s in [f["message"] for f in done["document"]["findings"]]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=HOSTILE, name=FILE_SAFE)
def test_hostile_strings_never_reach_the_terminal_raw(s: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        exercise(Path(tmp), s, name)


def test_the_named_attacks() -> None:
    """The cases from the issue, without randomness: "Invoice ‮fdp.exe", OSC 52, OSC 8, C1 CSI."""
    with tempfile.TemporaryDirectory() as tmp:
        exercise(Path(tmp), EVIL, EVIL.replace("/", "_"))


@pytest.mark.parametrize("value", [EVIL, "Grüße\u2028Zeile\u2029", "tab\tnew\nline", "\x00\x7f\x80\x9f", "ascii\x7f"])
def test_json_text_escapes_c1_bidi_and_round_trips(value: str) -> None:
    text = json_text({"k" + value: [value]})
    assert is_safe(text) and "\u202e" not in text and "\x9b" not in text and "\u2028" not in text
    assert json.loads(text) == {"k" + value: [value]}
    assert "Grüße" in json_text("Grüße")  # umlauts stay readable


def test_errors_on_stderr_are_made_visible(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path / f"{EVIL}.txt"), "-c", "x"])
    assert_safe(result, 2)
    assert "\\u202efdp.exe" in result.stderr and "no such file" in result.stderr


def test_main_turns_an_unhandled_user_error_into_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from drafter import cli
    from drafter.errors import UserError

    def refuse(files: list[str]) -> list[tuple[str, str]]:
        raise UserError(f"bad input {EVIL}")

    monkeypatch.setattr(cli.lint, "read_drafts", refuse)
    monkeypatch.setattr(sys, "argv", ["drafter", "lint", "-", "-c", "x"])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter: bad input Invoice \\u202efdp.exe") and is_safe(err)
