"""The CAMEO-code probes: ours, complete, and coded in the right PLOVER category."""

from __future__ import annotations

from collections import Counter

from streams.cameo.codes import all_codes
from streams.evaluation.probes import evaluate_probes, load_probes
from streams.evaluation.stance import plover_category

#: Measured when the probes and the rows they taught were added (0.849); a change that
#: loses more than a few probes must say why in docs/stance.md.
FLOOR = 0.84


def test_every_code_with_a_plover_category_has_two_probes_that_name_both_actors() -> None:
    probes = load_probes()
    per_code = Counter(p.code for p in probes)
    wanted = {c.code for c in all_codes() if len(c.code) >= 2 and plover_category(c.code)}
    assert set(per_code) == wanted
    assert set(per_code.values()) == {2}
    for p in probes:
        assert p.source in p.text and p.target in p.text and p.source != p.target, p
        assert "\t" not in p.text


def test_the_probes_are_coded_in_their_category(analyzer) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_probes(analyzer)
    assert report["probes"] == 604
    shown = "\n".join(f"{m['code']} {m['category']} <- {m['got']} | {m['text']}"
                      for m in report["misses"][:40])
    assert report["category_accuracy"] >= FLOOR, shown
    # every category is reached by most of its probes: none is left to chance
    for category, score in report["by_category"].items():
        right, total = map(int, score.split("/"))
        assert right / total >= 0.5, (category, score)
