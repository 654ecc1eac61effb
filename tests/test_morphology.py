"""The fast morphology component gives the POS and lemmas of the model's own rule components."""

from __future__ import annotations

import pytest

from onrecord.nlp import lexicon
from onrecord.nlp.morphology import coarse_pos
from onrecord.nlp.spacy_model import load_model

TEXT = (
    "The minister said on Tuesday that the talks had been productive. “We are not there yet,” "
    "she told reporters, adding that officials were working through the night. Critics warned "
    "against a hasty deal, and the opposition leader condemned what he called a rushed process. "
    "According to the newspaper, which cited two officials, the letters were sent in March. "
    "Nobody doubts it's difficult; others have argued that the agencies should be merged. "
    "“I'm telling you, they don't care,” one resident wrote in a statement posted online."
)


@pytest.fixture(scope="module")
def both():
    full = load_model(None, fast_morphology=False)(TEXT)
    fast = load_model(None, fast_morphology=True)(TEXT)
    return full, fast


def test_morphology_pos_agrees_with_attribute_ruler(both):
    full, fast = both
    assert [t.text for t in full] == [t.text for t in fast]
    same = sum(a.pos_ == b.pos_ for a, b in zip(full, fast))
    assert same / len(full) >= 0.98


def test_morphology_lemmas_of_lexicon_words_agree(both):
    full, fast = both
    words = lexicon.SPEECH_VERBS | lexicon.NOMINAL_CUES | lexicon.MEDIUM_NOUNS | lexicon.ROLE_WORDS | lexicon.ORG_NOUNS
    checked = 0
    for a, b in zip(full, fast):
        if a.lemma_.lower() in words or b.lemma_.lower() in words:
            checked += 1
            assert a.lemma_.lower() == b.lemma_.lower(), (a.text, a.lemma_, b.lemma_)
    assert checked >= 12


@pytest.mark.parametrize(
    "tag, dep, word, pos",
    [("VBZ", "ROOT", "is", "AUX"), ("VBD", "aux", "had", "AUX"), ("VBD", "ROOT", "had", "VERB"),
     ("IN", "mark", "that", "SCONJ"), ("IN", "prep", "in", "ADP"), ("DT", "nsubj", "that", "PRON"),
     ("RB", "neg", "not", "PART"), ("NNP", "nsubj", "Smith", "PROPN"), ("NN", "nsubj", "nobody", "PRON")],
)
def test_morphology_coarse_pos_rules(tag, dep, word, pos):
    assert coarse_pos(tag, dep, word) == pos


def test_morphology_setting_switches_the_pipeline():
    assert "onrecord_morphology" in load_model(None, True).pipe_names
    assert "lemmatizer" in load_model(None, False).pipe_names
