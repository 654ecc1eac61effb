"""Statements from a parsed text: the cue, its content (a clause, a noun phrase or a quotation),
the speaker mention, the addressee and the medium. Speakers are resolved to entities in speakers.py.

Three ways to find a statement, tried in this order:
1. complement: a cue verb with a clausal or nominal complement (X said that ...; X calls for ...);
   the content grows to cover whole quotations it touches, and its kind follows from how much of
   it is quoted;
2. adjacent: a quotation with a cue in the frame beside it ("…," he said. / X told Y: "…");
3. continuing: a quotation standing alone right after a statement continues that statement and
   joins its content as a further piece, unless a sentence of its own stands between them.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable

from onrecord.nlp import lexicon
from onrecord.nlp.mentions import entity_of, ents_in, is_dateline, mention_span, sentence_of, source_span, speaker_form
from onrecord.text.quotemarks import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as SpacySpan, Token

Offsets = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """A statement before speaker resolution; every offset is into the parsed text."""

    kind: str
    content: tuple[Offsets, ...]
    cue: Offsets | None
    speaker: Offsets | None
    speaker_form: str  # name, pronoun, nominal, group or none
    addressee: Offsets | None
    medium: Offsets | None
    basis: str  # complement, adjacent, according_to, name_colon or name_dash
    confidence: float
    speaker_token: int | None = None  # token index of the speaker mention's head
    speaker_name: Offsets | None = None  # the name inside a wider speaker phrase ("Senate Leader [Mitch McConnell]")

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


_EDGE_PUNCT = " \t\n,;:.–—-"
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_COMPLEMENT_DEPS = ("ccomp", "parataxis")
#: What a verb heading a clause of its own hangs from (not a participle before a noun: "pledged delegates").
_CLAUSE_DEPS = ("ROOT", "ccomp", "relcl", "advcl", "parataxis", "xcomp", "conj")


def attribute_statements(
    doc: Doc, quotes: list[Quote], min_single_quote_words: int = 4, convention: str = "onrecord"
) -> list[Attribution]:
    """Every statement the parse and the quotation marks support, in text order.

    With ``convention="polnear"`` spans follow PolNeAR's guidelines (see Settings.span_convention):
    a leading "that", "whether" or "if" stays in an indirect content, and a cue before its content
    takes the colon that introduces its content; by default neither."""
    ctx = _Context(doc, quotes, min_single_quote_words)
    ctx.polnear = convention == "polnear"
    found: list[Attribution] = []
    for tok in doc:
        if ctx.in_quote(tok) or not _is_cue(tok):
            continue
        att = _from_complement(ctx, tok) or _from_parenthetical(ctx, tok) or _from_as_clause(ctx, tok)
        if att is not None:
            found.append(att)
    found.extend(_according_to(ctx))
    found.extend(_name_colon(ctx))
    found.extend(_name_dash(ctx))
    found = _drop_overlapping(found)
    found = _attach_adjacent_quotes(ctx, found)
    found = _floating_quotes(ctx, found)
    return sorted((a for a in found if says_something(ctx.text, a.content)), key=lambda a: a.start)


def says_something(text: str, pieces: tuple[Offsets, ...]) -> bool:
    """Whether a content holds a word besides "that", "whether" or "if" ("Soerens argued that:" before a
    list gives no statement of "that:")."""
    words = re.findall(r"\w+", " ".join(text[a:b] for a, b in pieces).lower())
    return any(w not in lexicon.COMPLEMENTIZERS for w in words)


class _Context:
    """The parse and the quotations, with the look-ups every rule needs."""

    def __init__(self, doc: Doc, quotes: list[Quote], min_single_quote_words: int) -> None:
        self.doc = doc
        self.text = doc.text
        self.polnear = False
        self.quotes = [q for q in quotes if q.double or q.words >= min_single_quote_words]
        self._quote_at: dict[int, int] = {}
        for n, q in enumerate(self.quotes):
            for a, b in q.pieces:
                for i in range(a, b):
                    self._quote_at[i] = n
        self._token_starts = [t.idx for t in doc]
        self._quote_starts = [q.start for q in self.quotes]  # quotes come in start order
        self._quote_reach: list[int] = []  # furthest end among quotes[:n + 1]
        for q in self.quotes:
            self._quote_reach.append(max(self._quote_reach[-1], q.end) if self._quote_reach else q.end)

    def tokens_between(self, start: int, end: int) -> SpacySpan:
        """The tokens that start in [start, end), found by bisection (rules run per quotation)."""
        return self.doc[bisect_left(self._token_starts, start) : bisect_left(self._token_starts, end)]

    def quote_index(self, char: int) -> int | None:
        return self._quote_at.get(char)

    def in_quote(self, tok: Token) -> bool:
        return tok.idx in self._quote_at and not tok.is_punct

    def quotes_in(self, start: int, end: int) -> list[int]:
        """Indices of the quotations that overlap [start, end), in order."""
        first = bisect_left(self._quote_starts, start)
        while first > 0 and self._quote_reach[first - 1] > start:
            first -= 1  # an earlier quotation may still run into the range
        last = bisect_left(self._quote_starts, end)
        return [n for n in range(first, last) if self.quotes[n].end > start]

    def quotes_within(self, start: int, end: int) -> list[int]:
        """Indices of the quotations wholly inside [start, end)."""
        first, last = bisect_left(self._quote_starts, start), bisect_left(self._quote_starts, end)
        return [n for n in range(first, last) if self.quotes[n].end <= end]

    def end_of_quotes_before(self, char: int) -> int:
        """The furthest end among the quotations that end at or before ``char`` (0 when none)."""
        n = bisect_left(self._quote_starts, char)
        if n and self._quote_reach[n - 1] <= char:
            return self._quote_reach[n - 1]
        best = 0
        for k in range(n - 1, max(-1, n - 1 - 64), -1):  # quotations overlapping char: few, and near
            if self.quotes[k].end <= char:
                best = max(best, self.quotes[k].end)
        return best

    def paragraph_of(self, char: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, char) + 1
        end = self.text.find("\n", char)
        return start, len(self.text) if end < 0 else end


# --- cues -------------------------------------------------------------------------------------


def _is_cue(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and not tok.tag_.startswith("VB"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in lexicon.TOPIC_CUES and any(c.dep_ == "aux" and c.lower_ in lexicon.UNREALISED_AUXILIARIES for c in tok.children):
        return False
    if withholds(tok):
        return False
    if lemma in lexicon.PREDICATE_CUES and tok.dep_ == "acl" and tok.tag_ == "VBN" and not any(
            c.dep_ in _SUBJECT_DEPS for c in tok.children):
        return False  # "a super PAC called Our Principles": a name given, not words said
    if lemma in lexicon.SPEECH_VERBS or lemma in lexicon.NOMINAL_CUES or lemma in lexicon.EVIDENCE_VERBS:
        return True
    if lemma in lexicon.INFINITIVE_CUES and _infinitive(tok) is not None:
        return True
    if lemma in lexicon.PREDICATE_CUES and any(c.dep_ == "oprd" for c in tok.children):
        return True
    return _phrasal_particle(tok) is not None


def _is_speech_cue(tok: Token) -> bool:
    """A cue of speech proper, not only of belief, intention or evidence ("said … and promised …"
    is two statements; "says … and expects to …" is one)."""
    lemma = tok.lemma_.lower()
    return _is_cue(tok) and lemma not in lexicon.BELIEF_VERBS and lemma not in lexicon.EVIDENCE_VERBS


def _phrasal_particle(tok: Token) -> Token | None:
    """The particle of a phrasal cue ("called for", "went on"), right after the verb or after
    adverbs only: "called the plan a disgrace on Monday" is no call-on."""
    for child in tok.children:
        if (tok.lemma_.lower(), child.lower_) in lexicon.PHRASAL_CUES and child.dep_ in ("prep", "prt", "dative"):
            if child.i > tok.i and all(t.pos_ in ("ADV", "PART") for t in tok.doc[tok.i + 1 : child.i]):
                return child
    return None


def cue_span(tok: Token, polnear: bool = False) -> Offsets:
    """The cue verb with its particle, and the auxiliaries and adverbs written right before it
    ("has also said", "is telling"); under PolNeAR's convention (`polnear`) also a manner adverb, and
    a refusal is the cue on its own ("declined | to say whether"), as its annotators draw a Cue (train:
    78 refusals so, 31 with the infinitive, none the infinitive alone)."""
    particle = _phrasal_particle(tok)
    end_tok = particle if particle is not None and particle.i == tok.i + 1 else tok
    start_tok = cue_start(tok, polnear)
    head = tok.head
    if polnear and _refused(tok):
        return cue_start(head, True).idx, head.idx + len(head.text)
    # "went on to say", "continues to insist": the verb the cue's infinitive completes, written
    # right before it, is part of the cue
    if (
        tok.dep_ == "xcomp"
        and head.i < tok.i
        and head.pos_ in ("VERB", "AUX")
        and head.lemma_.lower() not in lexicon.REFUSAL_VERBS
        and not negated(head)
        and all(t.head.i in (head.i, tok.i) and t.dep_ in ("prt", "aux", "advmod") for t in tok.doc[head.i + 1 : start_tok.i])
    ):
        start_tok = cue_start(head, polnear)
    elif polnear and (_after_predicate_adjective(tok, start_tok) or _publishing(tok)):
        start_tok = cue_start(head.head, True)
    return start_tok.idx, end_tok.idx + len(end_tok.text)


def _publishing(tok: Token) -> bool:
    """Whether a cue says what a medium just put out says ("issued a statement saying"), with no comma
    between: PolNeAR's annotators draw the Cue from the publishing verb (train: about 25 so, 7 not)."""
    verb = tok.head.head
    return (tok.dep_ == "acl" and _published_medium(tok.head) and verb.i < tok.i
            and not any(t.is_punct for t in tok.doc[verb.i + 1 : tok.i]))


