"""Phoenix/PETRARCH actors and agents dictionaries, read at runtime.

Users who have the public Phoenix dictionaries (or their own in the same
format) plug them in with ``ActorTable.load(petrarch_actors=[...],
petrarch_role_nouns=[...])``; their entries answer the same ``lookup`` calls as
the built-in data.  PETRARCH's *agents* are generic nouns that give an actor its
role ("minister", "police"); they are read here as :class:`RoleNoun` s, since in
this code base "agent" means a Faust agent.  The formats are PETRARCH's
(``dictionaries.rst``):

Actors::

    VLADIMIR_PUTIN_            # primary phrase, optional [default code]
    +PUTIN_                    # synonyms
        [RUSGOV 991231-080507] # date restrictions: a-b, <date, >date
        [RUSELI]               # a bare code replaces the default

Agents (role nouns)::

    !MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES
    FOREIGN_MINISTER [~GOVFRM]      # ~CODE: appended to the actor's code
    HUMAN_RIGHTS_BODY [NGO~]        # CODE~: put in front of it
    POLICE {} [~COP]                # {}: no plural; {X} an irregular plural
    FOREIGN_!MINIST! [~GOV]         # substitution set

Semantics follow PETRARCH: the first date restriction that covers the date
wins, then the first unrestricted code, else the null code ``---`` (no
actor); bounds are inclusive; ``YYMMDD`` years 00-30 are 20YY, others 19YY.
Differences, on purpose: phrases match as whole normalised strings (blank
and underscore alike, no words skipped), and codes that are not CAMEO-shaped
(``ELR/GAL``, ``G77``, ``YEMNO``) are reported as warnings and left out
rather than published as invalid ``ActorCode`` values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from streams.errors import DataError
from streams.nlp.actors.models import ROLES, Candidate, Entry, Kind, RoleNoun, Rule

_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
_NULL = "---"
#: Code prefixes that name no country (CAMEO "international" actor types).
NON_STATE_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC", "INT", "NGM", "UIS"})


class PetrarchFormatError(DataError, ValueError):
    """A dictionary file cannot be read at all (missing, not text)."""


def parse_date(text: str) -> date:
    """``YYYYMMDD`` or ``YYMMDD`` (00-30 → 20YY, else 19YY), as PETRARCH reads it.

    Like PETRARCH, a string longer than seven digits is read as ``YYYYMMDD``
    from its first eight (so a stray ninth digit is ignored).
    """
    text = text.strip()
    if len(text) > 7:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    return date(year, month, day)  # raises ValueError on 20100931


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """One bracketed code: a default, or a code with a date restriction."""

    code: str | None  # None = the null code "---"
    start: date | None = None  # inclusive
    end: date | None = None  # exclusive

    @property
    def restricted(self) -> bool:
        return self.start is not None or self.end is not None


def parse_code(text: str) -> CodeSpec:
    """``RUSGOV``, ``RUSGOV >080508``, ``HOB < 950601``, ``HOBGOV 19950601 - 19990815``, ``---``.

    Read the way PETRARCH reads it: the first word is the code; then ``<`` or
    ``>`` and a date, or two dates around ``-``; anything else after the code
    is ignored and the code becomes the default (``[MNEGOV 20121204]``).
    """
    code_text, _, rest = text.strip().partition(" ")
    raw = code_text.strip().upper()
    rest = rest.strip()
    code: str | None
    if raw == _NULL:
        code = None
    elif _CODE.match(raw):
        code = raw
    elif not raw:
        raise ValueError(f"cannot read code {text!r}")
    else:
        raise ValueError(f"{raw!r} is not a CAMEO-shaped code (three-letter chunks)")
    if "<" in rest or ">" in rest:
        m = re.search(r"\d{6,}", rest)
        if not m:
            raise ValueError(f"cannot read the date in {text!r}")
        day = parse_date(m.group())
        if rest.lstrip().startswith("<"):
            return CodeSpec(code, None, day + timedelta(days=1))
        return CodeSpec(code, day, None)
    if "-" in rest:
        m = re.fullmatch(r"\s*(\d{6,})\s*-\s*(\d{6,})\s*", rest)
        if not m:
            raise ValueError(f"cannot read the interval in {text!r}")
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
        if end < start:
            raise ValueError(f"interval {m.group(1)}-{m.group(2)} ends before it starts")
        return CodeSpec(code, start, end + timedelta(days=1))
    return CodeSpec(code)


def _strip_comment(line: str) -> str:
    for mark in ("#", ";"):
        at = line.find(mark)
        if at >= 0:
            line = line[:at]
    return line.rstrip()


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Content lines with their numbers: comments, XML comments and blanks removed."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise PetrarchFormatError(f"cannot read {path}: {exc}") from exc
    in_xml_comment = False
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_xml_comment:
            if "-->" in line:
                in_xml_comment = False
                line = line[line.index("-->") + 3:]
            else:
                continue
        if "<!--" in line:
            before, _, after = line.partition("<!--")
            if "-->" in after:
                line = before + after[after.index("-->") + 3:]
            else:
                in_xml_comment = True
                line = before
        if line.lstrip().startswith("<!"):
            continue  # "<! -- ... -->" and other one-line markup
        if "---STOP---" in line:
            break
        line = _strip_comment(line)
        if line.strip():
            yield n, line


def _phrase(text: str) -> str:
    """``VLADIMIR_PUTIN_`` → ``VLADIMIR PUTIN``."""
    return " ".join(text.replace("_", " ").split())


def _display(phrase: str) -> str:
    return " ".join(w if any(c.isdigit() for c in w) else w.capitalize() for w in phrase.split())


def _brackets(line: str) -> tuple[str, list[str]]:
    """Text before the first ``[``, and the contents of every ``[...]`` group."""
    head, bracket, rest = line.partition("[")
    groups = re.findall(r"\[([^\]\}]*)[\]\}]", bracket + rest) if bracket else []
    return head, groups


@dataclass
class PetrarchActors:
    """Entries of one actor dictionary, with the problems met while reading it."""

    path: Path
    items: list[tuple[str, Entry]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def entries(self) -> Iterator[tuple[str, Entry]]:
        """(surface text, entry) for every phrase and synonym."""
        return iter(self.items)

    def __len__(self) -> int:
        return len({id(e) for _, e in self.items})


def _kind_of(code: str, dated: bool) -> Kind:
    head = code[:3]
    if head == "IGO":
        return "igo"
    if head == "NGO":
        return "ngo"
    if head in NON_STATE_PREFIXES:
        return "group"
    if dated:
        return "leader"
    if len(code) == 3:
        return "country"
    if code[3:6] in {"REB", "INS", "UAF", "RAD", "SEP"}:
        return "group"
    return "institution"


def candidate_for(code: str, name: str, basis: str, kind: Kind, entry_key: str, source: str) -> Candidate:
    """A candidate for a PETRARCH code: country = first chunk unless non-state."""
    head = code[:3]
    if head in NON_STATE_PREFIXES:
        country = None
        role = head if head in ROLES else next((code[i:i + 3] for i in range(3, len(code), 3)
                                                 if code[i:i + 3] in ROLES), None)
    else:
        country = head
        role = next((code[i:i + 3] for i in range(3, len(code), 3) if code[i:i + 3] in ROLES), None)
    return Candidate(code, country, role, name, basis, kind, entry_key, source)


@functools.lru_cache(maxsize=32)
def _read_actors_cached(path: str, mtime: float) -> PetrarchActors:
    return _read_actors(Path(path))


def read_actors(path: Path | str) -> PetrarchActors:
    """Parse an actor dictionary (cached per path and modification time)."""
    p = Path(path).resolve()
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise PetrarchFormatError(f"cannot read {p}: {exc}") from exc
    return _read_actors_cached(str(p), mtime)


def _read_actors(path: Path) -> PetrarchActors:
    out = PetrarchActors(path)
    source = path.name

    # The record being read: phrases, specs, where it started, and whether it
    # had any bracketed code at all (valid or not).
    phrases: list[str] = []
    specs: list[CodeSpec] = []
    start_line = 0
    bracketed = False
    # PETRARCH gives a primary phrase with no code and no restriction the
    # codes of the next record (its code index only advances once codes are
    # stored), so such phrases wait here and join the next record.
    pending: list[str] = []

    def flush() -> None:
        nonlocal pending
        if not phrases:
            return
        primary = phrases[0]
        if not bracketed:
            pending = [*pending, *phrases]
            return
        entry_key = f"petrarch:{source}:{start_line}"
        name = _display(primary)
        dated = any(s.restricted for s in specs)
        codes = [s.code for s in specs if s.code]
        all_phrases = [*pending, *phrases]
        pending = []
        if not specs:
            out.warnings.append(f"{source}:{start_line}: {primary}: no usable code; entry skipped")
            return
        kind = _kind_of(codes[0], dated) if codes else "country"
        rules = []
        fallback: Candidate | None = None
        have_default = False
        for s in specs:
            basis = f"petrarch:{source}:{start_line}"
            if s.restricted:
                basis += f":{s.start or ''}..{(s.end - timedelta(days=1)) if s.end else ''}"
            cand = (candidate_for(s.code, name, basis, kind, entry_key, source)
                    if s.code else None)
            if s.restricted:
                rules.append(Rule(s.start, s.end, cand))
            elif not have_default:
                have_default, fallback = True, cand
        entry = Entry(entry_key, kind, name, rules=tuple(rules), fallback=fallback)
        for ph in all_phrases:
            out.items.append((ph, entry))

    for n, line in _lines(path):
        stripped = line.strip()
        if line[0] in " \t" and stripped.startswith("["):
            if not phrases:
                out.warnings.append(f"{source}:{n}: date restriction outside an entry; skipped")
                continue
            bracketed = True
            for g in _brackets(stripped)[1]:
                _add_spec(g, specs, out.warnings, f"{source}:{n}")
            continue
        if stripped.startswith("+"):
            if not phrases:
                out.warnings.append(f"{source}:{n}: synonym outside an entry; skipped")
                continue
            head, groups = _brackets(stripped[1:])
            if _phrase(head):
                phrases.append(_phrase(head))
            bracketed = bracketed or bool(groups)
            for g in groups:
                _add_spec(g, specs, out.warnings, f"{source}:{n}")
            continue
        flush()
        head, groups = _brackets(stripped)
        phrases, specs, start_line, bracketed = [], [], n, bool(groups)
        if not _phrase(head):
            out.warnings.append(f"{source}:{n}: code without a phrase; skipped")
            continue
        phrases.append(_phrase(head))
        for g in groups:
            _add_spec(g, specs, out.warnings, f"{source}:{n}")
    flush()
    if pending:
        names = ", ".join(pending[:5])
        out.warnings.append(f"{source}: {names}: no code before the end of the file; skipped")
    return out


def _add_spec(text: str, specs: list[CodeSpec], warnings: list[str], where: str) -> None:
    try:
        specs.append(parse_code(text))
    except ValueError as exc:
        warnings.append(f"{where}: [{text.strip()}]: {exc}; code skipped")


@dataclass
class PetrarchRoleNouns:
    """Role nouns of one PETRARCH agents dictionary, with the problems met while reading it."""

    path: Path
    items: list[tuple[str, RoleNoun]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def nouns(self) -> Iterator[tuple[str, RoleNoun]]:
        """(surface text, role noun) for every form (plurals and substitutions included)."""
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def petrarch_plural(phrase: str) -> str:
    """PETRARCH's regular plural: Y → IES, S → SES, else + S (on the raw phrase)."""
    if phrase.endswith("Y") or phrase.endswith("y"):
        return phrase[:-1] + ("IES" if phrase.isupper() else "ies")
    if phrase.endswith(("S", "s")):
        return phrase + ("ES" if phrase.isupper() else "es")
    return phrase + ("S" if phrase.isupper() or not phrase else "s")


@functools.lru_cache(maxsize=32)
def _read_role_nouns_cached(path: str, mtime: float) -> PetrarchRoleNouns:
    return _read_role_nouns(Path(path))


def read_role_nouns(path: Path | str) -> PetrarchRoleNouns:
    """Parse a PETRARCH agents dictionary (cached per path and modification time)."""
    p = Path(path).resolve()
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise PetrarchFormatError(f"cannot read {p}: {exc}") from exc
    return _read_role_nouns_cached(str(p), mtime)


def _read_role_nouns(path: Path) -> PetrarchRoleNouns:
    out = PetrarchRoleNouns(path)
    source = path.name
    subs: dict[str, list[str]] = {}
    for n, line in _lines(path):
        where = f"{source}:{n}"
        stripped = line.strip()
        if "!" in stripped and "=" in stripped and "[" not in stripped:
            m = re.match(r"^!([^!]+)!\s*=\s*(.+)$", stripped)
            if not m:
                out.warnings.append(f"{where}: substitution set incorrectly defined; skipped")
                continue
            subs[m.group(1)] = [s.strip() for s in m.group(2).split(",") if s.strip()]
            continue
        if "[" not in stripped:
            out.warnings.append(f"{where}: role nouns (agents) need a [code]; skipped")
            continue
        head, groups = _brackets(stripped)
        if not groups:
            out.warnings.append(f"{where}: unclosed [code]; skipped")
            continue
        raw_code = groups[0].strip().upper()
        prefix = suffix = ""
        if raw_code.startswith("~"):
            suffix = raw_code[1:].strip()
        elif raw_code.endswith("~"):
            prefix = raw_code[:-1].strip()
        else:
            suffix = raw_code
            out.warnings.append(f"{where}: code {raw_code} has no ~; taken as a suffix")
        chunk = prefix or suffix
        if not _CODE.match(chunk):
            out.warnings.append(f"{where}: [{groups[0].strip()}] is not a CAMEO-shaped role code; skipped")
            continue
        role = chunk[:3]
        # Phrase, optional {plural}.
        plural_given: str | None = None
        if "{" in head:
            if "}" not in head:
                out.warnings.append(f"{where}: missing '}}'; skipped")
                continue
            plural_given = head[head.index("{") + 1:head.index("}")].strip()
            head = head[:head.index("{")]
        phrase = head.strip()
        if not phrase:
            out.warnings.append(f"{where}: code without a phrase; skipped")
            continue
        forms: list[str]
        if "!" in phrase:
            m = re.search(r"!([^!]+)!", phrase)
            if not m or m.group(1) not in subs:
                out.warnings.append(f"{where}: unknown or malformed substitution marker in {phrase}; skipped")
                continue
            forms = [phrase[:m.start()] + s + phrase[m.end():] for s in subs[m.group(1)]]
        else:
            forms = [phrase]
            if plural_given is None:
                forms.append(petrarch_plural(phrase.rstrip("_")))
            elif plural_given:
                forms.append(plural_given)
        noun = RoleNoun(_phrase(phrase).lower(), "title", role, suffix, prefix, source=source)
        for f in forms:
            out.items.append((_phrase(f), noun))
    return out
