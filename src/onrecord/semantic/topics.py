"""Statements grouped into topics by their unit vectors, each topic labelled with its most
distinctive words (class-based TF-IDF: frequent in the topic, rare in the others). Pure functions
over (ids, texts, vectors); numpy only.

Clustering is greedy and deterministic: statements are taken in id order and each joins the
topic whose centroid is closest if the cosine reaches the threshold, else starts a topic; then
every statement is reassigned once to its nearest final centroid (which undoes most of the order
effects). It costs one matrix-vector product per statement against the topics so far.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onrecord.text.words import singular

#: Default cosine to a topic's centroid for a statement to join it; MiniLM puts paraphrases
#: around 0.6-0.9 and statements on one subject around 0.4-0.6.
THRESHOLD = 0.45
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Function words, reporting words and news boilerplate: never a topic's label.
STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each even ever every few for from further get
    got had has have having he her here hers herself him himself his how i if in into is it its itself just
    let like made make many may me might more most much must my myself need no nor not now of off on once one
    only or other our ours ourselves out over own per quite rather really said same say saying says see seen
    shall she should since so some still such take than that the their theirs them themselves then there
    these they thing things think this those though through to told too under until up upon us very via was
    way we well were what when where whether which while who whom whose why will with within without would
    yet you your yours yourself yourselves mr mrs ms dr sir madam today yesterday tomorrow year years time
    times week weeks day days new people going want wanted added told tell telling statement statements
    asked ask according including include includes two three four five first second last back ago""".split()
)


@dataclass(frozen=True)
class Topic:
    """A group of statements on one subject, labelled by its most distinctive words."""

    label: str
    terms: tuple[str, ...]
    statement_ids: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.statement_ids)


def cluster(vectors: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Row indices grouped by cosine to the group's centroid (see the module docstring), largest
    groups first (ties: the earliest row first)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or not len(vectors):
        return []
    sums = np.zeros((64, vectors.shape[1]), dtype=np.float32)
    centroids = np.zeros_like(sums)  # rows [:count] are in use; grown by doubling
    count = 0
    for row in vectors:
        if count:
            sims = centroids[:count] @ row
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                sums[best] += row
                centroids[best] = _unit(sums[best])
                continue
        if count == len(sums):
            sums = np.concatenate([sums, np.zeros_like(sums)])
            centroids = np.concatenate([centroids, np.zeros_like(centroids)])
        sums[count] = row
        centroids[count] = _unit(row)
        count += 1
    centroids = centroids[:count]
    # one reassignment to the final centroids, keeping the threshold
    groups: dict[int, list[int]] = {}
    singles: list[list[int]] = []
    for begin in range(0, len(vectors), 4096):  # blocks bound the memory of the similarity matrix
        sims = vectors[begin : begin + 4096] @ centroids.T
        best = np.argmax(sims, axis=1)
        for offset, topic in enumerate(best.tolist()):
            if sims[offset, topic] >= threshold:
                groups.setdefault(topic, []).append(begin + offset)
            else:
                singles.append([begin + offset])
    return sorted([*groups.values(), *singles], key=lambda g: (-len(g), g[0]))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def content_words(text: str) -> list[str]:
    """Lowercased words of a text, common nouns made singular (a capitalised word, likely a
    name, is kept as it is: Angeles), stopwords and words under three letters out."""
    words = []
    for raw in _WORD.findall(text):
        stem, _, ending = raw.replace("’", "'").partition("'")
        if ending.casefold() == "t":  # weren't, don't: function words
            continue
        word = stem.casefold() if stem[0].isupper() else singular(stem.casefold())
        if len(word) > 2 and word not in STOPWORDS:
            words.append(word)
    return words


def label_terms(groups: Sequence[Sequence[str]], top: int = 3) -> list[tuple[str, ...]]:
    """The top most distinctive words of each group of texts by class-based TF-IDF: a word's
    share of statements in its group times log(1 + average group size / its frequency in all);
    a word must occur in two statements of a group of two or more."""
    per_group = [[set(content_words(t)) for t in texts] for texts in groups]
    counts = [Counter(w for words in statements for w in words) for statements in per_group]
    overall: Counter[str] = Counter()
    for c in counts:
        overall.update(c)
    average = sum(sum(c.values()) for c in counts) / max(1, len(counts))
    labels: list[tuple[str, ...]] = []
    for statements, c in zip(per_group, counts, strict=True):
        needed = 2 if len(statements) > 1 else 1
        weights = {w: (n / len(statements)) * math.log(1 + average / overall[w]) for w, n in c.items() if n >= needed}
        if not weights:  # nothing shared: the group's most distinctive words anyway
            weights = {w: math.log(1 + average / overall[w]) for w in c}
        labels.append(tuple(sorted(weights, key=lambda w: (-weights[w], w))[:top]))
    return labels


def find_topics(
    ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray, threshold: float = THRESHOLD, min_size: int = 2
) -> list[Topic]:
    """Topics of at least min_size statements, largest first, labelled by their top three words;
    statements in no such topic are left out."""
    if not (len(ids) == len(texts) == len(vectors)):
        raise ValueError("ids, texts and vectors must have the same length")
    groups = cluster(vectors, threshold)
    # labels are distinctive against every group, the ones too small to be a topic too
    terms = label_terms([[texts[i] for i in g] for g in groups])
    return [
        Topic(", ".join(t) or "(no words)", t, tuple(sorted(int(ids[i]) for i in g)))
        for g, t in zip(groups, terms, strict=True)
        if len(g) >= max(1, min_size)
    ]
