"""Positions (who is for or against what) and disagreements (who disagrees with whom), read from
the predicate and its arguments in one parsed piece of an article.

A stance trigger is a verb (``support``, ``oppose``, ``calls for``), a noun (``support for``,
``opposition to``) or a phrase (``opposed to``, ``in favour of``); its object is the target. The
holder is the speaker when the trigger is a statement's cue or sits in its content with the
speaker as subject (``said he supports``), else the trigger's subject when it names an entity.
Negation and refusal flip a stance (``does not support``, ``refused to back``), hedges lower its
confidence (``may consider supporting``), and ``X rather than Y`` / ``X instead of Y`` give the
opposite stance on Y. Offsets in the Doc are shifted by ``base`` into the article text, and every
span is cut from the article text, so ``text[start:end] == span.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string

from onrecord.model import POSITION_REPORT_CONFIDENCE, Disagreement, Entity, Position, Span, Statement
from onrecord.nlp import lexicon
from onrecord.text.words import singular

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Span_

# --- target normalisation ---------------------------------------------------------------------

_LEADING_WORDS = frozenset("the a an this that these those his her their its our my your such".split())
_HEAD_STOPS = frozenset(
    "of for to on in against with from by over about between among during after before under that which who whose".split()
)
_POSSESSIVE_END = re.compile(r"(?:['’]s?)$")
_QUOTE_CHARS = re.compile(r"[“”\"«»„]|(?<![\w])[‘’']|[‘’'](?![\w])")


def normalize_target(text: str) -> str:
    """One key per target: lowercase, quotation marks and leading determiners/possessives dropped,
    the head noun made singular unless it is a name ("the ceasefires", "a ceasefire" -> "ceasefire")."""
    words = _QUOTE_CHARS.sub("", text).split()
    words = [w.strip(".,;:!?()[]") for w in words]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower() in _LEADING_WORDS:
        words = words[1:]
    if words and words[0].lower() in _LEADING_WORDS:
        return ""
    if not words:
        return ""
    head = next((i - 1 for i, w in enumerate(words) if i > 0 and w.lower() in _HEAD_STOPS), len(words) - 1)
    lowered = [w.lower() for w in words]
    if not words[head][:1].isupper():  # a capitalised head is a name ("the United States", "Sanders")
        lowered[head] = singular(lowered[head])
    return " ".join(lowered)


# --- the parse, the statements and the entities of one piece ----------------------------------

_FIRST_PERSON = frozenset("i we me us my our".split())
_SECOND_PERSON = frozenset("you your yours".split())
_THIRD_PERSON = frozenset("he she him her his they them their".split())
_PERSON_PRONOUNS = frozenset("he she him her his".split())
_HOLDER_TYPES = frozenset({"PERSON", "ORG"})
#: Determiners of a holder that name no one in particular ("A party MP", "some Democrats").
_INDEFINITE = frozenset("a an some any another several many no".split())
_NOBODY = frozenset("none nobody neither".split())
_RELATIVE_TAGS = frozenset({"WP", "WDT"})
_TARGET_DROP_DEPS = frozenset(
    {"relcl", "acl", "appos", "conj", "cc", "advcl", "parataxis", "punct", "mark", "preconj", "neg", "aux", "nsubj", "advmod"}
)
_HEDGE_FACTOR = 0.5
#: Confidence tiers of a holder. A position is reported (by the evaluation, and by default) at
#: REPORT_MIN_CONFIDENCE or above: a named speaker or named subject, a pronoun that is a mention of
#: an entity or the subject of the clause above it; holders guessed from the neighbourhood, names
#: the record has no entity for, indefinite or group holders ("Republicans") and hedged stances
#: fall below it and are kept only as leads.
REPORT_MIN_CONFIDENCE = POSITION_REPORT_CONFIDENCE
_NAMED_SPEAKER, _NAMED_SUBJECT, _PRONOUN_MENTION, _PRONOUN_GOVERNED, _PRONOUN_ALONE = 0.85, 0.75, 0.7, 0.6, 0.5
_GUESSED = 0.4
#: Entity types that are never a target ("pushed for months", "endorse anyone this cycle").
_NOT_TARGET_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
#: Targets that name nothing by themselves.
_EMPTY_TARGETS = frozenset("thing one something anything everything nothing part former latter".split())
#: Quantifiers that head a subject without naming anyone ("Plenty of companies", "Most").
_QUANTIFIERS = frozenset("plenty many most some all none few several both each half majority".split())
_TARGET_PREPS = frozenset("of on to for against in about".split())
_MAX_TARGET_TOKENS = 12
#: Entity types whose name is the whole target, without the words that describe it.
_NAMED_TARGETS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LAW"})
_CLIMB_DEPS = frozenset({"xcomp", "conj", "acomp"})
_OPEN_QUOTES, _CLOSE_QUOTES = "“‘«", "”’»"


@dataclass(frozen=True)
class _Holder:
    entity: str | None
    text: str
    statement: Statement | None
    confidence: float
    others: tuple[str, ...] = ()  # more entities holding it ("Trump and Cruz criticized X")


class _Piece:
    """Look-ups over one parsed piece: statements by cue and content, entity mentions by offset."""

    def __init__(self, doc: Doc, text: str, statements: Iterable[Statement], entities: Iterable[Entity], base: int) -> None:
        self.doc, self.text, self.base = doc, text, base
        self._parsed: str | None = None
        self.end = end = base + (doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0)
        self.statements = [s for s in statements if s.content.end > base and s.content.start < end]
        self.entities = {e.id: e for e in entities}
        self.mentions = sorted((m.start, m.end, e.id) for e in entities for m in e.mentions)
        self._mention_starts = [m[0] for m in self.mentions]
        self._genders: dict[str, str | None] = {}

    @property
    def parsed(self) -> str:
        """The parsed text (quotation marks made curly); Doc.text is built anew on each access."""
        if self._parsed is None:
            self._parsed = self.doc.text
        return self._parsed

    def at(self, tok: Token) -> int:
        return tok.idx + self.base

    def span(self, a: int, b: int) -> Span:
        return Span.of(self.text, a, b)

    def tokens_span(self, first: Token, last: Token) -> tuple[int, int]:
        return self.at(first), self.at(last) + len(last.text)

    def cue_statement(self, tok: Token) -> Statement | None:
        """The statement whose cue holds this token."""
        at = self.at(tok)
        return next((s for s in self.statements if s.cue is not None and s.cue.start <= at < s.cue.end), None)

    def content_statement(self, tok: Token) -> Statement | None:
        """The statement whose content holds this token."""
        at = self.at(tok)
        inside = [
            s for s in self.statements if any(a <= at < b for a, b in (s.content.spans or ((s.content.start, s.content.end),)))
        ]
        return min(inside, key=lambda s: s.content.end - s.content.start, default=None)

    def entity_over(self, a: int, b: int, types: tuple[str, ...] = ("PERSON", "ORG")) -> str | None:
        """The entity with a mention overlapping [a, b), of one of these types."""
        k = bisect_right(self._mention_starts, b)
        for start, end, eid in reversed(self.mentions[max(0, k - 64) : k]):
            if start < b and a < end and self.entities[eid].type in types:
                return eid
        return None

    def name(self, eid: str | None) -> str:
        return self.entities[eid].name if eid in self.entities else ""

    def entity_type(self, eid: str | None) -> str:
        return self.entities[eid].type if eid in self.entities else ""

    def gender(self, eid: str) -> str | None:
        """"m" or "f" when the article calls the person "Mr." or "Mrs."/"Ms." (news style) or
        "Spokeswoman …", else None."""
        if eid not in self._genders:
            titles = set()
            for m in self.entities[eid].mentions if eid in self.entities else ():
                before = self.text[max(0, m.start - 5) : m.start].split()
                titles.add(lexicon.GENDER_WORDS.get(before[-1].lower(), "") if before else "")
            titles.discard("")
            self._genders[eid] = titles.pop() if len(titles) == 1 else None
        return self._genders[eid]


# --- holders ----------------------------------------------------------------------------------


def _speaker(stmt: Statement, confidence: float, piece: _Piece) -> _Holder | None:
    """The statement's speaker as holder; None when it has none or only a bare pronoun unresolved."""
    sp = stmt.speaker
    if sp is None:
        return None
    span = piece.doc.char_span(sp.start - piece.base, sp.end - piece.base, alignment_mode="expand")
    head = span.root if span is not None and len(span) else None
    if head is not None and head.dep_ in ("compound", "amod", "poss"):
        return _Holder(sp.entity, sp.text, stmt, _GUESSED)  # "the Keystone XL pipeline": a word of a phrase, no speaker
    if sp.entity is not None and piece.entity_type(sp.entity) in _HOLDER_TYPES and not (head is not None and _is_group(head)):
        return _Holder(sp.entity, sp.text, stmt, confidence)
    named = _people_named(piece, head) if head is not None else []
    if named:  # "The Democratic candidates, Hillary Clinton and Senator Bernie Sanders"
        return _Holder(named[0], piece.name(named[0]), stmt, confidence, tuple(named[1:]))
    if sp.entity is None and not _looks_like_name(sp.text):
        return None
    return _Holder(sp.entity, sp.text, stmt, _GUESSED)  # a name without an entity, a group, a nationality


