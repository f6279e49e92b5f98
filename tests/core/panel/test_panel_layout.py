"""The panel package's floor plan: every adder is documented, takes its data from the caller, and no
source-family module imports the package back."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from coupwatch.core import panel as pn

PANEL_PACKAGE = Path(pn.__file__).parent


def test_every_adder_is_documented_and_every_documented_adder_exists() -> None:
    assert list(pn.ADDERS) == list(pn.ADD_FUNCTIONS)
    assert all(pn.ADDERS[name] for name in pn.ADD_FUNCTIONS)
    assert set(pn.describe_columns()["added_by"]) == set(pn.ADD_FUNCTIONS)


def test_adders_read_only_the_data_they_are_given() -> None:
    for name, adder in pn.ADD_FUNCTIONS.items():
        data = inspect.signature(adder).parameters["data"]
        assert data.default is inspect.Parameter.empty, f"{name}: data must be passed, not defaulted"
    for skeleton in (pn.country_years, pn.country_months):
        assert inspect.signature(skeleton).parameters["data"].default is inspect.Parameter.empty


def test_no_module_of_the_panel_imports_the_package_back() -> None:
    for path in sorted(PANEL_PACKAGE.glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "coupwatch.core":
                assert "panel" not in {alias.name for alias in node.names}, path.name
            if isinstance(node, ast.ImportFrom) and node.module == "coupwatch.core.panel":
                raise AssertionError(f"{path.name} imports the package coupwatch.core.panel; import its module")
            if isinstance(node, ast.Import):
                assert "coupwatch.core.panel" not in {alias.name for alias in node.names}, path.name
