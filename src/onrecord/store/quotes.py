"""When two outlets print the same statement: pure functions over quotation text, no database.

Two contents are the same statement when their folded words are equal, or when the shorter one
(at least MIN_WORDS words) is found in the longer one almost word for word: a trimmed quotation
(a substring) or a lightly edited one (a word changed, added or dropped). Which pairs are compared
at all is decided by an index of winnowed shingle hashes salted with the speaker's key, so only
statements of the same speaker that share a run of words are ever looked at.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from onrecord.store.similarity import fold, shingle_hashes, winnow, words

#: Shorter contents are the same statement only when equal word for word.
MIN_WORDS = 5
#: Share of the shorter content's words that must line up with the longer one, in order.
MIN_COVERAGE = 0.85
#: Words per shingle and shingles per winnowing window: contents sharing a run of
#: SHINGLE + WINDOW - 1 = MIN_WORDS words share an indexed hash.
SHINGLE = 3
WINDOW = 3


def quote_words(content: str) -> list[str]:
    """The folded words of a statement's content (quotation marks, case, accents fall away)."""
    return words(content)


def speaker_key(entity_id: int | None, speaker_text: str | None) -> str:
    """Which statements may be merged: those of one stored entity, or unresolved ones whose speaker
    reads the same ('polls' with 'Polls')."""
    if entity_id is not None:
        return f"e{entity_id}"
    return "u:" + " ".join(words(speaker_text or ""))


def fingerprints(content_words: list[str], key: str) -> set[int]:
    """The index hashes of a content for one speaker key."""
    return winnow(shingle_hashes(content_words, SHINGLE, salt=key), WINDOW)


def same_quote(a: list[str], b: list[str]) -> bool:
    """True when two contents (folded words) are the same statement, trimmed or lightly edited."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_WORDS:
        return False
    # runs of two words or more, so that common words scattered over a long statement do not count
    blocks = [b for b in SequenceMatcher(None, short, long_, autojunk=False).get_matching_blocks() if b.size >= 2]
    if not blocks:
        return False
    matched = sum(b.size for b in blocks)
    stretch = blocks[-1].b + blocks[-1].size - blocks[0].b  # where the shorter one lies in the longer
    return matched / len(short) >= MIN_COVERAGE and stretch <= len(short) + max(2, len(short) // 5)


def same_speaker_text(a: str | None, b: str | None) -> bool:
    """Unresolved speakers compare by their folded words."""
    return words(a or "") == words(b or "")


__all__ = ["MIN_WORDS", "fingerprints", "fold", "quote_words", "same_quote", "same_speaker_text", "speaker_key"]
