"""The statements of an engine: which of the model's and the rules' candidate statements to keep.

The model's pairing and the rules each propose statements. Every candidate gets a few features (the
model's probabilities for its spans, where its speaker came from, what the parse says of its cue and
content, whether the other side found the same) and from them a probability of being right: its
content and its speaker. The "model" engine keeps the most probable, none overlapping another's
content; in onrecord's span convention it then takes the rules' statement where both sides give the
same words to the same speaker, and leaves out what onrecord does not count as a statement. The
weights are data (`data/statement_scorer.json`), fitted on the dev split by `onrecord train`. The
"hybrid" engine keeps the rules' statements first and takes the model's only where it is confident
and the rules have none or are unsure: the rules' precision, and the example article stays entirely
right under it.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.errors import OnrecordError
from onrecord.nlp.attribution import Attribution
from onrecord.nlp.trained import combine as cb
from onrecord.nlp.trained.labels import PredictedSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: "hybrid" adds a model statement that overlaps no rules statement when it names a source and its
#: confidence reaches this (without a source: dev end to end 69.6, precision 80.1; with: 69.9, 81.7).
MODEL_ADD_CONFIDENCE = 0.85  # dev, before sources were required: statement precision 86.7 (0.8: 84.7; 0.9: 88.5)
#: "hybrid" keeps a rules statement from this confidence up (a quotation, direct or mixed, given to a
#: name) over a confident model statement on the same words; below it, a model statement that names
#: another speaker or cue stands instead (dev end to end: 67.7 keeping every rules statement, 68.5
#: from 0.8, 68.6 from 0.85, 68.5 from 0.9, 68.3 with none kept for this).
RULES_SURE = 0.85
SCORER_PATH = Path(__file__).resolve().parent / "data" / "statement_scorer.json"

#: What the scorer sees of a candidate; each but the first also once more times `from_rules`, so that
#: the model's and the rules' candidates get slopes of their own.
BASE_FEATURES: tuple[str, ...] = (
    "from_rules", "confidence", "cue_prob", "content_prob", "content_tagged", "source_prob", "no_source",
    "name", "pronoun", "nominal", "lexicon_cue", "log_length", "pieces", "direct", "mixed", "cue_first",
    "log_content_gap", "attitude", "unstated", "passive_subject", "other_overlaps", "other_agrees",
    "content_verb", "that", "to", "cue_verb", "log_source_gap", "adjacent", "according_to", "name_colon",
)
FEATURES: tuple[str, ...] = BASE_FEATURES + tuple(f"{name}*rules" for name in BASE_FEATURES[1:])
#: Passes of Newton's method when fitting (a logistic loss with an L2 penalty converges in a few).
FIT_ROUNDS = 25


@dataclass(frozen=True)
class Candidate:
    """A statement proposed by the model's pairing or by the rules."""

    statement: Attribution
    from_rules: bool


@dataclass(frozen=True)
class StatementScorer:
    """Standardised logistic regression over FEATURES; a candidate is kept from `threshold` up."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The probability that each candidate (a row of FEATURES) is right."""
        out = []
        for row in rows:
            z = self.bias + sum(w * (x - m) / s for w, x, m, s in zip(self.weights, row, self.mean, self.scale))
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
        return path


