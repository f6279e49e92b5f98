"""The package's floor plan: each layer imports only the layers below it, and no module imports itself back.

Layers, lowest first (README, "Layout"):
foundation (errors, config, cells, suggest, scale) < sources < states < core < store < app < report < web < cli.
Every import counts, also one inside a function: a lazy import hides a loop, it does not remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "coupwatch"
LAYERS = ("foundation", "sources", "states", "core", "store", "app", "report", "web", "cli")
FOUNDATION = {"coupwatch", "coupwatch.errors", "coupwatch.config", "coupwatch.cells", "coupwatch.suggest",
              "coupwatch.scale", "coupwatch.data"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    top = module.split(".")[1]
    assert top in LAYERS, f"{module} is in no layer: put it under one of {LAYERS[1:]} or add it to the foundation"
    return top


def imported_modules(path: Path, known: set[str]) -> Iterator[str]:
    """Package modules that `path` imports; `from a.b import c` names a.b.c when c is a module, else a.b."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("coupwatch"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coupwatch"):
            assert node.level == 0, f"{path}: relative import; the package uses absolute imports"
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                yield child if child in known else node.module


Graph = dict[str, set[str]]


def import_graph() -> Graph:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {module: set(imported_modules(path, set(paths))) - {module} for module, path in paths.items()}


def edges(graph: Graph) -> Iterator[tuple[str, str]]:
    return ((source, target) for source, targets in graph.items() for target in targets)


def loops(graph: Graph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan): each is at least one import loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_module_belongs_to_a_layer() -> None:
    for module in import_graph():
        layer(module)


def test_no_import_from_a_lower_layer_to_a_higher_one() -> None:
    upward = sorted(
        f"{source} ({layer(source)}) imports {target} ({layer(target)})"
        for source, target in edges(import_graph())
        if LAYERS.index(layer(target)) > LAYERS.index(layer(source))
    )
    assert not upward, "imports against the layering:\n" + "\n".join(upward)


def test_no_import_loop() -> None:
    # A package's __init__ may re-export its own submodules; that edge alone is not a loop.
    graph = {
        module: {target for target in targets if not target.startswith(module + ".")}
        for module, targets in import_graph().items()
    }
    groups = loops(graph)
    assert not groups, "modules that import each other:\n" + "\n".join(" <-> ".join(group) for group in groups)


def test_the_layering_test_sees_a_violation(tmp_path: Path) -> None:
    """The checker itself: an upward import in a scratch module and a loop are caught."""
    scratch = tmp_path / "probe.py"
    scratch.write_text("from coupwatch.web.app import create_app\n", encoding="utf-8")
    targets = set(imported_modules(scratch, {"coupwatch.web.app"}))
    assert targets == {"coupwatch.web.app"}
    assert LAYERS.index(layer("coupwatch.web.app")) > LAYERS.index(layer("coupwatch.core.features"))
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
