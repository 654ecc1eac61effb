"""Reports of an evaluation: a readable text table, a JSON document, and error records (JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.errors import InputError
from onrecord.evaluate.gold import GoldArticle, GoldAttribution, Pieces, text_of
from onrecord.evaluate.metrics import HEADLINE_THETA, THRESHOLDS, ArticleScore, MetricSet, PredStatement, Score

if TYPE_CHECKING:
    from onrecord.evaluate.runner import Evaluation

#: CofeNet (Wang et al., COLING 2022), BERT+Cofe on the PolNeAR test split, exact span F1.
COFENET_PUBLISHED: Mapping[str, float] = {"Source": 83.2, "Cue": 75.3, "Content": 72.9}

PROTOCOL_NOTES = (
    "annotator: one per article, the lexicographically first annotator suffix (NAME_<suffix>.ann)",
    "gold kind (PolNeAR): derived from the content: all words inside double quotation marks -> direct, some -> mixed, none -> indirect",
    "quoted subset: content holds a double quotation mark (gold and prediction alike); pairs come from the matching over all statements",
    "by kind: recall over gold of that kind, precision over predictions of that predicted kind",
    "no-source gold attributions: scored for content and cue; speaker right iff the prediction names no entity",
    "speaker and cue P/R/F: content matched at θ=0.5 and that element right; on-matched: share right among θ=0.5 pairs",
    "element-level exact: distinct character spans per article after trimming edge white space and punctuation "
    "and joining pieces only they separate; "
    "CofeNet's published figures are token-level on the test split with its own preprocessing: compare with care",
)


def report_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The whole evaluation as plain JSON: figures, counts, protocol notes, per-article counts."""
    gold = evaluation.gold
    return {
        "system": evaluation.system,
        "gold": {
            "source": gold.source,
            "format": gold.format,
            "articles": len(gold.articles),
            "attributions": sum(len(a.attributions) for a in gold.articles),
            "several_annotators": sum(1 for a in gold.articles if len(a.annotators) > 1),
            "skipped": list(gold.skipped),
        },
        "span_convention": evaluation.convention,
        "predicted_statements": sum(len(a.preds) for a in evaluation.articles),
        "seconds": round(evaluation.seconds, 2),
        "headline": {
            "end_to_end_f1": round(evaluation.summary.all.end_to_end.f1, 4),
            "end_to_end_f1_quoted": round(evaluation.summary.quoted.end_to_end.f1, 4),
            "statement_precision_0.5": round(evaluation.summary.all.statements[HEADLINE_THETA].precision, 4),
        },
        "metrics": evaluation.summary.to_dict(),
        "cofenet_published_test_f1": dict(COFENET_PUBLISHED),
        "protocol": list(PROTOCOL_NOTES),
        "articles": [
            {
                "name": a.name,
                "annotator": g.annotator,
                "gold": len(a.gold),
                "predicted": len(a.preds),
                "matched_0.5": len(a.matches[HEADLINE_THETA]),
                "end_to_end": sum(1 for x in a.pairs if x.speaker_coref),
            }
            for a, g in zip(evaluation.articles, gold.articles)
        ],
    }


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def _row(label: str, s: Score, width: int = 30) -> str:
    tp = f"tp {s.tp_gold}" if s.tp_gold == s.tp_pred else f"tp {s.tp_pred} pred-side / {s.tp_gold} gold-side"
    return f"{label:<{width}}{_pct(s.precision)} {_pct(s.recall)} {_pct(s.f1)}   {tp}, {s.n_pred} predicted, {s.n_gold} gold"


def _block(m: MetricSet) -> list[str]:
    lines = [f"{'':<30}{'P':>5} {'R':>5} {'F1':>5}"]
    for t in THRESHOLDS:
        lines.append(_row(f"statements θ={t:g}", m.statements[t]))
    lines.append(_row("statements exact", m.exact))
    lines.append(_row("speaker (mention overlap)", m.speaker_mention))
    lines.append(_row("speaker (coreference-aware)", m.speaker_coref))
    lines.append(_row("cue", m.cue))
    lines.append(_row("END-TO-END (headline)", m.end_to_end))
    lines.append(
        "on θ=0.5 matches: speaker mention "
        f"{_pct(m.speaker_mention_on_matched.value).strip()}% ({m.speaker_mention_on_matched.right}/{m.speaker_mention_on_matched.total}), "
        f"coref {_pct(m.speaker_coref_on_matched.value).strip()}% ({m.speaker_coref_on_matched.right}/{m.speaker_coref_on_matched.total}), "
        f"cue {_pct(m.cue_on_matched.value).strip()}% ({m.cue_on_matched.right}/{m.cue_on_matched.total})"
    )
    return lines


_CONVENTION_NOTES = {
    "polnear": "polnear (as the gold: a leading that/whether/if is content; a cue takes the colon introducing its content)",
    "onrecord": "onrecord (a leading that/whether/if is left out of the content; a cue is its verb)",
}


