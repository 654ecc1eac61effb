"""One article's record: the spaCy model loaded once, then quotation marks, statements and
speakers put together into an ``Extraction`` whose spans all point into the article's text."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from onrecord.model import Article, Entity, Extraction, Span, SpeakerRef, Statement
from onrecord.nlp import lexicon
from onrecord.nlp import speakers as sp
from onrecord.nlp.attribution import Attribution, attribute_statements
from onrecord.nlp.positions import derive_disagreements, find_disagreements, find_positions
from onrecord.nlp.spacy_model import load_model
from onrecord.nlp.trained.combine import speaker_keys
from onrecord.nlp.trained.infer import predict_spans
from onrecord.nlp.trained.labels import PredictedSpan
from onrecord.nlp.trained.selection import engine_statements
from onrecord.settings import Settings
from onrecord.text.normalize import normalize_for_parser
from onrecord.text.quotemarks import Quote, find_quotes


class Pipeline:
    """Loads the language model once; ``extract`` one article, ``pipe`` many."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.nlp = load_model(self.settings.spacy_model, self.settings.fast_morphology)

    def extract(self, article: Article | str, **metadata: Any) -> Extraction:
        """The record of one article (a str is taken as its text, with metadata as fields)."""
        if isinstance(article, str):
            article = Article(text=article, **metadata)
        prepared = prepare(article, self.settings)
        docs = [self.nlp(text) for text in prepared.chunk_texts]
        return _analyse(prepared, docs, self.settings)

    def pipe(self, articles: Iterable[Article], n_process: int = 1, batch_size: int = 16) -> Iterator[Extraction]:
        """Records for many articles, in input order: parsed in batches (faster than one by one),
        and spread over processes when n_process > 1. Articles are read as they are needed, a few
        batches ahead, so a long stream is never held in memory."""
        batches = _batched(articles, batch_size)
        if n_process <= 1:
            for batch in batches:
                yield from self._extract_batch(batch)
            return
        with ProcessPoolExecutor(n_process, initializer=_init_worker, initargs=(self.settings,)) as pool:
            window: deque[Future[list[Extraction]]] = deque()
            for batch in batches:
                window.append(pool.submit(_extract_batch_in_worker, batch))
                if len(window) >= 2 * n_process:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()

    def _extract_batch(self, articles: list[Article]) -> list[Extraction]:
        prepared = [prepare(a, self.settings) for a in articles]
        texts = [t for p in prepared for t in p.chunk_texts]
        docs = iter(self.nlp.pipe(texts, batch_size=max(1, len(texts))))
        return [_analyse(p, [next(docs) for _ in p.chunk_texts], self.settings) for p in prepared]


def _batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker = Pipeline(settings)


def _extract_batch_in_worker(articles: list[Article]) -> list[Extraction]:
    assert _worker is not None
    return _worker._extract_batch(articles)


_default: Pipeline | None = None


