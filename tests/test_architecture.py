"""Architecture rules for the ``streams`` package, checked from the source alone (no imports).

1. **No import cycles.**  The import graph is built with :mod:`ast` from every module
   of ``streams``: absolute and relative ``import``/``from ... import`` of ``streams.*``,
   wherever they stand.  *Function-level imports count* (and so do imports under
   ``if TYPE_CHECKING:``): deferring an import hides a cycle from the interpreter but the
   two modules still depend on each other, which is what makes them hard to change or
   test apart.  An edge goes to the module named (``from streams.a import b`` → ``streams.a.b``
   when ``b`` is a submodule, else ``streams.a``); the parent packages Python initialises
   on the way are not edges, since every submodule would otherwise "cycle" through its
   own ``__init__``.
2. **No module over** :data:`MAX_LINES` **lines**, except those in :data:`TOO_LONG`.
3. **The functional core stays free of Kafka.**  Only the shell (:data:`KAFKA_SHELL`)
   may import Faust, aiokafka or mode (Faust's service library), and the core may not
   import the shell either, or the rule would hold only on paper.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "streams"
PACKAGE = "streams"

#: Cycles known and being fixed, by name: the exact set of modules of the cycle, e.g.
#: ``"stance-sentiment-imports-stance-package": frozenset({"streams.nlp.stance",
#: "streams.nlp.stance.sentiment"})`` (fixed in issue 14).  Each entry is temporary: the test
#: fails if the cycle changes, grows, or disappears (remove the entry then).  None today.
KNOWN_CYCLES: dict[str, frozenset[str]] = {}

MAX_LINES = 500
#: Modules allowed over MAX_LINES today, each with the plan; the test fails when one of
#: them shrinks under the limit, so the list only ever gets shorter.
TOO_LONG: dict[str, str] = {
}

#: Libraries of the Kafka shell.
KAFKA_LIBRARIES = frozenset({"faust", "aiokafka", "mode"})
#: Modules (or packages: every module under them) that may use them: the set the design
#: names (Faust agents, the Kafka I/O, the CLI, the local harness and broker, the
#: benchmarks), plus what the code showed when this test was written:
#: ``streams.__main__`` (``python -m streams``, runs the CLI) and ``streams.tools`` (the
#: operator commands ``streams alerts`` and ``streams dlq`` of the CLI, which read and
#: replay topics with aiokafka and streams.kafka_io).  faust/aiokafka/mode were imported by
#: agents/* (Faust), kafka_io.py, tools/ and bench/{e2e,soak}.py (aiokafka); cli.py imports
#: the agents lazily; harness.py and localbroker.py imported neither.  localcluster.py (the
#: three-node local cluster) is localbroker's sibling and builds on it.
KAFKA_SHELL = frozenset({
    "streams.agents", "streams.kafka_io", "streams.cli", "streams.__main__", "streams.tools",
    "streams.harness", "streams.localbroker", "streams.localcluster", "streams.bench",
})


@dataclass(frozen=True)
class Import:
    target: str
    line: int
    #: Inside a function (or method) rather than at module or class level.
    deferred: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _walk(node: ast.AST, deferred: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, deferred
        inner = deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _walk(child, inner)


def imports(name: str, path: Path, known: set[str] | dict[str, Path]) -> list[Import]:
    """Every import in ``path`` (module ``name``), absolute names; ``streams.*`` resolved to modules."""
    is_package = path.name == "__init__.py"
    out: list[Import] = []
    for node, deferred in _walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.extend(Import(a.name, node.lineno, deferred) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                drop = node.level - 1 if is_package else node.level
                base = base[:len(base) - drop] if drop else base
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                out.append(Import(sub if sub in known else source, node.lineno, deferred))
    return out


def graph() -> dict[str, dict[str, Import]]:
    """Module → imported ``streams`` module → the first import of it."""
    mods = modules()
    edges: dict[str, dict[str, Import]] = {m: {} for m in mods}
    for name, path in mods.items():
        for imp in imports(name, path, mods):
            target = imp.target
            while target and target not in mods:  # "import streams.x.y" of a name in streams.x
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target in mods:
                edges[name].setdefault(target, Import(target, imp.line, imp.deferred))
    return edges


def strongly_connected(edges: dict[str, dict[str, Import]]) -> list[frozenset[str]]:
    """Tarjan's components with a cycle (more than one module, or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges[v]:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def describe(component: frozenset[str], edges: dict[str, dict[str, Import]]) -> str:
    """One concrete cycle through the component, edge by edge with file and line."""
    start = min(component)
    # Shortest way back to ``start`` (breadth first, inside the component).
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    cycle: list[str] = []
    while queue and not cycle:
        v = queue.pop(0)
        for w in sorted(edges[v]):
            if w == start:
                cycle = [*paths[v], start]
                break
            if w in component and w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    lines = [f"cycle of {len(component)} modules: {', '.join(sorted(component))}"]
    for a, b in pairwise(cycle):
        imp = edges[a][b]
        where = "in a function" if imp.deferred else "at module level"
        lines.append(f"  {a} -> {b}  ({modules()[a].relative_to(ROOT.parent)}:{imp.line}, {where})")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def edges() -> dict[str, dict[str, Import]]:
    return graph()


