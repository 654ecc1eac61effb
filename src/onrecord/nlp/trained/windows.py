"""Word pieces of a whole article and the overlapping windows the model reads, shared by training
and inference so that both cut texts the same way. Needs `tokenizers` only.

Windows cross sentence and paragraph boundaries on purpose: a Content often runs over several
sentences, and the cue may sit a sentence away from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError

#: The vendored all-MiniLM-L6-v2 tokenizer (uncased BERT word pieces), also the semantic extra's.
TOKENIZER_PATH = Path(__file__).resolve().parent.parent.parent / "semantic" / "data" / "tokenizer.json"
#: Pieces of text in one window (the model adds [CLS] and [SEP]).
WINDOW = 254
#: Pieces between the starts of two windows at inference: the overlap of 64 pieces gives each piece context on
#: both sides; PolNeAR dev scored the same as with half-window strides (127) at two thirds of the windows.
STRIDE = 190
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0


@dataclass(frozen=True)
class Pieces:
    """The word pieces of one text: vocabulary ids, exact character offsets (end exclusive), and for
    each piece 1 when it starts with a capital letter (the uncased pieces cannot show it)."""

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    capitals: tuple[int, ...] = ()


@lru_cache(maxsize=2)
def load_tokenizer(path: str | None = None) -> Any:
    """The word-piece tokenizer, without truncation or padding (windows are cut here)."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise OnrecordError("the trained engine needs the tokenizers package: pip install 'onrecord[model]'") from exc
    tok = Tokenizer.from_file(str(path or TOKENIZER_PATH))
    tok.no_truncation()
    tok.no_padding()
    return tok


def pieces_of(text: str, tokenizer: Any = None) -> Pieces:
    """Every word piece of a text with its character offsets into that text."""
    enc = (tokenizer or load_tokenizer()).encode(text, add_special_tokens=False)
    offsets = tuple((int(a), int(b)) for a, b in enc.offsets)
    return Pieces(tuple(enc.ids), offsets, tuple(int(a < b and text[a].isupper()) for a, b in offsets))


def window_starts(n: int, window: int = WINDOW, stride: int = STRIDE) -> list[int]:
    """Start pieces of the windows covering n pieces: every stride, the last one flush with the end."""
    if n <= window:
        return [0]
    starts = list(range(0, n - window, stride))
    starts.append(n - window)
    return starts


def window_ids(pieces: Pieces, start: int, window: int = WINDOW) -> list[int]:
    """The model input of one window: [CLS], its pieces, [SEP]."""
    return [CLS_ID, *pieces.ids[start : start + window], SEP_ID]


def window_capitals(pieces: Pieces, start: int, window: int = WINDOW) -> list[int]:
    """The token types of one window: 1 on a piece that starts with a capital letter, 0 elsewhere
    (the base model's second segment embedding, fine-tuned to carry capitalisation)."""
    return [0, *pieces.capitals[start : start + window], 0]


def owner_windows(n: int, starts: list[int], window: int = WINDOW) -> list[int]:
    """For each piece, the window in which it sits farthest from an edge (the one whose tags count)."""
    owner = [0] * n
    best = [-1] * n
    for w, s in enumerate(starts):
        for i in range(s, min(n, s + window)):
            margin = min(i - s, s + window - 1 - i)
            if margin > best[i]:
                best[i], owner[i] = margin, w
    return owner