def extract(text: str, **metadata: Any) -> Extraction:
    """The record of one article's text, with a process-wide default Pipeline."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default.extract(Article(text=text, **metadata))


# --- putting one article together ------------------------------------------------------------


def chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Paragraph-aligned pieces of at most ``limit`` characters covering the text."""
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = text.rfind("\n", start + limit // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + limit // 2, end)
            end = cut + 1 if cut >= 0 else end
        out.append((start, end))
        start = end
    return out


@dataclass(frozen=True)
class Prepared:
    """An article ready for the parser: its quotations, and the text pieces to parse."""

    article: Article
    quotes: list[Quote]
    parsed_text: str
    chunks: list[tuple[int, int]]

    @property
    def chunk_texts(self) -> list[str]:
        return [self.parsed_text[a:b] for a, b in self.chunks]


def prepare(article: Article, settings: Settings) -> Prepared:
    text = article.text
    if not text.strip():
        return Prepared(article, [], text, [])
    quotes = find_quotes(text)
    parsed_text = normalize_for_parser(text, quotes)
    return Prepared(article, quotes, parsed_text, chunks(parsed_text, settings.max_chunk_chars))


def _analyse(prepared: Prepared, docs: list[Any], settings: Settings) -> Extraction:
    if not prepared.chunks:
        return Extraction(article=prepared.article)
    attributions: list[Attribution] = []
    mentions: list[sp.NameMention] = []
    referents: dict[int, sp.Referent] = {}  # by absolute start
    spans = _model_spans(prepared.article.text, settings)
    for base, doc, local_quotes, found, local_spans in chunk_statements(prepared, docs, spans, settings):
        if local_spans is not None:
            found = engine_statements(found, doc, local_spans, settings.engine, settings.span_convention,
                                      settings.statement_scorer)
        in_quote = {i for q in local_quotes for a, b in q.pieces for i in range(a, b)}
        mentions += [_shift(m, base) for m in sp.find_name_mentions(doc, in_quote)]
        refs = sp.find_referents(doc, [a.speaker_token for a in found if a.speaker_token is not None])
        for r in refs.values():
            shifted = _shift(r, base)
            referents[shifted.start] = shifted
        if spans is not None:
            referents.update(speaker_keys(found, refs, base))
        attributions += [_shift_attribution(a, base) for a in found]
    record = _assemble(prepared.article, attributions, mentions, referents, settings)
    return _with_positions(record, prepared.chunks, docs)


def chunk_statements(
    prepared: Prepared, docs: list[Any], spans: list[PredictedSpan] | None, settings: Settings
) -> Iterator[tuple[int, Any, list[Quote], list[Attribution], list[PredictedSpan] | None]]:
    """Each parsed chunk: its offset, the doc, its quotations and the rules' statements, and the model's
    spans within it (None without a model), all in the chunk's own offsets."""
    for (base, end), doc in zip(prepared.chunks, docs):
        local_quotes = [_shift_quote(q, -base) for q in prepared.quotes if base <= q.start and q.end <= end]
        found = attribute_statements(doc, local_quotes, settings.min_single_quote_words, settings.span_convention)
        local_spans = None if spans is None else [
            replace(s, start=s.start - base, end=s.end - base) for s in spans if base <= s.start and s.end <= end]
        yield base, doc, local_quotes, found, local_spans


def _model_spans(text: str, settings: Settings) -> list[PredictedSpan] | None:
    """The trained model's spans of the article (None with the rules engine: nothing is loaded)."""
    if settings.engine == "rules":
        return None
    return predict_spans(model_text(text))


def model_text(text: str) -> str:
    """The text as the model reads it: the tokenizer refuses lone surrogates (a str from JSON escapes);
    one character for one keeps offsets."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def _with_positions(record: Extraction, pieces: list[tuple[int, int]], docs: list[Any]) -> Extraction:
    """The record with the positions its statements and sentences state, and the disagreements:
    explicit ones and those derived from opposite stances on one target."""
    text = record.article.text
    positions = []
    disagreements = []
    for (base, _end), doc in zip(pieces, docs):
        positions += find_positions(doc, text, record.statements, record.entities, base)
        disagreements += find_disagreements(doc, text, record.statements, record.entities, base)
    disagreements += derive_disagreements(positions)
    return replace(record, positions=tuple(positions), disagreements=tuple(disagreements))


def _assemble(
    article: Article,
    attributions: list[Attribution],
    mentions: list[sp.NameMention],
    referents: dict[int, sp.Referent],
    settings: Settings,
) -> Extraction:
    text = article.text
    clusters = sp.cluster_mentions(mentions)
    narrated = sp.narration_counter([p for att in attributions for p in att.content])
    resolved: list[tuple[Attribution, sp.Cluster | None]] = []
    previous: list[tuple[int, sp.Cluster]] = []
    for att in attributions:
        cluster = _resolve(att, clusters, referents, previous, text, narrated)
        resolved.append((att, cluster))
        if cluster is not None and att.speaker is not None:
            previous.append((att.speaker[0], cluster))
            if att.speaker_form in ("pronoun", "nominal") and att.speaker not in cluster.extra:
                cluster.extra.append(att.speaker)
            pronoun = text[att.speaker[0] : att.speaker[1]].lower()
            if att.speaker_form == "pronoun" and pronoun in lexicon.PERSON_PRONOUNS:
                cluster.pronouns.append(pronoun)

    order = sorted(clusters, key=lambda c: c.mentions[0].start if c.mentions else c.extra[0][0])
    ids = {id(c): f"e{n}" for n, c in enumerate(order, 1)}
    entities = tuple(
        Entity(
            id=ids[id(c)],
            name=c.name,
            type=c.label,
            roles=tuple(c.roles),
            mentions=tuple(
                Span.of(text, a, b) for a, b in sorted({(m.start, m.end) for m in c.mentions} | set(c.extra))
            ),
        )
        for c in order
    )
    statements = []
    for att, cluster in resolved:
        if att.confidence < settings.min_confidence:
            continue
        speaker = None
        if att.speaker is not None:
            a, b = att.speaker
            speaker = SpeakerRef(a, b, text[a:b], ids[id(cluster)] if cluster is not None else None)
        statements.append(
            Statement(
                id=f"s{len(statements) + 1}",
                kind=att.kind,  # type: ignore[arg-type]
                content=Span.joined(text, list(att.content)),
                cue=Span.of(text, *att.cue) if att.cue else None,
                speaker=speaker,
                addressee=Span.of(text, *att.addressee) if att.addressee else None,
                medium=Span.of(text, *att.medium) if att.medium else None,
                confidence=round(att.confidence, 3),
            )
        )
    return Extraction(article=article, statements=tuple(statements), entities=entities)


def _resolve(
    att: Attribution,
    clusters: list[sp.Cluster],
    referents: dict[int, sp.Referent],
    previous: list[tuple[int, sp.Cluster]],
    text: str,
    narrated: Callable[[int, int], int],
) -> sp.Cluster | None:
    """The entity a statement's speaker mention stands for, or None where the text does not say."""
    if att.speaker is None:
        return None
    a, b = att.speaker
    if att.speaker_form == "name":
        a, b = att.speaker_name or att.speaker
        found = sp.cluster_of_span(clusters, a, b)
        if found is not None:
            return found
        if text[a:b].strip() and text[a].isupper():
            mention = sp.NameMention(a, b, text[a:b], "PERSON", subject=True)
            target = sp.match_person(mention, clusters)
            if target is None:
                target = sp.Cluster("PERSON")
                clusters.append(target)
            target.mentions.append(mention)
            return target
        return None
    ref = referents.get(a)
    if ref is None:
        return None
    if att.speaker_form == "pronoun":
        exclude = set()
        if att.addressee is not None:
            addressed = sp.cluster_of_span(clusters, *att.addressee)
            if addressed is not None:
                exclude.add(id(addressed))
        return sp.resolve_pronoun(ref, clusters, previous, exclude, narrated)
    return sp.resolve_nominal(ref, clusters, a)


def _shift(record: Any, base: int) -> Any:
    if base == 0:
        return record
    changes: dict[str, Any] = {"start": record.start + base, "end": record.end + base}
    if getattr(record, "forward", None) is not None:
        changes["forward"] = record.forward + base
    return replace(record, **changes)


def _shift_quote(q: Quote, delta: int) -> Quote:
    if delta == 0:
        return q
    return replace(q, start=q.start + delta, end=q.end + delta, pieces=tuple((a + delta, b + delta) for a, b in q.pieces))


def _shift_attribution(att: Attribution, base: int) -> Attribution:
    if base == 0:
        return att

    def mv(o: tuple[int, int] | None) -> tuple[int, int] | None:
        return (o[0] + base, o[1] + base) if o is not None else None

    return replace(
        att,
        content=tuple((a + base, b + base) for a, b in att.content),
        cue=mv(att.cue),
        speaker=mv(att.speaker),
        speaker_name=mv(att.speaker_name),
        addressee=mv(att.addressee),
        medium=mv(att.medium),
        speaker_token=None,
    )
