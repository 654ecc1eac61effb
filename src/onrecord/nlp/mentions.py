"""Mentions of speakers in a parse: the characters a mention covers, whether it is a name, a pronoun
or a common noun, and the title a named entity carries inside it ("Finance Minister Ana Ruiz").

Shared by attribution.py (which finds speaker mentions) and speakers.py (which clusters them), so
both cut a mention the same way.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Sequence

from onrecord.nlp import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as SpacySpan, Token

Offsets = tuple[int, int]

_NP_KEEP_LEFT = ("det", "amod", "compound", "poss", "case", "nummod", "nmod", "quantmod", "advmod", "predet")


def entity_of(tok: Token) -> SpacySpan | None:
    """The named entity that holds tok, or None."""
    if not tok.ent_type_ or tok.ent_iob_ == "O":
        return None
    start = tok.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(tok.doc) and tok.doc[end].ent_iob_ == "I":
        end += 1
    from spacy.tokens import Span

    return Span(tok.doc, start, end, label=tok.ent_type)


def ents_in(span: SpacySpan) -> list[SpacySpan]:
    """The named entities inside a span, without scanning the whole document's entities."""
    out = []
    i = span.start
    while i < span.end:
        tok = span.doc[i]
        if tok.ent_iob_ == "B":
            ent = entity_of(tok)
            if ent is not None:
                out.append(ent)
                i = ent.end
                continue
        i += 1
    return out


_SENT_STARTS = "onrecord_sent_starts"
_TEXT = "onrecord_text"


def text_of(doc: Doc) -> str:
    """The document's text, built once: spaCy's ``Doc.text`` joins every token on each call."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def sentence_of(tok: Token) -> SpacySpan:
    """The sentence holding tok, in O(log n): spaCy's ``Token.sent`` walks the whole document each time."""
    doc = tok.doc
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        starts = [s.start for s in doc.sents]
        doc.user_data[_SENT_STARTS] = starts
    k = bisect_right(starts, tok.i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[k] : end]


def is_title_word(tok: Token) -> bool:
    """A role word written as part of a name ("Minister", "Pope"), or an honorific ("Dr")."""
    word = tok.lower_.rstrip(".")
    return word in lexicon.ROLE_WORDS or word in {h.rstrip(".") for h in lexicon.HONORIFICS}


def title_split(toks: Sequence[Token]) -> int:
    """Index of the first token of the bare name in a run of name tokens, past a leading title
    ("Finance Minister Ana Ruiz", "Pope Francis"); 0 when there is none. At least one token stays."""
    titles = [n for n, t in enumerate(toks[:-1]) if is_title_word(t)]
    return titles[-1] + 1 if titles else 0


def person_title_split(ent: SpacySpan) -> int:
    """title_split for a PERSON entity; other entities keep every token ("Ministry of Defence")."""
    return title_split(list(ent)) if ent.label_ == "PERSON" else 0


def entity_span(ent: SpacySpan) -> Offsets | None:
    """The characters of an entity's bare name: no article, title, possessive or punctuation."""
    toks = list(ent)[person_title_split(ent) :]
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks = toks[1:]
    if ent.label_ == "PERSON":  # an organisation may hold such a word ("Consumer Reports", "United States")
        toks = toks[: next((i for i, t in enumerate(toks) if _headline_verb(t)), len(toks))]
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _headline_verb(tok: Token) -> bool:
    """A capitalised verb of saying in the third person ("Says", "Slams", "Denies"): no part of a name."""
    word = tok.lower_
    if not tok.text[:1].isupper() or not word.endswith("s"):
        return False
    stems = (word[:-1], word[:-2], word[:-3] + "y" if word.endswith("ies") else "")
    return any(stem in lexicon.HEADLINE_VERBS for stem in stems)


def mention_span(tok: Token) -> Offsets:
    """The characters of the mention headed by tok: a named entity, or its noun phrase; a
    coordination ("Jane Doe and Tom Reed") runs to the end of its last member."""
    members = coordinated(tok)
    if members:
        start = _single_span(tok)[0]
        return start, _single_span(members[-1])[1]
    return _single_span(tok)


def coordinated(tok: Token) -> list[Token]:
    """The nouns coordinated with tok ("Jane Doe and Tom Reed", "unions and charities")."""
    out = []
    for c in tok.rights:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON"):
            out.append(c)
            out += coordinated(c)
    return out