def format_report(evaluation: Evaluation) -> str:
    """A readable report: all statements, the quoted subset, each kind, element-level exact spans."""
    d = report_dict(evaluation)
    s = evaluation.summary
    g = d["gold"]
    out = [
        f"{evaluation.system} against {g['source']} ({g['format']}): {g['articles']} articles, "
        f"{g['attributions']} gold attributions, {d['predicted_statements']} predicted statements, {d['seconds']:.1f} s",
    ]
    if g["several_annotators"]:
        out.append(f"{g['several_annotators']} articles have several annotators: scored against the first suffix in sort order")
    out.append(f"span convention: {_CONVENTION_NOTES[evaluation.convention]}")
    if g["skipped"]:
        out.append(f"left out: {len(g['skipped'])} (see the JSON report)")
    out += ["", "== all statements", *_block(s.all)]
    out += ["", "== quoted subset (content holds a double quotation mark)", *_block(s.quoted)]
    out += ["", "== by kind (recall: gold kind; precision: predicted kind)"]
    out.append(f"{'':<30}{'P':>5} {'R':>5} {'F1':>5}")
    for kind, m in s.kinds.items():
        out.append(_row(f"{kind} statements θ=0.5", m.statements[HEADLINE_THETA]))
        out.append(_row(f"{kind} end-to-end", m.end_to_end))
    out += ["", "== element-level exact spans (CofeNet protocol)", f"{'':<30}{'P':>5} {'R':>5} {'F1':>5}"]
    for element, score in s.elements.items():
        out.append(_row(element, score) + f"   (CofeNet BERT+Cofe, test: {COFENET_PUBLISHED[element]})")
    out += ["", "notes:", *(f"- {n}" for n in PROTOCOL_NOTES)]
    return "\n".join(out) + "\n"


# --- error records ----------------------------------------------------------------------------


def _span(text: str, pieces: Pieces) -> dict[str, Any] | None:
    if not pieces:
        return None
    d: dict[str, Any] = {"start": pieces[0][0], "end": pieces[-1][1], "text": text_of(text, pieces)}
    if len(pieces) > 1:
        d["spans"] = [list(p) for p in pieces]
    return d


def _gold(text: str, g: GoldAttribution) -> dict[str, Any]:
    return {
        "id": g.id,
        "kind": g.kind,
        "quoted": g.quoted,
        "content": _span(text, g.content),
        "cue": _span(text, g.cue),
        "source": _span(text, g.source),
        "source_entity": g.source_entity,
    }


def _pred(text: str, p: PredStatement) -> dict[str, Any]:
    return {
        "id": p.id,
        "kind": p.kind,
        "quoted": p.quoted,
        "content": _span(text, p.content),
        "cue": _span(text, p.cue),
        "speaker": _span(text, p.speaker),
        "entity": p.entity_name,
    }


def context(text: str, pieces: Iterable[tuple[int, int]], limit: int = 400) -> dict[str, Any]:
    """The paragraph(s) around some spans, at most ``limit`` characters beyond them on each side."""
    starts, ends = zip(*pieces)
    a, b = min(starts), max(ends)
    left = text.rfind("\n", max(0, a - limit), a)
    left = left + 1 if left >= 0 else max(0, a - limit)
    right = text.find("\n", b, b + limit)
    right = right if right >= 0 else min(len(text), b + limit)
    return {"start": left, "end": right, "text": text[left:right]}


def error_records(article: GoldArticle, score: ArticleScore) -> list[dict[str, Any]]:
    """Every miss, false statement, wrong speaker and wrong cue of one article (θ = 0.5)."""
    text = article.text
    matched = score.matches[HEADLINE_THETA]
    taken = set(matched.values())
    out: list[dict[str, Any]] = []
    for gi, g in enumerate(score.gold):
        if gi in matched:
            continue
        cov, pi = score.coverage[gi] if score.coverage else (0.0, None)
        rec: dict[str, Any] = {"type": "miss", "article": article.name, "gold": _gold(text, g)}
        rec["nearest_prediction"] = None if pi is None else {**_pred(text, score.preds[pi]), "coverage": round(cov, 3)}
        rec["context"] = context(text, g.content + g.source + g.cue)
        out.append(rec)
    for pi, p in enumerate(score.preds):
        if pi in taken:
            continue
        cov, gi2 = score.covering[pi] if score.covering else (0.0, None)
        rec = {"type": "false", "article": article.name, "prediction": _pred(text, p)}
        rec["nearest_gold"] = None if gi2 is None else {**_gold(text, score.gold[gi2]), "coverage": round(cov, 3)}
        rec["context"] = context(text, p.content + p.speaker + p.cue)
        out.append(rec)
    for x in score.pairs:
        g, p = score.gold[x.gold], score.preds[x.pred]
        for kind, right in (("wrong_speaker", x.speaker_coref), ("wrong_cue", x.cue)):
            if right:
                continue
            out.append(
                {
                    "type": kind,
                    "article": article.name,
                    "gold": _gold(text, g),
                    "prediction": _pred(text, p),
                    "coverage": round(x.coverage, 3),
                    "context": context(text, g.content + g.source + g.cue + p.speaker + p.cue),
                }
            )
    return out


def write_json(data: Any, path: str | Path) -> None:
    """Write one JSON document (UTF-8, indented)."""
    _writable(path)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> None:
    """Write records as JSON Lines (UTF-8)."""
    _writable(path)
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _writable(path: str | Path) -> None:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder; give a file name to write to")
    if not p.parent.is_dir():
        raise InputError(f"{p}: its folder {p.parent} does not exist; create it or choose another path")


def check_writable(*paths: str | Path | None) -> None:
    """Raise InputError now, before a long run, for an output path that cannot be written."""
    for p in paths:
        if p is not None:
            _writable(p)
