"""An installed claimmark (a wheel, not the editable checkout) must hold every package.

setuptools is given an explicit package list; a folder added to core/ or gui/ but left out of
it works in the editable install the tests run from and is missing from a real install, where
``claimmark merge`` then fails with ModuleNotFoundError.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_package_is_listed_for_setuptools():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {"core": "claimmark.core", "gui": "claimmark.gui", "resources": "claimmark.resources"}
    found = set()
    for folder, package in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            if "__pycache__" not in parts:
                found.add(".".join((package, *parts)))
    assert {"claimmark.core.merge", "claimmark.core.adjudication"} <= found
    assert found - listed == set(), "packages missing from [tool.setuptools] packages"
