"""Who is who across articles: pure functions over names and roles, no database.

One stored entity per person or organisation. Persons: a full name (first name and surname)
matches a stored full name with the same first name and the same surname or a one-letter
spelling variant of it (James Cleverley / James Cleverly); different first names stay apart
(Bill / Hillary Clinton). A bare surname joins a stored person only when exactly one fits,
with a matching role wherever both have roles. Organisations and other kinds match on their
folded name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.model import Entity
from onrecord.store.similarity import fold

#: Words before a name that are not part of it (kept here: the store never imports the parser's lexicon).
HONORIFICS: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev sen rep gov pres president".split()
)
#: Words after a name that are not its surname.
SUFFIXES: frozenset[str] = frozenset("jr sr ii iii iv".split())
#: Words that carry no meaning in a role ("the Secretary of State" ~ "Secretary of State").
ROLE_STOPWORDS: frozenset[str] = frozenset("the a an of for and to in at on".split())
PRONOUNS: frozenset[str] = frozenset("he she it they we i you him her them his its their this that who".split())

_NAME_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def name_tokens(text: str) -> tuple[str, ...]:
    """The folded words of a name without possessive, leading honorifics or 'the', or a trailing Jr."""
    folded = fold(text).replace("’s", "").replace("'s", "")
    toks = [t.replace("’", "'") for t in _NAME_WORD.findall(folded)]
    while toks and (toks[0] in HONORIFICS or toks[0] == "the"):
        toks = toks[1:]
    while len(toks) > 1 and toks[-1] in SUFFIXES:
        toks = toks[:-1]
    return tuple(toks)


def name_norm(text: str) -> str:
    """The comparable form of a name: 'Mr. James  Cleverly’s' -> 'james cleverly'."""
    return " ".join(name_tokens(text))


def display_name(text: str) -> str:
    """A name as printed, without possessive and leading honorifics ('Mr Cleverly’s' -> 'Cleverly')."""
    ws = re.sub(r"[’']s\b", "", " ".join(text.split())).split()
    while len(ws) > 1 and fold(ws[0]).rstrip(".") in HONORIFICS | {"the"}:
        ws = ws[1:]
    return " ".join(ws).strip(" ,;:")


@dataclass(frozen=True)
class NameKey:
    """What identity compares: the entity kind, its folded name, and for persons first name and surname."""

    type: str
    norm: str
    first: str | None = None  # None: known by surname only
    surname: str | None = None

    @property
    def is_person(self) -> bool:
        return self.type == "PERSON"

    @property
    def full(self) -> bool:
        return self.first is not None


def name_key(name: str, type_: str) -> NameKey:
    """The identity key of an article entity's name."""
    toks = name_tokens(name)
    if type_ != "PERSON" or not toks:
        return NameKey(type_, " ".join(toks) or fold(name).strip())
    if len(toks) == 1:
        return NameKey(type_, toks[0], None, toks[0])
    return NameKey(type_, " ".join(toks), toks[0], toks[-1])


def similar_surname(a: str, b: str) -> bool:
    """Equal, or one letter added, dropped, changed or swapped in a surname of five letters or more
    that starts with the same letter (Cleverley / Cleverly)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    return _edit_distance_at_most_one(a, b)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        rest_changed = a[i + 1 :] == b[i + 1 :]
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        return rest_changed or swapped
    return a[i:] == b[i + 1 :]


def surname_keys(surname: str) -> set[str]:
    """Index keys of a surname: itself and, when long enough to have variants, each one-letter
    deletion. Two surnames within one edit share a key, so a variant is found by equality lookups."""
    keys = {surname}
    if len(surname) >= 5:
        # also finds swapped neighbours: deleting either of the two letters gives the same key
        keys |= {surname[:i] + surname[i + 1 :] for i in range(len(surname))}
    return keys


def role_words(role: str) -> frozenset[str]:
    """The meaningful folded words of a role: 'the British Foreign Secretary' -> {british, foreign, secretary}."""
    return frozenset(w for w in re.findall(r"\w+", fold(role)) if w not in ROLE_STOPWORDS)


def roles_match(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when some role of one is the same as, or a shorter form of, a role of the other
    ('Foreign Secretary' matches 'British Foreign Secretary')."""
    bs = [w for w in (role_words(r) for r in b) if w]
    for ra in a:
        wa = role_words(ra)
        if wa and any(wa <= wb or wb <= wa for wb in bs):
            return True
    return False


@dataclass(frozen=True)
class StoredPerson:
    """A stored person as identity sees it: id, first name (None: surname only), surname, roles."""

    id: int
    first: str | None
    surname: str
    roles: tuple[str, ...] = ()


def match_person(key: NameKey, roles: Iterable[str], candidates: Iterable[StoredPerson]) -> tuple[int | None, bool]:
    """The stored person an article's person is, or None for a new one; the flag says whether the
    stored person, known so far by surname only, takes this full name.

    candidates: stored persons whose surname is the same or a variant (the caller looks them up
    by surname_keys and leaves out those another entity of the same article already took).
    """
    roles = tuple(roles)
    fits = [c for c in candidates if c.surname and similar_surname(c.surname, key.surname or "")]
    full = [c for c in fits if c.first is not None]
    bare = [c for c in fits if c.first is None]
    if key.full:
        same = [c for c in full if c.first == key.first]
        if same:
            exact = [c for c in same if c.surname == key.surname]
            return min(exact or same, key=lambda c: c.id).id, False
        # a person stored by surname only, now named in full: only on the evidence of a shared role
        fitting = [c for c in bare if roles and roles_match(roles, c.roles)]
        return (fitting[0].id, True) if len(fitting) == 1 else (None, False)
    pool = full or bare
    if len(pool) == 1:
        return (pool[0].id, False) if _compatible(roles, pool[0].roles) else (None, False)
    # several people share the surname: only a role can say which one
    matching = [c for c in pool if roles and roles_match(roles, c.roles)]
    return (matching[0].id, False) if len(matching) == 1 else (None, False)


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Roles do not speak against the match: one side has none, or some role matches."""
    return not a or not b or roles_match(a, b)


def name_forms(entity: Entity) -> list[str]:
    """The mentions of an entity that are names of it (not pronouns or descriptions), as printed,
    one per mention, and the entity's own name once when no mention prints it as such."""
    key = name_key(entity.name, entity.type)
    forms = []
    for m in entity.mentions:
        form = display_name(m.text)
        toks = name_tokens(form)
        if not toks or not form[:1].isupper() and not form[:1].isdigit() or toks[0] in PRONOUNS:
            continue
        if key.is_person:
            if key.surname and similar_surname(toks[-1], key.surname):
                forms.append(form)
        elif any(t in key.norm.split() or any(similar_surname(t, n) for n in key.norm.split()) for t in toks):
            forms.append(form)
    own = display_name(entity.name) or entity.name
    return forms if own in forms else [*forms, own]


def is_full_form(form: str, type_: str) -> bool:
    """A form that can be a canonical name: a person's needs a first name and a surname."""
    return type_ != "PERSON" or len(name_tokens(form)) >= 2
