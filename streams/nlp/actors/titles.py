"""Titles and institution nouns: find one at the start of a phrase, with its modifiers.

"deputy foreign minister" is the title "foreign minister" after the modifier
"deputy" (which keeps the role); "former defence minister" turns the role into
``ELI``.  :class:`streams.nlp.actors.table.ActorTable` uses this to compose an
owner and a title into an actor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from streams.nlp.actors.models import RoleNoun, SurfaceForm
from streams.nlp.actors.normalize import key


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """A title found at the start of a phrase, with its modifiers."""

    title: str
    role: str
    #: Number of normalised tokens the title (with modifiers) spans.
    length: int
    modifiers: tuple[str, ...] = ()
    noun: RoleNoun | None = None



class Titles:
    """Title and institution nouns with their roles, and the words around them."""

    def __init__(self, nouns: dict[str, RoleNoun], modifiers: dict[str, str | None],
                 honorifics: frozenset[str]):
        self._nouns = nouns
        self._modifiers = modifiers
        self._honorifics = honorifics
        self._max_len = max((len(k.split()) for k in nouns), default=1)

    def __contains__(self, phrase: str) -> bool:
        return key(phrase) in self._nouns

    def __len__(self) -> int:
        return len(self._nouns)

    def get(self, phrase: str) -> RoleNoun | None:
        return self._nouns.get(key(phrase))

    def phrases(self) -> tuple[SurfaceForm, ...]:
        out = []
        for k, noun in sorted(self._nouns.items()):
            out.append(SurfaceForm(k, f"{noun.kind}:{noun.phrase}", noun.kind,
                                   "ORG" if noun.kind == "institution" else "PERSON", False))
        return tuple(out)

    @property
    def modifiers(self) -> Mapping[str, str | None]:
        """Modifier words and the role they impose (``None``: keep the title's)."""
        return MappingProxyType(self._modifiers)

    @property
    def honorifics(self) -> frozenset[str]:
        return self._honorifics

    def match(self, text: str) -> TitleMatch | None:
        """The longest title at the start of ``text`` (after modifiers)."""
        return self.match_tokens(key(text).split())

    def match_tokens(self, tokens: Sequence[str], start: int = 0) -> TitleMatch | None:
        """The title at ``tokens[start:]``, possibly after modifiers.

        Of the readings "title here" and "modifiers, then a title", the one
        reaching furthest wins, then the one with fewer modifiers: "chief
        executive" is one title, "chief negotiator" is "chief" + "negotiator",
        and "secretary of state" beats "secretary".
        """
        best: tuple[int, int, RoleNoun] | None = None  # (end, skipped, noun)
        i = start
        while True:
            for n in range(min(self._max_len, len(tokens) - i), 0, -1):
                noun = self._nouns.get(" ".join(tokens[i:i + n]))
                if noun is not None:
                    if best is None or i + n > best[0]:
                        best = (i + n, i - start, noun)
                    break
            if i < len(tokens) and tokens[i] in self._modifiers:
                i += 1
            else:
                break
        if best is None:
            return None
        end, skipped, noun = best
        mods = tuple(tokens[start:start + skipped])
        role = noun.role
        for m in mods:
            role = self._modifiers[m] or role
        return TitleMatch(noun.phrase, role, end - start, mods, noun)

    def role_after(self, modifiers: Sequence[str], role: str) -> str:
        """The role a title keeps after modifiers ("former" makes it ELI)."""
        for m in modifiers:
            role = self._modifiers.get(m) or role
        return role
