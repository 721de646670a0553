"""Surface-form keys: one spelling for "U.S.", "US", "the U.S.'s" and "Us".

Mentions reach the actor table in every spelling news text uses: with or
without dots, diacritics, a leading "the", a possessive, curly quotes or
hyphens.  Both the data and the query go through the same function, so a
lookup is a single dict access.

Two keys exist because a few acronyms are also English words ("US", "WHO",
"IS"): those match only in capitals, everything else matches in any case.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose, and typographic punctuation.
_TRANSLITERATE = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u02bb": "'", "`": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ",
})

_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)", re.IGNORECASE)
_APOSTROPHE = re.compile(r"'")
_NON_WORD = re.compile(r"[^\w\s]|_")
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)

#: Lower-case English words that are also names in the data.  An alias
#: whose key is one of them ("US", "WHO", "IS", "Fed", "Turkey", "Dawn")
#: matches only with the case it is written in: "the Fed" but not "fed".
COMMON_WORDS = frozenset({
    "a", "aid", "all", "am", "amnesty", "an", "and", "any", "app", "are", "arm", "art", "as", "at", "au",
    "bar", "bat", "be", "by", "can", "car", "cat", "chad", "china", "dawn", "diet", "do", "eat", "fact",
    "fed", "for", "go", "guardian", "guinea", "he", "hi", "i", "ice", "if", "in", "is", "it", "let", "man",
    "may", "me", "mission", "moon", "my", "new", "no", "now", "of", "oh", "on", "one", "or", "our", "pa",
    "pal", "pan", "raw", "sad", "saw", "set", "so", "sun", "tap", "to", "top", "turkey", "up", "us", "was",
    "we", "who", "why", "win", "won", "yes", "you"
})


def key(text: str, *, keep_case: bool = False) -> str:
    """The lookup key of a surface form.

    ``key("the U.S.'s")`` → ``"us"``; ``key("Côte d’Ivoire")`` →
    ``"cote divoire"``; ``key("al-Qaeda")`` → ``"al qaeda"``.  With
    ``keep_case`` the letters keep their case (for capitals-only acronyms).
    """
    s = unicodedata.normalize("NFKC", text).translate(_TRANSLITERATE)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.replace(".", "")  # U.S. -> US, St. Lucia -> St Lucia, George W. Bush
    s = _POSSESSIVE.sub("", s)  # Russia's -> Russia, Russians' -> Russians
    s = _APOSTROPHE.sub("", s)  # N'Djamena -> NDjamena, Sana'a -> Sanaa
    s = s.replace("&", " and ")
    s = _NON_WORD.sub(" ", s)  # hyphens, commas, brackets, quotes
    s = " ".join(s.split())
    s = _LEADING_ARTICLE.sub("", s)
    return s if keep_case else s.casefold()


def is_case_sensitive(surface: str) -> bool:
    """Whether an alias must match with its own case ("US" but not "us", "Turkey" but not "turkey")."""
    k = key(surface, keep_case=True)
    return " " not in k and k.casefold() in COMMON_WORDS


def plural(noun: str) -> str:
    """Regular English plural of the last word of a title or noun phrase."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower.endswith(("man", "woman")) and not lower.endswith("human"):
        last = last[:-2] + ("EN" if last.isupper() else "en")
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif lower.endswith(("s", "x", "ch", "sh")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last
