"""Running the shipped attribution model: int8 ONNX on the CPU with onnxruntime and tokenizers, no
torch and no download. ``predict_spans`` gives the Source, Cue and Content spans of a text."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.nlp.trained.labels import PredictedSpan, spans_from_logits, whole_words, without_dangling_words
from onrecord.nlp.trained.windows import (
    PAD_ID,
    load_tokenizer,
    owner_windows,
    pieces_of,
    window_capitals,
    window_ids,
    window_starts,
)

#: The shipped model (see MODEL_CARD.md beside it).
MODEL_PATH = Path(__file__).resolve().parent / "data" / "attribution.onnx"
#: Windows run through the model at once (bounds memory on long articles).
BATCH = 16


@lru_cache(maxsize=2)
def load_session(path: str | None = None) -> Any:
    """An onnxruntime session of the model; threads follow OMP_NUM_THREADS when it is set (1 in workers)."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise OnrecordError("the model engine needs onnxruntime: pip install onrecord (or use --engine rules)") from exc
    model = Path(path) if path else MODEL_PATH
    if not model.is_file():
        raise OnrecordError(f"{model}: no attribution model; reinstall onrecord, train one (onrecord train), or use --engine rules")
    options = ort.SessionOptions()
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if threads.isdigit():
        options.intra_op_num_threads = int(threads)
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def predict_spans(text: str, session: Any = None, tokenizer: Any = None) -> list[PredictedSpan]:
    """The model's Source, Cue and Content spans of a text, each with exact offsets into it."""
    import numpy as np

    if not text.strip():
        return []
    session = session or load_session()
    pieces = pieces_of(text, tokenizer or load_tokenizer())
    if not pieces.ids:
        return []
    starts = window_starts(len(pieces.ids))
    # a model trained with capitalisation as token types has that input (older ones do not)
    cased = any(i.name == "token_type_ids" for i in session.get_inputs())
    logits: list[Any] = []
    for at in range(0, len(starts), BATCH):
        rows = [window_ids(pieces, s) for s in starts[at : at + BATCH]]
        width = max(map(len, rows))
        ids = np.full((len(rows), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64)
        for r, (s, row) in enumerate(zip(starts[at : at + BATCH], rows)):
            ids[r, : len(row)] = row
            mask[r, : len(row)] = 1
            if cased:
                types[r, : len(row)] = window_capitals(pieces, s)
        feed = {"input_ids": ids, "attention_mask": mask} | ({"token_type_ids": types} if cased else {})
        logits += list(session.run(["logits"], feed)[0])
    spans = whole_words(text, spans_from_logits(pieces.offsets, owner_windows(len(pieces.ids), starts), starts, logits))
    return without_dangling_words(text, spans)
