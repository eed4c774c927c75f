"""The layout's contract: imports flow one way, without cycles, and every module stays small enough to read.

The layers (CONVENTIONS.md and the README's map): among the domain apps each may use the ones before it,
never the ones after: ``contest``, ``media_pipeline``, ``blog``, ``judging``, ``certificates``, ``messaging``,
then ``monitoring``; ``exchange`` uses the domain apps; ``frontend`` uses everything below it; only the root
URLconfs and the settings in ``config`` tie everything together. Imports inside functions count like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Baige's own packages, lowest first.
PACKAGES = (
    "config",
    "api_tokens",
    "contest",
    "media_pipeline",
    "blog",
    "judging",
    "certificates",
    "messaging",
    "activity",
    "monitoring",
    "exchange",
    "frontend",
)

#: What each package must never import.
FORBIDDEN = {
    package: set(PACKAGES[index + 1 :])
    for index, package in enumerate(PACKAGES)
    if package not in {"config", "frontend"}
}

#: The modules of ``config`` that tie the apps together; the rest of ``config`` is below every app.
CONFIG_TIES = {"config.urls", "config.api_urls", "config.settings"}

#: The one module allowed past the limit: the assignment algorithm reads best whole.
LONG_MODULES_ALLOWED = {"judging/assignment.py"}
MAX_LINES = 600


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Every import between Baige's modules, including those inside functions and for type checking."""
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _package(module: str) -> str:
    return module.split(".")[0]


def _forbidden_for(module: str) -> set[str]:
    package = _package(module)
    if package == "config":
        return set() if module in CONFIG_TIES else set(PACKAGES) - {"config"}
    return FORBIDDEN.get(package, set())


def test_layout_imports_flow_one_way(graph: grimp.ImportGraph) -> None:
    """No module imports a package above its own."""
    found = set()
    for module in graph.modules:
        forbidden = _forbidden_for(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if _package(imported) in forbidden:
                found.add((module, imported))
    assert sorted(found) == []


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components of more than one module (the cycles), without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_layout_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    """No chain of imports leads from a module back to itself."""
    edges = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    assert [sorted(cycle) for cycle in _strongly_connected(edges)] == []


def test_layout_strongly_connected_finds_a_cycle() -> None:
    """The cycle finder itself: a two-module loop and a three-module loop are found, a chain is not."""
    edges = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"g"}, "g": set()}
    assert sorted(sorted(cycle) for cycle in _strongly_connected(edges)) == [["a", "b"], ["c", "d", "e"]]


def _source_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_layout_modules_stay_short() -> None:
    """No module is longer than a reader can hold, except the assignment algorithm."""
    long = {
        str(path.relative_to(ROOT))
        for path in _source_files()
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert sorted(long - LONG_MODULES_ALLOWED) == []


def _private_imports(path: Path) -> Iterator[tuple[str, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if _package(node.module) not in (*PACKAGES, "tests", "benchmarks", "scripts"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield str(path.relative_to(ROOT)), node.module, alias.name


def test_layout_no_private_name_imported_from_another_module() -> None:
    """A name that starts with an underscore is its module's own: no other module imports it, tests included."""
    folders = [*PACKAGES, "tests", "benchmarks", "scripts"]
    found = {
        found
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for found in _private_imports(path)
    }
    assert sorted(found) == []


def test_layout_graph_sees_the_imports(graph: grimp.ImportGraph) -> None:
    """The contract reads real imports: a known one is in the graph, and a forbidden one would be named."""
    assert graph.direct_import_exists(importer="frontend.organiser.views.contests", imported="contest.selectors")
    assert graph.direct_import_exists(importer="judging.services.jury", imported="contest.people")
    assert {"media_pipeline", "judging", "exchange", "frontend"} <= _forbidden_for("contest.services")
    assert _forbidden_for("config.urls") == set()
    assert "frontend" in _forbidden_for("config.enqueue")