def _after_predicate_adjective(tok: Token, start_tok: Token) -> bool:
    """Whether a cue is the infinitive of a predicate adjective written right before it ("was quick to add",
    "were more likely to say"): PolNeAR's annotators draw the Cue from the verb "be" (train: 41 so, 1 not)."""
    adjective = tok.head
    copula = adjective.head
    return (tok.dep_ == "xcomp" and adjective.pos_ == "ADJ" and adjective.dep_ == "acomp" and copula.i < adjective.i
            and adjective.i + 1 == start_tok.i and not negated(copula)
            and all(t.dep_ == "advmod" for t in tok.doc[copula.i + 1 : adjective.i]))


def _run_on_cue(tok: Token, pieces: tuple[Offsets, ...], speaker: Offsets | None) -> Offsets:
    """PolNeAR's cue: the verb with the colon that introduces its content ("said:"), else the verb, run
    on to a preposition whose object the content is (cue_through_preposition)."""
    start, end = cue_span(tok, polnear=True)
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.text == ":" and nxt.idx == end and pieces[0][0] > end:
        return start, nxt.idx + 1
    return cue_through_preposition(tok.doc, (start, end), pieces[0][0], speaker)


def with_relative_pronoun(doc: Doc, cue: Offsets, pieces: tuple[Offsets, ...], speaker: Offsets | None) -> tuple[Offsets, ...]:
    """PolNeAR's content of a cue in a relative clause: the relative pronoun that opens the clause stands
    for what was said and joins the content as a piece of its own ("which Tim Cook called “total political
    crap”", "what he called a rant"; train: 62 contents open with "which", 46 with "what")."""
    verb = doc.char_span(*cue, alignment_mode="expand")
    if verb is None or not len(verb):
        return pieces
    root = verb.root
    pronoun = doc[root.left_edge.i]
    if pronoun.tag_ not in ("WDT", "WP") or pronoun.lower_ not in lexicon.RELATIVE_PRONOUNS:
        return pieces
    if pronoun.head.i == root.i and pronoun.dep_ in _SUBJECT_DEPS:
        return pieces  # "the man who said …": the pronoun is the speaker
    span = (pronoun.idx, pronoun.idx + len(pronoun.text))
    if span[1] > cue[0] or span[1] > pieces[0][0] or any(a < span[1] and span[0] < b for a, b in pieces):
        return pieces
    if speaker is not None and not span[1] <= speaker[0]:
        return pieces
    return (span, *pieces)


#: Words that may separate a cue from the preposition it runs on to ("accused the Obama administration of").
CUE_PREPOSITION_REACH = 6


def cue_through_preposition(doc: Doc, cue: Offsets, content_start: int, speaker: Offsets | None) -> Offsets:
    """A PolNeAR cue before a content that is a preposition's object runs through the preposition and the
    words between ("accused Holt of", "asked him about", "described as"), as its annotators draw it; not
    past punctuation, another verb or the source."""
    gap = doc.char_span(cue[1], content_start, alignment_mode="contract") if cue[1] < content_start else None
    if gap is None or not 0 < len(gap) <= CUE_PREPOSITION_REACH or "\n" in doc.text[cue[1] : content_start]:
        return cue
    last = gap[-1]
    if last.lower_ not in lexicon.CUE_PREPOSITIONS or last.pos_ not in ("ADP", "SCONJ"):
        return cue
    if any(t.is_punct or t.pos_ in ("VERB", "AUX") for t in gap):
        return cue
    if speaker is not None and speaker[0] < content_start and cue[1] < speaker[1]:
        return cue
    return cue[0], last.idx + len(last)


def cue_start(tok: Token, manner: bool = False) -> Token:
    """The first of the auxiliaries and adverbs written right before a cue verb that belong to it; manner
    adverbs in -ly ("strongly condemns") only with `manner`, as PolNeAR's annotators draw a Cue (train:
    about 300 cues open with one, about 40 leave one right before them out)."""
    start_tok = tok
    doc = tok.doc
    while start_tok.i > 0:
        prev = doc[start_tok.i - 1]
        if prev.head.i != tok.i or prev.dep_ not in ("aux", "auxpass", "advmod"):
            break
        if prev.dep_ == "advmod" and prev.lower_ not in lexicon.CUE_ADVERBS and (
            prev.pos_ != "ADV" or prev.lower_ in lexicon.NON_CUE_ADVERBS or prev.lower_.endswith("ly") and not manner
        ):
            break
        start_tok = doc[prev.left_edge.i]  # an adverb with its own modifiers ("no longer wants", "very strongly condemns")
    return start_tok


def passive_addressee(tok: Token) -> bool:
    """A passive cue without its agent ("Asked whether …, he said"; "she was told that …"): its
    subject is the one spoken to, not the speaker."""
    if tok.tag_ not in ("VBN", "VBD") or any(c.dep_ == "agent" for c in tok.children):
        return False
    if tok.tag_ == "VBN" and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    if any(c.dep_ in ("aux", "nsubj", "csubj") for c in tok.children) or tok.dep_ not in ("advcl", "acl"):
        return False
    # a participle opening its clause, perhaps after "when" or "if": "Asked whether …, he said"
    lead = [t for t in tok.doc[tok.left_edge.i : tok.i] if not t.is_punct]
    return all(t.dep_ in ("mark", "advmod") for t in lead)


def negated(tok: Token) -> bool:
    """A cue denied ("did not say") or said by no one ("nobody suggested", "nothing that suggests")."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is not None and subject.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
        subject = tok.head
    return subject is not None and (
        subject.lower_ in lexicon.NO_ONE or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)
    )


def _refused(tok: Token) -> bool:
    """A cue its speaker declined ("declined to say whether …"): PolNeAR's annotators mark it, but
    it says nothing, and its clause is no one's statement."""
    return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lexicon.REFUSAL_VERBS


# --- content ----------------------------------------------------------------------------------


def _complement(tok: Token) -> tuple[Token, str] | None:
    """The head of the cue's content and how it was found: clause, noun or none."""
    lemma = tok.lemma_.lower()
    particle = _phrasal_particle(tok)
    if particle is not None:
        role = lexicon.PHRASAL_CUES[(lemma, particle.lower_)]
        if role == "pobj":
            obj = next((c for c in particle.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj, "noun"
        if role == "ccomp":
            for c in tok.children:
                if c.dep_ in _COMPLEMENT_DEPS:
                    return c, "clause"
        return None
    own = _own_clause_before(tok)
    for c in tok.children:
        if own is not None and c.i == own.i:
            continue
        if c.dep_ == "ccomp" and lemma in lexicon.PREDICATE_CUES and _names_before(tok, c):
            return None  # "A super PAC called Our Principles is ramping up": a name given; the clause is not said
        if c.dep_ == "ccomp" and not c.is_punct and not _across_colon(tok, c):  # not a dash the parser made a clause
            obj = _object_before(tok, c) if lemma in lexicon.NOMINAL_CUES and lemma not in lexicon.ADDRESSEE_OBJECT_VERBS else None
            return (obj, "noun") if obj is not None else (c, "clause")
    if lemma in lexicon.INFINITIVE_CUES:
        infinitive = _infinitive(tok)
        if infinitive is not None:
            return infinitive, "infinitive"
    if lemma in lexicon.PREDICATE_CUES:
        if any(c.dep_ == "dobj" and c.lower_.endswith(("self", "selves")) for c in tok.children):
            return None  # "a group that calls itself Freedom Media": a name, not a view
        oprd = next((c for c in tok.children if c.dep_ == "oprd"), None)
        return (oprd, "predicate") if oprd is not None else None
    misplaced = _that_clause_below(tok)
    if misplaced is not None:
        return misplaced, "clause"
    if lemma in lexicon.NOMINAL_CUES:
        # the object before an infinitive, which goes on about it ("announced the start of a process to
        # suggest designs", where the parser hung the infinitive on the cue)
        objs = [c for c in tok.children if c.dep_ == "dobj"] or [c for c in tok.children if c.dep_ == "xcomp"]
        if lemma in lexicon.ADDRESSEE_OBJECT_VERBS:
            objs = [c for c in tok.children if c.dep_ == "xcomp"] or []
        if objs:
            return objs[-1], "noun"
    elif lemma in lexicon.ADDRESSEE_OBJECT_VERBS:
        # "told supporters to “go vote”": what the addressee is told to do
        xcomp = [c for c in tok.children if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.lefts)]
        if xcomp and any(c.dep_ in ("dobj", "dative") for c in tok.children):
            return xcomp[-1], "noun"
    return None


def _own_clause_before(cue: Token) -> Token | None:
    """The clause before a subjectless cue that has a clause after it too: the parser read the
    speaker's own clause as a second complement ("Beck, who … opposed Trump …, last week said Trump
    was …"; "Kasich offered the man a job, then says he'll …")."""
    if any(c.dep_ in _SUBJECT_DEPS for c in cue.children):
        return None
    clauses = [c for c in cue.children if c.dep_ == "ccomp"]
    before = next((c for c in clauses if c.i < cue.i), None)
    if before is None or not any(c.i > cue.i for c in clauses) or not any(c.dep_ == "nsubj" for c in before.children):
        return None
    doc = cue.doc
    opening = doc[max(before.left_edge.i - 1, 0) : before.left_edge.i + 1]
    return None if any(t.is_quote for t in opening) else before  # a quotation before the cue is what it says


def _names_before(cue: Token, clause: Token) -> bool:
    """Whether a naming cue's name stands before a clause without a subject of its own: the parser read
    "a group called X is …" as "a group called X" saying "is …"."""
    return any(o.dep_ == "oprd" and o.i < clause.i for o in cue.children) and not any(
        c.dep_ in _SUBJECT_DEPS for c in clause.children)


def _across_colon(cue: Token, clause: Token) -> bool:
    """A clause before a colon, after which the cue's own sentence starts with its subject ("Even people
    who endorsed the plan sounded equivocal: Jane Harman called it …"): the colon leads to the cue's
    clause, so the clause before it is not what the cue says. So does a semicolon or a dash right before
    the subject ("She met with an array of attorneys; one suggested …")."""
    if clause.i > cue.i:
        return False
    subject = next((c for c in cue.children if c.dep_ in _SUBJECT_DEPS and c.i < cue.i), None)
    if subject is None:
        return False
    before = cue.doc[subject.left_edge.i - 1] if subject.left_edge.i > clause.right_edge.i + 1 else None
    if before is not None and before.text in (";", "-", "--", "–", "—"):
        return True
    between = cue.doc[clause.right_edge.i + 1 : subject.left_edge.i]
    colons = [t.i for t in between if t.text == ":"]
    # a colon inside a quotation before the cue ("“… draw us all together: Solidarity …,” Seibert wrote") leads nowhere
    return bool(colons) and not any(t.is_quote for t in cue.doc[colons[-1] : subject.left_edge.i])


def withholds(tok: Token) -> bool:
    """Whether a cue withholds something rather than says it ("denied him a visa", "will deny entry to
    journalists"; not "denied the allegations")."""
    return tok.lemma_.lower() in lexicon.WITHHOLDING_CUES and any(
        c.dep_ in ("dative", "iobj") or c.dep_ == "dobj" and c.lemma_.lower() in lexicon.WITHHELD_THINGS for c in tok.children)


def _object_before(tok: Token, clause: Token) -> Token | None:
    """The object a clause without "that" directly follows, which the clause really modifies
    ("mentioned remarks Trump had made about her": the parser's ccomp is a relative clause)."""
    if any(m.dep_ == "mark" for m in clause.children):
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i < clause.i), None)
    return obj if obj is not None and clause.left_edge.i == obj.right_edge.i + 1 else None


