"""The settings of a training run (torch-free, so that the CLI can show them without importing torch)."""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.nlp.trained.windows import WINDOW

#: Pieces between window starts when training: windows side by side, no overlap (the fewest windows
#: for a 2-core machine; inference overlaps them).
TRAIN_STRIDE = WINDOW


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained model; written next to each checkpoint and into the model card."""

    epochs: int = 6
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup: float = 0.06  # share of steps with a rising learning rate
    weight_decay: float = 0.01
    window: int = WINDOW
    train_stride: int = TRAIN_STRIDE
    freeze_layers: int = 0  # lower encoder layers kept frozen (and the embeddings when > 0)
    max_articles: int | None = None  # train on the first N articles only (sizing, smoke tests)
    max_steps: int | None = None  # stop each epoch after N batches (smoke tests)
    stop_after: int | None = None  # end after this epoch, the schedule still set for `epochs`
    max_minutes: float | None = None  # end the epoch under way (checkpointed, scored) once training took this long
    dev_articles: int | None = 20  # score each epoch on the first N dev articles only (saves time)
    # both measured (docs/model.md, "Training"): higher on dev, worse on news not tuned on; off in the shipped model
    casing: bool = False  # capitalisation as token types (the uncased pieces cannot show it)
    every_annotator: bool = False  # also train on the other annotators' versions of a text several annotated
    seed: int = 13
    threads: int = 2
