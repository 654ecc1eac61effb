"""Positions scored against gold (holder, target, stance) triples: the figures behind
`onrecord evaluate-positions` and tests/test_positions_gate.py.

Gold: JSON Lines, one triple a line: {"article", "holder", "holder_as_written", "target",
"target_norm", "stance", "cue", "char_start", "char_end"}; the article's text is read from
``<brat_dir>/text/<article>.txt``. A predicted triple matches a gold one when the holder, the
target and the stance agree (see ``holder_matches`` and ``target_matches``); each side of a pair
is used once, and repeated triples of one article count once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.errors import InputError
from onrecord.model import Extraction, Position
from onrecord.nlp.positions import REPORT_MIN_CONFIDENCE, normalize_target

_FIELDS = ("article", "holder", "target", "stance")
#: Positions below this confidence are not scored, as they are not reported: hedged ones ("may
#: consider supporting"; the gold labels no stance "merely reported as possible"), and those whose
#: holder is a group, unnamed, or guessed for a pronoun.
DEFAULT_MIN_CONFIDENCE = REPORT_MIN_CONFIDENCE
_FUNCTION_WORDS = frozenset("the a an of for to on in and or".split())


@dataclass(frozen=True)
class GoldPosition:
    """One labelled triple."""

    article: str
    holder: str
    holder_as_written: str
    target: str
    target_norm: str
    stance: str
    cue: str = ""
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True)
class PredictedPosition:
    """A predicted triple with every name its holder goes by in the article."""

    holder_names: tuple[str, ...]
    target_norm: str
    stance: str
    position: Position


@dataclass
class PositionEvaluation:
    """Counts and figures over all articles, and one error record per miss or false triple."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    articles: int = 0
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        n = self.true_positives + self.false_positives
        return self.true_positives / n if n else 0.0

    @property
    def recall(self) -> float:
        n = self.true_positives + self.false_negatives
        return self.true_positives / n if n else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_position_gold(path: str | Path) -> dict[str, list[GoldPosition]]:
    """Gold triples by article, in file order; a malformed line is an InputError naming it."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such gold file; give a JSON Lines file of labelled positions")
    by_article: dict[str, list[GoldPosition]] = {}
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            missing = [f for f in _FIELDS if not d.get(f)]
            if missing or d["stance"] not in ("favor", "against"):
                raise ValueError(f"needs {', '.join(_FIELDS)} with stance favor or against")
            gold = GoldPosition(
                article=str(d["article"]).removesuffix(".txt"),
                holder=str(d["holder"]),
                holder_as_written=str(d.get("holder_as_written") or d["holder"]),
                target=str(d["target"]),
                target_norm=str(d.get("target_norm") or normalize_target(d["target"])),
                stance=d["stance"],
                cue=str(d.get("cue") or ""),
                char_start=d.get("char_start"),
                char_end=d.get("char_end"),
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise InputError(f"{p}:{n}: not a gold position ({exc})") from exc
        by_article.setdefault(gold.article, []).append(gold)
    return by_article


def _fold(name: str) -> str:
    return re.sub(r"[^\w\s-]", "", name.lower().replace("’s", "").replace("'s", "")).strip()


def holder_matches(names: tuple[str, ...], gold: GoldPosition) -> bool:
    """The predicted holder is the gold one: a name or mention equal to, inside, or containing the
    gold holder's name (case-insensitive), or the same surname."""
    wanted = {_fold(gold.holder), _fold(gold.holder_as_written)} - {""}
    for name in map(_fold, names):
        if not name:
            continue
        for w in wanted:
            if name == w or f" {name} " in f" {w} " or f" {w} " in f" {name} " or name.split()[-1] == w.split()[-1]:
                return True
    return False


def _content_words(norm: str) -> set[str]:
    return {w for w in re.findall(r"[\w-]+", norm.lower()) if w not in _FUNCTION_WORDS}


def target_matches(predicted: str, gold: str) -> bool:
    """Equal normalised targets, or one's words within the other's covering at least half of them."""
    if predicted == gold:
        return True
    a, b = _content_words(predicted), _content_words(gold)
    if not a or not b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small <= large and len(small) / len(large) >= 0.5