def _infinitive(tok: Token) -> Token | None:
    """The "to" infinitive a verb takes without an object ("vowed to fight on"), or None."""
    if any(c.dep_ in ("dobj", "dative") for c in tok.children):
        return None
    return next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.lefts)), None)


def _predicate_end(obj: Token, cue: Token, stop: set[int]) -> int:
    """End of what the cue says about its object: "denounced the strike as “political”", "criticised
    the police for their handling of the protest", "called for a prosecutor to oversee the inquiry";
    the object's own end when nothing follows."""
    end = obj.right_edge.i + 1
    for c in sorted({*obj.head.rights, *cue.rights}, key=lambda t: t.i):
        if c.i < end or any(c.left_edge.i <= i <= c.right_edge.i for i in stop):
            continue
        if _says_of_object(c) and (c.left_edge.i == end or all(t.is_punct for t in obj.doc[end:c.left_edge.i])):
            end = c.right_edge.i + 1
    return end


def _clause_continuation_end(cue: Token, end: int, stop: set[int]) -> int:
    """End of a reported clause that the parser cut short by hanging its continuation on the cue
    ("told Kelly that the government tried to put me away, but a federal judge refused …",
    "said waterboarding is “peanuts,” compared to what …"): clauses after it run on to the sentence end."""
    for c in sorted(cue.rights, key=lambda t: t.i):
        if c.i < end or c.is_punct or c.dep_ == "cc":
            continue
        if any(c.left_edge.i <= i <= c.right_edge.i for i in stop) or c.dep_ not in ("conj", "advcl", "prep") or _is_speech_cue(c):
            break
        if c.dep_ == "prep" and c.tag_ not in ("VBN", "VBG"):
            break  # "… in a statement", "… on Tuesday": about the cue, not the content
        if c.dep_ == "conj" and not any(g.dep_ in (*_SUBJECT_DEPS, "expl") for g in c.children):
            break  # "claimed …, but offered no proof": the speaker's next act, not the content
        if not all(t.is_punct or t.dep_ == "cc" for t in cue.doc[end : c.left_edge.i]):
            break
        end = c.right_edge.i + 1
    return end


def _says_of_object(c: Token) -> bool:
    """A dependent that goes on about the cue's object: a predicate, "as"/"for"/"of" phrase or clause, a "to" infinitive."""
    if c.dep_ in ("oprd", "ccomp") or (c.dep_ == "prep" and c.lower_ in lexicon.PREDICATE_PREPOSITIONS):
        return True
    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
        return True
    return c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.lefts)


def _coordinated_cues(head: Token) -> set[int]:
    """Where a second speech act joined to the content starts ("said X and promised Y"): a
    subjectless cue verb in conjunction with the content's head belongs to the speaker, not the content."""
    out = set()
    for c in head.children:
        if (c.dep_ == "conj" and _is_speech_cue(c) and not any(g.dep_ in _SUBJECT_DEPS for g in c.children)
                and not any(g.tag_ == "MD" for g in c.children)):  # "it would attack … and would respond": content
            before = c.left_edge.i - 1
            out.add(before if before > head.i and c.doc[before].dep_ == "cc" else c.left_edge.i)
        elif _trailing_participle_cue(c):
            out.add(c.left_edge.i - 1)  # "…, saying …": the comma ends the content
    return out


def _trailing_participle_cue(tok: Token) -> bool:
    """A subjectless '-ing' cue set off by a comma after the clause it hangs from ("argued that the
    plan would work, saying it was “all about management”"): a speech act of the outer speaker."""
    if tok.dep_ != "advcl" or tok.tag_ != "VBG" or tok.i < tok.head.i or not _is_cue(tok) or tok.lemma_.lower() in lexicon.EVIDENCE_VERBS:
        return False
    if any(g.dep_ in _SUBJECT_DEPS for g in tok.children):
        return False
    before = tok.left_edge.i - 1
    return before > tok.head.i and tok.doc[before].text == ","


