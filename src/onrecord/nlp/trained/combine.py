"""Statements from the model's spans, and the model combined with the rules.

The model finds Source, Cue and Content spans; here each cue takes the nearest content (and a
second piece on its other side when one sits right there) and the nearest source, and the parse
gives the source's head token so that the rules resolve the speaker's entity as for their own
statements. The "hybrid" engine keeps every rules statement and adds the model's confident
statements that name a source where the rules found none, except what onrecord does not count as
a statement (an attitude towards a target, a negated cue, a passive subject as speaker; docs/model.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from onrecord.nlp import lexicon
from onrecord.nlp.attribution import Attribution, cue_subject
from onrecord.nlp.mentions import mention_span, source_span, speaker_form
from onrecord.nlp.trained.labels import PredictedSpan
from onrecord.text.quotemarks import DOUBLE_CLOSE, DOUBLE_OPEN, STRAIGHT_DOUBLE

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

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
#: "hybrid" adds a model statement that overlaps no rules statement when it names a source and its
#: confidence reaches this (without a source: dev end to end 69.6, precision 80.1; with: 69.9, 81.7).
MODEL_ADD_CONFIDENCE = 0.85  # dev, before sources were required: statement precision 86.7 (0.8: 84.7; 0.9: 88.5)
_QUOTES = DOUBLE_OPEN | DOUBLE_CLOSE | {STRAIGHT_DOUBLE}


def model_statements(doc: Doc, spans: Sequence[PredictedSpan], convention: str = "polnear") -> list[Attribution]:
    """Attributions built from the model's spans of one parsed text (offsets into doc.text), in the
    span convention asked for (the model tags PolNeAR's; see Settings.span_convention)."""
    text = doc.text
    cues = sorted((s for s in spans if s.layer == "Cue"), key=lambda s: s.start)
    contents = sorted((p for s in spans if s.layer == "Content" for p in _paragraph_pieces(text, s)), key=lambda s: s.start)
    sources = sorted((s for s in spans if s.layer == "Source"), key=lambda s: s.start)

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
        if ci not in taken_cue and ki not in taken_content and not _across_sentence(doc, cues[ci], contents[ki]):
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
    if convention == "onrecord":
        out = [_onrecord_spans(text, a) for a in out]
    return sorted(out, key=lambda a: (a.start, a.end))


_LEADING_COMPLEMENTIZER = re.compile(r"(?:%s)\s+(?=\w)" % "|".join(sorted(lexicon.COMPLEMENTIZERS)), re.IGNORECASE)


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


def _onrecord_spans(text: str, att: Attribution) -> Attribution:
    """A model statement in onrecord's convention: no "that/whether/if" opening the content, no colon ending the cue."""
    (a, b), *rest = att.content
    lead = _LEADING_COMPLEMENTIZER.match(text, a, b)
    content = ((lead.end(), b), *rest) if lead else att.content
    cue = att.cue
    if cue is not None and text[cue[1] - 1] == ":":
        cue = (cue[0], cue[1] - 1)
    return replace(att, content=content, cue=cue) if (content, cue) != (att.content, att.cue) else att


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
    cue_span, body = _tokens(doc, (cue.start, cue.end)), _tokens(doc, (content.start, content.end))
    return cue_span is not None and body is not None and cue_span.root in body.root.ancestors


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
    return not _sentence_ends(doc, earlier.end, later.start) or doc.text[later.start] in _QUOTES


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
        if d <= SOURCE_GAP and (best is None or d < best[0]):
            best = (d, s)
    speaker = (best[1].start, best[1].end) if best else None
    if speaker is None and cue is not None:
        speaker = _parsed_source(doc, pieces, cue, sources)
    token, form, name = None, "none", None
    if speaker is not None:
        span = _tokens(doc, speaker)
        if span is not None:
            head = span.root
            token, form = head.i, speaker_form(head)
            if form == "name":
                name = mention_span(head)
    return Attribution(
        kind=kind_of(text_of_pieces(text, pieces)),
        content=pieces,
        cue=cue,
        speaker=speaker,
        speaker_form=form,
        addressee=None,
        medium=None,
        basis="complement",
        confidence=round(0.5 + 0.45 * score, 3),
        speaker_token=token,
        speaker_name=name,
    )


def _parsed_source(doc: Doc, pieces: tuple[Offsets, ...], cue: Offsets, sources: Sequence[PredictedSpan]) -> Offsets | None:
    """Where the model tagged no source near its cue, the cue's subject in the parse, as the rules take
    it ("Trump, who has faced questions for weeks, said ..."), when it lies outside the content: the
    model's Source span around it where there is one, else the subject's noun phrase."""
    span = _tokens(doc, cue)
    subject = cue_subject(span.root) if span is not None else None
    if subject is None:
        return None
    taken = (*pieces, cue)
    for s in sources:
        if s.start <= subject.idx < s.end and not _overlaps((s.start, s.end), taken):
            return s.start, s.end
    stop = frozenset({t.i for t in span} | {t.i for piece in pieces for t in (_tokens(doc, piece) or ())})
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
    body = content.strip(" \t\n,.;:")
    if not any(ch in _QUOTES for ch in body):
        return "indirect"
    if body[:1] in _QUOTES and body[-1:] in _QUOTES and sum(ch in _QUOTES for ch in body) == 2:
        return "direct"
    return "mixed"


def combine(
    rules: list[Attribution], doc: Doc, spans: Sequence[PredictedSpan], engine: str, convention: str = "polnear"
) -> list[Attribution]:
    """The statements of one parsed text for an engine: "model" (the model's alone) or "hybrid"."""
    model = model_statements(doc, spans, convention)
    if engine == "model":
        return model
    taken = sorted(p for r in rules for p in r.content)
    taken_starts = [a for a, _ in taken]
    reach = max((b - a for a, b in taken), default=0)

    def overlaps_rules(pieces: Sequence[Offsets]) -> bool:
        return any(x0 < y1 and y0 < x1 for x0, x1 in pieces
                   for y0, y1 in taken[bisect_left(taken_starts, x0 - reach) : bisect_left(taken_starts, x1)])

    tagged = {(s.start, s.end) for s in spans if s.layer == "Source"}  # not the parse's subjects (dev: precision)
    added = [m for m in model if m.confidence >= MODEL_ADD_CONFIDENCE and m.speaker in tagged
             and not overlaps_rules(m.content) and not _attitude_to_target(doc, m) and not _unstated(doc, m.cue)
             and not _passive_subject(doc, m)]
    return sorted(rules + added, key=lambda a: (a.start, a.end))


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
    "have opposed the trade deal"). Those are positions (nlp/positions.py); "condemns the attack" stays."""
    if att.kind != "indirect" or len(att.content) != 1 or _lexicon_cue(doc, att.cue):
        return False
    body = _tokens(doc, att.content[0])
    return body is not None and body.root.pos_ in _PHRASE_HEADS


def _unstated(doc: Doc, cue: Offsets | None) -> bool:
    """A cue of nothing said, as the rules read it: negated ("did not say whether") or a refusal ("refused to comment")."""
    span = _tokens(doc, cue)
    return span is not None and any(
        t.lemma_.lower() in lexicon.REFUSAL_VERBS or t.dep_ == "neg" or any(c.dep_ == "neg" for c in t.children) for t in span
    )


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