def _is_group(tok: Token) -> bool:
    """A plural or national noun ("Republicans", "the two leading Democrats"): a group, not a named holder."""
    return tok.tag_ in ("NNS", "NNPS") or tok.ent_type_ == "NORP"


def _people_named(piece: _Piece, head: Token, conjuncts: bool = True) -> list[str]:
    """The people and organisations a noun phrase names: itself, its conjuncts and appositions
    ("the two leading Republicans, Donald J. Trump and Senator Ted Cruz")."""
    found: list[str] = []
    others = [c for c in head.conjuncts if conjuncts or not any(g.dep_ == "relcl" for g in c.children)]
    apposed = [a for c in head.children if c.dep_ == "appos" for a in (c, *c.conjuncts)]
    described = head.pos_ == "NOUN" or any(c.dep_ == "det" for c in head.children)
    if described and head.dep_ == "appos":  # "Right to Rise USA, the super PAC supporting X": the name
        candidates = [head.head, *apposed]
    elif described:  # "the main super PAC supporting her, Priorities USA Action"
        candidates = apposed or [*([head] if head.pos_ == "PROPN" else []), *others]
    else:
        candidates = [head, *others, *apposed]
    for t in candidates:
        if t.i == head.i and _is_group(t):
            continue
        eid = piece.entity_over(piece.at(t), piece.at(t) + len(t.text), ("PERSON", "ORG"))
        if eid is not None and eid not in found:
            found.append(eid)
    return found


def _looks_like_name(text: str) -> bool:
    """A short capitalised phrase ("Republicans", "the White House"): a holder worth naming without an entity."""
    words = text.split()
    return (
        0 < len(words) <= 4
        and any(w[:1].isupper() for w in words)
        and words[0].lower() not in _THIRD_PERSON | _FIRST_PERSON | _QUANTIFIERS | {"a", "an", "who", "which", "that"}
        and not any(w[:1].isdigit() for w in words)
    )


def _np_range(tok: Token) -> tuple[Token, Token]:
    """A noun phrase without its relative clauses, appositions and trailing modifiers."""
    left = tok
    for c in tok.lefts:
        if c.dep_ in ("compound", "det", "amod", "poss", "nummod", "nmod") and c.i < left.i:
            left = c
            break
    return left, tok


def _resolve_pronoun(piece: _Piece, tok: Token) -> _Holder | None:
    """A third-person pronoun outside any statement: the entity whose mention it is; the named
    person whose reported clause it heads; the first person named as a subject earlier in its
    sentence; the only person of its gender named earlier in the sentence or in the one before.
    A person known by a title of the other gender ("Mrs. Clinton" for "his") is never the answer."""
    at = piece.at(tok)
    exact = piece.entity_over(at, at + len(tok.text), ("PERSON", "ORG"))
    if exact is not None:  # "they" taken for a mention of one person or of a party is a guess
        return _Holder(exact, tok.text, None, _GUESSED if tok.lower_ in ("they", "them", "their") else _PRONOUN_MENTION)
    if tok.lower_ not in _PERSON_PRONOUNS:
        return None
    gender = "f" if tok.lower_ in ("she", "her") else "m"

    def fits(eid: str | None) -> bool:
        return eid is not None and piece.gender(eid) in (None, gender)

    reporter = _reporting_subject(tok)
    if reporter is not None:  # the one who reports the clause, or no one
        lo, hi = sorted((at, piece.at(reporter)))
        if _QUOTE_CHARS.search(piece.text, lo, hi):  # '"He is speaking out against X," Reynolds says': not Reynolds
            return None
        a, b = piece.tokens_span(*_np_range(reporter))
        eid = piece.entity_over(a, b, ("PERSON", "ORG"))  # "Representative Brooks" is at times tagged ORG
        return _Holder(eid, piece.text[a:b], None, _PRONOUN_GOVERNED) if fits(eid) else None
    sent = tok.sent
    if tok.dep_ == "poss":  # "Trump was endangering troops with his attacks on Islam": the clause's subject
        clause = _clause_verb(tok.head)
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        objects = [c for c in clause.children if c.dep_ == "dobj" and c.pos_ == "PROPN" and c.i < tok.i]
        if objects:  # "Cameron criticised Trump over his call for X": either of them
            return None
        if subj is not None and subj.pos_ == "PROPN" and subj.i < tok.i:
            a = piece.at(subj)
            eid = piece.entity_over(a, a + len(subj.text), ("PERSON",))
            between = {m[2] for m in piece.mentions if a + len(subj.text) <= m[0] and m[1] <= at and piece.entity_type(m[2]) == "PERSON"}
            if between - {eid}:  # "Cruz made references to Rubio's record and his support": either of them
                return None
            return _Holder(eid, subj.text, None, _PRONOUN_GOVERNED) if fits(eid) else None
    for t in piece.doc[sent.start : tok.i] if tok.dep_ != "poss" else ():
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN":
            eid = piece.entity_over(piece.at(t), piece.at(t) + len(t.text), ("PERSON",))
            if fits(eid):  # "While Mr. Cruz shares ..., he turned against"
                return _Holder(eid, t.text, None, _PRONOUN_GOVERNED)
    start = piece.at(sent[0])
    named = [m for m in piece.mentions if start <= m[0] and m[1] <= at and piece.entity_type(m[2]) in _HOLDER_TYPES]
    before = [m for m in named if piece.entity_type(m[2]) == "PERSON" and fits(m[2])]
    if before:
        confidence = _PRONOUN_ALONE if len({m[2] for m in before}) == 1 else _GUESSED
        return _Holder(before[-1][2], piece.text[before[-1][0] : before[-1][1]], None, confidence)
    if named:  # "Trump's evolution ... his support", Trump tagged ORG: not someone from the sentence before
        return None
    if sent.start > 0:
        prev = piece.doc[sent.start - 1].sent
        a, b = piece.at(prev[0]), piece.at(prev[-1]) + len(prev[-1].text)
        people = {m[2] for m in piece.mentions if a <= m[0] < b and piece.entity_type(m[2]) == "PERSON" and fits(m[2])}
        if len(people) == 1:
            return _Holder(people.pop(), tok.text, None, _PRONOUN_ALONE)
        gendered = any(piece.gender(e) == gender for e in people)
        for t in prev:  # "Jane Porter met Donald Trump. She criticised him": the subject goes on
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN":
                eid = piece.entity_over(piece.at(t), piece.at(t) + len(t.text), ("PERSON",))
                if fits(eid) and (piece.gender(eid) == gender or not gendered):
                    return _Holder(eid, t.text, None, _PRONOUN_ALONE)
                break
    return None