def predicted_positions(record: Extraction, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[PredictedPosition]:
    """The record's positions at or above the confidence as triples, one per (holder, target, stance)."""
    out: dict[tuple[str, str, str], PredictedPosition] = {}
    for p in record.positions:
        if p.confidence < min_confidence:
            continue
        entity = record.entity(p.holder)
        names = (p.holder_text,) + ((entity.name,) + tuple(m.text for m in entity.mentions) if entity else ())
        key = (p.holder or p.holder_text.lower(), p.target_norm, p.stance)
        out.setdefault(key, PredictedPosition(names, p.target_norm, p.stance, p))
    return list(out.values())


def score_positions(
    record: Extraction, gold: list[GoldPosition], name: str, into: PositionEvaluation, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> None:
    """Match one article's predictions to its gold triples (greedily, in gold order) and count."""
    preds = predicted_positions(record, min_confidence)
    golds = list({(g.holder.lower(), g.target_norm, g.stance): g for g in gold}.values())
    used: set[int] = set()
    text = record.article.text
    for g in golds:
        gold_norm = normalize_target(g.target) or g.target_norm
        hit = next(
            (
                i
                for i, p in enumerate(preds)
                if i not in used
                and p.stance == g.stance
                and (target_matches(p.target_norm, g.target_norm) or target_matches(p.target_norm, gold_norm))
                and holder_matches(p.holder_names, g)
            ),
            None,
        )
        if hit is not None:
            used.add(hit)
            into.true_positives += 1
            continue
        into.false_negatives += 1
        near = [_pred_record(text, p) for p in preds if holder_matches(p.holder_names, g) or target_matches(p.target_norm, g.target_norm)]
        into.errors.append({"error": "missed", "article": name, "gold": g.__dict__, "near_predictions": near[:5]})
    for i, p in enumerate(preds):
        if i not in used:
            into.false_positives += 1
            into.errors.append({"error": "false", "article": name, "predicted": _pred_record(text, p)})
    into.articles += 1


def _pred_record(text: str, p: PredictedPosition) -> dict[str, Any]:
    pos = p.position
    a = max(0, text.rfind("\n", 0, pos.cue.start) + 1, min(pos.cue.start, pos.target.start) - 200)
    b = min(len(text), max(pos.cue.end, pos.target.end) + 80)
    return {
        "holder": pos.holder_text,
        "target": pos.target.text,
        "target_norm": pos.target_norm,
        "stance": pos.stance,
        "cue": pos.cue.text,
        "confidence": pos.confidence,
        "char_start": pos.target.start,
        "context": text[a:b],
    }


def evaluate_positions(
    gold_path: str | Path, brat_dir: str | Path, pipeline: Any, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> PositionEvaluation:
    """Run the pipeline on each gold article's text and score its positions against the gold."""
    gold = load_position_gold(gold_path)
    texts = Path(brat_dir) / "text"
    if not texts.is_dir():
        raise InputError(f"{texts}: no such folder; give --brat-dir, a folder holding text/<article>.txt")
    result = PositionEvaluation(min_confidence=min_confidence)
    for name, triples in gold.items():
        path = texts / f"{name}.txt"
        if not path.is_file():
            raise InputError(f"{path}: the text of gold article {name!r} is missing")
        record = pipeline.extract(path.read_text(encoding="utf-8"))
        score_positions(record, triples, name, result, min_confidence)
    return result


def format_position_report(result: PositionEvaluation) -> str:
    """The figures with their counts, as a few readable lines."""
    tp, fp, fn = result.true_positives, result.false_positives, result.false_negatives
    return (
        f"positions over {result.articles} articles: {tp + fn} gold triples, {tp + fp} predicted\n"
        f"  precision {result.precision * 100:5.1f}  ({tp}/{tp + fp})\n"
        f"  recall    {result.recall * 100:5.1f}  ({tp}/{tp + fn})\n"
        f"  F1        {result.f1 * 100:5.1f}\n"
        "  a match: holder (name, mention or surname), target (equal, or contained covering >= 50 % of words), stance\n"
        f"  scored: positions of confidence >= {result.min_confidence}\n"
    )
