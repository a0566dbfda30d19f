#!/usr/bin/env python3
"""Fail when the project's modules import each other in a cycle at module level.

A module-level cycle works or breaks depending on which module Python loads
first ("partially initialized module"), so `make lint` refuses any. Imports
inside functions are not edges here (they run later), nor are imports under
`if TYPE_CHECKING:`. Stdlib only: it reads the source, it imports nothing.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["community", "ideas", "cms", "search", "realtime"]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path, packages: list[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path, root)] = path
    return found


def top_level_imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: set[str] = set()  # modules whose code loading this one runs
    needs_namespace: set[str] = set()  # modules whose names this one takes at load time

    def with_parents(module: str) -> str:
        parts = module.split(".")
        for i in range(1, len(parts)):
            edges.add(".".join(parts[:i]))
        return module

    def resolve(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1])
        return f"{base}.{node.module}" if node.module else base

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                edges.update([with_parents(alias.name) for alias in node.names])
            elif isinstance(node, ast.ImportFrom):
                base = resolve(node)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    # `from pkg import mod` needs the module; `from pkg import name`
                    # needs pkg's namespace, which is only whole once pkg ran.
                    if submodule in known:
                        edges.add(with_parents(submodule))
                    else:
                        edges.add(with_parents(base))
                        needs_namespace.add(base)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []) or []:
                        visit(getattr(child, "body", None) or [child])

    visit(tree.body)
    # Loading a.b.c runs a and a.b first. Our own parent packages are already
    # loading when we run, so reaching them again is only a problem when we take
    # names from their namespace (`from pkg import name`), which may not exist yet.
    own_parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    edges = {edge for edge in edges if edge not in own_parents} | needs_namespace
    return {edge for edge in edges if edge in known and edge != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def strong(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            strong(node)
    return found


def find_cycles(root: Path = ROOT, packages: list[str] = PACKAGES) -> tuple[list[list[str]], int]:
    known = modules(root, packages)
    graph = {name: top_level_imports(path, name, known) for name, path in known.items()}
    return cycles(graph), len(known)


def main() -> int:
    found, count = find_cycles()
    for component in found:
        print("import cycle: " + " ↔ ".join(component))
    print(f"import cycles: {len(found)} among {count} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
