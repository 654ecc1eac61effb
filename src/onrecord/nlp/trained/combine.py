"""Statements from the model's spans, and what the engines ask of a statement.

The model finds Source, Cue and Content spans; here each cue takes the nearest content (and a
second piece on its other side when one sits right there) and the nearest source, and the parse
gives the source's head token so that the rules resolve the speaker's entity as for their own
statements. Which of these and of the rules' statements an engine keeps is `selection.py`'s.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from onrecord.nlp import lexicon
from onrecord.nlp.attribution import (
    Attribution,
    addressee_and_medium,
    cue_span,
    cue_start,
    cue_through_preposition,
    cue_subject,
    introduces_a_title,
    negated,
    passive_addressee,
    relative_antecedent,
    says_something,
    trim_edges,
    with_relative_pronoun,
    withholds,
)
from onrecord.nlp.mentions import mention_span, source_span, speaker_form
from onrecord.nlp.trained.labels import PredictedSpan
from onrecord.text.quotemarks import APOSTROPHE_PAIR, DOUBLE_CLOSE, DOUBLE_OPEN, STRAIGHT_DOUBLE

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from onrecord.nlp.speakers import Referent

Offsets = tuple[int, int]

#: Characters that may separate a cue from its content, not counting any source span between them.
CONTENT_GAP = 25
#: Up to this many characters, a cue still takes a content whose head depends on the cue in the parse
#: ("told reporters in Ohio on Friday that ...").
PARSED_GAP = 50
#: Characters that may separate a cue from its source.
SOURCE_GAP = 40
#: Characters scanned on either side of a cue or content for its partners: the gaps above plus any
#: source span between (keeps long texts linear).
REACH = 400
#: A content the model found without a cue becomes a statement when its mean tag probability is at least this.
CUELESS_CONTENT = 1.01  # above 1: never (they measure worse on dev; see docs/model.md)
_QUOTES = DOUBLE_OPEN | DOUBLE_CLOSE | {STRAIGHT_DOUBLE}


def model_statements(doc: Doc, spans: Sequence[PredictedSpan], convention: str = "polnear") -> list[Attribution]:
    """Attributions built from the model's spans of one parsed text (offsets into doc.text), in the
    span convention asked for (the model tags PolNeAR's; see Settings.span_convention)."""
    text = doc.text
    cues = sorted((s for s in spans if s.layer == "Cue"), key=lambda s: s.start)
    contents = sorted((p for s in spans if s.layer == "Content" for p in _paragraph_pieces(text, s)), key=lambda s: s.start)
    sources = _sources(text, spans)

    source_starts = [x.start for x in sources]
    cue_starts = [x.start for x in cues]

    def gap(a: Offsets, b: Offsets) -> int:
        lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
        if hi < lo:
            return 1_000_000  # overlapping
        between = sources[bisect_left(source_starts, lo) : bisect_right(source_starts, hi)]
        return hi - lo - sum(x.end - x.start for x in between if x.end <= hi)

    # spans of one layer never overlap, so their starts and ends are both sorted
    content_starts, content_ends = [k.start for k in contents], [k.end for k in contents]
    pairs = sorted(
        (gap((c.start, c.end), (contents[ki].start, contents[ki].end)), ci, ki)
        for ci, c in enumerate(cues)
        for ki in range(bisect_left(content_ends, c.start - REACH), bisect_left(content_starts, c.end + REACH))
        if not (c.start < contents[ki].end and contents[ki].start < c.end)
        and not (contents[ki].end <= c.start and _introduces(text, c))
    )
    near = [(ci, ki) for g, ci, ki in pairs
            if g <= CONTENT_GAP or (g <= PARSED_GAP and _governs(doc, cues[ci], contents[ki]))]
    taken_cue: dict[int, list[int]] = {}
    taken_content: set[int] = set()
    for ci, ki in near:  # each cue's first content, nearest first, in the cue's own sentence
        if (ci not in taken_cue and ki not in taken_content and not _across_sentence(doc, cues[ci], contents[ki])
                and not _across_paragraph(text, cues[ci], contents[ki])):
            taken_cue[ci] = [ki]
            taken_content.add(ki)
    for ci, ki in near:  # then a second piece on the cue's other side: "X," she said, "Y."
        have = taken_cue.get(ci)
        if have and len(have) == 1 and ki not in taken_content and _second_piece(doc, cues[ci], contents[have[0]], contents[ki]):
            have.append(ki)
            taken_content.add(ki)

    out: list[Attribution] = []
    for ci, kis in taken_cue.items():
        cue = cues[ci]
        pieces = tuple(sorted((contents[k].start, contents[k].end) for k in kis))
        score = min(cue.score, *(contents[k].score for k in kis))
        nearby = [s for s in _near(sources, source_starts, cue.start)
                  if s.start < cue.end or not _nearer_cue(cues, cue_starts, cue, s)]
        out.append(_statement(doc, text, pieces, (cue.start, cue.end), nearby, score))
    for ki, k in enumerate(contents):
        if ki not in taken_content and k.score >= CUELESS_CONTENT:
            out.append(_statement(doc, text, ((k.start, k.end),), None, _near(sources, source_starts, k.start), k.score))
    out = _shared_sources(doc, out)
    if convention == "onrecord":
        out = [_onrecord_spans(doc, a) for a in out]
    else:
        out = [_polnear_spans(doc, a) for a in out]
    return sorted((a for a in out if says_something(text, a.content)), key=lambda a: (a.start, a.end))


_LEADING_COMPLEMENTIZER = re.compile(r"(?:%s)\s+(?=\w)" % "|".join(sorted(lexicon.COMPLEMENTIZERS)), re.IGNORECASE)


def _shared_sources(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """A statement without a source whose cue is coordinated with another statement's cue shares its
    source ("Hussain strongly condemns the attack, but considers that ...")."""
    roots = {span.root.i: att for att in found if att.speaker is not None and (span := _tokens(doc, att.cue)) is not None}
    out = []
    for att in found:
        span = _tokens(doc, att.cue) if att.speaker is None else None
        other = roots.get(span.root.head.i) if span is not None and span.root.dep_ == "conj" else None
        if other is not None:
            att = replace(att, speaker=other.speaker, speaker_form=other.speaker_form,
                          speaker_token=other.speaker_token, speaker_name=other.speaker_name)
        out.append(att)
    return out


def _paragraph_pieces(text: str, span: PredictedSpan) -> list[PredictedSpan]:
    """A content cut at its line breaks: no PolNeAR content spans one (0 of 2,514 in dev), and a span that
    does runs into a headline or a dateline ("... ‘quasi-state of war’\n\nFriday, August 21")."""
    out, at = [], span.start
    for line in text[span.start : span.end].split("\n"):
        a, b = at + len(line) - len(line.lstrip()), at + len(line.rstrip())
        if a < b:
            out.append(PredictedSpan(span.layer, a, b, span.score))
        at += len(line) + 1
    return out


def _sources(text: str, spans: Sequence[PredictedSpan]) -> list[PredictedSpan]:
    """The model's Source spans in text order, cut at line breaks as contents are ("USI exhibit\n\nKiara Perkins")."""
    return sorted((p for s in spans if s.layer == "Source" for p in _paragraph_pieces(text, s)), key=lambda s: s.start)


def _onrecord_spans(doc: Doc, att: Attribution) -> Attribution:
    """A model statement in onrecord's convention: no addressee and no "that/whether/if" opening the content,
    no unquoted punctuation at its edges, no colon ending the cue, no adverb opening the cue that the
    rules leave out ("strongly condemns"), and the name a relative pronoun source stands for as the speaker."""
    text = doc.text
    (a, b), *rest = att.content
    after = text[att.addressee[1] : b].lstrip() if att.addressee is not None and att.addressee[0] == a else ""
    if after:
        a = b - len(after)
    lead = _LEADING_COMPLEMENTIZER.match(text, a, b)
    pieces = [trim_edges(text, x, y) for x, y in ((lead.end() if lead else a, b), *rest)]
    content = tuple(p for p in pieces if p[0] < p[1]) or att.content
    cue = att.cue
    if cue is not None and text[cue[1] - 1] == ":" and text[cue[0] : cue[1] - 1].strip():  # a cue of a colon alone stays
        cue = (cue[0], cue[1] - 1)
    span = _tokens(doc, cue)
    if cue is not None and span is not None and span.root.pos_ in ("VERB", "AUX"):
        cue = (max(cue[0], cue_start(span.root).idx), cue[1])
    speaker = att.speaker
    if att.speaker_token is not None and speaker is not None and not speaker[0] <= doc[att.speaker_token].idx < speaker[1]:
        speaker = mention_span(doc[att.speaker_token])  # a relative pronoun's antecedent names the speaker
    changed = (content, cue, speaker) != (att.content, att.cue, att.speaker)
    return replace(att, content=content, cue=cue, speaker=speaker) if changed else att


def _polnear_spans(doc: Doc, att: Attribution) -> Attribution:
    """A model cue and content as PolNeAR's annotators draw them: where the model tagged the parse's plain
    cue, that verb's cue under PolNeAR's convention ("generally praised"), and before its content, run on to
    the preposition the content is the object of; a relative pronoun opening the cue's clause as a piece
    of the content (attribution.with_relative_pronoun)."""
    if att.cue is None:
        return att
    cue = att.cue
    span = _tokens(doc, cue)
    if span is not None and span.root.pos_ in ("VERB", "AUX") and cue_span(span.root) == cue:
        cue = cue_span(span.root, polnear=True)
    cue = cue_through_preposition(doc, cue, att.content[0][0], att.speaker)
    content = with_relative_pronoun(doc, cue, att.content, att.speaker)
    return replace(att, cue=cue, content=content) if (cue, content) != (att.cue, att.content) else att


def _near(spans: Sequence[PredictedSpan], starts: Sequence[int], at: int) -> Sequence[PredictedSpan]:
    """The spans (sorted, not overlapping) that start within REACH characters of `at`."""
    return spans[bisect_left(starts, at - REACH) : bisect_right(starts, at + REACH)]


def _nearer_cue(cues: Sequence[PredictedSpan], starts: Sequence[int], cue: PredictedSpan, source: PredictedSpan) -> bool:
    """Whether a source after `cue` lies nearer another cue, whose subject it then is ("his position is
    criticized within the party, where some consider it too ...": "some" belongs to "consider")."""
    own = source.start - cue.end
    for other in _near(cues, starts, source.start):
        gap = other.start - source.end if other.start >= source.end else source.start - other.end
        if other is not cue and 0 <= gap < own:
            return True
    return False


def _governs(doc: Doc, cue: PredictedSpan, content: PredictedSpan) -> bool:
    """Whether the content's head hangs below the cue's head in the parse (same sentence)."""
    cue_tokens, body = _tokens(doc, (cue.start, cue.end)), _tokens(doc, (content.start, content.end))
    return cue_tokens is not None and body is not None and cue_tokens.root in body.root.ancestors


def _tokens(doc: Doc, span: Offsets | None) -> SpacySpan | None:
    """The tokens that a character span touches, or None where it touches none."""
    found = doc.char_span(*span, alignment_mode="expand") if span else None
    return found if found is not None and len(found) else None


_SENTENCE_END = frozenset(".!?…")


def _sentence_ends(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a sentence-final punctuation token starts between two offsets; the period of "Mr." or
    "(D-Wis.)" belongs to its word's token and ends nothing."""
    found = _tokens(doc, (lo, hi)) if lo < hi else None
    return found is not None and any(lo <= t.idx < hi and set(t.text) <= _SENTENCE_END for t in found)


def _across_sentence(doc: Doc, cue: PredictedSpan, content: PredictedSpan) -> bool:
    """Whether a sentence ends between a cue and its content ("Reed disagreed. “It is a fantasy.”")."""
    lo, hi = (cue.end, content.start) if cue.end <= content.start else (content.end, cue.start)
    return _sentence_ends(doc, lo, hi)


def _across_paragraph(text: str, cue: PredictedSpan, content: PredictedSpan) -> bool:
    """Whether a line break parts a cue from its content and no colon or comma leads across it ("said:"
    and "stated," do): a headline's "Mayor speaks" is not the cue of the quotation opening the text
    (PolNeAR train: 23 of 19,832 attributions cross a line break without a colon)."""
    lo, hi = (cue.end, content.start) if cue.end <= content.start else (content.end, cue.start)
    gap = text[lo:hi]
    leads = cue.end <= content.start and f"{text[cue.start : cue.end]}{gap}".rstrip().endswith((":", ","))
    return "\n" in gap and not leads


def _introduces(text: str, cue: PredictedSpan) -> bool:
    """A cue that ends in a colon ("PENCE:", "said:") introduces what follows it, never what comes before."""
    return text[cue.start : cue.end].rstrip().endswith(":")


def _second_piece(doc: Doc, cue: PredictedSpan, first: PredictedSpan, other: PredictedSpan) -> bool:
    """Whether `other` continues the content `first` of `cue` from the cue's other side: always within a
    sentence ("The plan, he said, would fail"), past a sentence end only as a quotation ("X," he said. "Y."),
    never past a paragraph (dev: 41 of 42 such joins were wrong)."""
    if (first.start < cue.start) == (other.start < cue.start):
        return False
    earlier, later = sorted((first, other), key=lambda s: s.start)
    if "\n" in doc.text[earlier.end : later.start]:
        return False
    # the piece joined past the full stop is the quotation: "Laws are due. The letter reads “we may …”" is no pair
    opens_quoted = doc.text[other.start] in _QUOTES or doc.text.startswith(APOSTROPHE_PAIR, other.start)
    return not _sentence_ends(doc, earlier.end, later.start) or opens_quoted


def _statement(
    doc: Doc, text: str, pieces: tuple[Offsets, ...], cue: Offsets | None, sources: Sequence[PredictedSpan], score: float
) -> Attribution:
    anchor = cue or pieces[0]
    best: tuple[int, PredictedSpan] | None = None
    for s in sources:
        if _overlaps((s.start, s.end), (*pieces, anchor)):
            continue
        lo, hi = min(s.end, anchor[0]), max(s.start, anchor[1])
        if any(lo <= a and b <= hi for a, b in pieces):
            continue  # the content lies between: the source belongs to what comes after it
        d = anchor[0] - s.end if s.end <= anchor[0] else s.start - anchor[1]
        if d <= SOURCE_GAP and (best is None or d < best[0]) and not _sentence_ends(doc, lo, hi):
            best = (d, s)
    speaker = (best[1].start, best[1].end) if best and _names_anyone(doc, best[1]) else None
    if cue is not None:
        speaker = _parsed_source(doc, pieces, cue, sources) if speaker is None else _described(doc, pieces, cue, speaker, sources)
    addressee, medium = _setting(doc, cue, pieces, speaker)
    token, form, name = None, "none", None
    if speaker is not None:
        span = _tokens(doc, speaker)
        if span is not None:
            head = _speaker_head(span)
            head = relative_antecedent(head) or head  # "McCain, who …": the model tags "who" as PolNeAR does
            token, form = head.i, speaker_form(head)
            if form == "name":
                name = mention_span(head)
    return Attribution(
        kind=kind_of(text_of_pieces(text, pieces)),
        content=pieces,
        cue=cue,
        speaker=speaker,
        speaker_form=form,
        addressee=addressee,
        medium=medium,
        basis="complement",
        confidence=round(0.5 + 0.45 * score, 3),
        speaker_token=token,
        speaker_name=name,
    )


def _names_anyone(doc: Doc, source: PredictedSpan) -> bool:
    """Whether a Source span holds a noun, a name, a pronoun or a number: a tagged adverb ("Clinton,
    exasperated, famously responded", where the model tagged "famously") names no one."""
    span = _tokens(doc, (source.start, source.end))
    return span is not None and any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") for t in span)


def _setting(doc: Doc, cue: Offsets | None, pieces: Sequence[Offsets], speaker: Offsets | None) -> tuple[Offsets | None, Offsets | None]:
    """The addressee and medium of a model cue, read from the parse as for the rules' cues, each only where
    it lies outside the source and the content; an addressee may open the content, as PolNeAR's content of
    "asked the council to help" does (onrecord's convention then starts the content after it)."""
    span = _tokens(doc, cue)
    if span is None:
        return None, None
    addressee, medium = addressee_and_medium(span.root)
    source = [speaker] if speaker else []
    if addressee is not None and _overlaps(addressee, [*source, *(pieces[1:] if addressee[0] == pieces[0][0] else pieces)]):
        addressee = None
    return addressee, None if medium is None or _overlaps(medium, [*source, *pieces]) else medium


def _speaker_head(span: SpacySpan) -> Token:
    """The token a source span names its speaker by: its root, or where that is a common noun, a person's
    name heading the span or in apposition ("CEO of the Refugee Council Enver Solomon", "The secretary
    general of CEI (Italian Episcopal Conference), Nunzio Galantino,"), else another name there."""
    root = span.root
    if speaker_form(root) != "nominal":
        return root
    inside = range(span.start, span.end)
    heads = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    heads += [c for t in heads for c in t.children if c.dep_ == "appos" and c.i in inside]
    people = [t for t in heads if t.ent_type_ == "PERSON"] or [t for t in heads if speaker_form(t) == "name"]
    return people[0] if people else root


def _parsed_source(doc: Doc, pieces: tuple[Offsets, ...], cue: Offsets, sources: Sequence[PredictedSpan]) -> Offsets | None:
    """Where the model tagged no source near its cue, the cue's subject in the parse, as the rules take
    it ("Trump, who has faced questions for weeks, said ..."); none for a cue of being spoken to ("Asked
    whether ..., he said")."""
    span = _tokens(doc, cue)
    subject = cue_subject(span.root) if span is not None and not passive_addressee(span.root) else None
    return None if subject is None else _subject_source(doc, subject, pieces, cue, sources)


def _described(doc: Doc, pieces: tuple[Offsets, ...], cue: Offsets, speaker: Offsets, sources: Sequence[PredictedSpan]) -> Offsets:
    """A source in predicate position gives way to the subject it describes ("Reps. Collins and Hunter
    became the first members of Congress to endorse ...": Collins and Hunter endorse)."""
    span = _tokens(doc, speaker)
    if span is None or span.root.dep_ != "attr":
        return speaker
    subject = next((c for c in span.root.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    found = _subject_source(doc, subject, pieces, cue, sources) if subject is not None else None
    return found or speaker


def _subject_source(doc: Doc, subject: Token, pieces: tuple[Offsets, ...], cue: Offsets, sources: Sequence[PredictedSpan]) -> Offsets | None:
    """The source span of a subject token, where it lies outside the content and the cue: the model's
    Source span around it where there is one, else the subject's noun phrase."""
    taken = (*pieces, cue)
    for s in sources:
        if s.start <= subject.idx < s.end and not _overlaps((s.start, s.end), taken):
            return s.start, s.end
    stop = frozenset({t.i for t in (_tokens(doc, cue) or ())} | {t.i for piece in pieces for t in (_tokens(doc, piece) or ())})
    if subject.i in stop:
        return None
    found = source_span(subject, stop)
    if _overlaps(found, taken):
        found = mention_span(subject)
    return None if _overlaps(found, taken) else found


def _overlaps(span: Offsets, others: Sequence[Offsets]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def text_of_pieces(text: str, pieces: Sequence[Offsets]) -> str:
    """The text of a possibly discontinuous span, pieces joined by a space."""
    return " ".join(text[a:b] for a, b in pieces)


def kind_of(content: str) -> str:
    """direct when the content is one quotation (marks at both ends), mixed when it holds marks, else indirect."""
    body = content.strip(" \t\n,.;:").replace(APOSTROPHE_PAIR, STRAIGHT_DOUBLE)
    if not any(ch in _QUOTES for ch in body):
        return "indirect"
    if body[:1] in _QUOTES and body[-1:] in _QUOTES and sum(ch in _QUOTES for ch in body) == 2:
        return "direct"
    return "mixed"


def _polnear_source(doc: Doc, att: Attribution, sources: Sequence[PredictedSpan]) -> Attribution:
    """Under PolNeAR's convention a rules statement's source takes the extent of the model's Source span
    around its head: the extent PolNeAR's annotators draw, which the model learned. Who it names stays."""
    if att.speaker is None or att.speaker_token is None:
        return att
    head = doc[att.speaker_token].idx
    taken = [*att.content, *([att.cue] if att.cue else [])]
    around = [s for s in sources if s.start <= head < s.end and not _overlaps((s.start, s.end), taken)]
    return replace(att, speaker=(around[0].start, around[0].end)) if around else att


def _agrees(rules: Attribution, model: Attribution) -> bool:
    """Whether a model statement names the rules statement's speaker and cue (then the rules' spans stand);
    a rules statement with no speaker agrees with none."""
    return all(a is not None and b is not None and _overlaps(a, [b])
               for a, b in ((rules.cue, model.cue), (rules.speaker, model.speaker)))


_CUE_LEMMAS = (lexicon.SPEECH_VERBS | lexicon.NOMINAL_CUES | lexicon.EVIDENCE_VERBS | lexicon.INFINITIVE_CUES
               | lexicon.BELIEF_VERBS | lexicon.PREDICATE_CUES | lexicon.QUESTION_VERBS | lexicon.TOPIC_CUES
               | {verb for verb, _ in lexicon.PHRASAL_CUES} | {lexicon.ACCORDING_TO[0]})


def _lexicon_cue(doc: Doc, cue: Offsets | None) -> bool:
    """Whether a cue holds a word of the rules' cue lexicons ("said", "according to")."""
    span = _tokens(doc, cue)
    return span is not None and any(t.lemma_.lower() in _CUE_LEMMAS for t in span)


#: Verbs whose passive subject is who is spoken to or about ("he has been criticized for", "people were
#: encouraged to"), never the speaker.
_DONE_TO = (lexicon.SPEECH_VERBS | lexicon.NOMINAL_CUES | lexicon.AGAINST_CUES | lexicon.FAVOR_CUES
            | lexicon.ADDRESSEE_OBJECT_VERBS)


def _passive_subject(doc: Doc, att: Attribution) -> bool:
    """Whether the source is the passive subject of the cue ("People were encouraged to submit designs",
    "the parents are accused of ..."): the one spoken to or about, not the speaker ("was quoted as saying" is)."""
    cue, who = _tokens(doc, att.cue), _tokens(doc, att.speaker)
    if cue is None or who is None:
        return False
    root = cue.root
    if not (who.root.dep_ == "nsubjpass" and who.root.head.i == root.i and root.lemma_.lower() in _DONE_TO):
        return False
    return not any(t.i != root.i and t.lemma_.lower() in lexicon.SPEECH_VERBS for t in cue)


_PHRASE_HEADS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def _attitude_to_target(doc: Doc, att: Attribution) -> bool:
    """Whether a statement is an attitude towards a target rather than something stated: one unquoted noun
    phrase as content and a cue outside the rules' lexicons ("disagrees with the position taken by Starmer",
    "have opposed the trade deal"), or a verbless "as" phrase ("described the meeting as productive").
    Those are positions (nlp/positions.py); "condemns the attack" stays."""
    if att.kind != "indirect" or len(att.content) != 1:
        return False
    body = _tokens(doc, att.content[0])
    if body is None:
        return False
    if body[0].lower_ == "as" and not any(t.pos_ in ("VERB", "AUX") for t in body):
        return True
    return not _lexicon_cue(doc, att.cue) and body.root.pos_ in _PHRASE_HEADS


def _open_question(doc: Doc, att: Attribution) -> bool:
    """Whether a statement is a question someone means to settle rather than something said: a "whether"
    or "if" content and a cue outside the rules' lexicons ("to determine whether citizens would prefer a
    new flag"); "asked whether" stays."""
    body = _tokens(doc, att.content[0])
    if body is None or _lexicon_cue(doc, att.cue):
        return False
    opener = body[0] if body[0].dep_ == "mark" else doc[body.start - 1] if body.start > 0 else None
    if opener is None or opener.dep_ != "mark" or opener.lower_ not in ("whether", "if"):
        return False
    cue = _tokens(doc, att.cue)  # the clause is the cue's own object, not a preposition's ("weighed in about whether")
    return cue is not None and opener.head.dep_ == "ccomp" and opener.head.head.i == cue.root.i


def _quoted_title(doc: Doc, att: Attribution) -> bool:
    """A quotation that names a title, not speech, as the rules read it (attribution.introduces_a_title)."""
    body = _tokens(doc, att.content[0]) if att.kind == "direct" and len(att.content) == 1 else None
    return body is not None and body.start > 0 and introduces_a_title(doc[body.start - 1])


def _withheld(doc: Doc, cue: Offsets | None) -> bool:
    """A cue that withholds something rather than says it, as the rules read it ("denied him a visa")."""
    span = _tokens(doc, cue)
    return span is not None and withholds(span.root)


def _unstated(doc: Doc, cue: Offsets | None) -> bool:
    """A cue of nothing said, as the rules read it: negated ("did not say whether", "nobody said") or a refusal
    ("refused to comment")."""
    span = _tokens(doc, cue)
    return span is not None and any(t.lemma_.lower() in lexicon.REFUSAL_VERBS or t.dep_ == "neg" or negated(t) for t in span)


def speaker_keys(found: Sequence[Attribution], refs: dict[int, Referent], base: int) -> dict[int, Referent]:
    """The referents of model speakers keyed by where the model's speaker span starts (absolute),
    so that the pipeline's resolution finds them as it finds the rules' own."""
    out = {}
    for att in found:
        if att.speaker is None or att.speaker_token not in refs:
            continue
        ref = refs[att.speaker_token]
        out[att.speaker[0] + base] = replace(ref, start=ref.start + base, end=ref.end + base,
                                             forward=ref.forward + base if ref.forward is not None else None)
    return out
