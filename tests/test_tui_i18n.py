"""UI catalogues: same keys and placeholders in every language; locale default; fallbacks."""

from __future__ import annotations

import string

import pytest

from drafter import i18n


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    de, en = i18n.catalogue("de"), i18n.catalogue("en")
    assert set(de) == set(en)
    for key in de:
        assert _fields(de[key]) == _fields(en[key]), key


def test_every_binding_id_has_a_label() -> None:
    from textual.binding import Binding

    from drafter.tui.app import DrafterApp
    from drafter.tui.screens.compose import ComposeScreen
    from drafter.tui.screens.dialogs import ChannelsScreen, ExportScreen
    from drafter.tui.screens.help import HelpScreen
    from drafter.tui.screens.inbox import InboxScreen
    from drafter.tui.screens.settings import SettingsScreen

    for cls in (DrafterApp, InboxScreen, ComposeScreen, ExportScreen, ChannelsScreen, SettingsScreen, HelpScreen):
        for b in cls.BINDINGS:
            assert isinstance(b, Binding) and b.id, (cls, b)
            assert f"keys.{b.id}" in i18n.catalogue("de"), b.id


def test_t_formats_and_falls_back() -> None:
    assert i18n.t("inbox.briefs_count", "de", count=3) == "Briefings (3)"
    assert i18n.t("inbox.briefs_count", "en", count=3) == "Briefs (3)"
    assert i18n.t("no.such.key", "en") == "no.such.key"
    with pytest.raises(ValueError):
        i18n.t("inbox.briefs_title", "fr")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANGUAGE": "en:de", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "en_GB"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "de"),
        ({}, "de"),
    ],
)
def test_default_language_from_locale(env: dict[str, str], expected: str) -> None:
    assert i18n.default_language(env) == expected


def test_no_ui_literals_in_widgets() -> None:
    """Widget text comes from the catalogue: no German/English UI words as string literals in drafter/tui."""
    import ast
    from pathlib import Path

    root = Path(i18n.__file__).parent / "tui"
    suspicious = ("Entwurf", "Briefing", "Export", "Speichern", "Abbrechen", "Hinweis", "Settings", "Cancel")
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and any(word in node.value for word in suspicious)
                and not node.value.startswith(("#", "export"))
            ):
                offenders.append(f"{path.name}: {node.value!r}")
    # Binding descriptions are fallbacks replaced from the catalogue (keys.<id>); allow them.
    offenders = [o for o in offenders if "'Export'" not in o and "'Cancel'" not in o]
    assert not offenders, offenders
