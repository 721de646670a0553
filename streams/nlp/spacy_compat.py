"""The spaCy internals :mod:`streams.nlp.parsing` relies on, fenced.

``streams.nlp.parsing`` drives spaCy's NER and parser from Python (one state per
sentence, the GIL held), so it depends on things spaCy does not promise to keep:
the private ``StateClass``, ``Parser._ensure_labels_are_added``, the step model
``Parser.model.predict`` returns, and the exact behaviour of the compiled decoder it
replaces.  pyproject pins ``spacy>=3.8,<3.9``; inside that range a patch release may
still change any of them.

So, as ``streams.agents.faust_compat`` does for Faust, this module refuses to load
(``RuntimeError``) unless

* the installed spaCy is a :data:`SPACY_RELEASE` release, and
* the source of every internal in :data:`AUDITED` hashes to the audited value.

Wheels ship the ``.pyx``/``.pxd`` sources next to the compiled modules, so the
fingerprints are of the source the installed extension was built from.  After an
upgrade that changes one: read the new source, check that the wrappers still do what
the decoder does (``tests/nlp/test_parsing.py`` compares them with spaCy's own
components), then update the digest.

What is relied on, and why:

* ``Parser.predict``, ``Parser.greedy_parse``, ``Parser._parseC``: the greedy decoder
  the wrappers reproduce (beam width 1: init states, one step-model call per step,
  transition, drop final states, ``clear_memory``).
* ``Parser.transition_states``, ``Parser.c_transition_batch``: the validity check,
  argmax and move of one step, called instead of ``_parseC``'s loop.
* ``Parser._ensure_labels_are_added`` (private), ``Parser.set_annotations``,
  ``Parser.postprocesses``, ``TransitionSystem.init_batch``,
  ``BiluoPushDown.set_annotations``: set-up and write-back, called as the decoder does.
* ``StateClass`` (private module ``_parser_internals``): constructor with ``offset``,
  ``copy``, ``push``, ``pop``, ``is_final``, ``B``; ``Out.transition`` (the NER "O"
  move, which the sentence NER replays as ``push``/``pop``); ``StateC.set_context_tokens``
  (the NER's features are the next token and the open entity: why a state per sentence
  makes the whole-document decisions).
* ``ParserStepModel.clear_memory``, ``step_forward`` and ``tb_framework.forward``: the
  step model ``model.predict(docs)`` returns and scores states with.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import spacy

#: The spaCy release audited (``major.minor``; pyproject pins the same).
SPACY_RELEASE = "3.8"

#: ``Class.member`` (or a module-level function) -> (source file in the installed spaCy,
#: first 16 hex digits of the sha256 of its source as audited in spaCy 3.8.18).
AUDITED: dict[str, tuple[str, str]] = {
    "Parser.predict": ("pipeline/transition_parser.pyx", "af0e9978565e3a17"),
    "Parser.greedy_parse": ("pipeline/transition_parser.pyx", "e189a1549006d03b"),
    "Parser._parseC": ("pipeline/transition_parser.pyx", "0f9769b207695e45"),
    "Parser.transition_states": ("pipeline/transition_parser.pyx", "c87d0299c979863d"),
    "Parser.c_transition_batch": ("pipeline/transition_parser.pyx", "8f85185935245a69"),
    "Parser._ensure_labels_are_added": ("pipeline/transition_parser.pyx", "3905f84155ef09ff"),
    "Parser.set_annotations": ("pipeline/transition_parser.pyx", "b0f9c9c6a8702f1c"),
    "Parser.postprocesses": ("pipeline/transition_parser.pyx", "767dd0023eb00f1d"),
    "TransitionSystem.init_batch": ("pipeline/_parser_internals/transition_system.pyx", "43400677e5213db6"),
    "BiluoPushDown.set_annotations": ("pipeline/_parser_internals/ner.pyx", "66b452eb57392afa"),
    "Out.transition": ("pipeline/_parser_internals/ner.pyx", "264752a47d91f6c0"),
    "StateClass.__init__": ("pipeline/_parser_internals/stateclass.pyx", "5dd3dbc008447f9a"),
    "StateClass.copy": ("pipeline/_parser_internals/stateclass.pyx", "9afe6523ee66dd35"),
    "StateClass.push": ("pipeline/_parser_internals/stateclass.pyx", "733d0ba4513c09e5"),
    "StateClass.pop": ("pipeline/_parser_internals/stateclass.pyx", "73b5dd196f8ad5c2"),
    "StateClass.is_final": ("pipeline/_parser_internals/stateclass.pyx", "99888d6462887d91"),
    "StateClass.B": ("pipeline/_parser_internals/stateclass.pyx", "70f9d55104d739bf"),
    "StateC.set_context_tokens": ("pipeline/_parser_internals/_state.pxd", "a5a9e0e27ae84758"),
    "ParserStepModel.clear_memory": ("ml/parser_model.pyx", "46827bdd004e861b"),
    "step_forward": ("ml/parser_model.pyx", "07993df7ac3d5c72"),
    "forward": ("ml/tb_framework.py", "fd4c0168455b202b"),
}


def source(path: str, qualname: str) -> str:
    """The source of ``qualname`` (``Class.member`` or ``function``) in ``path`` of the installed spaCy.

    Read from the file, not with :mod:`inspect`: compiled (Cython) functions have no
    retrievable source.  Raises ``OSError`` if the file is missing, ``LookupError`` if
    the definition is.
    """
    lines = (Path(spacy.__file__).parent / path).read_text("utf-8").splitlines()
    *classes, member = qualname.split(".")
    lo, hi, level = 0, len(lines), 0
    for name in classes:
        lo, hi = _definition(lines, lo, hi, level, rf"(cdef\s+)?(class|cppclass)\s+{name}\b")
        level = next(_indent(t) for t in lines[lo + 1:hi] if t.strip())
    lo, hi = _definition(lines, lo, hi, level, rf"(async\s+def|def|cdef|cpdef|inline)\b[^(]*?\b{member}\s*\(")
    return "\n".join(lines[lo:hi])


def _definition(lines: list[str], lo: int, hi: int, level: int, head: str) -> tuple[int, int]:
    """Line range of the last definition at indentation ``level`` in ``lines[lo:hi]`` matching ``head``.

    The last, as Python keeps the last of two definitions of a name.  The body ends at
    the next line indented no deeper, except a ``)`` closing a multi-line signature.
    """
    starts = [i for i in range(lo, hi) if _indent(lines[i]) == level and re.match(head, lines[i].lstrip())]
    if not starts:
        raise LookupError(f"no definition matching {head!r}")
    end = next((i for i in range(starts[-1] + 1, hi) if lines[i].strip() and _indent(lines[i]) <= level
                and not lines[i].lstrip().startswith(")")), hi)
    while not lines[end - 1].strip():
        end -= 1
    return starts[-1], end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def fingerprint(path: str, qualname: str) -> str:
    """First 16 hex digits of the sha256 of :func:`source`."""
    return hashlib.sha256(source(path, qualname).encode()).hexdigest()[:16]


def check(version: str = spacy.about.__version__, audited: Mapping[str, tuple[str, str]] = AUDITED) -> None:
    """Raise ``RuntimeError`` unless spaCy ``version`` and its internals are the audited ones."""
    if not version.startswith(SPACY_RELEASE + "."):
        raise RuntimeError(
            f"streams.nlp.parsing drives spaCy internals audited for spaCy {SPACY_RELEASE}.x, but spaCy "
            f"{version} is installed: re-audit them (see streams.nlp.spacy_compat) before using it")
    changed = []
    for name, (path, digest) in audited.items():
        try:
            if fingerprint(path, name) != digest:
                changed.append(name)
        except (OSError, LookupError):
            changed.append(f"{name} (not found in {path})")
    if changed:
        raise RuntimeError(
            f"streams.nlp.parsing was audited against other spaCy internals than those of the installed "
            f"spaCy {version}: {', '.join(changed)} changed; re-check the wrappers against them "
            f"(see streams.nlp.spacy_compat) and update AUDITED")


check()

# Reached only once the fence holds; the rest of the code base uses these names, never spaCy's
# private ones (ruff SLF001).
from spacy.pipeline._parser_internals.stateclass import StateClass  # noqa: E402


def ensure_labels(component: Any, docs: Sequence[Any]) -> None:
    """``Parser._ensure_labels_are_added``: add the labels preset in ``docs`` to ``component``."""
    component._ensure_labels_are_added(docs)  # noqa: SLF001 - audited above


__all__ = ["AUDITED", "SPACY_RELEASE", "StateClass", "check", "ensure_labels", "fingerprint", "source"]