def _that_clause_below(tok: Token) -> Token | None:
    """A that-clause the parser hung on the cue's object or medium instead of the cue ("told the BBC
    in an interview that …"): a clause with a 'that' complementizer under a noun of the cue."""
    nouns = [c for c in tok.children if c.dep_ in ("dobj", "dative", "iobj")]
    for prep in (c for c in tok.children if c.dep_ == "prep"):
        nouns += [g for g in prep.children if g.dep_ == "pobj"]
    for noun in nouns:
        for clause in noun.children:
            if clause.dep_ in ("acl", "relcl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
                return clause
    return None


def _with_split_clause(cue: Token, head: Token, rng: tuple[int, int], stop: set[int]) -> tuple[int, int]:
    """A clause the parser split into two complements of the cue, one right after the other ("told me
    he’s had a quiet life": "he ’s" and "had a quiet life"), is one content; a second cue ("… and
    Democrats accused …") starts a statement of its own."""
    for c in cue.children:
        if c.dep_ != "ccomp" or c.i <= head.i or c.left_edge.i != rng[1] or c.pos_ not in ("VERB", "AUX") or _is_cue(c):
            continue
        first, prev = cue.doc[c.left_edge.i], cue.doc[c.left_edge.i - 1]
        joined = any(t.is_punct or t.dep_ == "cc" or t.lower_ in ("and", "but", "or") for t in (first, prev))
        if joined or prev.tag_ == "VBG" and _is_cue(prev):
            break  # ", and three-quarters said …", "with the i reporting no one will …": a clause of its own
        rng = (rng[0], _subtree_range(c, stop)[1])
    return rng


def _with_leading_clause(cue: Token, head: Token, rng: tuple[int, int]) -> tuple[int, int]:
    """A subordinate clause right after the cue and right before its content, which the parser hung on
    the cue, opens the content ("said just because discrimination was not obvious did not mean …");
    not before a "that", which starts the content itself."""
    if head.i < cue.i or any(m.dep_ == "mark" and m.lower_ == "that" for m in head.children):
        return rng
    doc = cue.doc
    for c in cue.children:
        if c.dep_ != "advcl" or c.left_edge.i != cue.i + 1 or not any(m.dep_ == "mark" and m.lower_ in _SUBORDINATORS for m in c.children):
            continue
        gap = doc[c.right_edge.i + 1 : rng[0]]
        if all(t.text == "," for t in gap) and len(gap) <= 1:
            return c.left_edge.i, rng[1]
    return rng


_SUBORDINATORS = frozenset({"because", "if", "unless", "although", "though", "while", "since", "once", "until", "when", "whenever"})


def _subtree_range(head: Token, stop: set[int]) -> tuple[int, int]:
    """Token range [a, b) of head's subtree, cut where it would reach a token in ``stop``."""
    a, b = head.left_edge.i, head.right_edge.i + 1
    for i in sorted(stop):
        if a <= i < head.i:
            a = i + 1
        elif head.i < i < b:
            b = i
            break
    return a, b


def trim_edges(text: str, start: int, end: int) -> Offsets:
    """A content span without the white space and unquoted punctuation at its edges ("fail," -> "fail")."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


def _content_from_tokens(ctx: _Context, doc_range: tuple[int, int], cue: Token, speaker: Token | None) -> tuple[tuple[Offsets, ...], str] | None:
    """Character pieces of the content and its kind, or None when nothing is left."""
    doc, text = ctx.doc, ctx.text
    a, b = doc_range
    if a >= b:
        return None
    toks = doc[a:b]
    # a leading complementizer is not content, unless the caller asks for PolNeAR's convention
    # ("said that …" with "that" inside the content)
    while len(toks) and toks[0].dep_ == "mark" and toks[0].lower_ in lexicon.COMPLEMENTIZERS:
        if ctx.polnear and len(toks) > 1 and (not toks[1].is_punct or ctx.quote_index(toks[1].idx) is not None):
            break  # "that" stays before words and before a quotation ("said that “…”"), not before a comma
        toks = toks[1:]
    while len(toks) and toks[-1].dep_ == "cc" and not ctx.in_quote(toks[-1]):
        toks = toks[:-1]  # "said taxes would rise and warned …": the "and" joins the cues, not content
    if not len(toks):
        return None
    if all(t.is_punct or t.tag_ in ("WDT", "WP") for t in toks):
        return None  # "which the Church describes as …" leaves only the relative pronoun: no content
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    start, end = trim_edges(text, start, end)
    if end <= start:
        return None
    quoted = ctx.quotes_in(start, end)
    pieces: list[Offsets] = []
    for n in quoted:
        q = ctx.quotes[n]
        start, end = min(start, q.start), max(end, q.end)
    # never swallow the cue or the speaker
    for blocker in (cue, speaker):
        if blocker is None:
            continue
        if start <= blocker.idx < end:
            if blocker.idx < (ctx.quotes[quoted[0]].start if quoted else start + 1):
                start = blocker.idx + len(blocker.text)
            else:
                end = blocker.idx
            start, end = trim_edges(text, start, end)
    if end <= start:
        return None
    pieces = [(start, end)]
    if quoted:
        q0 = ctx.quotes[quoted[0]]
        if len(quoted) == 1 and len(q0.pieces) > 1 and q0.start >= start and q0.end <= end:
            pieces = list(q0.pieces)
            if start < q0.start:
                pieces[0] = (start, pieces[0][1])
            if end > q0.end:
                pieces[-1] = (pieces[-1][0], end)
    kind = _kind(ctx, start, end)
    return tuple(pieces), kind


def _kind(ctx: _Context, start: int, end: int) -> str:
    """direct when the content is all quotation, mixed when partly, indirect when not at all."""
    quoted = 0
    words = 0
    for tok in ctx.doc.char_span(start, end, alignment_mode="expand") or ():
        if tok.is_punct or tok.is_space:
            continue
        words += 1
        if ctx.quote_index(tok.idx) is not None:
            quoted += 1
    if quoted == 0:
        return "indirect"
    return "direct" if quoted >= words - 1 and _starts_with_quote(ctx, start) else "mixed"


def _starts_with_quote(ctx: _Context, start: int) -> bool:
    n = ctx.quote_index(start)
    return n is not None and ctx.quotes[n].start == start


# --- speakers, addressees, media ---------------------------------------------------------------


def cue_subject(tok: Token) -> Token | None:
    """The speaker token of a cue: its subject, or the subject of the verb it hangs from. A
    dateline the parser took for the subject ("CLEVELAND — Former Attorney General Jane Doe told
    …") gives way to the name in apposition to it, else to none."""
    found = _parsed_subject(tok)
    found = _person_after_participle(found) if found is not None else None
    if found is not None and (is_dateline(found) or found.ent_type_ in lexicon.NEVER_SPEAKER_LABELS):
        others = [c for c in found.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != found.i]
        others += [c for c in found.rights if c.dep_ == "appos" and speaker_form(c) == "name"]
        others = [c for c in others if not is_dateline(c) and c.ent_type_ not in lexicon.NEVER_SPEAKER_LABELS]
        return others[0] if others else None
    return found


def _person_after_participle(subject: Token) -> Token:
    """The person named after an opening participle the parser took for the subject's noun ("Writing in
    a blog post, Matthew Ingram of The Globe and Mail dubbed …": "Writing" was the subject)."""
    if subject.pos_ not in ("NOUN", "VERB") or not subject.lower_.endswith("ing") or subject.left_edge.i != subject.i:
        return subject
    doc = subject.doc
    for c in subject.rights:
        if c.ent_type_ == "PERSON" and c.pos_ == "PROPN" and c.left_edge.i > 0 and doc[c.left_edge.i - 1].text == ",":
            return c
    return subject


def relative_antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("McCain, who has tangled with Cruz, …": McCain),
    or the subject that noun describes; None for any other token."""
    if tok.lower_ not in ("who", "which", "that") or tok.dep_ not in _SUBJECT_DEPS or tok.head.dep_ != "relcl":
        return None
    return _described_subject(tok.head.head)


def _described_subject(noun: Token) -> Token:
    """The subject a predicate noun describes ("Donald Trump is a serial liar … and bully who has
    repeatedly pledged …": Trump pledged), else the noun itself."""
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ != "attr":
        return noun
    return next((c for c in first.head.children if c.dep_ == "nsubj"), noun)


def _parsed_subject(tok: Token) -> Token | None:
    seen = 0
    cur = tok
    while seen < 4:
        seen += 1
        # of two subjects the parser gave one verb, a person before anything else, then the nearer
        # ("in Salem, New Hampshire, Trump went"); a clause ("Speaking at a school, …") never speaks
        # the passive subject of a verb an -ing cue hangs from does what the cue says ("she's tacked to
        # the left, criticizing …"); that of the cue itself, or of a verb it shares it with ("I was
        # hauled in and told"), is who was spoken to
        subjects = [c for c in cur.children if not c.is_punct and (
            c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and cur is not tok and tok.tag_ == "VBG" and _someone(c))]
        if subjects:
            c = min(subjects, key=lambda s: (s.ent_type_ != "PERSON", abs(s.i - cur.i)))
            nested = [s for s in subjects if any(g.dep_ == "nsubj" for g in s.lefts)] if len(subjects) > 1 else []
            if nested and c.ent_type_ != "PERSON":
                # "A new study documenting iodine nutritional status … has revealed": the parser gave a
                # subject a subject of its own; the two together open the real one
                c = nested[0]
            if relative_antecedent(c) is not None:
                return relative_antecedent(c)
            return c
        for c in cur.children:
            if c.dep_ == "agent":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.i != cur.head.i:
            cur = cur.head.head  # "distanced himself from it by saying …": the subject of "distanced"
            continue
        if (_trailing_participle_cue(cur) or cur.dep_ == "conj" and _is_speech_cue(cur)) and cur.head.dep_ == "ccomp" and _is_cue(cur.head.head):
            # "X argued that …, saying …", "X said the plan was … and promised …": X says it, not
            # the clause's subject (the content stops there: see _coordinated_cues)
            cur = cur.head.head
            continue
        if cur.dep_ in ("conj", "advcl", "xcomp") and cur.head.i != cur.i:
            cur = cur.head
            continue
        if cur.dep_ == "acl" and _medium_word(cur.head) in lexicon.MEDIUM_NOUNS:
            medium = cur.head
            owner = next((c for c in medium.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner  # "Hillary Clinton's Tuesday speech denouncing …"
            if _published_medium(medium):
                cur = medium.head  # "X issued a statement saying …": who issued it says it
                continue
            if medium.dep_ == "pobj" and medium.head.lower_ in _MEDIUM_CARRIERS and medium.head.head.pos_ in ("VERB", "AUX"):
                cur = medium.head.head  # "X launched the movement with a speech denouncing …"
                continue
        break
    return None


#: Prepositions through which a verb's subject delivers a medium ("with a speech", "in a letter").
_MEDIUM_CARRIERS = lexicon.MEDIUM_PREPOSITIONS | {"with"}
_PEOPLE_PRONOUNS = lexicon.PERSON_PRONOUNS | lexicon.FIRST_SECOND_PRONOUNS | {"they"}


def _someone(tok: Token) -> bool:
    """A person or people, not a thing: a personal pronoun, a name, or a role ("a reporter")."""
    if tok.pos_ == "PRON":
        return tok.lower_ in _PEOPLE_PRONOUNS
    return speaker_form(tok) == "name" or tok.lemma_.lower() in lexicon.ROLE_WORDS


def _fallback_subject(ctx: _Context, tok: Token) -> Token | None:
    """A subjectless cue (a misparse) takes the nearest named person or organisation before it
    in its sentence, outside quotations and prepositional phrases."""
    sent = sentence_of(tok)
    for ent in reversed([e for e in ents_in(sent) if e.end <= tok.i]):
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        root = ent.root
        if is_dateline(root):
            continue
        if ctx.in_quote(root) or root.dep_ in ("pobj", "poss"):
            continue
        return root
    return None


def addressee_and_medium(tok: Token) -> tuple[Offsets | None, Offsets | None]:
    """Whom a cue addresses and in what medium ("wrote in his resignation letter to Keir Starmer"),
    as the rules read them for their own statements; the trained engines read them the same way."""
    medium = _medium(tok)
    return _addressee(tok, medium[1] if medium else None), medium[0] if medium else None


def _addressee(tok: Token, medium_tok: Token | None) -> Offsets | None:
    lemma = tok.lemma_.lower()
    if lemma in lexicon.ADDRESSEE_OBJECT_VERBS:
        for c in tok.children:
            if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ in ("NOUN", "PROPN", "PRON"):
                return _np_range(c)
    holders = [tok] + ([medium_tok] if medium_tok is not None else [])
    if medium_tok is not None and _published_medium(medium_tok) and medium_tok.head is not tok:
        holders.append(medium_tok.head)  # "sent a letter to the governor saying …"
    for holder in holders:
        for c in holder.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "with"):
                if c.lower_ == "with" and holder is not medium_tok:
                    continue
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return _np_range(pobj)
    return None


def _np_range(tok: Token) -> Offsets:
    """The noun phrase headed by tok, up to a comma after the head (", where she met …" is not part of it)."""
    a, b = tok.left_edge, tok.right_edge
    comma = next((t for t in tok.doc[tok.i + 1 : b.i + 1] if t.text in (",", ";", "(", "—", "–")), None)
    if comma is not None:
        b = tok.doc[comma.i - 1]
    while b.i > a.i and (b.is_punct or b.is_space):
        b = b.doc[b.i - 1]
    return a.idx, b.idx + len(b.text)


def _medium_word(tok: Token) -> str:
    """The noun's lemma, with a hyphenated first part the tokenizer split off ("op-ed")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].tag_ == "HYPH" and doc[tok.i - 1].idx + 1 == tok.idx:
        return f"{doc[tok.i - 2].lower_}-{tok.lemma_.lower()}"
    return tok.lemma_.lower()


def _published_medium(tok: Token) -> bool:
    """A medium noun that a publishing verb puts out: "issued a statement", "sent a letter"."""
    return tok.dep_ == "dobj" and _medium_word(tok) in lexicon.MEDIUM_NOUNS and tok.head.lemma_.lower() in lexicon.PUBLISHING_VERBS


def _medium_phrase(noun: Token) -> Offsets:
    """The medium noun with the modifiers before it ("his resignation letter")."""
    mods = [c for c in noun.lefts if c.dep_ in ("compound", "amod", "nmod")]
    first = min(mods, key=lambda c: c.i) if mods else noun
    return first.idx, noun.idx + len(noun.text)


def _medium(tok: Token) -> tuple[Offsets, Token] | None:
    """'in his resignation letter', 'in a statement', 'on Twitter', 'issued a statement (saying)': the
    medium noun and its modifiers."""
    published = tok.head if tok.dep_ == "acl" and _published_medium(tok.head) else next(
        (c for c in tok.children if _published_medium(c)), None)
    if published is not None:
        return _medium_phrase(published), published
    candidates: list[Token] = [tok]
    candidates += [c for c in tok.children if c.dep_ in ("advcl", "prep")]
    if tok.dep_ in ("conj", "xcomp", "advcl"):
        candidates.append(tok.head)
        candidates += [c for c in tok.head.children if c.dep_ == "advcl"]
    for holder in candidates:
        preps = [holder] if holder.dep_ == "prep" else [c for c in holder.children if c.dep_ == "prep"]
        for prep in preps:
            if prep.lower_ not in lexicon.MEDIUM_PREPOSITIONS:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                if _medium_word(pobj) in lexicon.MEDIUM_NOUNS or pobj.lower_ in lexicon.MEDIUM_PLATFORMS:
                    return _medium_phrase(pobj), pobj
    return None


# --- the three rules --------------------------------------------------------------------------


def _after_framing_colon(ctx: _Context, rng: tuple[int, int], cue: Token) -> int | None:
    """Where the quotation starts that a colon in a content before the cue opens ("Fallon fired back:
    “…,” he wrote, “…”": the clause before the colon frames the quotation, the cue's content)."""
    doc = cue.doc
    for i in range(min(rng[1], cue.i) - 1, rng[0] - 1, -1):
        if doc[i].text != ":":
            continue
        nxt = i + 1
        while nxt < cue.i and doc[nxt].is_space:
            nxt += 1
        if nxt < cue.i and ctx.quote_index(doc[nxt].idx) is not None:
            return nxt
    return None


def _quotation_before_cue(ctx: _Context, rng: tuple[int, int], cue: Token, speaker: Token | None) -> tuple[int, int] | None:
    """The tokens of a quoted sentence right before the cue that follows a comma closing the clause its
    content would be ("Biden weighed in as well, telling Mic …, “But gosh almighty, they’re both
    qualified,” he said": he said the quotation, not that he weighed in)."""
    doc, text = cue.doc, ctx.text
    if rng[0] >= rng[1]:
        return None
    frame = min(cue.idx, speaker.idx) if speaker is not None else cue.idx
    within = ctx.quotes_within(doc[rng[0]].idx, frame)
    if not within:
        return None
    q = ctx.quotes[within[-1]]
    before = text[doc[rng[0]].idx : q.start].rstrip()
    inner = text[q.inner[0] : q.inner[1]].lstrip()
    clause = any(t.dep_ in _SUBJECT_DEPS and t.idx < q.start for t in doc[rng[0] : rng[1]])
    if not (clause and before.endswith(",") and inner[:1].isupper() and not text[q.end : frame].strip(" ,\n")):
        return None
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else None


def _from_complement(ctx: _Context, cue: Token) -> Attribution | None:
    if negated(cue) or not ctx.polnear and _refused(cue):
        return None
    if passive_addressee(cue):
        return _unnamed_question(ctx, cue)
    comp = _complement(cue)
    if comp is None:
        return None
    head, how = comp
    if head.i < cue.i and _is_speech_cue(head) and any(c.dep_ in _SUBJECT_DEPS for c in head.children):
        return None  # "“…?” she said, but …, Melanie said yes": a speech act of its own, not content
    speaker = cue_subject(cue)
    if speaker is None and head.i < cue.i:
        speaker = _inverted_subject(cue)  # '"…," added Smith'
    own = _own_clause_before(cue) if speaker is None else None
    if own is not None:
        subject = next(c for c in own.children if c.dep_ == "nsubj")
        speaker = subject if _someone(subject) else None  # not "The issue" of "The issue came up after X had said"
    fallback = False
    if speaker is None:
        speaker = _fallback_subject(ctx, cue)
        fallback = speaker is not None
    stop = {cue.i} | ({speaker.i} if speaker is not None else set()) | _coordinated_cues(head)
    rng = _subtree_range(head, stop)
    if how == "clause":
        rng = _with_leading_clause(cue, head, _with_split_clause(cue, head, rng, stop))
    if head.i < cue.i:
        cut = _after_framing_colon(ctx, rng, cue)
        rng = (cut, rng[1]) if cut is not None else _quotation_before_cue(ctx, rng, cue, speaker) or rng
    if how == "noun":
        rng = (rng[0], max(rng[1], _predicate_end(head, cue, stop)))
    elif how == "predicate":
        # "called the plan “a disaster”": the object and what it is called, from after the cue
        rng = (cue.i + 1, rng[1])
    if how in ("clause", "infinitive") and rng[0] > cue.i:
        rng = (rng[0], _clause_continuation_end(cue, rng[1], stop))
    got = _content_from_tokens(ctx, rng, cue, speaker)
    if got is None:
        return None
    pieces, kind = got
    if how in ("noun", "predicate") and kind == "direct":
        kind = "mixed"
    return _build(ctx, cue, speaker, pieces, kind, "complement", fallback)


def _unnamed_question(ctx: _Context, cue: Token) -> Attribution | None:
    """"Asked whether he would run, Smith said no", "she was asked if …": a question put by someone
    the article does not name; its speaker stays unknown and the one asked is the addressee."""
    if cue.lemma_.lower() not in lexicon.QUESTION_VERBS:
        return None
    head = next((c for c in cue.rights if c.dep_ == "ccomp" or c.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)), None)
    if head is None:
        return None
    asked = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    got = _content_from_tokens(ctx, _subtree_range(head, {cue.i}), cue, asked)
    if got is None:
        return None
    pieces, kind = got
    built = _build(ctx, cue, None, pieces, kind, "complement", False)
    return replace(built, addressee=_np_range(asked) if asked is not None else None)


def _from_parenthetical(ctx: _Context, cue: Token) -> Attribution | None:
    """'But to prevent problems, he said, local officials should act.': a cue set off by commas
    inside the clause it reports (a parenthetical the parser hangs on that clause) gives the
    clause around it, in two pieces, to its subject."""
    if cue.dep_ != "parataxis" or negated(cue) or passive_addressee(cue):
        return None
    head = cue.head
    speaker = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i), None)
    if speaker is None or head.i <= cue.i or ctx.in_quote(head):
        return None
    doc = ctx.doc
    # the commas around "he said" may belong to the cue's subtree or not, and the parser may hang
    # the words before the first comma on the cue: they are content all the same
    a, b = speaker.left_edge.i - 1, cue.right_edge.i
    if doc[b].text != ",":
        b += 1
    if a < 0 or b >= len(doc) or doc[a].text != "," or doc[b].text != ",":
        return None
    if any(a < t.i < cue.i and t.dep_ not in ("punct",) and not (speaker.left_edge.i <= t.i <= speaker.right_edge.i) for t in cue.lefts):
        return None
    left = (min(head.left_edge.i, cue.left_edge.i), a)
    right = (b + 1, head.right_edge.i + 1)
    if left[1] - left[0] < 2 or right[1] - right[0] < 2:
        return None
    pieces = []
    for lo, hi in (left, right):
        span = doc[lo:hi]
        start, end = trim_edges(ctx.text, span[0].idx, span[-1].idx + len(span[-1].text))
        if end <= start:
            return None
        pieces.append((start, end))
    if ctx.quote_index(pieces[0][1] - 1) is not None or ctx.quote_index(pieces[-1][0]) is not None:
        return None  # quotations around the cue are the adjacent rule's
    kind = _kind(ctx, pieces[0][0], pieces[-1][1])
    return _build(ctx, cue, speaker, tuple(pieces), kind, "complement", False)


def _from_as_clause(ctx: _Context, cue: Token) -> Attribution | None:
    """'As the minister told reporters, the talks have failed.' (or '…, as the minister said'): a speech
    verb in an "as" clause hung on a clause gives that clause, less the "as" clause, to its subject."""
    if cue.dep_ != "advcl" or not _is_speech_cue(cue) or negated(cue) or ctx.in_quote(cue.head):
        return None
    mark = cue.left_edge
    speaker = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
    head = cue.head
    if mark.lower_ != "as" or mark.dep_ != "mark" or speaker is None or head.pos_ not in ("VERB", "AUX") or _complement(cue) is not None:
        return None
    if cue.lemma_.lower() in lexicon.SEQUENCE_CUES or any(c.dep_ == "xcomp" for c in cue.children):
        return None  # "As Bush continued, …", "as the firm continues to grow": a time, not a source cited
    if cue.lemma_.lower() not in lexicon.ADDRESSEE_OBJECT_VERBS and any(c.dep_ == "dobj" for c in cue.children):
        return None  # "cheered as the minister said goodbye": something said, not a source cited
    if cue.lemma_.lower() in lexicon.RESPONSE_VERBS and any(c.dep_ == "prep" and c.lower_ == "to" for c in cue.children):
        return None  # "…, as voters responded to the crackdown": a reaction, not a source cited
    doc = ctx.doc
    comma = cue.right_edge.i + 1 if cue.i < head.i else mark.i - 1
    if not 0 <= comma < len(doc) or doc[comma].text != ",":
        return None  # "was published as the minister told reporters": a time, not a source cited
    rng = (cue.right_edge.i + 1, head.right_edge.i + 1) if cue.i < head.i else (head.left_edge.i, mark.i)
    got = _content_from_tokens(ctx, rng, cue, speaker)
    if got is None or doc[rng[0] : rng[1]].root.i != head.i:
        return None  # the "as" clause sits inside its clause: not this rule's
    pieces, kind = got
    return _build(ctx, cue, speaker, pieces, kind, "complement", False)


def _source_span(ctx: _Context, speaker: Token, cue: Token, pieces: tuple[Offsets, ...]) -> Offsets:
    """The speaker's whole noun phrase (see mentions.source_span), never reaching the cue or the content."""
    stop = {cue.i}
    for a, b in (pieces[0], pieces[-1]):
        toks = ctx.tokens_between(a, b)
        if len(toks):
            stop |= {toks[0].i, toks[-1].i}
    span = source_span(speaker, frozenset(stop))
    if any(span[0] < b and a < span[1] for a, b in pieces):
        return mention_span(speaker)
    return span


def _named_apposition(tok: Token) -> Token:
    """The name standing in apposition to a common-noun speaker ("the union's general secretary,
    Paul Graham, said"): the name is the better mention; a person's before an organisation's ("The
    secretary general of CEI (Italian Episcopal Conference), Nunzio Galantino, said")."""
    if speaker_form(tok) != "nominal":
        return tok
    names = [c for c in tok.rights if c.dep_ == "appos" and speaker_form(c) == "name"]
    names.sort(key=lambda c: c.ent_type_ != "PERSON")
    return names[0] if names else tok


def _build(ctx: _Context, cue: Token, speaker: Token | None, pieces: tuple[Offsets, ...], kind: str, basis: str, fallback: bool) -> Attribution:
    addressee, medium = addressee_and_medium(cue)
    head = speaker
    speaker = _named_apposition(speaker) if speaker is not None else None
    form = speaker_form(speaker) if speaker is not None else "none"
    span: Offsets | None = None
    if speaker is not None:
        span = mention_span(speaker)
        if not fallback and speaker is head:
            span = _source_span(ctx, speaker, cue, pieces)
    cue_offsets = _run_on_cue(cue, pieces, span) if ctx.polnear else cue_span(cue)
    if ctx.polnear:
        pieces = with_relative_pronoun(ctx.doc, cue_offsets, pieces, span)
    return Attribution(
        kind=kind,
        content=pieces,
        cue=cue_offsets,
        speaker=span,
        speaker_form=form,
        addressee=addressee,
        medium=medium,
        basis=basis,
        confidence=_confidence(kind, basis, form, fallback, cue),
        speaker_token=speaker.i if speaker is not None else None,
        speaker_name=mention_span(speaker) if form == "name" else None,
    )


def _confidence(kind: str, basis: str, form: str, fallback: bool, cue: Token | None) -> float:
    score = {"direct": 0.9, "mixed": 0.85, "indirect": 0.8}[kind]
    score -= {"complement": 0.0, "adjacent": 0.02, "according_to": 0.05, "name_colon": 0.05, "name_dash": 0.05}[basis]
    score -= {"name": 0.0, "pronoun": 0.05, "nominal": 0.08, "group": 0.08, "none": 0.25}[form]
    if fallback:
        score -= 0.1
    if cue is not None and (cue.lemma_.lower() in lexicon.BELIEF_VERBS or cue.lemma_.lower() in lexicon.TOPIC_CUES):
        score -= 0.1  # a belief, an intention or a topic: less than a statement of what was said
    return max(0.05, min(0.99, score))


def _according_to(ctx: _Context) -> Iterable[Attribution]:
    """'According to X, ...': the source is the object of 'to', the content the clause the phrase
    modifies, on either side of it ("The company, according to Reuters, will cut 200 jobs"), not a
    frame before it ("Wikinews has learned that according to X, ..."). Where that clause is itself a
    statement with a speaker of its own ("According to ABC News, Basya believes ..."), that
    statement stands and X is only who reported it."""
    for tok in ctx.doc:
        if tok.lower_ != "according" or ctx.in_quote(tok):
            continue
        to = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if to is None or to.lower_ != "to":
            continue
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        got = _according_to_content(ctx, tok, source)
        if got is None:
            continue
        pieces, kind = got
        form = speaker_form(source)
        yield Attribution(
            kind=kind,
            content=pieces,
            cue=(tok.idx, to.idx + len(to.text)),
            speaker=_source_span(ctx, source, tok, pieces),
            speaker_form=form,
            addressee=None,
            medium=None,
            basis="according_to",
            confidence=_confidence(kind, "according_to", form, False, None),
            speaker_token=source.i,
            speaker_name=mention_span(source) if form == "name" else None,
        )


def _according_to_content(ctx: _Context, tok: Token, source: Token) -> tuple[tuple[Offsets, ...], str] | None:
    """The content of 'according to <source>' at ``tok``: the clause of the verb it hangs from, less
    the phrase (and a participle naming the source's source: ", quoting KCNA,"); without such a verb,
    the rest of the sentence when the phrase opens it, else what stands before the phrase."""
    sent = sentence_of(tok)
    phrase_end = source.right_edge.i + 1
    head = tok.head
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "X did A and Y did B, according to Z": both clauses
    if (head.i == tok.i or head.pos_ not in ("VERB", "AUX") or head.dep_ not in _CLAUSE_DEPS
            or not sent.start <= head.left_edge.i <= head.right_edge.i < sent.end):
        if tok.i == sent.start or all(t.is_punct for t in sent.doc[sent.start : tok.i]):
            return _content_from_tokens(ctx, (phrase_end, sent.end), tok, None)
        return _content_from_tokens(ctx, (sent.start, tok.i), tok, None)
    if not ctx.polnear and _complement(head) is not None and cue_subject(head) is not None and _is_cue(head) and not negated(head):
        return None  # onrecord's convention: the clause is a statement of its own; PolNeAR's keeps the outer one
    for child in head.children:
        if child.dep_ == "advcl" and child.i in (phrase_end, phrase_end + 1) and child.lemma_.lower() in lexicon.SOURCE_CITING_VERBS:
            phrase_end = child.right_edge.i + 1  # "According to Yonhap, quoting KCNA, ..."
    after_end = head.right_edge.i + 1
    if tok.i > head.i:  # "… on Thursday, according to X, and said …": a clause joined after the phrase is not its content
        later = [c for c in head.children if c.dep_ in ("conj", "cc") and c.i >= phrase_end]
        if any(c.dep_ == "conj" for c in later):
            after_end = min(c.left_edge.i for c in later)
    pieces: list[Offsets] = []
    kinds: set[str] = set()
    for rng in ((head.left_edge.i, tok.i), (phrase_end, after_end)):
        got = _content_from_tokens(ctx, rng, tok, None)
        if got is not None and any(not t.is_punct for t in ctx.doc[rng[0] : rng[1]]):
            pieces += got[0]
            kinds.add(got[1])
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return (tuple(pieces), kind) if pieces else None


def _name_colon(ctx: _Context) -> Iterable[Attribution]:
    """'Jane Doe: We will win the vote.': a paragraph that opens with a name and a colon (a
    headline, a transcript) gives the rest of the paragraph to that person or organisation
    ("Pew Research: …"). Only a name the entity recogniser calls a person or organisation, or a
    person's surname, qualifies ("The Latest:", "Update:", "Iowa:" do not), and the rest must be
    words, not a figure ("Doe: 1,501")."""
    doc, text = ctx.doc, ctx.text
    surnames: set[str] | None = None
    for tok in doc:
        if tok.text != ":" or tok.i == 0 or ctx.quote_index(tok.idx) is not None:
            continue
        last = doc[tok.i - 1]
        ent = entity_of(last) if last.ent_type_ in ("PERSON", "ORG") else None
        if ent is not None and ent.label_ == "ORG" and ent.text.lower() in lexicon.SECTION_LABELS:
            continue  # "The Latest:", "Update:"
        if ent is None:
            # a headline's "Trump:" or a transcript's "FALLIN:" the recogniser missed: a name
            # that a person named elsewhere in the article ends with
            if surnames is None:
                surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
            ent = _capitalised_name_before(doc, tok.i)
            if ent is None or ent[-1].lower_ not in surnames:
                continue
            named = (ent.start_char, ent.end_char)
        else:
            named = None
        if ent.end != tok.i or len(ent) > lexicon.NAME_COLON_MAX_TOKENS:
            continue
        before = ent.start_char - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before >= 0 and text[before] != "\n":
            continue  # not at the start of its paragraph
        _, pend = ctx.paragraph_of(tok.idx)
        rest = ctx.tokens_between(tok.idx + 1, pend)
        words = [t for t in rest if t.is_alpha]
        if len(words) < lexicon.NAME_COLON_MIN_WORDS or not rest[0].text[:1].isalpha() and ctx.quote_index(rest[0].idx) is None:
            continue
        start, end = trim_edges(text, rest[0].idx, rest[-1].idx + len(rest[-1].text))
        if end <= start:
            continue
        speaker = ent.root
        form = "name" if named else speaker_form(speaker)
        kind = _kind(ctx, start, end)
        yield Attribution(
            kind=kind,
            content=((start, end),),
            cue=(tok.idx, tok.idx + 1),
            speaker=named or source_span(speaker),
            speaker_form=form,
            addressee=None,
            medium=None,
            basis="name_colon",
            confidence=_confidence(kind, "name_colon", form, False, None),
            speaker_token=speaker.i,
            speaker_name=named or mention_span(speaker),
        )


_NAME_DASH_TAIL = re.compile(
    "[ \t\u00a0]*(?P<dash>" + "|".join(map(re.escape, lexicon.ATTRIBUTION_DASHES)) + ")[ \t\u00a0]*"
    "(?P<name>[^\n]*?)[ \t\u00a0.]*$"
)


def _name_dash(ctx: _Context) -> Iterable[Attribution]:
    """'“We deserve better.” ― Jane Doe': a line that is one quotation, then a dash and a person's
    name ending the line (a list of voices, an epigraph), gives the quotation to that person. A name
    is two to four capitalised words with no figure, not one the recogniser calls anything but a
    person: a cited headline's '— The Canadian Press, August 15, 2008' is no speaker."""
    text = ctx.text
    for q in ctx.quotes:
        if not q.double or not q.closed or len(q.pieces) != 1:
            continue
        pstart, pend = ctx.paragraph_of(q.start)
        if text[pstart:q.start].strip() or q.end > pend:
            continue
        tail = _NAME_DASH_TAIL.match(text, q.end, pend)
        if tail is None:
            continue
        name_start, name_end = tail.span("name")
        name = ctx.tokens_between(name_start, name_end)
        if not _looks_like_a_name(name):
            continue
        kind = _kind(ctx, q.start, q.end)
        yield Attribution(
            kind=kind,
            content=q.pieces,
            cue=tail.span("dash"),
            speaker=(name_start, name_end),
            speaker_form="name",
            addressee=None,
            medium=None,
            basis="name_dash",
            confidence=_confidence(kind, "name_dash", "name", False, None),
            speaker_token=name.root.i,
            speaker_name=(name_start, name_end),
        )


def _looks_like_a_name(name: SpacySpan) -> bool:
    """Two to four capitalised words or initials ("Edwin G. Monroy"), none tagged other than a person."""
    least, most = lexicon.NAME_DASH_WORDS
    words = [t for t in name if not (t.is_punct and t.text == ".")]
    return (
        least <= len(words) <= most
        and all(t.text[:1].isupper() and (t.is_alpha or (len(t.text) == 2 and t.text[1] == ".")) for t in words)
        and all(t.ent_type_ in ("", "PERSON") for t in name)
    )


def _capitalised_name_before(doc: Doc, end: int) -> SpacySpan | None:
    """The run of capitalised words right before token ``end`` (at most NAME_COLON_MAX_TOKENS)."""
    start = end
    while start > 0 and end - start < lexicon.NAME_COLON_MAX_TOKENS and doc[start - 1].is_alpha and doc[start - 1].text[:1].isupper():
        start -= 1
    return doc[start:end] if start < end else None


def _drop_overlapping(found: list[Attribution]) -> list[Attribution]:
    """Of two statements whose contents overlap, keep the outer (earlier-found) cue's unless the
    inner one is wholly inside the other's content (reported speech within reported speech)."""
    kept: list[Attribution] = []
    reach: list[int] = []  # reach[i]: the furthest end among kept[:i + 1]; kept is in start order
    for att in sorted(found, key=lambda a: (a.start, -(a.end - a.start))):
        # the first kept statement that ends after this one starts is the first it overlaps
        n = bisect_right(reach, att.start)
        clash = kept[n] if n < len(kept) else None
        if clash is not None:
            inside = clash.start <= att.start and att.end <= clash.end
            if inside and att.cue is not None and clash.start <= att.cue[0] < clash.end:
                continue  # a cue inside another statement's content is part of that content
            if att.cue == clash.cue:
                continue
        kept.append(att)
        reach.append(max(reach[-1], att.end) if reach else att.end)
    return kept


def _covered_quotes(ctx: _Context, atts: Iterable[Attribution]) -> set[int]:
    """Indices of the quotations that lie wholly inside some statement's content."""
    return {n for a in atts for n in ctx.quotes_within(a.start, a.end)}


def _sentence_of(ctx: _Context, char: int) -> SpacySpan | None:
    span = ctx.doc.char_span(char, min(char + 1, len(ctx.text)), alignment_mode="expand")
    return sentence_of(span[0]) if span is not None and len(span) else None


def _frame_cue(ctx: _Context, q: Quote) -> tuple[Token, str] | None:
    """A cue next to the quotation: after it in the same sentence, or before it ending in ':' or ','."""
    doc, text = ctx.doc, ctx.text
    pstart, pend = ctx.paragraph_of(q.end - 1)
    after = ctx.tokens_between(q.end, pend)
    nq = bisect_left(ctx._quote_starts, q.end)
    next_quote = ctx.quotes[nq].start if nq < len(ctx.quotes) else len(text)
    window: list[Token] = []
    for t in after:
        if t.idx >= next_quote or (t.is_sent_start and window and t.text not in (",",)):
            break
        if t.text in (".", "!", "?") and window:
            break
        window.append(t)
    if (_opens_sentence(ctx, q) or _ends_with_comma(ctx, q)) and not _names_a_title(ctx, q):
        for t in window[:8]:
            if _is_cue(t) and _says_its_own(ctx, q, t):
                break
            if _is_cue(t) and not negated(t) and not passive_addressee(t):
                return t, "after"
    para_start, _ = ctx.paragraph_of(q.start)
    prev_quote = ctx.end_of_quotes_before(q.start)
    before = [t for t in ctx.tokens_between(max(para_start, prev_quote), q.start) if not t.is_space]
    if not before and prev_quote <= para_start:
        # a quotation opening its paragraph after a frame ending in a colon ("Cruz went on:")
        k = para_start - 1
        while k >= 0 and text[k].isspace():
            k -= 1
        if k >= 0 and text[k] == ":" and ctx.quote_index(k) is None:
            prev_start, _ = ctx.paragraph_of(k)
            before = [t for t in ctx.tokens_between(max(prev_start, prev_quote), k + 1) if not t.is_space]
    if before and before[-1].text in (":", ",") or (before and _is_cue(before[-1])):
        for t in reversed(before[-12:]):
            if t.text in (".", "!", "?"):
                break
            if _is_cue(t) and not negated(t) and not passive_addressee(t):
                return t, "before"
            if _published_medium(t) and not negated(t.head):
                return t.head, "before"  # "The company issued a statement on the lawsuit: “…”"
    if before and before[-1].text in (".", "!") and _opens_sentence(ctx, q):
        # "Smith issued a statement on the ruling. “…”": the quotation is the statement announced
        announced = [t for t in sentence_of(before[-1])
                     if t.head.dep_ == "ROOT" and _published_medium(t) and _medium_word(t) in lexicon.ANNOUNCED_MEDIA]
        if announced and not negated(announced[-1].head):
            return announced[-1].head, "before"
    return None


def _says_its_own(ctx: _Context, q: Quote, cue: Token) -> bool:
    """A cue opening the sentence after a quotation that ended its own with a full stop, with a content of
    its own ('“… the state.” She noted a planned rally'; '“…” He added: “…”'): it does not frame the
    quotation. A question before "she asked him", or "…. wrote a man", still is framed."""
    a, b = q.inner
    if ctx.text[a:b].rstrip()[-1:] != "." or not any(c.dep_ in _SUBJECT_DEPS and c.i < cue.i for c in cue.children):
        return False
    nxt = cue.doc[cue.i + 1] if cue.i + 1 < len(cue.doc) else None
    if nxt is not None and nxt.text == ":":
        return True
    return any(c.i > cue.i and (c.dep_ == "ccomp" or c.dep_ == "dobj" and c.pos_ == "NOUN"
                                and cue.lemma_.lower() not in lexicon.ADDRESSEE_OBJECT_VERBS) for c in cue.children)


def _attach_adjacent_quotes(ctx: _Context, found: list[Attribution]) -> list[Attribution]:
    out = list(found)
    covered = _covered_quotes(ctx, out)
    by_cue = {a.cue[0]: n for n, a in enumerate(out) if a.cue is not None}
    for qn, q in enumerate(ctx.quotes):
        if q.words < 2 or qn in covered:
            continue
        hit = _frame_cue(ctx, q)
        if hit is None:
            continue
        cue, side = hit
        own = by_cue.get(cue_span(cue, ctx.polnear)[0])
        if own is not None and out[own].kind != "direct" and side == "before":
            # "“A,” X wrote in a statement explaining why …, “B”": B goes on from A, not from the clause between
            split = _split_quotation(ctx, out, q)
            own = split if split is not None else own
        if own is not None:
            if out[own].basis == "adjacent" or out[own].kind == "direct":
                # "…," said X, "…": the second quotation continues the first
                merged = tuple(sorted(set(out[own].content) | set(q.pieces)))
                out[own] = replace(out[own], content=merged)
                covered |= _covered_quotes(ctx, [out[own]])
            continue  # else the cue already has content of its own; this quotation is not it
        speaker = cue_subject(cue)
        fallback = False
        if speaker is None or ctx.in_quote(speaker):
            speaker = _inverted_subject(cue) if side == "after" else None
        if speaker is None:
            speaker = _fallback_subject(ctx, cue)
            fallback = speaker is not None
        out.append(_build(ctx, cue, speaker, q.pieces, "direct", "adjacent", fallback))
        by_cue[out[-1].cue[0]] = len(out) - 1
        covered |= _covered_quotes(ctx, [out[-1]])
    return sorted(out, key=lambda a: a.start)


def _split_quotation(ctx: _Context, found: list[Attribution], q: Quote) -> int | None:
    """The direct statement whose quotation the quotation `q` continues after a frame ending in a comma,
    within one sentence ("“A,” X wrote …, “B”")."""
    end = ctx.end_of_quotes_before(q.start)
    between = ctx.text[end:q.start].rstrip()
    before = ctx.quote_index(end - 1) if end else None
    if before is None or not between.endswith(",") or any(ch in ".!?" for ch in between):
        return None
    a, b = ctx.quotes[before].inner
    if ctx.text[a:b].rstrip()[-1:] != ",":
        return None  # the quotation before ended its sentence
    return next((n for n, a in enumerate(found) if a.kind == "direct" and a.content[-1][1] == end), None)


def _inverted_subject(cue: Token) -> Token | None:
    """'…," said Smith': a name right after the cue."""
    addressee_first = cue.lemma_.lower() in lexicon.ADDRESSEE_OBJECT_VERBS
    if cue.dep_ == "amod" and cue.head.i == cue.i + 1 and cue.head.pos_ == "PROPN":
        return cue.head  # '…", added KCNA': the parser read the cue as the name's adjective
    for c in cue.rights:
        if c.pos_ in ("PROPN", "NOUN") and c.dep_ in ("dobj", "nsubj", "attr", "npadvmod", "appos") and c.left_edge.i == cue.i + 1:
            if addressee_first and c.dep_ == "dobj":
                return None  # "…,” telling the crowd: the crowd is spoken to
            return c
    return None


def _opens_sentence(ctx: _Context, q: Quote) -> bool:
    """Nothing but a sentence end, a colon or a paragraph start stands before the quotation."""
    pstart, _ = ctx.paragraph_of(q.start)
    before = ctx.text[pstart:q.start].rstrip()
    return not before or before[-1] in ".!?:;”\"—"


def _names_a_title(ctx: _Context, q: Quote) -> bool:
    before = [t for t in ctx.tokens_between(ctx.paragraph_of(q.start)[0], q.start) if not t.is_space]
    return bool(before) and introduces_a_title(before[-1])


def introduces_a_title(tok: Token) -> bool:
    """Whether a quotation right after this token names a title, not speech: after a preposition, a
    possessive or an article ("In an interview with CNN’s “The Lead,” on Monday, Trump continued …")."""
    return tok.pos_ == "ADP" or tok.tag_ in ("POS", "DT") or tok.dep_ == "case"


def _ends_with_comma(ctx: _Context, q: Quote) -> bool:
    """The quotation ends as speech before a cue does: '…,” he said' or '…?” she asked'."""
    a, b = q.inner
    inner = ctx.text[a:b].rstrip()
    after = ctx.text[q.end:q.end + 1]
    return bool(inner) and (inner[-1] in ",?!…—-" or after == ",")


def _floating_quotes(ctx: _Context, found: list[Attribution]) -> list[Attribution]:
    """A quotation that stands alone (its own sentence or paragraph) right after a statement
    continues it: it joins that statement's content as a further piece ("“A,” X said. “B.”" is one
    statement in two pieces), with nothing attributed in between."""
    out = list(found)
    covered = _covered_quotes(ctx, out)
    pending = [(a.end, n) for n, a in enumerate(out)]  # statements not yet ended, by end
    heapq.heapify(pending)
    prev: int | None = None  # of the statements ended so far, the one whose frame ends last
    for qn, q in enumerate(ctx.quotes):
        while pending and pending[0][0] <= q.start:
            _, n = heapq.heappop(pending)
            a = out[n]
            if prev is None or (_frame_end(a), -a.start) > (_frame_end(out[prev]), -out[prev].start):
                prev = n
        if q.words < 3 or not q.double or qn in covered or not _stands_alone(ctx, q):
            continue
        if prev is None or not _follows_directly(ctx, out[prev], q):
            continue
        att = out[prev]
        content = att.content + q.pieces
        kind = "direct" if att.kind == "direct" else "mixed"
        out[prev] = replace(att, content=content, kind=kind)
        covered.add(qn)
    return sorted(out, key=lambda a: a.start)


def _stands_alone(ctx: _Context, q: Quote) -> bool:
    """The quotation fills its paragraph, or is a sentence of its own in it: ended by a full stop after
    it, or by its own before a new sentence ('“… everywhere.” Greene added that …')."""
    pstart, pend = ctx.paragraph_of(q.start)
    before = ctx.text[pstart:q.start].strip()
    after = ctx.text[q.end:ctx.paragraph_of(q.end - 1)[1]].strip()
    a, b = q.inner
    closes_sentence = q.closed and ctx.text[a:b].rstrip()[-1:] in (".", "!", "?") and after[:1].isupper()
    if not before and (not after or after[0] in ".!?" or closes_sentence):
        return True
    return (not before or before[-1] in ".!?”\"") and (not after or after[0] in ".!?" or closes_sentence)


def _frame_end(att: Attribution) -> int:
    """Where a statement's last part ends: its content, cue, speaker, addressee or medium."""
    parts = [att.content[-1], att.cue, att.speaker, att.addressee, att.medium]
    return max(p[1] for p in parts if p is not None)


def _described_speaker_end(ctx: _Context, att: Attribution) -> int:
    """Where the description of a speaker named after the cue ends: its apposition and relative clause
    ("said Gene B. Sperling, a former top economic adviser …, who has offered advice …") are part of
    the statement's frame, however long."""
    if att.speaker is None or att.cue is None or att.speaker[0] < att.cue[1]:
        return 0
    span = ctx.doc.char_span(*att.speaker, alignment_mode="expand")
    if span is None or not len(span):
        return 0
    last = ctx.doc[span.root.right_edge.i]
    return last.idx + len(last.text)


def _follows_directly(ctx: _Context, prev: Attribution, q: Quote) -> bool:
    """Nothing but the rest of the previous statement's sentence stands between it and the quotation:
    a sentence in between (another person, a new topic) breaks the thread."""
    end = _frame_end(prev)
    if end > q.start:
        return False
    end = max(end, _described_speaker_end(ctx, prev))
    sent = _sentence_of(ctx, end - 1)
    sent_end = max(end, sent.end_char) if sent is not None else end
    between = ctx.text[min(sent_end, q.start):q.start]
    return all(ch.isspace() or ch in ".!?”\"’'" for ch in between) and sent_end - end < 120
