"""The headless core imports neither the TUI nor AI libraries — checked two ways.

1. A static walk over every module's imports (including imports inside functions), following
   drafter's own modules transitively. Every module is core unless it is one of the shells below, so
   a new module is held to the rule by default.
2. A run-time check: importing the core in a fresh interpreter leaves textual and langchain unloaded.
(import-linter was considered; this walk needs no list of module names to keep up to date.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "drafter"
FORBIDDEN = ("textual", "rich", "langchain", "langchain_core", "langchain_openai", "openai")
SHELL_PREFIXES = ("drafter.tui", "drafter.cli", "drafter.__main__", "drafter.ai")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str | None = None) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    name = name or module_name(path)
    package = name.rsplit(".", 1)[0] if path.name != "__init__.py" else name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def is_shell(name: str) -> bool:
    return name.startswith(SHELL_PREFIXES)


def test_core_never_reaches_a_forbidden_import() -> None:
    modules = all_modules()
    graph = {name: imports_of(path) for name, path in modules.items()}
    violations = []
    for start in sorted(n for n in modules if not is_shell(n)):
        seen = {start}
        stack = [(start, (start,))]
        while stack:
            current, trail = stack.pop()
            for imported in graph.get(current, ()):
                top = imported.split(".")[0]
                if top in FORBIDDEN:
                    violations.append(" -> ".join((*trail, imported)))
                elif imported in modules and imported not in seen:
                    if is_shell(imported):
                        violations.append(" -> ".join((*trail, imported)))
                        continue
                    seen.add(imported)
                    stack.append((imported, (*trail, imported)))
    assert not violations, "core modules reach shell/AI code:\n" + "\n".join(violations)


def test_the_walker_would_catch_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from textual.app import App\n    import langchain_openai\n")
    assert {"textual.app", "textual.app.App", "langchain_openai"} <= imports_of(bad, "drafter.bad")


def test_core_import_leaves_textual_and_langchain_unloaded() -> None:
    code = (
        "import sys\n"
        "import drafter.checker, drafter.guidelines, drafter.briefs, drafter.channels, drafter.store\n"
        "from drafter.guidelines import load_guidelines\n"
        "from drafter.checker import Checker\n"
        "Checker(load_guidelines()).check('Ich bin dabei #Werkstolz', 'x')\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_screen_modules_do_not_import_each_other_in_a_cycle() -> None:
    """A screen gets what it needs as arguments (the export dialog gets a DraftCheck, not the compose
    screen), so screen modules form no import cycle — also through imports inside functions."""
    modules = {n: p for n, p in all_modules().items() if n.startswith("drafter.tui.screens.")}
    graph = {name: {i for i in imports_of(path) if i in modules and i != name} for name, path in modules.items()}
    assert "drafter.tui.screens.compose" not in graph["drafter.tui.screens.dialogs"]
    cycles = []
    for start in sorted(graph):
        stack = [(start, (start,))]
        while stack:
            current, trail = stack.pop()
            for nxt in graph[current]:
                if nxt == start:
                    cycles.append(" -> ".join((*trail, nxt)))
                elif nxt not in trail:
                    stack.append((nxt, (*trail, nxt)))
    assert not cycles, "screen modules import each other:\n" + "\n".join(cycles)


def test_the_cycle_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    mod = tmp_path / "x.py"
    mod.write_text("def f():\n    from drafter.tui.screens.compose import ComposeScreen\n")
    assert "drafter.tui.screens.compose" in imports_of(mod, "drafter.tui.screens.x")


AI_HEAVY = ("langchain", "langchain_core", "langchain_openai", "openai", "httpx", "httpx2")


def test_ai_package_imports_langchain_and_openai_only_inside_functions() -> None:
    """``drafter.ai`` may use langchain/openai, but only inside functions, so importing any of its
    modules (the TUI does at start-up for the panel's types) loads none of them."""
    top_level = []
    for path in (PACKAGE / "ai").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            top_level += [f"{path.name}: {n}" for n in names if n.split(".")[0] in AI_HEAVY]
    assert not top_level, top_level


def test_importing_the_ai_package_loads_no_ai_library() -> None:
    code = (
        "import sys, pkgutil, importlib, drafter.ai\n"
        "for m in pkgutil.iter_modules(drafter.ai.__path__):\n"
        "    importlib.import_module('drafter.ai.' + m.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {AI_HEAVY!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
