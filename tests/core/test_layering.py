"""core is the application without a screen: it must never import Qt or the GUI."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import claimmark.core

FORBIDDEN = ("PySide6", "shiboken6", "claimmark.gui")


def _imports(path: Path):
    """Absolute module names imported by ``path``; a relative import leaving core is flagged."""
    depth = len(path.relative_to(CORE).parts) - 1
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level > depth + 1:
                yield f"claimmark.{node.module or ''} (relative import outside core)"
            elif node.level == 0:
                yield node.module or ""


CORE = Path(next(iter(claimmark.core.__path__)))


def test_core_never_imports_qt_or_gui():
    offenders = [
        f"{path.relative_to(CORE)} imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN) or "outside core" in name
    ]
    assert not offenders


def test_import_linter_contract_holds(tmp_path):
    """The same rule through import-linter's own contract in pyproject.toml.

    import-linter cannot follow setuptools' editable-install finder, so the source folders are
    laid out as the installed package (symlinks) and analysed there.
    """
    root = Path(__file__).resolve().parents[2]
    package = tmp_path / "claimmark"
    package.mkdir()
    for folder in ("core", "gui", "resources"):
        (package / folder).symlink_to(root / folder, target_is_directory=True)
    executable = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert executable, "import-linter is part of the test extra"
    result = subprocess.run(
        [executable, str(root / "pyproject.toml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
