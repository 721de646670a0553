"""Stop 32: causes read in the misses of our probes (sentences of ours), one test per cause."""

from __future__ import annotations

import pytest

CAUSES = [
    # a verb's own noun made with a suffix is its act: the possessor or "by" phrase acts, the
    # "of" phrase undergoes it
    ("Ankara's suspension of flights to Erbil was extended on Monday.", "Ankara", "Erbil", "163"),
    ("The prosecution of opposition leaders by the junta drew criticism.", "junta",
     "opposition leaders", "173"),
    ("Caracas's admission of UN inspectors to the sites ended the standoff.", "Caracas",
     "UN inspectors", "0862"),
    ("Washington warned Havana that it would face isolation if it kept the troops there.",
     "Washington", "Havana", "131"),
    # an inspection allowed is a concession, like the inspectors allowed
    ("Tehran agreed to allow inspections of its enrichment plant by the IAEA.", "Tehran", "IAEA",
     "0355"),
    # lifting a suspension eases a sanction
    ("The junta lifted its suspension of the opposition party on Friday.", "junta",
     "opposition party", "081"),
]

VOCABULARY = [
    # event nouns the lexicon lacked, each with its arguments inside its own phrase
    ("Trade between Chile and Peru grew by a fifth last year.", "Chile", "Peru", "061"),
    ("Secret contacts between Seoul and Pyongyang were revealed on Monday.", "Seoul", "Pyongyang",
     "040"),
    ("A clamour from Kenyan unions for Nairobi to cut fuel prices grew louder.", "Kenyan unions",
     "Nairobi", "100"),
    ("A vigil by Tibetan exiles outside the Chinese embassy lasted all night.", "Tibetan exiles",
     "Chinese", "141"),
    ("Minsk's censorship of Polish broadcasts has tightened.", "Minsk", "Polish", "1721"),
    ("The barter between Jakarta and Moscow covered palm oil and jets.", "Jakarta", "Moscow",
     "061"),
    ("Fresh bluster from Tehran about closing the strait alarmed Riyadh.", "Tehran", "Riyadh",
     "130"),
]


@pytest.mark.parametrize(("text", "source", "target", "code"), CAUSES + VOCABULARY)
def test_stop32_cause(between, text: str, source: str, target: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert between(text, source, target) == code


@pytest.mark.parametrize(("text", "source", "target"), [
    # a body or a place spelled like a verb's noun is no act: no "commit" here
    ("The Kenyan commission on Tanzanian refugees published its report.", "Kenyan",
     "Tanzanian"),
    ("Egyptian officials held a news conference on Sudan's border in Cairo.", "Egyptian",
     "Sudan"),
])
def test_nouns_that_name_things_raise_no_event(between, text: str, source: str,  # type: ignore[no-untyped-def]
                                                target: str) -> None:
    assert between(text, source, target) is None
