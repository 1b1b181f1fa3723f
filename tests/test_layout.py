"""The package layout (issue 11): no loose modules, imports run downhill only, and only
store/ talks to SQLite."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "probation_diary"
PARTS = ("core", "formats", "store", "cli", "ui")
# What each part may import from the others.
ALLOWED = {
    "core": set(),
    "formats": {"core"},
    "store": {"core", "formats"},
    "cli": {"core", "formats", "store"},  # ui only inside launch_app (checked below)
    "ui": {"core", "formats", "store", "cli"},
}
SQLITE = ("sqlite3", "sqlcipher3", "sqlite_utils")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        yield path, rel, ast.parse(path.read_text(encoding="utf-8"))


def _imports(rel: Path, tree: ast.AST):
    """(imported module as 'probation_diary.x.y' or a top-level name, node, inside a function)."""
    package = ["probation_diary", *rel.parent.parts]
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    inside = {id(child) for f in functions for child in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node, id(node) in inside
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node, id(node) in inside
            for alias in node.names:  # "from .. import store" names a part too
                yield f"{target}.{alias.name}", node, id(node) in inside


def _part(module: str) -> str | None:
    bits = module.split(".")
    if bits[0] == "probation_diary" and len(bits) > 1 and bits[1] in PARTS:
        return bits[1]
    return None


def test_no_loose_modules():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert loose == []


def test_imports_run_downhill():
    wrong = []
    for path, rel, tree in _modules():
        here = rel.parts[0] if len(rel.parts) > 1 else None
        if here is None:
            continue
        for target, node, in_function in _imports(rel, tree):
            there = _part(target)
            if there is None or there == here:
                continue
            if here == "cli" and there == "ui" and in_function:
                continue  # launch_app and --self-test start the window
            if there not in ALLOWED[here]:
                wrong.append(f"{rel}:{node.lineno} {here} imports {there}")
    assert wrong == []


def test_only_store_imports_sqlite():
    wrong = []
    for path, rel, tree in _modules():
        if rel.parts[0] == "store":
            continue
        for target, node, _ in _imports(rel, tree):
            if target.split(".")[0] in SQLITE:
                wrong.append(f"{rel}:{node.lineno} imports {target}")
    assert wrong == []


def test_no_sql_outside_store():
    """Running SQL is opening the diary through a back door: only store/ does it."""
    wrong = []
    for path, rel, tree in _modules():
        if rel.parts[0] == "store":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript"):
                wrong.append(f"{rel}:{node.lineno} .{node.attr}(")
    assert wrong == []


def test_command_line_imports_no_qt_at_module_level():
    wrong = []
    for path, rel, tree in _modules():
        if rel.parts[0] == "ui" or (len(rel.parts) == 1):
            continue
        for target, node, in_function in _imports(rel, tree):
            if target.startswith(("PySide6", "shiboken6")) and not in_function:
                wrong.append(f"{rel}:{node.lineno} imports {target}")
    assert wrong == []
