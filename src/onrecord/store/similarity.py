"""Folded words, word shingles and their stable hashes: the pure text similarity behind the
store's dedup of articles and quotations (no database, no parser)."""

from __future__ import annotations

import re
import unicodedata
import zlib

_WORD = re.compile(r"\w+")
# combining marks left by NFKD: diacritics of Latin, Greek and Cyrillic letters, and their extensions
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: 'Élysée' and 'elysee' compare equal."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    """The folded words of a text; quotation marks and other punctuation fall away."""
    return _WORD.findall(fold(text))


def stable_hash(text: str) -> int:
    """A 32-bit hash that is the same in every process (Python's hash() is salted). Collisions
    only bring an extra candidate, which the exact comparison then turns down."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def shingles(ws: list[str], k: int) -> list[str]:
    """The runs of k consecutive words, in order; a text shorter than k gives one shingle of all its words."""
    if not ws:
        return []
    if len(ws) <= k:
        return [" ".join(ws)]
    return [" ".join(ws[i : i + k]) for i in range(len(ws) - k + 1)]


def shingle_hashes(ws: list[str], k: int, salt: str = "") -> list[int]:
    """Stable hashes of the k-word shingles; a salt (a speaker's key) keeps unrelated texts apart."""
    prefix = f"{salt}\x1f" if salt else ""
    return [stable_hash(prefix + s) for s in shingles(ws, k)]


def winnow(hashes: list[int], window: int) -> set[int]:
    """The minimum hash of every window of consecutive hashes (winnowing): two texts sharing a run
    of window + k - 1 words share at least one selected hash, so a small index finds them."""
    if len(hashes) <= window:
        return {min(hashes)} if hashes else set()
    return {min(hashes[i : i + window]) for i in range(len(hashes) - window + 1)}


def sampled(hashes: list[int], rate: int) -> set[int]:
    """The hashes divisible by rate: the same shingles are sampled in every text that holds them."""
    return {h for h in hashes if h % rate == 0}


def containment(a: set[int], b: set[int]) -> float:
    """How much of the smaller set lies in the other (1.0: one text holds all of the other's shingles)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