def _reporting_subject(pronoun: Token) -> Token | None:
    """For a subject pronoun in a clause reported by a named person ("Ryan has said that he will
    support X", "Brooks has said that he would consider X and that he favored Y"): that name."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = pronoun.head
    while clause.dep_ in ("ccomp", "conj") and clause.head.i != clause.i:
        reported = clause.dep_ == "ccomp"
        clause = clause.head
        subj = next((c for c in clause.children if c.dep_ == "nsubj"), None) if reported else None
        if subj is not None:
            return subj if subj.pos_ == "PROPN" else None
    return None


def _resolve_np(piece: _Piece, tok: Token, stmt: Statement | None, conjuncts: bool = True) -> _Holder | None:
    """Who a noun phrase (a subject, a possessor, an agent) names: in a statement's content, I/we
    and a reported he/she are the speaker; else an entity it mentions, a pronoun's antecedent, or
    a name the record has no entity for ("Republicans")."""
    if tok.lemma_.lower() in lexicon.POSITION_NOUNS:
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None:
            tok = owner
    if tok.lower_ in ("all", "both") and tok.dep_ == "appos":
        tok = tok.head  # "Trump, Huckabee and Christie all calling for X"
    low = tok.lower_
    if stmt is not None:
        if low in _FIRST_PERSON:
            return _speaker(stmt, 0.8, piece)
        speaker = stmt.speaker
        named_speaker = speaker is not None and speaker.entity is not None and speaker.text.lower() not in _THIRD_PERSON
        if low in ("he", "she") and tok.dep_ in ("nsubj", "nsubjpass") and stmt.kind == "indirect" and named_speaker:
            return _speaker(stmt, _PRONOUN_MENTION, piece)  # "Smith said he supports …"
    if low in _FIRST_PERSON or low in _SECOND_PERSON or low in _NOBODY or low in _QUANTIFIERS:
        return None
    if any(c.dep_ in ("det", "amod") and c.lower_ in _INDEFINITE for c in tok.children):
        return None  # "A party MP", "some Democrats": no one named
    if tok.pos_ == "PRON":
        if stmt is not None and stmt.kind == "direct" and low in _THIRD_PERSON and piece.entity_over(piece.at(tok), piece.at(tok) + len(tok.text)) is None:
            return None  # '"He supports their policies," Cruz said': someone the quotation's speaker knows
        return _resolve_pronoun(piece, tok)
    first, last = _np_range(tok)
    a, b = piece.tokens_span(first, last)
    if stmt is not None and stmt.speaker is not None and stmt.speaker.start < b and a < stmt.speaker.end:
        return _speaker(stmt, 0.8, piece)
    named = _people_named(piece, tok, conjuncts)  # "the mayor, Tom Reed, ..."; "Trump and Cruz criticized X"
    if named:
        return _Holder(named[0], piece.text[a:b], stmt, _NAMED_SUBJECT, tuple(named[1:]))
    if (tok.pos_ == "PROPN" or tok.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")) and _looks_like_name(piece.text[a:b]):
        return _Holder(None, piece.text[a:b], stmt, _GUESSED)
    return None


@dataclass(frozen=True)
class _Frame:
    """What governs a trigger: who holds it, and whether it is negated or hedged on the way up."""

    holder: _Holder | None
    flipped: bool
    hedged: bool


def _subject_of(piece: _Piece, tok: Token) -> Token | None:
    """The subject of a verb; for a relative clause, what "who"/"which" stands for."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
    if subj is not None and subj.tag_ in _RELATIVE_TAGS and tok.dep_ == "relcl":
        return _antecedent(piece, subj, tok.head)
    return subj


def _is_person(piece: _Piece, tok: Token) -> bool:
    at = piece.at(tok)
    return piece.entity_over(at, at + len(tok.text), ("PERSON",)) is not None


def _antecedent(piece: _Piece, relative: Token, head: Token) -> Token | None:
    """What a relative pronoun refers to. "who" is a person: the parser often hangs the clause on
    the last noun ("Robert Reich, a secretary during the Clinton administration, who endorsed"),
    so climb through prepositions and appositions to one; "which" is never a person."""
    if relative.lower_ == "which":
        return None if _is_person(piece, head) else head
    if relative.lower_ != "who" or _is_person(piece, head) or head.lower_ in lexicon.ROLE_WORDS:
        return head
    t, preps = head, 0
    for _ in range(6):
        if t.dep_ not in ("pobj", "prep", "appos", "compound", "conj") or t.head.i == t.i:
            break
        preps += t.dep_ == "prep"
        if preps > 1:  # no further than "a secretary of labor during the Clinton administration, who"
            break
        t = t.head
        if _is_person(piece, t):
            return t
    return None if head.ent_type_ in ("ORG", "GPE", "NORP", "FAC") else head


def _negated(tok: Token) -> bool:
    """A "not", "never" or "no" on the word or on its auxiliary ("can not support")."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det", "neg")):
            return True
        if c.dep_ == "aux" and any(g.dep_ == "neg" for g in c.children):
            return True
    return False


def _hedged(tok: Token) -> bool:
    return any(c.dep_ in ("aux", "advmod") and c.lower_ in lexicon.HEDGES for c in tok.children)


def _modality(trigger: Token) -> tuple[bool, bool]:
    """Whether the trigger is negated and whether it is hedged: read on it and up the verbs that
    govern it as an infinitive or a predicate ("refused to back", "may consider supporting",
    "is not opposed to"); a conjunct does not inherit its head's negation."""
    flips, hedged, t = 0, False, trigger
    for _ in range(6):
        flips += _negated(t)
        hedged = hedged or _hedged(t) or (t.i != trigger.i and t.lemma_ in lexicon.HEDGES)
        if t.i != trigger.i and t.lemma_ in lexicon.STANCE_REFUSALS:
            flips += 1
        if t.i != trigger.i and t.lemma_ == "have" and any(c.lower_ == "yet" for c in t.children):
            flips += 1  # "has yet to endorse"
        if t.dep_ not in ("xcomp", "acomp") or t.head.i == t.i:
            break
        t = t.head
    return flips % 2 == 1, hedged


def _frame(piece: _Piece, trigger: Token, agent_holder: bool = True) -> _Frame:
    """Climb from the trigger through infinitives, predicates and conjuncts to the first cue of a
    statement or the first subject: the holder; with the trigger's negation and hedges."""
    flipped, hedged = _modality(trigger)
    holder = _climb_to_holder(piece, trigger, agent_holder)
    return _Frame(holder, flipped, hedged) if holder is not _ASKED else _Frame(None, False, False)


_ASKED = _Holder(None, "", None, 0.0)  # the trigger is asked or supposed, not stated


