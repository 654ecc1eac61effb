"""Matching and scoring: pure functions from gold attributions and predicted statements to counts.

The protocol (docs in BENCHMARKS.md say the same):

- statement detection: a prediction matches a gold statement, one to one, when it covers at
  least θ of the gold content's characters (Gender Gap Tracker protocol), θ in THRESHOLDS;
  the pairing maximises the number of matches, preferring higher coverage. ``exact`` pairs a
  prediction and a gold content whose characters are the same after trimming white space and
  punctuation (quotation marks included) from the edges of each piece and joining pieces that
  nothing else separates (``normalized``);
- on statements matched at θ = 0.5: the speaker is right when the predicted mention overlaps the
  gold Source span ("mention"), or when any mention of the predicted entity does ("coref"); the
  cue is right when the predicted cue overlaps the gold cue;
- a gold attribution without a Source counts for content and cue; its speaker is right iff the
  prediction names no entity (no speaker, or a speaker mention with entity null), in both variants;
  a gold attribution without a cue has its cue right iff the prediction has none;
- end-to-end: content matched at θ = 0.5 and speaker right (coref). The headline figure;
- element-level exact spans (CofeNet protocol): the distinct Source, Cue and Content spans of an
  article, each scored on its own against the distinct predicted speaker, cue and content spans,
  compared after the same trimming and joining;
- subsets (kinds, quoted): pairs come from the matching over all statements; recall counts the
  gold statements of the subset, precision the predicted statements of the subset (the predicted
  kind for kinds; a double quotation mark in the content for the quoted subset).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from onrecord.evaluate.gold import GoldAttribution, Pieces, is_quoted, text_of
from onrecord.model import Extraction

THRESHOLDS: tuple[float, ...] = (0.3, 0.5, 0.8)
HEADLINE_THETA = 0.5
EDGE_CHARS = frozenset(string.whitespace + string.punctuation + "“”‘’„‟«»‹›—–…\u00a0\u200b")
ELEMENTS: tuple[str, ...] = ("Source", "Cue", "Content")


@dataclass(frozen=True)
class PredStatement:
    """A predicted statement reduced to what the metrics need: pieces of the article text."""

    id: str
    kind: str
    content: Pieces
    cue: Pieces = ()
    speaker: Pieces = ()
    entity: str | None = None  # the speaker's entity id, None when unresolved or absent
    entity_mentions: Pieces = ()  # every mention of that entity, the speaker mention included
    quoted: bool = False
    entity_name: str | None = None  # the entity's canonical name, for error reports


@dataclass(frozen=True)
class Score:
    """Counts with precision, recall and F1; tp_pred and tp_gold differ only on subsets."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        """Share of predictions that are right."""
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp_pred + other.tp_pred, self.n_pred + other.n_pred, self.tp_gold + other.tp_gold, self.n_gold + other.n_gold)

    def to_dict(self) -> dict[str, Any]:
        """Rounded figures and the counts behind them."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp_pred": self.tp_pred,
            "n_pred": self.n_pred,
            "tp_gold": self.tp_gold,
            "n_gold": self.n_gold,
        }


