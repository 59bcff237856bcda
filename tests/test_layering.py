"""The domain never imports Qt: app/models and app/services stay usable from scripts and CLI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
DOMAIN = [APP / "models", APP / "services"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_source_never_imports_qt():
    offenders = [
        f"{p.relative_to(APP.parent)} imports {name}"
        for folder in DOMAIN
        for p in sorted(folder.rglob("*.py"))
        for name in _imports(p)
        if name.split(".")[0] in {"PySide6", "shiboken6", "app.ui", "app.gui"}
        or name.startswith(("app.ui", "app.gui"))
    ]
    assert offenders == []


def test_importing_every_domain_module_loads_no_qt():
    modules = [
        ".".join(p.relative_to(APP.parent).with_suffix("").parts)
        for folder in DOMAIN
        for p in sorted(folder.rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_layering_check_catches_a_qt_import(tmp_path):
    """The checker itself must be able to fail."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert "PySide6.QtCore" in _imports(bad)