@lru_cache(maxsize=2)
def load_scorer(path: str | None = None) -> StatementScorer:
    """The shipped scorer, or one written by `onrecord train`."""
    where = Path(path) if path else SCORER_PATH
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
        scorer = StatementScorer(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    except (OSError, ValueError, TypeError) as exc:
        fix = ("point statement_scorer (ONRECORD_STATEMENT_SCORER) at a file written by onrecord train" if path
               else "reinstall onrecord or use --engine rules")
        raise OnrecordError(f"{where}: no readable statement scorer ({exc}); {fix}") from exc
    if scorer.features != FEATURES:
        raise OnrecordError(f"{where}: the scorer was fitted on other features; refit it (onrecord train --scorer-only)")
    return scorer


def fit_scorer(rows: Sequence[Sequence[float]], right: Sequence[bool], threshold: float, l2: float = 1.0) -> StatementScorer:
    """A scorer fitted to candidates and whether each was right (logistic loss, L2 penalty `l2`)."""
    import numpy as np

    x = np.asarray(rows, dtype=float)
    y = np.asarray(right, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(FEATURES) or len(y) != len(x) or len(set(y.tolist())) < 2:
        raise OnrecordError("fitting the statement scorer needs candidates with every feature, some right and some wrong")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0  # the bias is not shrunk
    for _ in range(FIT_ROUNDS):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return StatementScorer(FEATURES, tuple(mean.tolist()), tuple(scale.tolist()), tuple(w[1:].tolist()), float(w[0]), threshold)


def engine_statements(
    rules: Sequence[Attribution], doc: Doc, spans: Sequence[PredictedSpan], engine: str, convention: str = "polnear",
    scorer: str | None = None,
) -> list[Attribution]:
    """The statements of one parsed text for an engine: "model" keeps the candidates, the model's and the
    rules', that the scorer (a file; None: the shipped one) finds likely, in onrecord's terms under
    onrecord's convention; "hybrid" keeps the rules' statements and takes the model's confident statements
    that name a source where the rules found none, or where an unsure rules statement names another
    speaker or cue, except what onrecord does not count as a statement (docs/model.md)."""
    found = candidates(doc, spans, rules, convention)
    if engine == "model":
        chosen = select_statements(found, candidate_features(doc, spans, found), load_scorer(scorer))
        return chosen if convention == "polnear" else _as_onrecord_counts(doc, chosen, found)
    tagged = {(s.start, s.end) for s in cb._sources(doc.text, spans)}  # not the parse's subjects (dev: precision)
    confident = [c.statement for c in found if not c.from_rules and c.statement.confidence >= MODEL_ADD_CONFIDENCE
                 and c.statement.speaker in tagged and not _not_a_statement(doc, c.statement)]
    on_model = _overlapping(confident)
    inner_stands = convention == "onrecord"  # PolNeAR's annotators give the words to the outer frame
    kept = [c.statement for c in found if c.from_rules and (
        c.statement.confidence >= RULES_SURE
        or all(cb._agrees(c.statement, m) or inner_stands and _frames(m, c.statement) for m in on_model(c.statement.content)))]
    on_kept = _overlapping(kept)
    return sorted(kept + [m for m in confident if not on_kept(m.content)], key=lambda a: (a.start, a.end))


def _as_onrecord_counts(doc: Doc, chosen: Sequence[Attribution], found: Sequence[Candidate]) -> list[Attribution]:
    """The scorer's pick in onrecord's terms: where a rules statement on the same words names the same
    speaker, its spans stand (the rules follow onrecord's convention, the model learned PolNeAR's), and a
    model statement the rules did not make is left out where onrecord does not count it as one: no
    speaker, or what the hybrid leaves out. A quotation the rules give to a name stands where the pick
    overlaps none, as in the hybrid (the model at times tags no source for a name it has not seen: "said
    Ban Ki-moon")."""
    rules = [c.statement for c in found if c.from_rules]
    from_rules = {id(r) for r in rules}
    on_rules = _overlapping(rules)
    wanted: list[Attribution] = []
    for statement in [*chosen, *(r for r in rules if r.confidence >= RULES_SURE)]:
        if id(statement) not in from_rules:
            agreeing = [r for r in on_rules(statement.content) if _same_speaker(r, statement) or _frames(statement, r)]
            if agreeing:
                statement = agreeing[0]
            elif statement.speaker is None or _not_a_statement(doc, statement):
                continue
        wanted.append(statement)
    return _first_not_overlapping(wanted)


def _frames(outer: Attribution, inner: Attribution) -> bool:
    """Whether a statement holds another's cue and speaker in its content or between its cue and its
    content ("According to ABC News, Basya believes …"; "According to the Herald, Professor Burrows said
    …"): onrecord gives the words to the inner speaker; the outer one only reported them."""
    if inner.cue is None or inner.speaker is None:
        return False
    spans = list(outer.content)
    if outer.cue is not None and outer.cue[1] <= outer.content[0][0]:
        spans.append((outer.cue[1], outer.content[0][0]))  # between the outer cue and its content
    return all(any(a <= x and y <= b for a, b in spans) for x, y in (inner.cue, inner.speaker))


def _same_speaker(rules: Attribution, model: Attribution) -> bool:
    """Whether two statements give their words to the same speaker mention."""
    return rules.speaker is not None and model.speaker is not None and cb._overlaps(rules.speaker, [model.speaker])


def _not_a_statement(doc: Doc, att: Attribution) -> bool:
    """What the hybrid does not add: an attitude towards a target, a negated cue, a passive subject as speaker,
    a quoted title, something withheld, an open question someone means to settle."""
    return (cb._attitude_to_target(doc, att) or cb._unstated(doc, att.cue) or cb._passive_subject(doc, att)
            or cb._quoted_title(doc, att) or cb._withheld(doc, att.cue) or cb._open_question(doc, att))


def candidates(doc: Doc, spans: Sequence[PredictedSpan], rules: Sequence[Attribution], convention: str) -> list[Candidate]:
    """The model's statements and the rules' (their sources given the model's extent under PolNeAR's convention)."""
    model = cb.model_statements(doc, spans, convention)
    if convention == "polnear":
        sources = cb._sources(doc.text, spans)
        rules = [cb._polnear_source(doc, r, sources) for r in rules]
    return [Candidate(m, False) for m in model] + [Candidate(r, True) for r in rules]


def candidate_features(doc: Doc, spans: Sequence[PredictedSpan], found: Sequence[Candidate]) -> list[list[float]]:
    """One row of FEATURES for each candidate."""
    side = {flag: [o.statement for o in found if o.from_rules == flag] for flag in (False, True)}
    return [_features(doc, spans, c, side[not c.from_rules]) for c in found]


def select_statements(found: Sequence[Candidate], rows: Sequence[Sequence[float]], scorer: StatementScorer) -> list[Attribution]:
    """The most probable candidates from the scorer's threshold up, none overlapping a content already kept."""
    probability = scorer.probabilities(rows)
    ranked = sorted(range(len(found)), key=lambda i: -probability[i])
    return _first_not_overlapping([found[i].statement for i in ranked if probability[i] >= scorer.threshold])


def _first_not_overlapping(statements: Sequence[Attribution]) -> list[Attribution]:
    """The statements, in the order given, that overlap no content kept before them; in text order."""
    kept: list[Attribution] = []
    for statement in statements:
        if not any(cb._overlaps(p, list(k.content)) for k in kept for p in statement.content):
            kept.append(statement)
    return sorted(kept, key=lambda a: (a.start, a.end))


def _overlapping(found: Sequence[Attribution]) -> Callable[[Sequence[tuple[int, int]]], list[Attribution]]:
    """A lookup of the statements of `found` whose content overlaps given pieces (sorted: long texts stay linear)."""
    taken = sorted(((p, a) for a in found for p in a.content), key=lambda x: x[0])
    starts = [p[0] for p, _ in taken]
    reach = max((b - a for (a, b), _ in taken), default=0)

    def lookup(pieces: Sequence[tuple[int, int]]) -> list[Attribution]:
        out: list[Attribution] = []
        for x0, x1 in pieces:
            for (y0, y1), att in taken[bisect_left(starts, x0 - reach) : bisect_left(starts, x1)]:
                if x0 < y1 and y0 < x1 and all(att is not o for o in out):
                    out.append(att)
        return out

    return lookup


def _best(spans: Sequence[PredictedSpan], layer: str, span: tuple[int, int]) -> tuple[float, float]:
    """The highest probability of the layer's spans that overlap `span`, and the share of it they cover."""
    prob, covered = 0.0, 0
    for s in spans:
        if s.layer == layer and s.start < span[1] and span[0] < s.end:
            prob = max(prob, s.score)
            covered += min(s.end, span[1]) - max(s.start, span[0])
    return prob, covered / max(span[1] - span[0], 1)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(b[0] - a[1], a[0] - b[1], 0)


def _features(doc: Doc, spans: Sequence[PredictedSpan], candidate: Candidate, others: Sequence[Attribution]) -> list[float]:
    att, text = candidate.statement, doc.text
    cue, first = att.cue, att.content[0]
    content = [_best(spans, "Content", p) for p in att.content]
    body, cue_tokens = cb._tokens(doc, first), cb._tokens(doc, cue)
    overlapping = [o for o in others if any(cb._overlaps(p, list(o.content)) for p in att.content)]
    opening = text[first[0] : first[1]].lower()
    base = {
        "from_rules": float(candidate.from_rules),
        "confidence": att.confidence,
        "cue_prob": _best(spans, "Cue", cue)[0] if cue else 0.0,
        "content_prob": min(p for p, _ in content),
        "content_tagged": min(c for _, c in content),
        "source_prob": _best(spans, "Source", att.speaker)[0] if att.speaker else 0.0,
        "no_source": float(att.speaker is None),
        "name": float(att.speaker_form == "name"),
        "pronoun": float(att.speaker_form == "pronoun"),
        "nominal": float(att.speaker_form in ("nominal", "group")),
        "lexicon_cue": float(cb._lexicon_cue(doc, cue)),
        "log_length": math.log1p(sum(b - a for a, b in att.content)),
        "pieces": float(len(att.content)),
        "direct": float(att.kind == "direct"),
        "mixed": float(att.kind == "mixed"),
        "cue_first": float(cue is not None and cue[1] <= first[0]),
        "log_content_gap": math.log1p(min(_gap(cue, p) for p in att.content)) if cue else 0.0,
        "attitude": float(cb._attitude_to_target(doc, att)),
        "unstated": float(cb._unstated(doc, cue)),
        "passive_subject": float(cb._passive_subject(doc, att)),
        "other_overlaps": float(bool(overlapping)),
        "other_agrees": float(any(cb._agrees(o, att) for o in overlapping)),
        "content_verb": float(body is not None and body.root.pos_ in ("VERB", "AUX")),
        "that": float(opening.startswith(("that ", "whether ", "if "))),
        "to": float(opening.startswith("to ")),
        "cue_verb": float(cue_tokens is not None and cue_tokens.root.pos_ in ("VERB", "AUX")),
        "log_source_gap": math.log1p(_gap(cue, att.speaker)) if cue and att.speaker else 0.0,
        "adjacent": float(att.basis == "adjacent"),
        "according_to": float(att.basis == "according_to"),
        "name_colon": float(att.basis == "name_colon"),
    }
    row = [base[name] for name in BASE_FEATURES]
    return row + [x * base["from_rules"] for x in row[1:]]