def _single_span(tok: Token) -> Offsets:
    """The characters of one named entity or noun phrase headed by tok."""
    ent = entity_of(tok)
    if ent is not None:
        span = entity_span(ent)
        if span is not None:
            return span
    if tok.pos_ == "PRON":
        return tok.idx, tok.idx + len(tok.text)
    left = tok
    lefts = [c for c in tok.lefts if c.dep_ in _NP_KEEP_LEFT]
    if lefts:
        left = min(lefts, key=lambda c: c.left_edge.i).left_edge
    if tok.pos_ == "PROPN":
        run = proper_run(tok)
        split = title_split(run)
        left = run[split] if split else left
    right = tok
    for c in tok.rights:
        if c.dep_ in ("flat", "compound"):
            right = c
    return left.idx, right.idx + len(right.text)


def proper_run(tok: Token) -> list[Token]:
    """The capitalised proper nouns written right before tok and tok itself ("Finance Minister Ana Ruiz")."""
    run = [tok]
    i = tok.i - 1
    while i >= 0 and tok.doc[i].pos_ == "PROPN" and tok.doc[i].is_title and tok.doc[i].dep_ == "compound":
        run.insert(0, tok.doc[i])
        i -= 1
    return run


def speaker_form(tok: Token) -> str:
    """'pronoun', 'group' (coordinated speakers), 'name' (a named entity or a proper noun that is not
    a title) or 'nominal'."""
    if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "WP"):
        return "pronoun"
    if coordinated(tok):
        return "group"  # several speakers at once: no single entity stands for them
    if tok.lower_ in lexicon.PARTY_MEMBERS:
        return "nominal"  # "The South Carolina Republican": one member, named elsewhere if at all
    if tok.ent_type_ in lexicon.SPEAKER_LABELS:
        return "name"
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and not is_title_word(tok) and not _indefinite(tok):
        return "name"
    return "nominal"


def _indefinite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in lexicon.INDEFINITE_DETERMINERS for c in tok.lefts)


def source_span(tok: Token, stop: frozenset[int] = frozenset()) -> Offsets:
    """The characters of the whole noun phrase headed by a speaker token, as PolNeAR delimits a
    Source: its determiner, titles and modifiers, appositions and relative clauses ("Jane Doe, the
    mayor of Leeds,"; "the groups who wrote to her"). A pronoun is itself. A name keeps its bare
    mention when the phrase would hold another person, or an organisation or unlabelled proper
    noun other than in the title before the name ("FBI general counsel James Baker" is whole). A child whose
    subtree reaches a token in ``stop`` (the cue, the content) ends the phrase there."""
    core = mention_span(tok)
    if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "WP"):
        return core
    doc = tok.doc
    a, b = tok.left_edge.i, tok.right_edge.i + 1
    for c in tok.lefts:
        if any(c.left_edge.i <= i <= c.right_edge.i for i in stop):
            a = c.right_edge.i + 1
    for c in tok.rights:
        if any(c.left_edge.i <= i <= c.right_edge.i for i in stop):
            b = c.left_edge.i
            break
    # a word the tokenizer split at its hyphen stays whole ("Facebook co-founder Mark Zuckerberg", where the
    # parser may make "co" a subject of its own)
    while a >= 2 and doc[a - 1].text == "-" and not doc[a - 2].whitespace_ and not doc[a - 1].whitespace_:
        start = min(doc[a - 2].left_edge.i, a - 2)
        if any(start <= i < a for i in stop) or doc[start].sent != tok.sent:
            break
        a = start
    # no leading punctuation, nor a subordinator the parser hung on the name ("on how Bernie Sanders, who …")
    while a < b and ((doc[a].is_punct or doc[a].is_space) and doc[a].text not in ("(",) or doc[a].tag_ == "WRB" or doc[a].pos_ == "SCONJ"):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space) and doc[b - 1].text not in (")",) and not _closes_mark_in(doc, a, b - 1):
        b -= 1
    if b - 1 > tok.i and doc[b - 1].tag_ == "POS":
        b -= 1  # an owner ("Hillary Clinton's speech denouncing …") is named without the "'s"
    if b <= a or not (a <= tok.i < b) or b - a > _SOURCE_MAX_TOKENS:
        return core
    if any(t.text in ("“", "”", '"', "«", "»") for t in doc[a:b]):
        return core  # a quotation inside the phrase: not a plain noun phrase
    if speaker_form(tok) == "name":
        own = entity_of(tok)
        own_range = range(own.start, own.end) if own is not None else range(tok.i, tok.i + 1)
        for t in doc[a:b]:
            if t.i in own_range:
                continue
            if _in_title_before(t, own_range):
                continue  # an organisation or place inside the title before the name ("FBI general counsel James Baker")
            if t.ent_type_ in lexicon.ENTITY_LABELS or (t.pos_ == "PROPN" and not t.ent_type_ and not is_title_word(t)):
                return core
        if own is None:
            return core  # an unlabelled name: the pipeline names a new entity after the span's text
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
    return (min(start, core[0]), max(end, core[1]))


