"""Inflected forms of a closed vocabulary: the morphology the analysis needs without a lemmatizer.

The shared spaCy pipeline runs without its lemmatizer, so the words the
lexicon, the stance rules and resolution name are matched by their forms,
generated once.  Irregular forms ("found", "fled", "embargoes", "vetoes")
come from ``lemminflect``'s English inflection tables (MIT), so no verb or
noun the rules name can miss its past tense or plural; the regular forms are
also generated here, generously: over-generated forms ("visitted") are
harmless, they never occur.
"""

from __future__ import annotations

from lemminflect import getAllInflections, getAllInflectionsOOV

_VOWELS = frozenset("aeiou")


def _table_forms(lemma: str, upos: str) -> set[str]:
    """The forms ``lemminflect`` knows for ``lemma`` (its rules when the word is not listed)."""
    found = getAllInflections(lemma, upos=upos) or getAllInflectionsOOV(lemma, upos)
    return {form for forms in found.values() for form in forms}


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
    return forms | _table_forms(lemma, "VERB")


def noun_forms(lemma: str) -> set[str]:
    """Singular and plural of a noun."""
    forms = {lemma}
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    return forms | _table_forms(lemma, "NOUN")


def _ends_cvc(word: str) -> bool:
    if len(word) < 3:
        return False
    c1, v, c2 = word[-3], word[-2], word[-1]
    return c1 not in _VOWELS and v in _VOWELS and c2 not in _VOWELS and c2 not in "wxy"


#: Endings of a verb's own noun, each with the endings of the verbs it may come from, tried in
#: order ("evacuation" <- evacuate, "deportation" <- deport, "accusation" <- accuse).  A guess is
#: only ever used when it names a verb the caller knows, so over-generation is harmless.
_NOMINAL_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ization", ("ize",)), ("isation", ("ise", "ize")), ("ication", ("y",)),
    ("ation", ("ate", "", "e")), ("ission", ("it",)), ("ession", ("ess",)), ("ssion", ("ss",)),
    ("ension", ("end",)), ("ansion", ("and",)), ("sion", ("de", "d", "se")),
    ("ction", ("ct",)), ("ption", ("pt",)), ("tion", ("te", "t")), ("ion", ("", "e")),
    ("ial", ("y",)), ("al", ("", "e")), ("ment", ("",)), ("ance", ("", "e")), ("ence", ("", "e")),
    ("ure", ("e", "")), ("ery", ("er",)),
)


def nominalized_verbs(noun: str) -> list[str]:
    """Verbs a noun may be the act of, most likely first ("exclusions" -> exclude, ...).

    Plurals are read as their singular.  The guesses are spelling rules, not a dictionary:
    "nation" gives "nate", which no caller knows.
    """
    word = noun[:-1] if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) else noun
    for ending, verb_endings in _NOMINAL_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            return [stem + v for v in verb_endings]
    return []
