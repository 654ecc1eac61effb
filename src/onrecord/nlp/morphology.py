"""Coarse part of speech and lemma from the tagger's fine tag and the parse, in one cheap pass.

en_core_web_sm spends about a quarter of its time in two rule components (attribute_ruler, a
token Matcher, and the rule lemmatizer run on every token). onrecord reads only the coarse POS
and the lemmas of lexicon words, so this component replaces both: the tag map of the Penn
Treebank tags, a few dependency-informed corrections the attribute_ruler also makes, and the
model's own rule lemmatizer called once per distinct (word, POS) pair.
"""

from __future__ import annotations

from typing import Any

#: Penn Treebank tag -> Universal POS (the en_core_web_sm tag map).
TAG_TO_POS: dict[str, str] = {
    "$": "SYM", "''": "PUNCT", ",": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT", ".": "PUNCT", ":": "PUNCT",
    "ADD": "X", "AFX": "ADJ", "CC": "CCONJ", "CD": "NUM", "DT": "DET", "EX": "PRON", "FW": "X", "GW": "X",
    "HYPH": "PUNCT", "IN": "ADP", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "LS": "X", "MD": "AUX", "NFP": "PUNCT",
    "NIL": "X", "NN": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "NNS": "NOUN", "PDT": "DET", "POS": "PART",
    "PRP": "PRON", "PRP$": "PRON", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "RP": "ADP", "SYM": "SYM", "TO": "PART",
    "UH": "INTJ", "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB",
    "WDT": "PRON", "WP": "PRON", "WP$": "DET", "WRB": "SCONJ", "XX": "X", "_SP": "SPACE", "``": "PUNCT",
}
#: Forms of be: auxiliaries wherever they stand (copulas included), as the attribute_ruler has it.
BE_FORMS = frozenset("be is are was were am been being 's 're 'm".split())
#: Forms of have and do: auxiliaries only when the parse makes them so.
AUX_FORMS = BE_FORMS | frozenset("have has had having 've 'd do does did".split())
#: Indefinite pronouns the tagger calls nouns.
NOUN_PRONOUNS = frozenset(
    "someone everyone anyone nobody no-one something everything anything nothing somebody everybody anybody".split()
)

#: Tags whose words are their own lemma (lower-cased), as the lemmatizer's base-form test has it.
BASE_FORM_TAGS = frozenset({"VB", "VBP", "NN", "JJ", "RB", "IN", "DT", "CC", "MD", "TO", "RP", "UH", "WDT", "WP", "WRB", "EX", "PDT"})
#: Lemmas the attribute_ruler sets by word, not by rule.
LEMMA_EXCEPTIONS: dict[str, str] = {
    "is": "be", "are": "be", "was": "be", "were": "be", "am": "be", "been": "be", "being": "be",
    "'re": "be", "'m": "be",
    "has": "have", "had": "have", "having": "have", "'ve": "have",
    "does": "do", "did": "do", "n't": "not", "n’t": "not", "ca": "can", "wo": "will", "'ll": "will",
    "me": "I", "i": "I", "us": "we", "him": "he", "them": "they",
    "“": '"', "”": '"', "``": '"', "''": '"', "‘": "'", "’": "'",
}
#: POS whose words keep their own text as lemma.
KEEP_TEXT_POS = frozenset({"PROPN", "PUNCT", "SPACE", "NUM", "SYM", "X"})

NAME = "onrecord_morphology"


def coarse_pos(tag: str, dep: str, lower: str) -> str:
    """The Universal POS the attribute_ruler would give this token."""
    if tag.startswith("VB") and lower in AUX_FORMS and (dep in ("aux", "auxpass") or lower in BE_FORMS):
        return "AUX"
    if tag == "IN" and dep == "mark":
        return "SCONJ"
    if tag == "DT" and dep not in ("det", "predet"):
        return "PRON"
    if tag == "RB" and dep == "neg":
        return "PART"
    if tag == "NN" and lower in NOUN_PRONOUNS:
        return "PRON"
    return TAG_TO_POS.get(tag, "X")


class Morphology:
    """The spaCy component: sets POS and lemma on every token, with a cache of lemmas."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, doc: Any) -> Any:
        cache = self.cache
        for tok in doc:
            lower = tok.lower_
            pos = coarse_pos(tok.tag_, tok.dep_, lower)
            tok.pos_ = pos
            key = (tok.text, pos)
            lemma = cache.get(key)
            if lemma is None:
                lemma = self.lemma(tok, pos, lower)
                if len(cache) < 200_000:
                    cache[key] = lemma
            tok.lemma_ = lemma
        return doc

    def lemma(self, tok: Any, pos: str, lower: str) -> str:
        """The lemma the model's attribute_ruler and rule lemmatizer would give."""
        if lower in LEMMA_EXCEPTIONS:
            return LEMMA_EXCEPTIONS[lower]
        if pos in KEEP_TEXT_POS:
            return tok.text
        if tok.tag_ in BASE_FORM_TAGS or pos in ("PRON", "DET", "CCONJ", "SCONJ", "PART", "ADP", "INTJ"):
            return lower
        return self.lemmatizer.rule_lemmatize(tok)[0].lower()
