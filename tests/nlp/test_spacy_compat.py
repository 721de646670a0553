"""The fence around the spaCy internals that ``streams.nlp.parsing`` relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from streams.nlp import spacy_compat
from streams.nlp.spacy_compat import AUDITED, check, fingerprint, source


def test_fingerprints_match_the_installed_spacy() -> None:
    changed = {name: fingerprint(path, name) for name, (path, digest) in AUDITED.items()
               if fingerprint(path, name) != digest}
    assert not changed, f"spaCy internals differ from the audited ones (re-audit, then update): {changed}"
    check()  # what importing the module does


def test_a_changed_fingerprint_is_refused() -> None:
    path, _ = AUDITED["Parser.greedy_parse"]
    tampered = {**AUDITED, "Parser.greedy_parse": (path, "0" * 16)}
    with pytest.raises(RuntimeError, match=r"Parser\.greedy_parse changed"):
        check(audited=tampered)


def test_loading_the_module_refuses_a_changed_internal() -> None:
    """The check runs at import, before the private ``StateClass`` is imported."""
    text = Path(spacy_compat.__file__).read_text("utf-8")
    tampered = text.replace(AUDITED["Out.transition"][1], "f" * 16)
    namespace: dict[str, object] = {"__name__": "tampered_spacy_compat"}
    with pytest.raises(RuntimeError, match=r"Out\.transition changed"):
        exec(compile(tampered, "tampered_spacy_compat.py", "exec"), namespace)
    assert "StateClass" not in namespace


def test_a_missing_internal_is_refused() -> None:
    gone = {**AUDITED, "Parser.no_such_method": ("pipeline/transition_parser.pyx", "0" * 16),
            "Nothing.here": ("pipeline/no_such_file.pyx", "0" * 16)}
    with pytest.raises(RuntimeError, match=r"Parser\.no_such_method \(not found.*Nothing\.here \(not found"):
        check(audited=gone)


@pytest.mark.parametrize("version", ["3.7.5", "3.9.0", "4.0.0", "3.80.1"])
def test_another_spacy_release_is_refused(version: str) -> None:
    with pytest.raises(RuntimeError, match=f"spaCy {version} is installed"):
        check(version=version)


def test_source_is_the_whole_definition() -> None:
    parse_c = source("pipeline/transition_parser.pyx", "Parser._parseC")
    assert parse_c.lstrip().startswith("cdef void _parseC(")
    assert ") noexcept nogil:" in parse_c  # a multi-line signature does not end the body
    assert parse_c.rstrip().endswith("free_activations(&activations)")
    out = source("pipeline/_parser_internals/ner.pyx", "Out.transition").splitlines()
    assert [line.strip() for line in out] == [
        "cdef int transition(StateC* st, attr_t label) noexcept nogil:", "st.push()", "st.pop()"]
    assert source("ml/tb_framework.py", "forward").startswith("def forward(model, X, is_train):")


def test_only_the_fence_imports_spacy_internals() -> None:
    """Private spaCy modules (a ``_`` path part) are reached through streams.nlp.spacy_compat only."""
    root = Path(spacy_compat.__file__).resolve().parents[1]
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(root.parent)}:{node.lineno}" for n in names  # type: ignore[attr-defined]
                      if n.startswith("spacy.") and any(p.startswith("_") for p in n.split("."))]
    assert found == [f"streams/nlp/spacy_compat.py:{_stateclass_line()}"]


def _stateclass_line() -> int:
    text = Path(spacy_compat.__file__).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(text, 1) if line.startswith("from spacy.pipeline._parser"))
