"""How the package's modules stack: import layers, and imports that run against the data flow.

Run from the repository root: ``python tools/import_layers.py [decision]``. It reads every
module with :mod:`ast` (nothing is imported or run), counts every import of a module of the
package, those inside functions included and those under ``if TYPE_CHECKING:`` left out, and
prints:

- each top-level unit (a module at the package root, or a subpackage taken whole) with its
  layer: the deepest layer of its modules, a module's layer being one more than the deepest
  module it imports (so layer 1 imports nothing of the package);
- the number of layers, and any import cycle between units;
- imports that run upwards against :data:`STAGES` (specs, files, core, load, uncertainty,
  analyses, study, reports, cli), for the units that follow it.

Exit status 1 when an import runs upwards or the core imports the loader, so CI can keep it so.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

#: The stages in import order, lowest first (units not named here are not checked). It is the
#: order of the data flow but for one pair: the loader checks expressions and method
#: parameters with the core's own parsers, so ``load`` may import ``core``; the core never
#: imports the loader (it compiles the plain resolved specs).
STAGES = ("errors", "results", "specs", "files", "core", "load", "uncertainty", "analyses",
          "study", "reports", "cli")
#: What the numeric core must not import.
ABOVE_CORE = ("load", "study", "reports", "cli")


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (``pkg.sub.mod``; a package by its name)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """Nodes under ``if TYPE_CHECKING:`` blocks (typing-only imports)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped |= {id(n) for n in ast.walk(child)}
    return skipped


def _imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base_parts = module.split(".")
            keep = len(base_parts) - node.level + (1 if is_package else 0)
            base = ".".join(base_parts[:keep] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def dependencies(names: dict[str, Path]) -> dict[str, set[str]]:
    """Each module -> the package modules it imports."""
    found: dict[str, set[str]] = {}
    for name, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        is_package = path.name == "__init__.py"
        found[name] = {
            target
            for node in ast.walk(tree)
            if id(node) not in skipped
            for target in _imported(node, name, is_package)
            if target in names and target != name
        }
    return found


def unit_of(module: str) -> str:
    """The top-level unit of a module: ``decision.core.engine`` -> ``core``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def main(argv: list[str]) -> int:
    package = Path(argv[1] if len(argv) > 1 else "decision")
    names = modules(package)
    graph = dependencies(names)
    units: dict[str, set[str]] = {}
    for module, targets in graph.items():
        own = unit_of(module)
        units.setdefault(own, set()).update(unit_of(t) for t in targets if unit_of(t) != own)

    cycles: list[str] = []
    known: dict[str, int] = {}
    stack: list[str] = []

    def layer(module: str) -> int:
        if module in known:
            return known[module]
        if module in stack:  # a cycle: report it, count it once
            cycles.append(" -> ".join((*stack[stack.index(module):], module)))
            return 0
        stack.append(module)
        known[module] = 1 + max((layer(d) for d in sorted(graph[module])), default=0)
        stack.pop()
        return known[module]

    layers: dict[str, int] = {}
    for module in graph:
        own = unit_of(module)
        layers[own] = max(layers.get(own, 0), layer(module))
    for unit, number in sorted(layers.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{number:3d}  {unit}")
    print(f"{len(layers)} top-level units, {max(layers.values())} layers")
    problems = []
    for unit, targets in sorted(units.items()):
        if unit not in STAGES:
            continue
        for target in sorted(targets):
            if target in STAGES and STAGES.index(target) > STAGES.index(unit):
                problems.append(f"upward import: {unit} -> {target}")
    problems += [f"core imports {t}" for t in sorted(units.get("core", set()) & set(ABOVE_CORE))]
    problems += [f"import cycle: {c}" for c in sorted(set(cycles))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
