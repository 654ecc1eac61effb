"""`onrecord train`: reproduce the shipped attribution model from PolNeAR-style brat gold (needs the
train extra: torch, transformers, onnx and the base weights)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from onrecord.nlp.trained.config import TrainConfig


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the train command to the command parser."""
    defaults = TrainConfig()
    tr = sub.add_parser("train", help="train the attribution model on brat gold and export it as int8 ONNX (train extra)")
    tr.add_argument("--data", required=True, metavar="PATH",
                    help="PolNeAR root (with train/ and dev/, e.g. ../shared/bench/polnear) or one brat folder to train on")
    tr.add_argument("--dev", metavar="PATH", help="brat folder to pick the epoch on (default: PATH/dev when it exists)")
    tr.add_argument("--out", required=True, metavar="DIR", help="folder for checkpoints, history.json and attribution.onnx")
    tr.add_argument("--epochs", type=int, default=defaults.epochs, metavar="N", help=f"epochs (default {defaults.epochs})")
    tr.add_argument("--resume", action="store_true", help="continue from DIR/last.pt (written after each epoch)")
    tr.add_argument("--batch-size", type=int, default=defaults.batch_size, metavar="N", help=f"windows a step (default {defaults.batch_size})")
    tr.add_argument("--learning-rate", type=float, default=defaults.learning_rate, metavar="X")
    tr.add_argument("--freeze-layers", type=int, default=defaults.freeze_layers, metavar="N",
                    help=f"keep the embeddings and the lowest N encoder layers frozen (default {defaults.freeze_layers})")
    tr.add_argument("--max-articles", type=int, metavar="N", help="train on the first N articles only")
    tr.add_argument("--stop-after", type=int, metavar="N", help="end after epoch N, the learning-rate schedule still set for --epochs")
    tr.add_argument("--max-minutes", type=float, metavar="X", help="end the epoch under way once training took X minutes")
    tr.add_argument("--dev-articles", type=int, default=defaults.dev_articles, metavar="N",
                    help=f"score each epoch on the first N dev articles (default {defaults.dev_articles})")
    tr.add_argument("--threads", type=int, default=defaults.threads, metavar="N", help=f"torch threads (default {defaults.threads})")
    tr.add_argument("--seed", type=int, default=defaults.seed, metavar="N",
                    help=f"seed of the head's initial weights and of the window order (default {defaults.seed})")
    tr.add_argument("--casing", action="store_true",
                    help="give the model capitalisation as token types (not in the shipped model: docs/model.md)")
    tr.add_argument("--every-annotator", action="store_true",
                    help="also train on the other annotators' versions of a text several annotated (not in the shipped model)")
    tr.add_argument("--scorer-only", action="store_true",
                    help="only refit the statement scorer on dev with DIR/attribution.onnx (or the shipped model)")
    tr.set_defaults(run=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    from onrecord.errors import InputError
    from onrecord.nlp.trained.train import train

    for flag in ("epochs", "batch_size", "threads", "max_articles", "dev_articles", "stop_after"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            raise InputError(f"--{flag.replace('_', '-')} must be at least 1")
    config = TrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        freeze_layers=args.freeze_layers,
        max_articles=args.max_articles,
        stop_after=args.stop_after,
        max_minutes=args.max_minutes,
        dev_articles=args.dev_articles,
        threads=args.threads,
        seed=args.seed,
        casing=args.casing,
        every_annotator=args.every_annotator,
    )
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise InputError(f"--out {args.out} is a file; name a folder for the run")
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    path = Path(args.out) / "attribution.onnx"
    if not args.scorer_only:
        path = train(args.data, args.out, config, dev=args.dev, resume=args.resume, log=log)
        print(path)
    print(fit_scorer_file(args.data, args.dev, path if path.is_file() else None, Path(args.out), log))
    return 0


def fit_scorer_file(data: str, dev: str | None, model: Path | None, out: Path, log: Callable[[str], None]) -> Path:
    """Fit the statement scorer on the dev split with a model's spans; write DIR/statement_scorer.json."""
    from onrecord.evaluate.gold import load_gold
    from onrecord.errors import InputError
    from onrecord.nlp.trained.fit_selection import fit_selection
    from onrecord.nlp.trained.train import data_splits

    where = data_splits(Path(data), dev)[1]
    if where is None:
        raise InputError(f"{data}: no dev split to fit the statement scorer on; name one with --dev")
    articles = load_gold(where).articles
    log(f"fitting the statement scorer on {len(articles)} dev articles with {model or 'the shipped model'}")
    out.mkdir(parents=True, exist_ok=True)
    return fit_selection(articles, model, lambda n: log(f"  {n}/{len(articles)}") if n % 20 == 0 else None).save(
        out / "statement_scorer.json")
