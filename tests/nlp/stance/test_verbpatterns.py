"""PETRARCH verb-pattern files read as a fallback lexicon (a file we write here, same format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.nlp.stance.lexicon import Lexicon, default_lexicon
from streams.nlp.stance.verbpatterns import FALLBACK_WEIGHT, read_verbpatterns, with_verbpatterns

SAMPLE = """\
# a comment
--- SCOLD [111] ---
SCOLD
REPROVE {REPROVES REPROVED REPROVING}
- * &ENEMY [112]
- * AMBASSADOR [1121]
--- LOITER [---] ---
LOITER
--- CONDEMN [111] ---
CONDEMN
--- PONDER [0110] ---
PONDER
"""


def test_reads_verbs_and_single_object_patterns(tmp_path: Path) -> None:
    path = tmp_path / "verbs.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    rows = {(e.lemma, e.code, tuple(sorted(e.pattern.obj or ()))) for e in read_verbpatterns(path)}
    assert ("scold", "111", ()) in rows and ("reprove", "111", ()) in rows
    assert ("reprove", "1121", ("ambassador", "ambassadors")) in rows
    assert not any(lemma == "loiter" for lemma, _, _ in rows)  # [---] is no event
    assert not any(lemma == "ponder" for lemma, _, _ in rows)  # not a CAMEO code
    assert not any("enemy" in obj for _, _, obj in rows)  # synsets are PETRARCH's machinery


def test_the_projects_rows_win_and_no_path_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "verbs.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    own = default_lexicon()
    assert with_verbpatterns(own, None) is own
    both = with_verbpatterns(own, path)
    assert isinstance(both, Lexicon)
    condemn = both.rows("condemned", "V")
    assert condemn and all(e.weight != FALLBACK_WEIGHT for e in condemn)  # ours only
    assert {e.code for e in both.rows("reproved", "V")} == {"111", "1121"}
    assert not own.rows("reproved", "V")


def test_the_file_is_a_setting_a_dotenv_line_names_too(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """``STREAMS_CAMEO_VERBPATTERNS`` works from ``.env`` like every other setting; empty is unset."""
    from streams.nlp.stance.verbpatterns import configured_path

    monkeypatch.delenv("STREAMS_CAMEO_VERBPATTERNS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert configured_path() is None
    (tmp_path / ".env").write_text("STREAMS_CAMEO_VERBPATTERNS=/data/CAMEO.verbpatterns.txt\n")
    assert configured_path() == Path("/data/CAMEO.verbpatterns.txt")
    monkeypatch.setenv("STREAMS_CAMEO_VERBPATTERNS", "")
    assert configured_path() is None
