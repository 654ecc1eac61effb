"""Word forms by rule, no parser: the singular of an English noun (for topic labels and stance
targets, where "pauses" and "pause" must be one word)."""

from __future__ import annotations

IRREGULAR_PLURALS: dict[str, str] = {
    "crises": "crisis", "analyses": "analysis", "theses": "thesis", "hypotheses": "hypothesis",
    "children": "child", "men": "man", "women": "woman", "mice": "mouse", "feet": "foot",
}  # fmt: skip
#: Endings of words whose final s is not a plural's (class, virus, crisis, politics, news).
KEEP_S: tuple[str, ...] = ("ss", "us", "is", "ics", "news", "series", "species", "'s", "’s")


def singular(word: str) -> str:
    """The singular of a lowercase English noun by rule (pauses -> pause, policies -> policy,
    churches -> church, crises -> crisis); short words and non-words stay as they are."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) <= 3 or not word.isalpha() and "-" not in word or word.endswith(KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word