def _climb_to_holder(piece: _Piece, trigger: Token, agent_holder: bool) -> _Holder | None:
    """The holder found climbing from the trigger. A statement's speaker below the report bar
    (an unnamed or mis-parsed one) gives way to a better holder read from the syntax further on."""
    t, fallback = trigger, None
    stmt = piece.content_statement(trigger)

    def better(found: _Holder | None) -> _Holder | None:
        if fallback is None or found is not None and found.confidence >= fallback.confidence:
            return found
        return fallback

    for _ in range(8):
        if any(c.dep_ in ("mark", "advmod") and c.lower_ in ("whether", "if", "why", "how") for c in t.children):
            return _ASKED
        if _acted_by_object(t):
            return fallback  # "allowed him to call for", "left it to others to praise": not the subject's stance
        if t.i == trigger.i and t.dep_ == "acl" and t.tag_ == "VBG":
            return better(_resolve_np(piece, t.head, stmt))  # "those calling for X", "a book calling for X"
        cue_of = piece.cue_statement(t)
        if cue_of is not None and t.i == trigger.i and _syntax_names_holder(piece, t, cue_of):
            cue_of = None  # the stance verb itself taken for a cue: its own subject says who
        speaker = _speaker(cue_of, _NAMED_SPEAKER, piece) if cue_of is not None else None
        if speaker is not None and speaker.confidence >= REPORT_MIN_CONFIDENCE:
            return speaker
        fallback = fallback or speaker
        if agent_holder:
            agent = next((c for c in t.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None:
                return better(_resolve_np(piece, pobj, stmt))
        if t.dep_ == "relcl" and any(c.tag_ in _RELATIVE_TAGS and c.dep_ in ("nsubj", "csubj") for c in t.children):
            subj = _subject_of(piece, t)  # "Sanders, who ..., and Trump, who also pushed for X": Trump alone
            return better(_resolve_np(piece, subj, stmt, conjuncts=False) if subj is not None else None)
        subj = _subject_of(piece, t)
        if subj is not None:
            return better(_resolve_np(piece, subj, stmt))
        if t.dep_ in _CLIMB_DEPS or (t.dep_ == "advcl" and t.tag_ == "VBG"):
            t = t.head
            continue
        break
    return fallback


def _syntax_names_holder(piece: _Piece, verb: Token, stmt: Statement) -> bool:
    """Whether a stance verb read as a statement's cue has its own subject, apart from the speaker
    found for it: a pronoun ("she endorsed X"), "who" ("Duss, the president of the Foundation,
    who criticizes X"), or another phrase ("hopes that the platform will endorse X")."""
    sp = stmt.speaker
    if sp is None:
        return False
    if sp.text.lower() in _THIRD_PERSON:
        return True
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return False
    if subj.tag_ in _RELATIVE_TAGS:
        return True
    a, b = piece.tokens_span(subj.left_edge, subj.right_edge)
    return not (a < sp.end and sp.start < b)


def _acted_by_object(verb: Token) -> bool:
    """An infinitive whose doer is the object of the verb above ("allowed him to call for", "left
    it to others to praise"), unless that verb urges it on them ("urged lawmakers to reject")."""
    head = verb.head
    if head.i == verb.i or head.lemma_.lower() in lexicon.DIRECTIVE_VERBS:
        return False
    if verb.dep_ == "xcomp":
        return any(c.dep_ in ("dobj", "dative", "iobj") for c in head.children)
    return verb.dep_ == "advcl" and any(c.dep_ == "dative" for c in head.children)


def _unasserted(trigger: Token) -> tuple[bool, bool]:
    """Whether the trigger is not asserted (in or under an if-clause, or under a word that doubts,
    denies or merely reports it: "questioned his commitment to", "the debunked claim that he
    opposed"), and whether a modal above it leaves it open ("could benefit from ... calling for")."""
    hedged, t, own_clause = False, trigger, True
    for _ in range(12):
        if any(c.dep_ == "mark" and c.lower_ in lexicon.CONDITIONAL_MARKS for c in t.children):
            return True, hedged
        for c in t.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lexicon.CONDITIONAL_MARKS for m in c.children):
                return True, hedged
        if t.i != trigger.i:
            if own_clause and t.lemma_.lower() in lexicon.STANCE_UNDERCUTS:
                return True, hedged
            if any(c.dep_ == "nsubj" and c.lower_ in _NOBODY for c in t.children):
                return True, hedged  # "None showed Mrs. Clinton making decisions in favor of X"
            hedged = hedged or any(c.dep_ == "aux" and c.lower_ in lexicon.OPEN_MODALS for c in t.children) and not _negated(t)
        if t.dep_ == "conj":
            own_clause = False
        if t.head.i == t.i:
            break
        t = t.head
    return False, hedged


# --- targets ----------------------------------------------------------------------------------


def _alternative_at(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and (doc[i].lower_, doc[i + 1].lower_) in lexicon.ALTERNATIVE_MARKERS


def _kept_tokens(head: Token, out: list[Token]) -> None:
    out.append(head)
    for c in head.children:
        if c.dep_ in _TARGET_DROP_DEPS and (c.dep_ == "advmod" or not _is_quote(c)):
            continue
        if c.dep_ == "prep" and (
            (c.lower_ not in _TARGET_PREPS and head.pos_ != "VERB") or _names_medium(c) or _names_charge(c)
        ):  # an act keeps its place: "against going into Iraq"
            continue
        if c.lower_ in ("rather", "instead"):
            continue
        _kept_tokens(c, out)


def _names_charge(prep: Token) -> bool:
    """"accused X of being traitors", "blamed X for losing": the charge, not the target."""
    obj = _pobj_of(prep)
    return prep.lower_ in ("of", "for") and obj is not None and obj.tag_ == "VBG" and obj.dep_ == "pcomp"


def _names_medium(prep: Token) -> bool:
    """A prepositional phrase of medium or time ("on Facebook", "in an interview"), not of the target."""
    obj = _pobj_of(prep)
    return obj is not None and (
        obj.lower_ in lexicon.MEDIUM_PLATFORMS
        or obj.lemma_.lower() in lexicon.MEDIUM_NOUNS
        or (obj.ent_type_ in _NOT_TARGET_ENTS and prep.lower_ != "of")  # "on Monday", not "the attack of October 7"
    )


def _is_quote(tok: Token) -> bool:
    return tok.text in _OPEN_QUOTES or tok.text in _CLOSE_QUOTES or tok.text == '"'


def _quotes_kept(mark: Token, kept: set[int]) -> bool:
    """Whether a quotation mark opens or closes words of the target (not words left out of it)."""
    if mark.tag_ == "``" or mark.text in _OPEN_QUOTES:
        return mark.i + 1 in kept
    if mark.tag_ == "''" or mark.text in _CLOSE_QUOTES:
        return mark.i - 1 in kept
    return mark.i - 1 in kept or mark.i + 1 in kept


def _target_range(piece: _Piece, head: Token) -> tuple[int, int] | None:
    """The target's characters: the head noun's phrase without clauses, appositions, conjuncts and
    most prepositional phrases, keeping quotation marks that belong to it."""
    kept: list[Token] = []
    _kept_tokens(head, kept)
    kept.sort(key=lambda t: t.i)
    ids = {t.i for t in kept}
    kept = [t for t in kept if not _is_quote(t) or _quotes_kept(t, ids)]
    if len(kept) > _MAX_TARGET_TOKENS:
        kept = [t for t in kept if t.i <= head.i and t.i >= head.left_edge.i][-_MAX_TARGET_TOKENS:]
    while kept and kept[0].is_punct and kept[0].text not in _OPEN_QUOTES and kept[0].text != '"':
        kept.pop(0)
    while kept and kept[-1].is_punct and kept[-1].text not in _CLOSE_QUOTES and kept[-1].text != '"':
        kept.pop()
    name = next((e for e in head.doc.ents if e.start <= head.i < e.end and e.label_ in _NAMED_TARGETS), None)
    if name is not None:  # "real estate mogul Donald Trump", "NATO member Estonia": the name
        kept = [t for t in kept if name.start <= t.i < name.end and t.tag_ != "POS"]
    if not kept or not any(t.is_alpha for t in kept):
        return None
    a, b = piece.tokens_span(kept[0], kept[-1])
    if _POSSESSIVE_END.search(piece.text, a, b):
        return None  # cut at a possessive: "praised Breitbart News’ editor Matthew Boyle"
    return _balance_quotes(piece, a, b)


def _balance_quotes(piece: _Piece, a: int, b: int) -> tuple[int, int]:
    """Quotation marks inside a target come in pairs: take in a closing mark right after it, drop a stray one."""
    if not any(q in piece.text[max(0, a - 1) : b + 1] for q in "“”«»\""):
        return a, b
    parsed = piece.parsed
    local = lambda x: x - piece.base  # noqa: E731
    inner = parsed[local(a) : local(b)]
    opens = sum(inner.count(q) for q in "“«")
    closes = sum(inner.count(q) for q in "”»")
    if opens > closes and local(b) < len(parsed) and parsed[local(b)] in "”»":
        b += 1
    elif closes > opens and local(a) > 0 and parsed[local(a) - 1] in "“«":
        a -= 1
    inner = parsed[local(a) : local(b)]
    if inner[:1] in "“«" and sum(inner.count(q) for q in "”»") == 0:
        a += 1
    if inner[-1:] in "”»" and sum(inner.count(q) for q in "“«") == 0:
        b -= 1
    while a < b and piece.text[a].isspace():
        a += 1
    return a, b


def _prep_object(head: Token, preps: tuple[str, ...]) -> Token | None:
    """The object of the first of head's prepositions that is one of these ("the repeal *of* X")."""
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in preps), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def _named_instead(head: Token) -> Token:
    """The name or example a described target is given: "the cuts known as sequestration", "the
    North's leader, Kim Jong Un", "projects like installing solar panels"."""
    for c in head.children:
        if c.dep_ == "appos" and c.ent_type_ in _NAMED_TARGETS and not head.ent_type_:
            return c
        if c.dep_ == "acl" and c.lemma_ in ("know", "call", "dub", "name"):
            named = _prep_object(c, ("as",)) or next((g for g in c.children if g.dep_ == "oprd"), None)
            if named is not None:
                return named
        if c.dep_ == "prep" and c.lower_ == "like" and head.tag_ == "NNS":
            example = _pobj_of(c)
            if example is not None:
                return example
    return head


def _redirect(head: Token, stance: str) -> tuple[Token, str]:
    """An action urged on its object stands for that object: urging Congress "to pass the bill" is
    favouring the bill, "to repeal the law" is being against the law, and so is calling for "the
    repeal of the law" or "an end to the war"."""
    head = _named_instead(head)
    lemma = head.lemma_.lower()
    if head.pos_ == "VERB" and (lemma in lexicon.UNDOING_WORDS or lemma in lexicon.DOING_WORDS):
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        obj = obj or _prep_object(head, ("to", "on", "of"))
        if obj is not None:
            return obj, (_flip(stance) if lemma in lexicon.UNDOING_WORDS else stance)
    if head.pos_ == "NOUN" and lemma in lexicon.UNDOING_NOUNS:  # "the repeal of Obamacare", "an end to X": against it
        undone = _prep_object(head, ("of", "to"))
        if undone is not None:
            return _named_instead(undone), _flip(stance)
    if lemma in lexicon.CANDIDACY_WORDS:  # "endorse the presidential bid of Donald Trump", "Huckabee's campaign"
        person = _prep_object(head, ("of",)) or next((c for c in head.children if c.dep_ == "poss"), None)
        if person is not None and person.ent_type_ == "PERSON":
            return person, stance
    return head, stance


def _clause_verb(tok: Token) -> Token:
    """The nearest verb at or above a token."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _alternatives(doc: Doc, within: Token, after: int) -> list[Token]:
    """Heads of the phrases after "rather than" / "instead of" in the trigger's own clause."""
    found = []
    for i in range(after, within.right_edge.i):
        if _alternative_at(doc, i) and _clause_verb(doc[i]).i == _clause_verb(within).i:
            j = i + 2
            end = j
            while end <= within.right_edge.i and not (doc[end].is_punct and doc[end].text in ",;.:") and doc[end].lower_ not in ("and", "but"):
                end += 1
            heads = [t for t in doc[j:end] if not (j <= t.head.i < end) and t.pos_ in ("NOUN", "PROPN", "VERB")]
            if heads:
                found.append(heads[0])
    return found


def _flip(stance: str) -> str:
    return "against" if stance == "favor" else "favor"


# --- triggers ---------------------------------------------------------------------------------

_TRIGGER_LEMMAS = (
    lexicon.FAVOR_CUES
    | lexicon.AGAINST_CUES
    | {verb for verb, _ in lexicon.STANCE_PHRASAL}
    | {noun for noun, _ in lexicon.STANCE_NOUNS}
    | {noun for noun, _ in lexicon.STANCE_AGENT_NOUNS}
    | lexicon.COMMITMENT_CUES
    | {"favor", "favour", "against"}
)
_DISAGREEMENT_LEMMAS = frozenset(lexicon.DISAGREEMENT_VERBS) | lexicon.CRITICISM_VERBS
_STANCE_VERBS = lexicon.FAVOR_CUES | lexicon.AGAINST_CUES
_OPINION_NOUNS = frozenset(n for n, _ in lexicon.STANCE_NOUNS) - {"attack", "assault"}
_AGENT_STANCE = {noun: stance for (noun, _), stance in lexicon.STANCE_AGENT_NOUNS.items()}


@dataclass(frozen=True)
class _Trigger:
    cue: tuple[Token, Token]  # first and last token of the cue
    stance: str
    heads: tuple[Token, ...]  # target heads
    governor: Token  # where the holder is looked for
    noun: bool = False


def _pobj_of(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def _in_question(doc: Doc, tok: Token) -> bool:
    """Whether the sentence holding the token ends with a question mark."""
    j = tok.i + 1
    while j < len(doc) and not doc[j].is_sent_start:
        j += 1
    last = j - 1
    while last > tok.i and (doc[last].is_space or doc[last].text in "”’\")"):
        last -= 1
    return doc[last].text == "?"


def _interviewer_line(piece: _Piece, tok: Token) -> bool:
    """Whether the token is on an interviewer's line of a transcript ("Q: He wants a revolution"):
    the journalist speaking, whose characterisations are no one's stance."""
    at = piece.at(tok)
    line = piece.text[piece.text.rfind("\n", 0, at) + 1 : at].lstrip()
    return line.startswith(("Q:", "Q.", "Question:"))


def _tokens_with(doc: Doc, words: frozenset[str]) -> list[Token]:
    """The tokens whose lemma or lowercase form is one of the words, found on the doc's arrays
    (a loop over Token objects costs more than the rules)."""
    keys = numpy.array([hash_string(w) for w in words], dtype="uint64")
    arr = doc.to_array([LEMMA, LOWER])
    hits = numpy.nonzero(numpy.isin(arr[:, 0], keys) | numpy.isin(arr[:, 1], keys))[0]
    return [doc[int(i)] for i in hits]


def _triggers(tok: Token) -> Iterable[_Trigger]:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "ADJ") or tok.tag_ == "VBN":
        has_object = any(c.dep_ in ("dobj", "oprd") for c in tok.children)  # "called it a rough week for X"
        for c in tok.children:
            stance = lexicon.STANCE_PHRASAL.get((lemma, c.lower_))
            if stance and c.dep_ in ("prep", "prt", "dative") and not has_object:
                obj = _pobj_of(c)
                if obj is not None:
                    yield _Trigger((tok, c), stance, (obj,), tok)
                    return
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if lemma in lexicon.COMMITMENT_CUES and xcomp is not None and xcomp.lemma_.lower() not in _TRIGGER_LEMMAS:
            acts = lexicon.DOING_WORDS | lexicon.UNDOING_WORDS
            if any(c.dep_ in ("oprd", "acomp", "ccomp") for c in xcomp.children):
                return  # "vowed to leave such spending untouched": a state, not an act on a target
            if xcomp.lemma_.lower() in lexicon.NON_POLICY_ACTS or _negated(xcomp):
                return  # "vowed to win Florida", "vowed not to buy X"
            if any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") for c in xcomp.children) and (
                lemma != "want" or xcomp.lemma_.lower() in acts
            ):
                yield _Trigger((tok, tok), "favor", (xcomp,), tok)  # "pledged to build a wall", "wants to repeal X"
            return
        if lemma == "want":
            objs = [c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")]
            if objs:
                yield _Trigger((tok, tok), "favor", tuple(objs), tok)
            return
        base = "favor" if lemma in lexicon.FAVOR_CUES else "against" if lemma in lexicon.AGAINST_CUES else None
        if base is None:
            return
        if xcomp is not None and lemma in ("urge", "demand"):
            if xcomp.lemma_.lower() in lexicon.DOING_WORDS | lexicon.UNDOING_WORDS:  # "urged them not to pass X"
                yield _Trigger((tok, tok), _flip(base) if _negated(xcomp) else base, (xcomp,), tok)
            return
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if lemma in lexicon.DIRECTIVE_VERBS and any(o.pos_ in ("PRON", "PROPN") for o in objs):
            return  # "I urged him (to run)": urging a person is no stance on them
        if lemma == "blame" and any(c.dep_ == "prep" and c.lower_ == "on" for c in tok.subtree):
            return  # "blamed his hesitancy on a bad earpiece": the excuse, not a stance
        if not objs:  # "supports raising the minimum wage"
            objs = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VBG"]
        if not objs and tok.tag_ == "VBN":
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            obj = _pobj_of(prep) if prep is not None else None
            if obj is not None and tok.dep_ in ("acomp", "amod", "ROOT", "conj"):
                yield _Trigger((tok, prep), base, (obj,), tok)  # type: ignore[arg-type]
                return
        if not objs:
            subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if subj is not None and any(c.dep_ == "agent" for c in tok.children) and not _negated(tok):
                objs = [subj]  # "X was endorsed by Y"; "not opposed by Y but by Z" says nothing of Y
        if objs:
            yield _Trigger((tok, tok), base, tuple(objs), tok)
        return
    if tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and tok.lower_ in ("support", "opposition"):
        if lemma in ("favor", "favour") and tok.head.lower_ == "in" and tok.head.head.pos_ in ("VERB", "AUX", "ADP"):
            prep = next((c for c in tok.children if c.lower_ == "of"), None)
            obj = _pobj_of(prep) if prep is not None else None
            if obj is not None:
                yield _Trigger((tok.head, prep), "favor", (obj,), _clause_verb(tok.head))  # type: ignore[arg-type]
            return
        for c in tok.children:
            agent = lexicon.STANCE_AGENT_NOUNS.get((lemma, c.lower_))
            obj = _pobj_of(c) if agent and c.dep_ == "prep" else None
            if obj is not None and _apposed(tok).dep_ in ("appos", "attr"):
                yield _Trigger((tok, c), agent, (obj,), tok, noun=True)  # type: ignore[arg-type]
                return
            stance = lexicon.STANCE_NOUNS.get((lemma, c.lower_))
            obj = _pobj_of(c) if stance and c.dep_ == "prep" else None
            if obj is not None:
                yield _Trigger((tok, tok), stance, (obj,), tok, noun=True)  # type: ignore[arg-type]
                return
        agent = _AGENT_STANCE.get(lemma)
        named = next((c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
        if agent and named is not None and _apposed(tok).dep_ in ("appos", "attr"):
            yield _Trigger((named, tok), agent, (named,), tok, noun=True)  # "Jay Jacobs, a Clinton supporter"
        return
    if tok.lower_ == "against" and tok.dep_ == "prep" and tok.head.lemma_ == "be":
        obj = _pobj_of(tok)
        if obj is not None:
            yield _Trigger((tok, tok), "against", (obj,), tok.head)


def _apposed(noun: Token) -> Token:
    """The first of the conjuncts a noun is one of ("a former congressman and fierce critic of X")."""
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    return noun


def _noun_holder(piece: _Piece, noun: Token) -> _Frame:
    """The holder of a stance noun: the speaker when the noun is what a statement's cue governs
    ("reiterating Britain's support for"), else its possessor, else the subject of a verb that
    gives it ("voiced support for")."""
    top = _apposed(noun)
    if top.dep_ == "appos":  # "Jane Doe, a critic of the plan"
        return _Frame(_resolve_np(piece, top.head, piece.content_statement(noun), conjuncts=False), False, False)
    if top.dep_ == "attr":  # "she is a supporter of X"
        return _frame(piece, top.head)
    head = noun.head
    flipped = any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)
    verb = head.lemma_.lower()
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    named_owner = None
    if owner is not None and owner.pos_ == "PROPN":
        named_owner = _resolve_np(piece, owner, piece.content_statement(noun))
    stated = noun.dep_ == "dobj" and (
        verb in lexicon.STANCE_NOUN_VERBS
        or piece.cue_statement(head) is not None
        and verb not in _STANCE_VERBS | lexicon.STANCE_UNDERCUTS
        and (named_owner is None or named_owner.entity is None)  # "Frank cites the UAW's support for X": the UAW's
    )
    if stated:  # "reiterated Britain's support for X", "voiced support for X"
        frame = _frame(piece, head)
        return _Frame(frame.holder, frame.flipped != flipped, frame.hedged)
    if owner is None:
        return _Frame(None, flipped, False)
    if noun.dep_ == "dobj" and _modality(head)[0]:
        return _Frame(None, False, False)  # "declined to affirm his support for X"
    # "blasted Trump's call for X": the possessor's stance, not the subject's
    return _Frame(_resolve_np(piece, owner, piece.content_statement(noun)), flipped, False)


def find_positions(
    doc: Doc, text: str, statements: Iterable[Statement], entities: Iterable[Entity], base: int = 0
) -> list[Position]:
    """The positions stated in one parsed piece of an article (``doc`` parses ``text[base:...]``)."""
    piece = _Piece(doc, text, statements, entities, base)
    found: list[Position] = []
    seen: set[tuple[str, str, str, int]] = set()
    for tok in _tokens_with(doc, _TRIGGER_LEMMAS):
        if _in_question(doc, tok) or _interviewer_line(piece, tok):
            continue
        for trig in _triggers(tok):
            frame = _noun_holder(piece, trig.governor) if trig.noun else _frame(piece, trig.governor)
            holder = frame.holder
            if holder is None:
                continue
            unasserted, open_above = _unasserted(trig.governor)
            if unasserted:
                continue
            negatable = trig.cue[0].lemma_.lower() in lexicon.NEGATABLE_FAVOR
            if frame.flipped and (trig.stance == "against" or not negatable or _only_not_yet(trig.governor)):
                continue  # "did not attack X", "never disavowed X", "has not endorsed X": no stance stated
            stance = _flip(trig.stance) if frame.flipped else trig.stance
            doubtful = frame.hedged or open_above or _title_case(tok.sent)
            confidence = holder.confidence * (_HEDGE_FACTOR if doubtful else 1.0)
            stmt = holder.statement or piece.cue_statement(trig.cue[0]) or piece.content_statement(trig.cue[0])
            cue = piece.span(*piece.tokens_span(*trig.cue))
            holder_text = piece.name(holder.entity) or holder.text
            statement_id = stmt.id if stmt else None
            for head, st in _target_heads(doc, trig, stance):
                head, st = _redirect(head, st)
                if head.lower_ in ("him", "her") and head.dep_ in ("dobj", "pobj"):
                    person = _person_referred(piece, head, holder.entity)
                    if person is not None:
                        a = piece.at(head)
                        target = piece.span(a, a + len(head.text))
                        conf = round(confidence * 0.8, 3)
                        _add(found, seen, Position(holder.entity, holder_text, target, person.lower(), st, cue, statement_id, conf), piece, holder)  # type: ignore[arg-type]
                    continue
                if head.pos_ in ("PRON", "DET", "NUM") or head.ent_type_ in _NOT_TARGET_ENTS:
                    continue
                if holder.entity is not None and _is_holder(piece, head, holder.entity):
                    continue
                if _is_stance_noun(head) or any(t.tag_ in _RELATIVE_TAGS for t in head.subtree):
                    continue  # "defended his support of X": the noun gives the position; "what X he supports"
                if _vague_target(head):
                    continue
                rng = _target_range(piece, head)
                if rng is None:
                    continue
                target = piece.span(*rng)
                at = piece.at(head)
                person = piece.entity_over(at, at + len(head.text), ("PERSON",)) if head.pos_ == "PROPN" else None
                norm = normalize_target(piece.name(person) if person else target.text)  # "Trump", "Donald Trump": one target
                if not norm or norm in _EMPTY_TARGETS:
                    continue
                if norm in lexicon.GENERIC_TARGETS and not any(c.dep_ == "poss" for c in head.children):
                    continue  # "the idea", "the plan": only "his policies" says whose
                position = Position(holder.entity, holder_text, target, norm, st, cue, statement_id, round(confidence, 3))  # type: ignore[arg-type]
                _add(found, seen, position, piece, holder)
    return found


def _title_case(sent: Span_) -> bool:
    """A Title Case Headline, which the parser reads poorly ("Clinton Under Pressure To Repudiate
    General Who Called For Internment"): its holders and targets are not to be trusted."""
    words = [t for t in sent if t.is_alpha and len(t.text) > 3]
    return len(words) >= 3 and all(t.text[0].isupper() for t in words)


def _only_not_yet(verb: Token) -> bool:
    """"has not endorsed", "did not back": something not done, which is no opposition ("will not
    back", "does not support" are)."""
    perfect_or_past = any(
        c.dep_ == "aux" and c.lemma_ in ("have", "do") and c.tag_ in ("VBD", "VBZ", "VBP") and c.lower_ not in ("does", "do")
        for c in verb.children
    )
    return perfect_or_past and any(c.dep_ == "neg" for c in verb.children)


def _vague_target(head: Token) -> bool:
    """A target that names nothing the reader can look up: one pointed at ("these comments", "that
    perspective"), a generic head alone ("the idea", "the plan"), or a clause ("a man is suing")."""
    if head.pos_ in ("VERB", "AUX") and (head.tag_ not in ("VB", "VBG") or any(c.dep_ == "nsubj" for c in head.children)):
        return True
    if any(c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those", "any", "no", "another") for c in head.children):
        return True
    if head.tag_ in _RELATIVE_TAGS or head.lower_.startswith(("whom", "whoever", "whatever")):
        return True  # "support whomever the party nominates"
    if head.lemma_.lower() in ("people", "person"):
        return True  # "approving 2,880 people"
    if head.i + 1 < len(head.doc) and head.nbor().text == "-" and not head.whitespace_:
        return True  # "the re" of a split "re-election"
    if head.lemma_.lower() not in lexicon.GENERIC_TARGETS and head.lower_ not in lexicon.GENERIC_TARGETS:
        return False
    return all(c.dep_ in ("det", "punct") for c in head.children)


def _add(found: list[Position], seen: set[tuple[str, str, str, int]], position: Position, piece: _Piece, holder: _Holder) -> None:
    """The position, once, and the same for each further holder it names."""
    for p in [position, *(replace(position, holder=o, holder_text=piece.name(o)) for o in holder.others)]:
        key = (p.holder or p.holder_text.lower(), p.target_norm, p.stance, p.target.start)
        if key not in seen:
            seen.add(key)
            found.append(p)


def _person_referred(piece: _Piece, pronoun: Token, holder: str | None) -> str | None:
    """The name of the person an object pronoun ("criticised him") stands for: the entity it is a
    mention of, else the last person other than the holder named in its sentence or the one before."""
    at = piece.at(pronoun)
    eid = piece.entity_over(at, at + len(pronoun.text), ("PERSON",))
    if eid is None:
        sent = pronoun.sent
        start = piece.at(piece.doc[sent.start - 1].sent[0]) if sent.start > 0 else piece.at(sent[0])
        before = [m[2] for m in piece.mentions if start <= m[0] and m[1] <= at and m[2] != holder and piece.entities[m[2]].type == "PERSON"]
        eid = before[-1] if before else None
    if eid is None or eid == holder or not piece.name(eid)[:1].isupper():  # spaCy's PERSON "whoooa"
        return None
    return piece.name(eid)


def _is_stance_noun(tok: Token) -> bool:
    """A noun of opinion ("his support of X"), whose own target is the position; not an act ("the attacks on civilians")."""
    lemma = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and lemma in _OPINION_NOUNS or lemma in ("endorsement", "support")


def _is_holder(piece: _Piece, tok: Token, entity: str) -> bool:
    at = piece.at(tok)
    return piece.entity_over(at, at + len(tok.text)) == entity


def _doer_of_wanted_act(obj: Token) -> bool:
    """An object followed by what it is to do ("wanted a close aide to keep track of it", "called
    for contestants to wear X"): the act is what is wanted, not the one who is to do it."""
    verb = obj.head.head if obj.dep_ == "pobj" and obj.head.lower_ == "for" else obj.head  # "called for X to do Y"
    return obj.dep_ in ("dobj", "pobj") and any(
        c.i > obj.i and c.dep_ in ("xcomp", "ccomp", "advcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in verb.children
    )


def _target_heads(doc: Doc, trig: _Trigger, stance: str) -> list[tuple[Token, str]]:
    """The trigger's targets with their stances: its objects and their conjuncts, and the
    alternatives turned down ("rather than Y") with the opposite stance."""
    out: list[tuple[Token, str]] = []
    alternatives = {t.i for t in _alternatives(doc, trig.governor if not trig.noun else trig.cue[0], trig.cue[1].i)}
    as_at = min((c.i for c in trig.governor.children if c.dep_ == "prep" and c.lower_ == "as"), default=len(doc))
    for head in trig.heads:
        if _doer_of_wanted_act(head) or head.i > as_at:
            continue  # 'condemned the test as "provocative" and a "grave threat"': what it is called
        out.append((head, stance))
        for c in head.conjuncts:
            own_owner = any(g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children)  # "support for X and his refusal"
            if c.i > head.i and c.i not in alternatives and (c.pos_ != "VERB" or head.pos_ == "VERB") and not own_owner:
                between = doc[max(head.i, c.left_edge.i - 2) : c.left_edge.i + 2]
                marked = any(_alternative_at(doc, t.i) for t in between)
                out.append((c, _flip(stance) if marked else stance))
    for i in sorted(alternatives):
        out.append((doc[i], _flip(stance)))
    return out


# --- disagreements ----------------------------------------------------------------------------


def _other_side(piece: _Piece, tok: Token, stmt: Statement | None, exclude: str | None) -> tuple[str | None, str] | None:
    """Whom a phrase points at: the statement's addressee for "you"/"your"; for a position, its
    holder ("Starmer's position", "the position taken by Starmer"); else an entity named in it."""
    if tok.lemma_.lower() in lexicon.POSITION_NOUNS:
        return _position_owner(piece, tok, stmt, exclude)
    for t in tok.subtree:
        if t.lower_ in _SECOND_PERSON and stmt is not None and stmt.addressee is not None:
            ad = stmt.addressee
            return piece.entity_over(ad.start, ad.end), ad.text
    for t in tok.subtree:
        at = piece.at(t)
        eid = piece.entity_over(at, at + len(t.text))
        if eid is not None and eid != exclude:
            return eid, piece.name(eid)
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ in _THIRD_PERSON:
        h = _resolve_pronoun(piece, owner)
        if h is not None and h.entity != exclude:
            return h.entity, piece.name(h.entity) or h.text
    return None


def _position_owner(piece: _Piece, noun: Token, stmt: Statement | None, exclude: str | None) -> tuple[str | None, str] | None:
    """Whose position a position noun is: its possessor, the agent or subject of the clause on it."""
    owners = [c for c in noun.children if c.dep_ == "poss"]
    for clause in (c for c in noun.children if c.dep_ in ("acl", "relcl")):
        owners += [p for c in clause.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        owners += [c for c in clause.children if c.dep_ == "nsubj"]
    for owner in owners:
        if owner.lower_ in _SECOND_PERSON:
            if stmt is None or stmt.addressee is None:
                return None
            return piece.entity_over(stmt.addressee.start, stmt.addressee.end), stmt.addressee.text
        holder = _resolve_pronoun(piece, owner) if owner.pos_ == "PRON" else _resolve_np(piece, owner, None)
        if holder is not None and (holder.entity is None or holder.entity != exclude):
            return holder.entity, piece.name(holder.entity) or holder.text
    return None


def _sentence_span(piece: _Piece, tok: Token) -> Span:
    sent = tok.sent
    toks = [t for t in sent if not t.is_space]
    return piece.span(*piece.tokens_span(toks[0], toks[-1]))


def _explicit(piece: _Piece, tok: Token) -> Disagreement | None:
    lemma = tok.lemma_.lower()
    if lemma not in _DISAGREEMENT_LEMMAS and tok.lower_ not in lexicon.DISAGREEMENT_NOUNS:
        return None
    stmt = piece.content_statement(tok) or piece.cue_statement(tok)
    target: Token | None = None
    if lemma in lexicon.DISAGREEMENT_VERBS and tok.pos_ in ("VERB", "AUX"):
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in lexicon.DISAGREEMENT_VERBS[lemma]), None)
        target = _pobj_of(prep) if prep is not None else None
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        frame = _Frame(_resolve_np(piece, subj, stmt), _negated(tok), False) if subj is not None else _frame(piece, tok)
    elif tok.lower_ in lexicon.DISAGREEMENT_NOUNS and tok.dep_ == "pobj" and tok.head.lower_ == "at":
        with_ = next((t for t in tok.doc[tok.i + 1 : tok.i + 3] if t.lower_ == "with"), None)
        target = _pobj_of(with_) if with_ is not None else None
        frame = _frame(piece, tok.head.head)
    elif lemma in lexicon.CRITICISM_VERBS and tok.pos_ == "VERB":
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if obj is not None:
            target = obj
            frame = _frame(piece, tok)
        elif passive is not None:  # "X was criticised by Y"; "criticised within the party" names no one
            target = passive
            frame = _frame(piece, tok)
        else:
            return None
        if target.lemma_.lower() not in lexicon.POSITION_NOUNS and target.pos_ not in ("PROPN",) and not any(
            c.dep_ == "poss" for c in target.children
        ):
            return None
    else:
        return None
    if target is None or frame.holder is None or frame.flipped or frame.holder.confidence < REPORT_MIN_CONFIDENCE:
        return None  # a disagreement is put in someone's mouth only when the holder is named
    holder = frame.holder
    other = _other_side(piece, target, stmt, holder.entity)
    if other is None or (other[0] is not None and other[0] == holder.entity):
        return None
    evidence = stmt.content if stmt is not None else _sentence_span(piece, tok)
    return Disagreement(
        a=holder.entity,
        a_text=piece.name(holder.entity) or holder.text,
        b=other[0],
        b_text=other[1],
        kind="explicit",
        statements=(stmt.id,) if stmt is not None else (),
        evidence=evidence,
        confidence=round(holder.confidence * (_HEDGE_FACTOR if frame.hedged else 1.0), 3),
    )


def _too_judgement(piece: _Piece, stmt: Statement) -> Disagreement | None:
    """"some consider it too pro-Israel": a judgement of excess on another holder's position,
    named just before ("his position is criticised …, where some consider it too …")."""
    if stmt.cue is None or stmt.speaker is None or "too" not in stmt.content.text.lower():
        return None
    doc = piece.doc
    content = doc.char_span(stmt.content.start - piece.base, stmt.content.end - piece.base, alignment_mode="expand")
    toks = list(content) if content is not None else []
    if not toks or not any(t.lower_ == "too" for t in toks) or toks[0].lower_ not in ("it", "this", "that"):
        return None
    sent = toks[0].sent
    window = doc[max(0, sent.start - 40) : toks[0].i]
    for t in reversed(list(window)):
        if t.lemma_.lower() in lexicon.POSITION_NOUNS:
            other = _other_side(piece, t, None, stmt.speaker.entity)
            if other is None:
                return None
            return Disagreement(
                a=stmt.speaker.entity,
                a_text=piece.name(stmt.speaker.entity) or stmt.speaker.text,
                b=other[0],
                b_text=other[1],
                kind="explicit",
                statements=(stmt.id,),
                evidence=stmt.content,
                confidence=0.5,
            )
    return None


def find_disagreements(
    doc: Doc, text: str, statements: Iterable[Statement], entities: Iterable[Entity], base: int = 0
) -> list[Disagreement]:
    """Disagreements stated outright in one parsed piece: "my position differs from the one you
    have taken" (to the addressee), "criticised X", "X is at odds with Y", "some consider it too …"."""
    piece = _Piece(doc, text, statements, entities, base)
    found: list[Disagreement] = []
    for tok in _tokens_with(doc, _DISAGREEMENT_LEMMAS | lexicon.DISAGREEMENT_NOUNS):
        d = _explicit(piece, tok)
        if d is not None:
            found.append(d)
    for stmt in piece.statements:
        if stmt.cue is not None and base <= stmt.cue.start < piece.end:
            d = _too_judgement(piece, stmt)
            if d is not None:
                found.append(d)
    return _dedupe(found)


def _side(entity: str | None, text: str) -> str:
    return entity or text.lower()


def _dedupe(found: list[Disagreement]) -> list[Disagreement]:
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for d in found:
        key = (_side(d.a, d.a_text), _side(d.b, d.b_text), d.target_norm)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def derive_disagreements(positions: Iterable[Position]) -> list[Disagreement]:
    """Two different holders with opposite stances on one normalised target disagree on it."""
    by_target: dict[str, list[Position]] = {}
    for p in positions:
        by_target.setdefault(p.target_norm, []).append(p)
    found: list[Disagreement] = []
    for norm, group in by_target.items():
        for i, p in enumerate(group):
            for q in group[i + 1 :]:
                if p.stance == q.stance or _side(p.holder, p.holder_text) == _side(q.holder, q.holder_text):
                    continue
                found.append(
                    Disagreement(
                        a=p.holder,
                        a_text=p.holder_text,
                        b=q.holder,
                        b_text=q.holder_text,
                        kind="derived",
                        target_norm=norm,
                        statements=tuple(s for s in (p.statement, q.statement) if s),
                        evidence=None,
                        confidence=round(min(p.confidence, q.confidence), 3),
                    )
                )
    return _dedupe(found)