@dataclass(frozen=True)
class Accuracy:
    """Right out of scored, for a judgement made on matched statements only."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        """right / total, 0 when nothing was scored."""
        return self.right / self.total if self.total else 0.0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.right + other.right, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        """The share and its counts."""
        return {"accuracy": round(self.value, 4), "right": self.right, "total": self.total}


@dataclass(frozen=True)
class Pairing:
    """One matched pair at θ = 0.5 and what was right about it."""

    gold: int
    pred: int
    coverage: float
    speaker_mention: bool
    speaker_coref: bool
    cue: bool


@dataclass(frozen=True)
class ArticleScore:
    """Everything the aggregate needs from one article: matchings, judgements, element counts."""

    name: str
    gold: tuple[GoldAttribution, ...]
    preds: tuple[PredStatement, ...]
    matches: Mapping[float, Mapping[int, int]]  # θ -> {gold index: pred index}
    exact: Mapping[int, int]  # {gold index: pred index}
    pairs: tuple[Pairing, ...]  # the θ = 0.5 pairs
    elements: Mapping[str, Score]
    coverage: tuple[tuple[float, int | None], ...] = ()  # per gold: best coverage by any prediction, and which
    covering: tuple[tuple[float, int | None], ...] = ()  # per prediction: best coverage of any gold, and which


@dataclass(frozen=True)
class MetricSet:
    """The metrics of one subset of statements."""

    statements: Mapping[float, Score]
    exact: Score
    speaker_mention: Score
    speaker_coref: Score
    cue: Score
    speaker_mention_on_matched: Accuracy
    speaker_coref_on_matched: Accuracy
    cue_on_matched: Accuracy

    @property
    def end_to_end(self) -> Score:
        """Content matched at θ = 0.5 and speaker right (coref): the headline figure."""
        return self.speaker_coref

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able figures."""
        return {
            "statements": {f"{t:g}": s.to_dict() for t, s in self.statements.items()},
            "statements_exact": self.exact.to_dict(),
            "end_to_end": self.end_to_end.to_dict(),
            "speaker_mention": self.speaker_mention.to_dict(),
            "speaker_coref": self.speaker_coref.to_dict(),
            "cue": self.cue.to_dict(),
            "on_matched": {
                "speaker_mention": self.speaker_mention_on_matched.to_dict(),
                "speaker_coref": self.speaker_coref_on_matched.to_dict(),
                "cue": self.cue_on_matched.to_dict(),
            },
        }


@dataclass(frozen=True)
class Summary:
    """All the figures of an evaluation: all statements, each kind, the quoted subset, elements."""

    all: MetricSet
    kinds: Mapping[str, MetricSet]
    quoted: MetricSet
    elements: Mapping[str, Score] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able figures."""
        return {
            "all": self.all.to_dict(),
            "quoted": self.quoted.to_dict(),
            "kinds": {k: m.to_dict() for k, m in self.kinds.items()},
            "elements_exact": {k: s.to_dict() for k, s in self.elements.items()},
        }


# --- spans ------------------------------------------------------------------------------------


def chars(pieces: Iterable[tuple[int, int]]) -> frozenset[int]:
    """The character offsets a (possibly discontinuous) span covers."""
    return frozenset(i for a, b in pieces for i in range(a, b))


def trim(text: str, pieces: Pieces) -> Pieces:
    """Each piece without white space and punctuation at its edges; empty pieces dropped."""
    out = []
    for a, b in pieces:
        while a < b and text[a] in EDGE_CHARS:
            a += 1
        while b > a and text[b - 1] in EDGE_CHARS:
            b -= 1
        if a < b:
            out.append((a, b))
    return tuple(out)


def normalized(text: str, pieces: Pieces) -> Pieces:
    """The pieces trimmed, and joined where only white space and punctuation separate them: brat
    stores one passage that runs over a sentence break as fragments ("… it." and "I finished it")."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(trim(text, pieces)):
        if out and all(ch in EDGE_CHARS for ch in text[out[-1][1] : a]):
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return tuple(out)


def overlaps(a: Pieces, b: Pieces) -> bool:
    """Whether two spans share at least one character."""
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def coverage(gold: frozenset[int], pred: frozenset[int]) -> float:
    """Share of the gold characters that the prediction covers."""
    return len(gold & pred) / len(gold) if gold else 0.0