def test_graph_sees_relative_absolute_and_deferred_imports(edges) -> None:  # type: ignore[no-untyped-def]
    assert "streams.nlp.analyzer" in edges["streams.nlp"]  # package __init__, absolute
    assert "streams.nlp.actors.models" in edges["streams.nlp.actors.table"]
    cli = edges["streams.cli.worker"]
    assert "streams.agents.app" in cli and cli["streams.agents.app"].deferred


def test_relative_imports_resolve(tmp_path: Path) -> None:
    pkg = tmp_path / "streams" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from . import a\nfrom .b import thing\n")
    (pkg / "a.py").write_text("from .. import other\nfrom .b import thing\ndef f():\n    from . import b\n")
    known = {"streams", "streams.other", "streams.pkg", "streams.pkg.a", "streams.pkg.b"}
    init = imports("streams.pkg", pkg / "__init__.py", known)
    assert [(i.target, i.deferred) for i in init] == [("streams.pkg.a", False), ("streams.pkg.b", False)]
    a = imports("streams.pkg.a", pkg / "a.py", known)
    assert [(i.target, i.deferred) for i in a] == [
        ("streams.other", False), ("streams.pkg.b", False), ("streams.pkg.b", True)]


def test_no_import_cycles(edges) -> None:  # type: ignore[no-untyped-def]
    allowed = {cycle: name for name, cycle in KNOWN_CYCLES.items()}
    problems = [describe(c, edges) for c in strongly_connected(edges) if c not in allowed]
    assert not problems, "import cycles in streams:\n" + "\n".join(problems)


def test_known_cycles_still_exist(edges) -> None:  # type: ignore[no-untyped-def]
    """A temporary allowlist entry is removed as soon as its cycle is gone."""
    present = set(strongly_connected(edges))
    gone = [name for name, cycle in KNOWN_CYCLES.items() if cycle not in present]
    assert not gone, f"fixed cycles still allowlisted in KNOWN_CYCLES (delete them): {gone}"


def test_cycle_detection_finds_and_prints_a_cycle() -> None:
    fake = {
        "streams.a": {"streams.b": Import("streams.b", 3, False)},
        "streams.b": {"streams.a": Import("streams.a", 7, True)},
        "streams.c": {"streams.a": Import("streams.a", 1, False)},
        "streams.d": {"streams.d": Import("streams.d", 1, False)},
    }
    assert sorted(map(sorted, strongly_connected(fake))) == [["streams.a", "streams.b"], ["streams.d"]]


def _length(path: Path) -> int:
    return len(path.read_text("utf-8").splitlines())


def test_no_module_over_max_lines() -> None:
    over = {name: _length(path) for name, path in modules().items() if _length(path) > MAX_LINES}
    unexpected = {name: n for name, n in over.items() if name not in TOO_LONG}
    assert not unexpected, f"modules over {MAX_LINES} lines (split them): {unexpected}"
    fixed = sorted(set(TOO_LONG) - set(over))
    assert not fixed, f"no longer over {MAX_LINES} lines, delete from TOO_LONG: {fixed}"


def _in_shell(name: str) -> bool:
    return any(name == s or name.startswith(s + ".") for s in KAFKA_SHELL)


def test_functional_core_is_free_of_kafka(edges) -> None:  # type: ignore[no-untyped-def]
    mods = modules()
    problems = []
    for name, path in mods.items():
        if _in_shell(name):
            continue
        for imp in imports(name, path, mods):
            if imp.target.split(".")[0] in KAFKA_LIBRARIES:
                problems.append(f"{path.relative_to(ROOT.parent)}:{imp.line} imports {imp.target}")
        problems.extend(f"{mods[name].relative_to(ROOT.parent)}:{imp.line} imports the shell ({target})"
                        for target, imp in edges[name].items() if _in_shell(target))
    assert not problems, "the functional core must not depend on Kafka:\n" + "\n".join(problems)


def test_the_shell_is_where_kafka_is() -> None:
    """The allowed set names nothing that does not exist (a typo would let nothing through)."""
    mods = modules()
    missing = [s for s in KAFKA_SHELL if not any(m == s or m.startswith(s + ".") for m in mods)]
    assert not missing, f"KAFKA_SHELL names modules that do not exist: {missing}"