_SOURCE_MAX_TOKENS = 40

_MARK_PAIRS = {"’": "‘", "”": "“", "'": "'", '"': '"'}


def _closes_mark_in(doc: Doc, a: int, i: int) -> bool:
    """Whether token i closes a quotation mark opened in doc[a:i] ("the ‘shadow cabinet’")."""
    opener = _MARK_PAIRS.get(doc[i].text)
    return opener is not None and any(t.text == opener for t in doc[a:i])


def _in_title_before(t: Token, own: range) -> bool:
    """Whether t modifies the name from the left through a chain of compounds and modifiers."""
    while t.i < own.start and t.dep_ in ("compound", "amod", "nmod", "poss", "case", "det", "pobj", "prep", "npadvmod"):
        if t.ent_type_ == "PERSON":
            return False
        t = t.head
    return t.i in own


def is_dateline(tok: Token) -> bool:
    """A dateline's place ("WASHINGTON —", "CLEVELAND, July 19 (UPI) —", "LONDON (Reuters) -"): a
    word in capitals that opens its paragraph, after at most a few other capitalised words, and
    is followed by a comma, a dash or a parenthesis. Never a speaker."""
    text = tok.text
    doc = tok.doc
    if _agency_dateline(tok):
        return True
    if 2 <= tok.i < len(doc) - 1 and doc[tok.i - 1].text == "(" and doc[tok.i + 1].text == ")":
        k = tok.i - 2  # the agency of "Washington (AFP) –"
        while k > 0 and tok.i - k <= lexicon.DATELINE_MAX_WORDS + 1 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha:
            k -= 1
        if _agency_dateline(doc[k]):
            return True
    if len(text) < 2 or not text.isupper() or not text.isalpha():
        return False
    i = tok.i
    for _ in range(lexicon.DATELINE_MAX_WORDS):
        if i == 0 or "\n" in doc[i - 1].text or doc[i - 1].whitespace_.count("\n"):
            break
        prev = doc[i - 1]
        if not (prev.text.isupper() or prev.is_punct):
            return False
        i -= 1
    else:
        return False
    j = tok.i + 1
    while j < len(doc) and doc[j].text.isupper() and doc[j].is_alpha and j - tok.i < lexicon.DATELINE_MAX_WORDS:
        j += 1
    return j < len(doc) and doc[j].text in lexicon.DATELINE_FOLLOWERS


def _agency_dateline(tok: Token) -> bool:
    """'Washington (AFP) –', 'New York (AFP) –': capitalised words opening their paragraph, then
    an agency in parentheses and a dash."""
    doc = tok.doc
    if not tok.text[:1].isupper():
        return False
    i = tok.i
    while i > 0 and tok.i - i < lexicon.DATELINE_MAX_WORDS and doc[i - 1].text[:1].isupper() and doc[i - 1].is_alpha:
        i -= 1
    if not (i == 0 or "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_):
        return False
    j = tok.i + 1
    while j < len(doc) and j - tok.i <= lexicon.DATELINE_MAX_WORDS and doc[j].text[:1].isupper() and doc[j].is_alpha:
        j += 1
    if j + 3 >= len(doc) or doc[j].text != "(" or doc[j + 2].text != ")":
        return False
    return doc[j + 3].text in lexicon.DATELINE_FOLLOWERS - {",", "("}