def match_one_to_one(scores: Mapping[tuple[int, int], float], threshold: float) -> dict[int, int]:
    """A maximum one-to-one pairing {gold: pred} among pairs scoring at least threshold.

    Augmenting paths (Kuhn) give the largest number of pairs; gold are taken in order and each
    tries its candidates best score first, so that the pairing is deterministic and prefers
    better-covering predictions.
    """
    cands: dict[int, list[int]] = {}
    for (g, p), s in sorted(scores.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        if s >= threshold and s > 0:
            cands.setdefault(g, []).append(p)
    owner: dict[int, int] = {}  # pred -> gold

    def augment(g: int, seen: set[int]) -> bool:
        for p in cands.get(g, ()):
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in sorted(cands):
        augment(g, set())
    return {g: p for p, g in sorted(owner.items())}


# --- judgements -------------------------------------------------------------------------------


def speaker_right(gold: GoldAttribution, pred: PredStatement, coref: bool) -> bool:
    """Mention: the predicted mention overlaps the gold Source; coref: any mention of its entity does.

    A gold attribution without a Source is right iff the prediction names no entity.
    """
    if not gold.has_source:
        return pred.entity is None
    if pred.speaker and overlaps(pred.speaker, gold.source):
        return True
    return coref and pred.entity is not None and overlaps(pred.entity_mentions, gold.source)


def cue_right(gold: GoldAttribution, pred: PredStatement) -> bool:
    """The predicted cue overlaps the gold cue (both absent counts as right)."""
    if not gold.cue:
        return not pred.cue
    return bool(pred.cue) and overlaps(pred.cue, gold.cue)


def score_article(name: str, text: str, gold: Sequence[GoldAttribution], preds: Sequence[PredStatement]) -> ArticleScore:
    """Match one article's predictions to its gold at every θ and exactly, and judge the θ = 0.5 pairs."""
    gold_chars = [chars(trim(text, g.content)) or chars(g.content) for g in gold]
    pred_chars = [chars(p.content) for p in preds]
    cover: dict[tuple[int, int], float] = {}
    for gi, gc in enumerate(gold_chars):
        for pi, pc in enumerate(pred_chars):
            c = coverage(gc, pc)
            if c > 0:
                cover[(gi, pi)] = c
    matches = {t: match_one_to_one(cover, t) for t in THRESHOLDS}
    if HEADLINE_THETA not in matches:
        matches[HEADLINE_THETA] = match_one_to_one(cover, HEADLINE_THETA)
    gold_trim = [chars(normalized(text, g.content)) for g in gold]
    pred_trim = [chars(normalized(text, p.content)) for p in preds]
    same = {(gi, pi): 1.0 for gi, gt in enumerate(gold_trim) for pi, pt in enumerate(pred_trim) if gt and gt == pt}
    exact = match_one_to_one(same, 1.0)
    pairs = tuple(
        Pairing(
            gold=gi,
            pred=pi,
            coverage=cover[(gi, pi)],
            speaker_mention=speaker_right(gold[gi], preds[pi], coref=False),
            speaker_coref=speaker_right(gold[gi], preds[pi], coref=True),
            cue=cue_right(gold[gi], preds[pi]),
        )
        for gi, pi in matches[HEADLINE_THETA].items()
    )
    best_for_gold = tuple(
        max(((c, pi) for (g, pi), c in cover.items() if g == gi), default=(0.0, None), key=lambda x: (x[0], -x[1]))
        for gi in range(len(gold))
    )
    best_for_pred = tuple(
        max(((c, gi) for (gi, p), c in cover.items() if p == pi), default=(0.0, None), key=lambda x: (x[0], -x[1]))
        for pi in range(len(preds))
    )
    return ArticleScore(
        name=name,
        gold=tuple(gold),
        preds=tuple(preds),
        matches=matches,
        exact=exact,
        pairs=pairs,
        elements=element_scores(text, gold, preds),
        coverage=best_for_gold,  # type: ignore[arg-type]
        covering=best_for_pred,  # type: ignore[arg-type]
    )


def element_scores(text: str, gold: Sequence[GoldAttribution], preds: Sequence[PredStatement]) -> dict[str, Score]:
    """CofeNet-style exact match of the distinct Source, Cue and Content spans, each on its own."""
    out = {}
    for element, g_attr, p_attr in (("Source", "source", "speaker"), ("Cue", "cue", "cue"), ("Content", "content", "content")):
        g_set = {chars(normalized(text, getattr(g, g_attr))) for g in gold} - {frozenset()}
        p_set = {chars(normalized(text, getattr(p, p_attr))) for p in preds} - {frozenset()}
        tp = len(g_set & p_set)
        out[element] = Score(tp, len(p_set), tp, len(g_set))
    return out


# --- aggregation ------------------------------------------------------------------------------

GoldFilter = Callable[[GoldAttribution], bool]
PredFilter = Callable[[PredStatement], bool]


def metric_set(articles: Sequence[ArticleScore], gold_in: GoldFilter | None = None, pred_in: PredFilter | None = None) -> MetricSet:
    """The metrics over a subset: gold_in picks the gold counted for recall, pred_in the predictions for precision."""
    g_ok = gold_in or (lambda g: True)
    p_ok = pred_in or (lambda p: True)
    statements = {t: Score() for t in THRESHOLDS}
    exact = Score()
    mention = coref = cue = Score()
    acc_mention = acc_coref = acc_cue = Accuracy()
    for a in articles:
        g_sel = [i for i, g in enumerate(a.gold) if g_ok(g)]
        p_sel = [i for i, p in enumerate(a.preds) if p_ok(p)]
        g_set, p_set = set(g_sel), set(p_sel)

        def count(pairs: Mapping[int, int]) -> Score:
            return Score(
                sum(1 for p in pairs.values() if p in p_set), len(p_sel), sum(1 for g in pairs if g in g_set), len(g_sel)
            )

        for t in THRESHOLDS:
            statements[t] = statements[t] + count(a.matches[t])
        exact = exact + count(a.exact)
        mention = mention + count({x.gold: x.pred for x in a.pairs if x.speaker_mention})
        coref = coref + count({x.gold: x.pred for x in a.pairs if x.speaker_coref})
        cue = cue + count({x.gold: x.pred for x in a.pairs if x.cue})
        scored = [x for x in a.pairs if x.gold in g_set]
        acc_mention = acc_mention + Accuracy(sum(x.speaker_mention for x in scored), len(scored))
        acc_coref = acc_coref + Accuracy(sum(x.speaker_coref for x in scored), len(scored))
        acc_cue = acc_cue + Accuracy(sum(x.cue for x in scored), len(scored))
    return MetricSet(statements, exact, mention, coref, cue, acc_mention, acc_coref, acc_cue)


def summarize(articles: Sequence[ArticleScore], kinds: Sequence[str] = ("direct", "mixed", "indirect")) -> Summary:
    """All statements, each kind (gold kind for recall, predicted kind for precision), the quoted subset, elements."""
    elements = {e: sum((a.elements[e] for a in articles), Score()) for e in ELEMENTS}
    return Summary(
        all=metric_set(articles),
        kinds={k: metric_set(articles, lambda g, k=k: g.kind == k, lambda p, k=k: p.kind == k) for k in kinds},
        quoted=metric_set(articles, lambda g: g.quoted, lambda p: p.quoted),
        elements=elements,
    )


# --- predictions ------------------------------------------------------------------------------


def predictions_from_record(record: Extraction) -> tuple[PredStatement, ...]:
    """The statements of an onrecord record as PredStatements (entity mentions looked up by id)."""
    text = record.article.text
    out = []
    for s in record.statements:
        content = s.content.spans or ((s.content.start, s.content.end),)
        speaker: Pieces = ((s.speaker.start, s.speaker.end),) if s.speaker else ()
        entity_id = s.speaker.entity if s.speaker else None
        entity = record.entity(entity_id) if entity_id else None
        mentions = tuple((m.start, m.end) for m in entity.mentions) if entity else ()
        cue: Pieces = ()
        if s.cue:
            cue = s.cue.spans or ((s.cue.start, s.cue.end),)
        out.append(
            PredStatement(
                id=s.id,
                kind=s.kind,
                content=tuple(content),
                cue=tuple(cue),
                speaker=speaker,
                entity=entity_id,
                entity_mentions=speaker + mentions,
                quoted=is_quoted(text_of(text, tuple(content))),
                entity_name=entity.name if entity else None,
            )
        )
    return tuple(out)
