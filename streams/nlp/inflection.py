"""Inflected forms of a closed vocabulary: the morphology the analysis needs without a lemmatizer.

The shared spaCy pipeline runs without its lemmatizer, so the words the
lexicon, the stance rules and resolution name are matched by their forms,
generated once.  Over-generated forms ("visitted") are harmless: they never
occur.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")

#: Irregular verb forms (past, participle, -ing when irregular).  Morphology,
#: not meaning: any verb the lexicon or the syntax rules name must be here if
#: it is irregular.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("said",), "meet": ("met",), "hold": ("held",), "send": ("sent",),
    "strike": ("struck", "stricken"), "fight": ("fought",), "give": ("gave", "given"),
    "take": ("took", "taken"), "make": ("made",), "withdraw": ("withdrew", "withdrawn"),
    "shoot": ("shot",), "beat": ("beat", "beaten"), "freeze": ("froze", "frozen"),
    "break": ("broke", "broken"), "seek": ("sought",), "bring": ("brought",),
    "tell": ("told",), "speak": ("spoke", "spoken"), "lead": ("led",),
    "forgive": ("forgave", "forgiven"), "undertake": ("undertook", "undertaken"),
    "cut": ("cut",), "shut": ("shut",), "put": ("put",), "set": ("set",), "hit": ("hit",),
    "forbid": ("forbade", "forbidden"), "build": ("built",), "lend": ("lent",),
    "deal": ("dealt",), "write": ("wrote", "written"), "overrun": ("overran",),
    "retake": ("retook", "retaken"), "uphold": ("upheld",), "withhold": ("withheld",),
    "begin": ("began", "begun"), "choose": ("chose", "chosen"), "go": ("went", "gone"),
    "keep": ("kept",), "leave": ("left",), "win": ("won",), "lose": ("lost",),
    "swear": ("swore", "sworn"), "bid": ("bid",), "quit": ("quit",), "spend": ("spent",),
    "think": ("thought",), "feel": ("felt",), "mean": ("meant",), "wage": ("waged",),
    "fly": ("flew", "flown"), "sink": ("sank", "sunk"), "draw": ("drew", "drawn"),
    "stand": ("stood",), "sell": ("sold",), "buy": ("bought",), "run": ("ran",),
    "come": ("came",), "see": ("saw", "seen"), "know": ("knew", "known"),
    "rise": ("rose", "risen"), "drive": ("drove", "driven"), "slay": ("slew", "slain"),
    "overthrow": ("overthrew", "overthrown"), "throw": ("threw", "thrown"),
    "shake": ("shook", "shaken"), "tear": ("tore", "torn"), "bear": ("bore", "borne"),
    "sit": ("sat",), "burn": ("burnt",), "pay": ("paid",), "fall": ("fell", "fallen"),
    "do": ("did", "done"), "have": ("had", "has"), "be": ("was", "were", "been", "am", "is", "are"),
    "blow": ("blew", "blown"), "get": ("got", "gotten"), "rebuild": ("rebuilt",),
    "equip": ("equipped", "equipping"), "plead": ("pled",), "beseech": ("besought",),
    "flee": ("fled",), "steal": ("stole", "stolen"), "hide": ("hid", "hidden"),
    "bind": ("bound",), "spread": ("spread",), "sweep": ("swept",), "seize": ("seized",),
    "lay": ("laid",), "let": ("let",),
}


def verb_forms(lemma: str) -> set[str]:
    """Every inflected form of a verb (generous: a few non-words too)."""
    forms = {lemma}
    last, prev = lemma[-1], lemma[-2] if len(lemma) > 1 else ""
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(lemma + "es")
    elif last == "y" and prev not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if last == "e":
        forms.add(lemma + "d")
    elif last == "y" and prev not in _VOWELS:
        forms.add(lemma[:-1] + "ied")
    else:
        forms.add(lemma + "ed")
    if lemma.endswith("ie"):
        forms.add(lemma[:-2] + "ying")
    elif last == "e" and not lemma.endswith(("ee", "ye", "oe")):
        forms.add(lemma[:-1] + "ing")
    else:
        forms.add(lemma + "ing")
    if _ends_cvc(lemma):  # ban -> banned, banning; visit -> visited (both kept)
        forms.update({lemma + last + "ed", lemma + last + "ing"})
    if last == "c":  # panic -> panicked
        forms.update({lemma + "ked", lemma + "king"})
    forms.update(_IRREGULAR.get(lemma, ()))
    return forms


def noun_forms(lemma: str) -> set[str]:
    """Singular and plural of a noun."""
    forms = {lemma}
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    return forms


def _ends_cvc(word: str) -> bool:
    if len(word) < 3:
        return False
    c1, v, c2 = word[-3], word[-2], word[-1]
    return c1 not in _VOWELS and v in _VOWELS and c2 not in _VOWELS and c2 not in "wxy"
